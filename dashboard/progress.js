// A rollout's progress as a bar and in words: hosts done of total, with the failed and the
// unreachable marked by pattern and by word as well as by colour.
import { el, number, percent } from "./dom.js";

export function progressBar(p) {
  const total = p.total_hosts || 0;
  const good = p.hosts_ok + p.hosts_changed + p.hosts_skipped;
  const parts = [
    ["done", good],
    ["failed", p.hosts_failed],
    ["unreachable", p.hosts_unreachable],
  ];
  const words = progressWords(p);
  const bar = el("div", { class: "bar", role: "img", "aria-label": words });
  for (const [kind, count] of parts) {
    if (count > 0 && total > 0) bar.append(el("span", { class: `bar-${kind}`, style: null, dataset: { share: String(count / total) } }));
  }
  // Widths are set as properties, which the style-src policy allows (no inline style attribute).
  for (const span of bar.children) span.style.width = `${100 * Number(span.dataset.share)}%`;
  return el("div", { class: "progress" }, bar, el("span", { class: "progress-text", dataset: { field: "hosts" } }, words));
}

export function progressWords(p) {
  const done = `${number(p.hosts_done)} of ${number(p.total_hosts)} hosts done (${percent(p.hosts_done, p.total_hosts)})`;
  const bad = [];
  if (p.hosts_failed) bad.push(`${number(p.hosts_failed)} failed`);
  if (p.hosts_unreachable) bad.push(`${number(p.hosts_unreachable)} unreachable`);
  return bad.length ? `${done}, ${bad.join(", ")}` : done;
}

export function batchWords(p) {
  return `${number(p.batches_completed)} done, ${number(p.batches_in_flight)} in flight, ${number(p.batches_total)} in all`;
}
