// A rollout's hosts by result, a page at a time, with a search by name. The API pages by
// result; the search reads those pages and keeps the hosts whose name holds the text.
import * as api from "./api.js";
import { el, replace, update, link, badge, number, message } from "./dom.js";

const PAGE = 50;
const SCAN_LIMIT = 20000;
const RESULTS = ["", "pending", "ok", "changed", "failed", "unreachable", "skipped"];

export function hostsPanel(base) {
  const state = { result: "", search: "", offset: 0 };
  const resultSelect = el("select", { id: "hosts-result" }, RESULTS.map((r) => el("option", { value: r, text: r || "any result" })));
  const searchInput = el("input", { id: "hosts-search", type: "search", placeholder: "part of a host name", spellcheck: "false" });
  const table = el("div", { id: "hosts-table" });
  const pager = el("div", { class: "pager" });
  const node = el("div", {},
    el("form", { class: "filters", role: "search", "aria-label": "Find hosts", onsubmit: (e) => { e.preventDefault(); state.search = searchInput.value.trim(); state.offset = 0; refresh(); } },
      el("label", { for: "hosts-result", text: "Result" }), resultSelect,
      el("label", { for: "hosts-search", text: "Host name" }), searchInput,
      el("button", { type: "submit", text: "Search" })),
    table, pager);
  resultSelect.addEventListener("change", () => { state.result = resultSelect.value; state.offset = 0; refresh(); });
  searchInput.addEventListener("search", () => { if (!searchInput.value) { state.search = ""; state.offset = 0; refresh(); } });

  async function page() {
    const query = { result: state.result };
    if (!state.search) {
      const p = await api.get(api.path(`${base}/hosts`, { ...query, limit: PAGE, offset: state.offset }));
      return { items: p.items, total: p.total, note: null };
    }
    const needle = state.search.toLowerCase();
    const matches = [];
    let scanned = 0, total = 0;
    for (let offset = 0; offset < SCAN_LIMIT; offset += 1000) {
      const p = await api.get(api.path(`${base}/hosts`, { ...query, limit: 1000, offset }));
      total = p.total;
      scanned += p.items.length;
      for (const h of p.items) if (h.name.toLowerCase().includes(needle)) matches.push(h);
      if (scanned >= p.total || p.items.length === 0) break;
    }
    const note = scanned < total ? `Searched the first ${number(scanned)} of ${number(total)} hosts.` : null;
    return { items: matches.slice(state.offset, state.offset + PAGE), total: matches.length, note };
  }

  // A poll's refresh that started before the user's search may answer after it; only the
  // newest refresh may draw, so an older answer never replaces the search's result.
  let latest = 0;
  async function refresh() {
    const mine = ++latest;
    const { items, total, note } = await page();
    if (mine !== latest) return;
    update(pager, [state, total, note], () => pagerButtons(total, note));
    update(table, [state, items], () => total === 0
      ? message("info", state.search ? `No host name holds “${state.search}”.` : "No host has this result.")
      : el("table", { class: "list hosts" },
        el("caption", { class: "visually-hidden", text: "Hosts" }),
        el("thead", {}, el("tr", {}, ["Host", "Result", "Batch", "Position"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, items.map((h) => el("tr", { dataset: { host: h.name } },
          el("th", { scope: "row", "data-label": "Host", class: "host-name", text: h.name }),
          el("td", { "data-label": "Result" }, h.status ? badge(h.status) : badge("pending")),
          el("td", { "data-label": "Batch" }, h.batch_id ? link(base.replace("/api/v1/cursors/", "#/rollout/") + `/batch/${h.batch_id}`, `#${h.batch_id}`) : "not yet"),
          el("td", { "data-label": "Position", text: number(h.position + 1) }))))));
  }

  function pagerButtons(total, note) {
    const last = Math.min(state.offset + PAGE, total);
    return [
      el("button", { type: "button", disabled: state.offset === 0, onclick: () => { state.offset = Math.max(0, state.offset - PAGE); refresh(); } }, "← Previous"),
      el("span", { id: "hosts-range", text: total ? `${number(state.offset + 1)}–${number(last)} of ${number(total)}` : "" }),
      el("button", { type: "button", disabled: last >= total, onclick: () => { state.offset += PAGE; refresh(); } }, "Next →"),
      note ? el("span", { class: "sub", text: note }) : null];
  }

  return { node, refresh };
}

