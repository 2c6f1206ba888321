// One rollout: where it stands and what comes next, its batches as a strip, progress over
// time, its settings, and its hosts by result (paged, searchable).
import * as api from "./api.js";
import { el, replace, update, link, hash, badge, time, definitions } from "./dom.js";
import { progressBar, batchWords } from "./progress.js";
import { batchStrip } from "./strip.js";
import { progressChart } from "./chart.js";
import { nextStep } from "./nextstep.js";
import { cursorActions } from "./actions.js";
import { hostsPanel } from "./hosts.js";

// Settings the page knows how to name; any other field of the cursor (gates, windows, tiers,
// events from newer services) is shown as it comes.
const SETTINGS = [
  ["batch_size", "Batch size"], ["max_in_flight", "Batches at once"], ["lease_seconds", "Lease (s)"], ["ack", "Acknowledgement"],
  ["max_fail_percentage", "Halt above failed % in a batch"], ["max_failed_hosts", "Halt above failed hosts"],
  ["pause_after", "Pause after batches"], ["order", "Order"], ["seed", "Seed"], ["limit", "Limit"],
];
const KNOWN = new Set(["name", "pool", "pool_revision", "state", "state_reason", "retry_of", "has_more", "progress", "created_at", "updated_at", "events",
  ...SETTINGS.map(([k]) => k)]);

export async function showRollout(view, parts, _query, { session }) {
  const name = parts[1];
  const base = `/api/v1/cursors/${api.seg(name)}`;
  const batches = new Map();
  const sections = {
    head: el("div", { class: "head" }), next: el("p", { class: "next", id: "next-step" }), progress: el("div", {}),
    strip: el("div", {}), chart: el("div", {}), settings: el("div", {}), events: el("div", {}),
  };
  const hosts = hostsPanel(base);
  replace(view,
    el("p", { class: "crumbs" }, link("#/rollouts", "Rollouts"), " / ", name),
    sections.head,
    el("section", { "aria-labelledby": "h-next" }, el("h2", { id: "h-next", text: "What happens next" }), sections.next),
    el("section", { "aria-labelledby": "h-progress" }, el("h2", { id: "h-progress", text: "Progress" }), sections.progress, sections.chart),
    el("section", { "aria-labelledby": "h-batches" }, el("h2", { id: "h-batches", text: "Batches" }), sections.strip),
    el("div", { class: "columns" },
      el("section", { "aria-labelledby": "h-settings" }, el("h2", { id: "h-settings", text: "Settings" }), sections.settings),
      sections.events),
    el("section", { "aria-labelledby": "h-hosts" }, el("h2", { id: "h-hosts", text: "Hosts by result" }), hosts.node));

  // Completed batches never change, so each refresh reads only from the first open one on.
  async function loadBatches() {
    let first = 1;
    while (batches.has(first) && batches.get(first).state === "completed") first++;
    for (let offset = first - 1; ; offset += 1000) {
      const page = await api.get(api.path(`${base}/batches`, { limit: 1000, offset }));
      for (const b of page.items) batches.set(b.batch_id, b);
      if (offset + page.items.length >= page.total || page.items.length === 0) break;
    }
  }

  async function refresh() {
    const [cursor] = await Promise.all([api.get(base), loadBatches()]);
    update(sections.head, cursor, () => [
      el("h1", {}, name, " ", badge(cursor.state)),
      cursor.state_reason ? el("p", { class: "reason", id: "state-reason", text: cursor.state_reason }) : null,
      cursorActions(session, cursor, reload)]);
    sections.next.textContent = nextStep(cursor, batches);
    update(sections.progress, cursor.progress, () => [progressBar(cursor.progress),
      el("p", { dataset: { field: "batches" }, text: "Batches: " + batchWords(cursor.progress) })]);
    const batchList = [...batches.values()];
    update(sections.strip, [cursor.progress.batches_total, batchList], () => batchStrip(name, cursor.progress.batches_total, batches));
    // The chart's time axis runs to now, so it is drawn anew on every refresh.
    replace(sections.chart, progressChart(cursor, batches));
    update(sections.settings, cursor, () => settings(cursor));
    update(sections.events, cursor.events || null, () => events(cursor));
    await hosts.refresh();
  }
  const reload = () => refresh().catch(() => {});

  await refresh();
  return { refresh };
}

function show(value) {
  if (value === undefined || value === null) return "–";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function settings(cursor) {
  const pairs = [
    ["Pool", el("span", {}, link(hash("pools", cursor.pool), cursor.pool), ` revision ${cursor.pool_revision}`)],
    ...SETTINGS.filter(([key]) => key in cursor).map(([key, label]) => [label, show(cursor[key])]),
    ["Made", time(cursor.created_at)], ["Last moved", time(cursor.updated_at)],
  ];
  if (cursor.retry_of) pairs.push(["Retry of", link(hash("rollout", cursor.retry_of), cursor.retry_of)]);
  for (const [key, value] of Object.entries(cursor)) {
    if (!KNOWN.has(key)) pairs.push([key.replace(/_/g, " "), el("code", { text: show(value) })]);
  }
  return definitions(pairs);
}

// The audit trail, where the service keeps one (an `events` list on the cursor).
function events(cursor) {
  if (!Array.isArray(cursor.events)) return null;
  return el("section", { "aria-labelledby": "h-events" }, el("h2", { id: "h-events", text: "Audit trail" }),
    el("ol", { class: "events" }, cursor.events.slice(-50).reverse().map((e) =>
      el("li", {}, time(e.at || e.time || e.created_at), " ", e.kind || e.type || "", " ", e.message || e.reason || (typeof e === "string" ? e : "")))));
}
