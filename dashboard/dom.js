// Building the page: every piece of text goes in as a text node, so names from inventories
// (hosts, groups, consumers) can never become markup.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) if (child) node.append(child);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export function replace(node, ...children) {
  clear(node);
  return append(node, children);
}

// Rebuilds a part of the page only when its data changed, so a live refresh does not take
// the keyboard focus or an open detail away from someone reading it.
const shownData = new WeakMap();
export function update(node, data, build) {
  const key = JSON.stringify(data);
  if (shownData.get(node) === key) return;
  shownData.set(node, key);
  replace(node, build());
}

// Brings every "3 s ago" on the page up to date without rebuilding anything.
export function retime(root = document) {
  for (const node of root.querySelectorAll("time[datetime]")) node.textContent = relative(node.getAttribute("datetime"));
}

export function link(href, text, attributes = {}) {
  return el("a", { href, ...attributes }, text);
}

export function hash(...parts) {
  return "#/" + parts.map((p) => encodeURIComponent(String(p))).join("/");
}

export function number(n) {
  return typeof n === "number" ? n.toLocaleString("en-US") : "–";
}

export function plural(n, word) {
  return `${number(n)} ${word}${n === 1 ? "" : "s"}`;
}

export function percent(part, whole) {
  if (!whole) return "0%";
  const value = (100 * part) / whole;
  return (value > 0 && value < 1 ? value.toFixed(1) : Math.floor(value)) + "%";
}

// "3 min ago", "in 12 s": how far a time is from now, with the exact time for a title.
export function relative(iso) {
  if (!iso) return "–";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - Date.now()) / 1000);
  const size = Math.abs(seconds);
  const text = size < 60 ? `${size} s` : size < 3600 ? `${Math.round(size / 60)} min` : size < 86400 ? `${Math.round(size / 3600)} h` : `${Math.round(size / 86400)} d`;
  if (size < 2) return "just now";
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

export function time(iso) {
  if (!iso) return el("span", { text: "–" });
  return el("time", { datetime: iso, title: iso }, relative(iso));
}

// A state with its symbol and its word, so colour is never the only signal.
const SYMBOLS = {
  active: "▶", paused: "‖", halted: "⚠", aborted: "■", done: "✓",
  leased: "⇢", completed: "✓", available: "○", pending: "·",
  ok: "✓", changed: "✎", failed: "✗", unreachable: "⚡", skipped: "↷",
};

export function badge(state) {
  return el("span", { class: `badge state-${state}` }, el("span", { "aria-hidden": "true", text: SYMBOLS[state] || "•" }), " ", state);
}

export function symbol(state) {
  return SYMBOLS[state] || "•";
}

export function definitions(pairs) {
  const list = el("dl", { class: "facts" });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(el("dt", { text: term }), el("dd", {}, value === null ? "–" : value));
  }
  return list;
}

export function message(kind, text) {
  return el("p", { class: `message ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
