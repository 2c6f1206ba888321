// Progress over time, drawn as plain SVG from the completion times of the batches: hosts done
// (solid line) and hosts failed or unreachable (dashed line) against the rollout's total.
import { el, svg, number } from "./dom.js";

const W = 960, H = 240, LEFT = 56, RIGHT = 12, TOP = 12, BOTTOM = 34;

export function progressChart(cursor, batches) {
  const completed = [...batches.values()].filter((b) => b.state === "completed" && b.completed_at)
    .sort((a, b) => Date.parse(a.completed_at) - Date.parse(b.completed_at));
  const total = cursor.progress.total_hosts || 1;
  const start = Date.parse(cursor.created_at);
  const end = Math.max(Date.now(), start + 1000);
  const x = (t) => LEFT + ((t - start) / (end - start)) * (W - LEFT - RIGHT);
  const y = (n) => TOP + (1 - n / total) * (H - TOP - BOTTOM);
  let done = 0, bad = 0;
  const donePoints = [[x(start), y(0)]], badPoints = [[x(start), y(0)]];
  for (const b of completed) {
    const t = Date.parse(b.completed_at);
    donePoints.push([x(t), y(done)]);
    badPoints.push([x(t), y(bad)]);
    done += b.hosts.length;
    bad += Object.values(b.results || {}).filter((r) => r === "failed" || r === "unreachable").length;
    donePoints.push([x(t), y(done)]);
    badPoints.push([x(t), y(bad)]);
  }
  donePoints.push([x(end), y(done)]);
  badPoints.push([x(end), y(bad)]);
  const line = (points) => points.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
  const stamp = (t) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const words = `${number(done)} of ${number(total)} hosts done over ${completed.length} completed batches since ${new Date(start).toLocaleString()}; ${number(bad)} failed or unreachable.`;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-labelledby": "chart-title chart-desc" },
    svg("title", { id: "chart-title", text: "Progress over time" }),
    svg("desc", { id: "chart-desc", text: words }),
    svg("line", { x1: LEFT, y1: y(0), x2: W - RIGHT, y2: y(0), class: "axis" }),
    svg("line", { x1: LEFT, y1: y(total), x2: W - RIGHT, y2: y(total), class: "grid" }),
    svg("line", { x1: LEFT, y1: TOP, x2: LEFT, y2: y(0), class: "axis" }),
    svg("text", { x: LEFT - 6, y: y(total) + 4, class: "tick end", text: number(total) }),
    svg("text", { x: LEFT - 6, y: y(0) + 4, class: "tick end", text: "0" }),
    svg("text", { x: LEFT, y: H - 10, class: "tick", text: stamp(start) }),
    svg("text", { x: W - RIGHT, y: H - 10, class: "tick end", text: stamp(end) }),
    svg("path", { d: line(donePoints), class: "line-done" }),
    svg("path", { d: line(badPoints), class: "line-failed" }));
  const key = el("p", { class: "chart-key" },
    el("span", { class: "key-done", "aria-hidden": "true" }), " hosts done   ",
    el("span", { class: "key-failed", "aria-hidden": "true" }), " failed or unreachable");
  return el("figure", { class: "chart-box" }, chart, key, el("figcaption", { text: words }));
}
