// Pools: each pool's revision, host and group counts and the rollouts pinned to its
// revisions; one pool's hosts found by an Ansible pattern.
import * as api from "./api.js";
import { el, replace, update, link, hash, time, number, message, badge, plural } from "./dom.js";

const PAGE = 50;

export async function showPools(view, parts) {
  return parts[1] ? showPool(view, parts[1]) : showList(view);
}

async function showList(view) {
  const body = el("div", {});
  replace(view, el("h1", { text: "Pools" }), body);
  async function refresh() {
    const [pools, cursors] = await Promise.all([api.all("/api/v1/pools"), api.all("/api/v1/cursors")]);
    update(body, [pools.items, cursors.items.map((c) => [c.pool, c.state])], () => pools.items.length === 0
      ? message("info", "No pool yet. Import one with: batch-source pool import NAME inventory.yml")
      : el("table", { class: "list" },
      el("caption", { class: "visually-hidden", text: "Pools" }),
      el("thead", {}, el("tr", {}, ["Pool", "Revision", "Hosts", "Groups", "Format", "Imported", "Rollouts"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, pools.items.map((p) => {
        const mine = cursors.items.filter((c) => c.pool === p.name);
        return el("tr", { dataset: { pool: p.name } },
          el("th", { scope: "row", "data-label": "Pool" }, link(hash("pools", p.name), p.name)),
          el("td", { "data-label": "Revision", dataset: { field: "revision" }, text: String(p.revision) }),
          el("td", { "data-label": "Hosts", dataset: { field: "hosts" }, text: number(p.host_count) }),
          el("td", { "data-label": "Groups", dataset: { field: "groups" }, text: number(p.group_count) }),
          el("td", { "data-label": "Format", text: p.format }),
          el("td", { "data-label": "Imported" }, time(p.updated_at)),
          el("td", { "data-label": "Rollouts", text: mine.length ? `${mine.length} (${mine.filter((c) => c.state === "active").length} active)` : "none" }));
      }))));
  }
  await refresh();
  return { refresh };
}

async function showPool(view, name) {
  const base = `/api/v1/pools/${api.seg(name)}`;
  const state = { pattern: "", offset: 0 };
  const facts = el("div", {});
  const revisions = el("div", {});
  const input = el("input", { id: "pool-pattern", type: "search", placeholder: "web*:&dc1, ~db[0-9]+, all:!canary", spellcheck: "false" });
  const hosts = el("div", { id: "pool-hosts" });
  const pager = el("div", { class: "pager" });
  replace(view,
    el("p", { class: "crumbs" }, link("#/pools", "Pools"), " / ", name),
    el("h1", { text: `Pool ${name}` }), facts,
    el("section", { "aria-labelledby": "h-revisions" }, el("h2", { id: "h-revisions", text: "Revisions in use" }), revisions),
    el("section", { "aria-labelledby": "h-pool-hosts" }, el("h2", { id: "h-pool-hosts", text: "Hosts" }),
      el("form", { class: "filters", role: "search", "aria-label": "Find hosts by pattern",
        onsubmit: (e) => { e.preventDefault(); state.pattern = input.value.trim(); state.offset = 0; loadHosts().catch(showError); } },
        el("label", { for: "pool-pattern", text: "Ansible pattern" }), input, el("button", { type: "submit", text: "Find" })),
      hosts, pager));

  function showError(error) {
    replace(hosts, message("error", error.message));
    replace(pager);
  }

  async function loadHosts() {
    const page = await api.get(api.path(`${base}/hosts`, { pattern: state.pattern, limit: PAGE, offset: state.offset }));
    if (page.total === 0) replace(hosts, message("info", state.pattern ? `No host matches ${state.pattern}.` : "The pool has no host."));
    else replace(hosts, el("table", { class: "list hosts" },
      el("caption", { class: "visually-hidden", text: "Hosts of the pool" }),
      el("thead", {}, el("tr", {}, ["Host", "Groups", "Variables"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, page.items.map((h) => el("tr", { dataset: { host: h.name } },
        el("th", { scope: "row", "data-label": "Host", class: "host-name", text: h.name }),
        el("td", { "data-label": "Groups", text: h.groups.join(", ") || "–" }),
        el("td", { "data-label": "Variables" }, Object.keys(h.vars || {}).length
          ? el("details", {}, el("summary", { text: plural(Object.keys(h.vars).length, "variable") }), el("pre", { text: JSON.stringify(h.vars, null, 2) }))
          : "–"))))));
    const last = Math.min(state.offset + PAGE, page.total);
    replace(pager,
      el("button", { type: "button", disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); loadHosts().catch(showError); } }, "← Previous"),
      el("span", { id: "pool-hosts-range", text: page.total ? `${number(state.offset + 1)}–${number(last)} of ${number(page.total)}` : "" }),
      el("button", { type: "button", disabled: last >= page.total, onclick: () => { state.offset += PAGE; loadHosts().catch(showError); } }, "Next →"));
  }

  // The pool's facts and rollouts move; the host list stays as searched until asked again.
  async function refresh() {
    const [pool, cursors] = await Promise.all([api.get(base), api.all("/api/v1/cursors", { pool: name })]);
    update(facts, pool, () => el("dl", { class: "facts" },
      el("dt", { text: "Current revision" }), el("dd", { dataset: { field: "revision" }, text: String(pool.revision) }),
      el("dt", { text: "Hosts" }), el("dd", { dataset: { field: "hosts" }, text: number(pool.host_count) }),
      el("dt", { text: "Groups" }), el("dd", { dataset: { field: "groups" }, text: number(pool.group_count) }),
      el("dt", { text: "Format" }), el("dd", { text: pool.format }),
      el("dt", { text: "Imported" }), el("dd", {}, time(pool.updated_at)),
      el("dt", { text: "First imported" }), el("dd", {}, time(pool.created_at))));
    const byRevision = new Map();
    for (const c of cursors.items) byRevision.set(c.pool_revision, [...(byRevision.get(c.pool_revision) || []), c]);
    if (!byRevision.has(pool.revision)) byRevision.set(pool.revision, []);
    update(revisions, [pool.revision, cursors.items.map((c) => [c.name, c.pool_revision, c.state])], () => el("ul", { class: "revisions" }, [...byRevision.keys()].sort((a, b) => b - a).map((r) => el("li", {},
      el("strong", { text: `Revision ${r}` }), r === pool.revision ? " (current)" : "", ": ",
      byRevision.get(r).length ? byRevision.get(r).map((c, i) => el("span", {}, i ? ", " : "", link(hash("rollout", c.name), c.name), " ", badge(c.state))) : "no rollout"))));
  }

  await refresh();
  await loadHosts().catch(showError);
  return { refresh };
}
