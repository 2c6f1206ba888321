// The dashboard's shell: sign in and out, the screen for the address after `#`, and the
// polling that keeps the open screen live.
import * as api from "./api.js";
import { el, replace, message, retime } from "./dom.js";
import { showRollouts } from "./rollouts.js";
import { showRollout } from "./rollout.js";
import { showBatch } from "./batch.js";
import { showPools } from "./pools.js";

const POLL_MS = 2000;
const view = document.getElementById("view");
const status = document.getElementById("status");
let session = null;
let current = null;
let timer = null;
let generation = 0;

// `#/rollout/NAME/batch/3?x=1` -> ["rollout", "NAME", "batch", "3"] and {x: "1"}.
function route() {
  const text = location.hash.replace(/^#\/?/, "");
  const [pathText, queryText = ""] = text.split("?");
  const parts = pathText.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, query: Object.fromEntries(new URLSearchParams(queryText)) };
}

function screenFor(parts) {
  if (parts[0] === "rollout" && parts[1] && parts[2] === "batch" && parts[3]) return { name: "batch", show: showBatch };
  if (parts[0] === "rollout" && parts[1]) return { name: "rollout", show: showRollout };
  if (parts[0] === "pools") return { name: "pools", show: showPools };
  return { name: "rollouts", show: showRollouts };
}

async function open() {
  stop();
  const mine = ++generation;
  const { parts, query } = route();
  const screen = screenFor(parts);
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.screen === (screen.name === "pools" ? "pools" : "rollouts")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.body.dataset.screen = screen.name;
  replace(view, el("p", { class: "loading", text: "Loading…" }));
  try {
    const shown = await screen.show(view, parts, query, { session, navigate });
    if (mine !== generation) return shown && shown.stop && shown.stop();
    current = shown;
    // Someone who tabbed into the new screen while it loaded keeps their place.
    if (!view.contains(document.activeElement)) view.focus({ preventScroll: true });
    updated();
    schedule(mine);
  } catch (error) {
    if (mine === generation) failed(error);
  }
}

function schedule(mine) {
  timer = setTimeout(async () => {
    if (mine !== generation) return;
    if (!document.hidden && current && current.refresh) {
      try {
        await current.refresh();
        if (mine === generation) updated();
      } catch (error) {
        if (mine === generation && error instanceof api.APIError && error.status === 401) return failed(error);
        status.textContent = `Could not update: ${error.message}`;
        status.dataset.state = "error";
      }
    }
    if (mine === generation) schedule(mine);
  }, POLL_MS);
}

function stop() {
  clearTimeout(timer);
  if (current && current.stop) current.stop();
  current = null;
}

function updated() {
  retime(view);
  status.dataset.state = "ok";
  status.dataset.updatedAt = String(Date.now());
  status.textContent = `Live: updated ${new Date().toLocaleTimeString()}; the page refreshes every ${POLL_MS / 1000} s.`;
}

function failed(error) {
  if (error instanceof api.APIError && error.status === 401) {
    api.signOut();
    return showSignIn("The token was not accepted: " + error.message);
  }
  replace(view, message("error", error.message || String(error)));
}

function navigate(hash) {
  if (location.hash === hash) open();
  else location.hash = hash;
}

function showSignIn(problem) {
  stop();
  session = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("who").hidden = true;
  replace(view);
  status.textContent = "";
  const panel = document.getElementById("sign-in");
  panel.hidden = false;
  const error = document.getElementById("sign-in-error");
  error.hidden = !problem;
  error.textContent = problem || "";
  document.getElementById("token").focus();
}

async function start() {
  try {
    session = await api.session();
  } catch (error) {
    api.signOut();
    return showSignIn(error instanceof api.APIError && error.status === 401 ? "The token was not accepted: " + error.message : error.message);
  }
  document.getElementById("sign-in").hidden = true;
  document.getElementById("nav").hidden = false;
  document.getElementById("who").hidden = false;
  document.getElementById("who-name").textContent = `${session.name} (${session.scope})`;
  document.body.dataset.scope = session.scope;
  open();
}

document.getElementById("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("token");
  if (!input.value.trim()) return;
  api.signIn(input.value);
  input.value = "";
  start();
});

document.getElementById("sign-out").addEventListener("click", () => {
  api.signOut();
  showSignIn();
});

window.addEventListener("hashchange", () => {
  if (session) open();
});

if (api.token()) start();
else showSignIn();
