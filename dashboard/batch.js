// One batch: its latest attempt (consumer, claim key, times, the AWX job of external_ref),
// its hosts with their results and groups.
import * as api from "./api.js";
import { el, replace, link, hash, badge, time, definitions, number, message, plural } from "./dom.js";
import { batchKind } from "./strip.js";
import { releaseButton } from "./actions.js";

export async function showBatch(view, parts, _query, { session }) {
  const name = parts[1];
  const id = Number(parts[3]);
  const url = `/api/v1/cursors/${api.seg(name)}/batches/${id}`;
  const body = el("div", {});
  replace(view, el("p", { class: "crumbs" }, link("#/rollouts", "Rollouts"), " / ", link(hash("rollout", name), name), ` / batch ${id}`), body);

  let shown = null;
  async function refresh() {
    let batch;
    try {
      batch = await api.get(url);
    } catch (error) {
      if (error.status !== 404) throw error;
      shown = null;
      replace(body, el("h1", { text: `Batch ${id}` }), message("info", `Batch ${id} of ${name} is not handed out yet (or the rollout has fewer batches).`));
      return;
    }
    // An unchanged batch keeps its page as it is (open variables stay open).
    const text = JSON.stringify(batch);
    if (text === shown) return;
    shown = text;
    const results = batch.results || {};
    const counts = {};
    for (const r of Object.values(results)) counts[r] = (counts[r] || 0) + 1;
    const resultWords = Object.entries(counts).map(([r, n]) => `${number(n)} ${r}`).join(", ");
    const groupsOf = {};
    for (const [group, g] of Object.entries(batch.groups || {})) for (const h of g.hosts || []) (groupsOf[h] = groupsOf[h] || []).push(group);
    replace(body,
      el("div", { class: "head" },
        el("h1", {}, `Batch ${batch.batch_id} `, badge(batch.state)),
        el("div", { class: "actions" }, releaseButton(session, name, batch, () => refresh().catch(() => {})))),
      el("section", { "aria-labelledby": "h-attempt" }, el("h2", { id: "h-attempt", text: `Attempt ${batch.attempt}` }),
        definitions([
          ["State", batchKind(batch) === "failed" ? "completed, with failures" : batch.state],
          ["Consumer", batch.consumer || "–"],
          ["Claim key", batch.claim_key ? el("code", { text: batch.claim_key }) : "–"],
          ["Lease ends", batch.state === "leased" ? time(batch.lease_expires_at) : undefined],
          ["Completed", batch.completed_at ? time(batch.completed_at) : undefined],
          ["AWX job", externalRef(batch.external_ref)],
          ["Hosts", `${number(batch.hosts.length)}${resultWords ? ": " + resultWords : ""}`],
        ]),
        batch.attempt > 1 ? el("p", { class: "sub", text: `Handed out ${batch.attempt} times; the API shows the latest attempt.` }) : null),
      el("section", { "aria-labelledby": "h-batch-hosts" }, el("h2", { id: "h-batch-hosts", text: "Hosts" }),
        el("table", { class: "list hosts" },
          el("caption", { class: "visually-hidden", text: "Hosts of the batch" }),
          el("thead", {}, el("tr", {}, ["Host", "Result", "Groups", "Variables"].map((h) => el("th", { scope: "col", text: h })))),
          el("tbody", {}, batch.hosts.map((h) => el("tr", { dataset: { host: h } },
            el("th", { scope: "row", "data-label": "Host", class: "host-name", text: h }),
            el("td", { "data-label": "Result" }, results[h] ? badge(results[h]) : badge(batch.state === "completed" ? "ok" : "pending")),
            el("td", { "data-label": "Groups", text: (groupsOf[h] || []).filter((g) => g !== "all").sort().join(", ") || "–" }),
            el("td", { "data-label": "Variables" }, vars(batch.hostvars && batch.hostvars[h]))))))));
  }

  await refresh();
  return { refresh };
}

// The AWX job's API URL as recorded by `drive`, with a link to its page in AWX's own UI;
// only http(s) addresses become links.
function externalRef(ref) {
  if (!ref) return "–";
  let parsed;
  try {
    parsed = new URL(ref);
  } catch (_) {
    return el("code", { text: ref });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return el("code", { text: ref });
  const match = parsed.pathname.match(/\/api\/v2\/(jobs|workflow_jobs|inventory_updates)\/(\d+)\/?$/);
  const out = el("span", {});
  if (match) {
    const kind = { jobs: "playbook", workflow_jobs: "workflow", inventory_updates: "inventory" }[match[1]];
    const base = parsed.origin + parsed.pathname.slice(0, parsed.pathname.indexOf("/api/v2/"));
    out.append(el("a", { href: `${base}/#/jobs/${kind}/${match[2]}/output`, target: "_blank", rel: "noopener noreferrer", text: `${match[1].replace(/_/g, " ").replace(/s$/, "")} ${match[2]} in AWX` }), " ");
  }
  out.append(el("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer", class: "sub", text: parsed.href }));
  return out;
}

function vars(object) {
  if (!object || Object.keys(object).length === 0) return "–";
  return el("details", {}, el("summary", { text: plural(Object.keys(object).length, "variable") }), el("pre", { text: JSON.stringify(object, null, 2) }));
}
