// Pause, resume, abort, retry and release: each asks for confirmation in a dialog, and each
// is offered only when the token's scope allows what the API demands for it.
import * as api from "./api.js";
import { el, replace } from "./dom.js";

const dialog = document.getElementById("confirm");
const form = document.getElementById("confirm-form");
const okButton = document.getElementById("confirm-ok");
const errorLine = document.getElementById("confirm-error");
let pending = null;

document.getElementById("confirm-cancel").addEventListener("click", () => dialog.close("cancel"));
dialog.addEventListener("close", () => {
  pending = null;
});
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!pending) return;
  const values = {};
  for (const input of form.querySelectorAll("[data-field]")) values[input.dataset.field] = input.value.trim();
  okButton.disabled = true;
  try {
    await pending.run(values);
    const done = pending.done;
    dialog.close("ok");
    if (done) done();
  } catch (error) {
    errorLine.hidden = false;
    errorLine.textContent = error.message || String(error);
  } finally {
    okButton.disabled = false;
  }
});

// Opens the confirmation; `run` gets the fields' values and may throw to keep it open.
export function confirmAction({ title, text, ok, danger = false, fields = [], run, done }) {
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  okButton.textContent = ok;
  okButton.className = danger ? "danger" : "primary";
  errorLine.hidden = true;
  errorLine.textContent = "";
  const box = document.getElementById("confirm-fields");
  replace(box, fields.map((f) => el("p", { class: "field" },
    el("label", { for: `confirm-${f.name}`, text: f.label }),
    el("input", { id: `confirm-${f.name}`, type: "text", value: f.value || "", required: f.required, dataset: { field: f.name },
      maxlength: f.maxlength, pattern: f.pattern, spellcheck: "false" }))));
  pending = { run, done };
  dialog.showModal();
  const first = box.querySelector("input");
  (first || okButton).focus();
}

function button(label, action, className = "") {
  return el("button", { type: "button", class: className, dataset: { action: label.toLowerCase().split(" ")[0] }, onclick: action }, label);
}

const CURSOR = "/api/v1/cursors/{cursor}";

// The buttons for one cursor; `after` runs once the API took the change.
export function cursorActions(session, cursor, after) {
  const url = `/api/v1/cursors/${api.seg(cursor.name)}`;
  const buttons = [];
  const finished = cursor.state === "done" || cursor.state === "aborted";
  if (session.may("PATCH", CURSOR)) {
    if (cursor.state === "active") {
      buttons.push(button("Pause", () => confirmAction({
        title: `Pause ${cursor.name}?`, ok: "Pause",
        text: "No new batch is handed out until it is resumed; batches out now finish as usual.",
        run: () => api.call("PATCH", url, { state: "paused" }), done: after })));
    }
    if (cursor.state === "paused" || cursor.state === "halted") {
      buttons.push(button("Resume", () => confirmAction({
        title: `Resume ${cursor.name}?`, ok: "Resume",
        text: cursor.state === "halted"
          ? `It halted: ${cursor.state_reason || "a failure threshold tripped"}. Resuming hands out batches again.`
          : "Batches are handed out again from where it stopped.",
        run: () => api.call("PATCH", url, { state: "active" }), done: after }), "primary"));
    }
    if (!finished) {
      buttons.push(button("Abort", () => confirmAction({
        title: `Abort ${cursor.name}?`, ok: "Abort for good", danger: true,
        text: "An aborted rollout never hands out a batch again. Say why, for whoever looks next.",
        fields: [{ name: "reason", label: "Reason", required: true, maxlength: 500 }],
        run: (v) => api.call("PATCH", url, { state: "aborted", state_reason: v.reason }), done: after }), "danger"));
    }
  }
  const failures = cursor.progress.hosts_failed + cursor.progress.hosts_unreachable;
  if (failures > 0 && session.may("POST", CURSOR + "/retry")) {
    buttons.push(button("Retry failed hosts", () => confirmAction({
      title: `Retry the ${failures} failed and unreachable hosts of ${cursor.name}?`, ok: "Make retry rollout",
      text: "A new rollout over just those hosts, on the same pool revision and settings.",
      fields: [{ name: "name", label: "Name of the new rollout", value: `${cursor.name}-retry`, required: true,
        maxlength: 200, pattern: "[A-Za-z0-9_\\-][A-Za-z0-9._\\-]*" }],
      run: async (v) => {
        const made = await api.call("POST", `${url}/retry`, { name: v.name });
        location.hash = "#/rollout/" + encodeURIComponent(made.name);
      } })));
  }
  return buttons.length ? el("div", { class: "actions", role: "group", "aria-label": "Actions" }, buttons) : null;
}

// Release: hand a stuck batch back so the next claim takes it up again.
export function releaseButton(session, cursorName, batch, after) {
  if (batch.state !== "leased" || !session.may("POST", "/api/v1/cursors/{cursor}/batches/{batch}/release") || !session.mayForce()) return null;
  return button("Release", () => confirmAction({
    title: `Release batch ${batch.batch_id} of ${cursorName}?`, ok: "Release", danger: true,
    text: `It is held by ${batch.consumer || "nobody"} (attempt ${batch.attempt}). Released, it goes back to the queue and the next claim hands it out again, so only release a batch whose holder is gone. The release is recorded as yours.`,
    run: () => api.call("POST", `/api/v1/cursors/${api.seg(cursorName)}/batches/${batch.batch_id}/release`, { force: true }), done: after }));
}
