// A rollout's batches as one strip of cells, small enough for thousands; state is shown by
// fill pattern and listed in words too, and the batches worth a look are real links below.
import { el, hash, number, symbol } from "./dom.js";

export function batchKind(batch) {
  if (!batch) return "pending";
  if (batch.state === "completed") {
    const results = Object.values(batch.results || {});
    return results.some((r) => r === "failed" || r === "unreachable") ? "failed" : "completed";
  }
  return batch.state;
}

const WORDS = { completed: "done", failed: "done with failures", leased: "in flight", available: "handed back, to go again", pending: "not handed out yet" };

export function batchStrip(cursorName, total, batches) {
  const counts = { completed: 0, failed: 0, leased: 0, available: 0, pending: 0 };
  const cells = el("div", { class: `strip ${total > 400 ? "dense" : ""}`, role: "img",
    "aria-label": "" });
  const notable = [];
  for (let id = 1; id <= total; id++) {
    const batch = batches.get(id);
    const kind = batchKind(batch);
    counts[kind]++;
    let title = `batch ${id}: ${WORDS[kind]}`;
    if (batch && batch.state === "leased") title += `, held by ${batch.consumer} until ${batch.lease_expires_at}`;
    cells.append(el("a", { class: `cell cell-${kind}`, href: hash("rollout", cursorName, "batch", id), title, tabindex: "-1",
      dataset: { batch: String(id), kind } }));
    if (kind !== "completed" && kind !== "pending") notable.push({ id, kind, batch });
  }
  const summary = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${number(n)} ${WORDS[k]}`).join(", ");
  cells.setAttribute("aria-label", `${number(total)} batches: ${summary}`);
  const legend = el("ul", { class: "legend", "aria-label": "Legend" },
    Object.keys(WORDS).map((k) => el("li", {}, el("span", { class: `cell cell-${k}`, "aria-hidden": "true" }), ` ${WORDS[k]} (${number(counts[k])})`)));
  const list = notable.length
    ? el("ul", { class: "notable", "aria-label": "Batches in flight, handed back or with failures" },
        notable.slice(0, 50).map(({ id, kind, batch }) => el("li", { dataset: { batch: String(id) } },
          el("span", { "aria-hidden": "true", text: symbol(kind === "failed" ? "failed" : kind) + " " }),
          el("a", { href: hash("rollout", cursorName, "batch", id), text: `Batch ${id}` }),
          ` ${WORDS[kind]}`,
          batch && batch.state === "leased" ? el("span", { class: "sub" }, ` · ${batch.consumer} · attempt ${batch.attempt}`) : null)),
        notable.length > 50 ? el("li", { text: `and ${number(notable.length - 50)} more` }) : null)
    : null;
  return el("div", { class: "strip-box" }, el("p", { class: "strip-summary", dataset: { field: "strip" }, text: `${number(total)} batches: ${summary}` }), cells, legend, list);
}
