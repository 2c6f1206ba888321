// The Rollouts screen: every cursor with its state and progress, filtered by state and pool.
import * as api from "./api.js";
import { el, replace, update, link, hash, badge, time, message } from "./dom.js";
import { progressBar, batchWords } from "./progress.js";

const STATES = ["active", "paused", "halted", "aborted", "done"];

export async function showRollouts(view, _parts, query) {
  const filters = { state: STATES.includes(query.state) ? query.state : "", pool: query.pool || "" };
  const stateSelect = el("select", { id: "filter-state", name: "state" },
    el("option", { value: "", text: "any state" }), STATES.map((s) => el("option", { value: s, text: s })));
  const poolSelect = el("select", { id: "filter-pool", name: "pool" }, el("option", { value: "", text: "any pool" }));
  stateSelect.value = filters.state;
  const body = el("div", { id: "rollouts" });
  const count = el("p", { class: "count", id: "rollouts-count" });

  const onFilter = () => {
    filters.state = stateSelect.value;
    filters.pool = poolSelect.value;
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
    history.replaceState(null, "", "#/rollouts" + (q ? "?" + q : ""));
    refresh();
  };
  stateSelect.addEventListener("change", onFilter);
  poolSelect.addEventListener("change", onFilter);

  replace(view,
    el("h1", { text: "Rollouts" }),
    el("form", { class: "filters", role: "search", "aria-label": "Filter rollouts", onsubmit: (e) => e.preventDefault() },
      el("label", { for: "filter-state", text: "State" }), stateSelect,
      el("label", { for: "filter-pool", text: "Pool" }), poolSelect),
    count, body);

  async function refresh() {
    const [cursors, pools] = await Promise.all([
      api.all("/api/v1/cursors", { state: filters.state, pool: filters.pool }),
      api.all("/api/v1/pools"),
    ]);
    const names = pools.items.map((p) => p.name);
    if (filters.pool && !names.includes(filters.pool)) names.push(filters.pool);
    const chosen = poolSelect.value || filters.pool;
    update(poolSelect, names, () => [el("option", { value: "", text: "any pool" }), names.map((n) => el("option", { value: n, text: n }))]);
    poolSelect.value = chosen;
    count.textContent = `${cursors.total} ${cursors.total === 1 ? "rollout" : "rollouts"}`;
    update(body, cursors.items, () => cursors.items.length === 0
      ? message("info", "No rollout matches. Make one with: batch-source cursor create NAME --pool POOL --batch-size 10%")
      : table(cursors.items));
  }

  await refresh();
  return { refresh };
}

function table(cursors) {
  const head = el("thead", {}, el("tr", {},
    ["Rollout", "State", "Hosts", "Batches", "Pool", "Last moved"].map((h) => el("th", { scope: "col", text: h }))));
  const rows = cursors.map((c) => el("tr", { dataset: { cursor: c.name } },
    el("th", { scope: "row", "data-label": "Rollout" }, link(hash("rollout", c.name), c.name),
      c.retry_of ? el("span", { class: "sub" }, "retry of ", c.retry_of) : null),
    el("td", { "data-label": "State" }, badge(c.state), c.state_reason ? el("span", { class: "sub", text: c.state_reason }) : null),
    el("td", { "data-label": "Hosts", class: "wide" }, progressBar(c.progress)),
    el("td", { "data-label": "Batches", dataset: { field: "batches" }, text: batchWords(c.progress) }),
    el("td", { "data-label": "Pool" }, link(hash("pools", c.pool), c.pool), ` revision ${c.pool_revision}`),
    el("td", { "data-label": "Last moved" }, time(c.updated_at))));
  return el("table", { class: "list" }, el("caption", { class: "visually-hidden", text: "Rollouts" }), head, el("tbody", {}, rows));
}
