// The playground page: polls the JSON state once a second and swaps in the panes that
// changed; every click, command and form goes to the server, which signs it for the app.
(() => {
  "use strict";

  const viewer = document.body.dataset.viewer;
  const panes = {
    channel: document.getElementById("channel"),
    dms: document.getElementById("dms"),
  };
  const modal = document.getElementById("modal");
  const confirmDialog = document.getElementById("confirm");
  const statusLine = document.getElementById("status");
  const clockTime = document.getElementById("clock-time");
  const clockAhead = document.getElementById("clock-ahead");
  const main = document.getElementById("main");
  const tabs = Array.from(document.querySelectorAll("[role=tab][data-tab]"));
  const composer = document.getElementById("composer");
  const composerInput = document.getElementById("composer-input");
  const clockForm = document.getElementById("clock-form");
  const shown = JSON.parse(document.getElementById("initial-panes").textContent);
  const POLL_MS = 1000;

  function say(text, ok) {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("pg-status-error", ok === false);
  }

  // -- drawing ----------------------------------------------------------------------------

  function focusKey(box) {
    const active = document.activeElement;
    if (!active || !box.contains(active) || !active.dataset.path) return null;
    const message = active.closest("[data-ts]");
    return message ? { ts: message.dataset.ts, path: active.dataset.path } : null;
  }

  function swapPane(name, html) {
    if (shown[name] === html) return;
    shown[name] = html;
    const box = panes[name];
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
    const key = focusKey(box);
    box.innerHTML = html;
    if (atBottom) box.scrollTop = box.scrollHeight;
    if (key) {
      const again = box.querySelector(
        `[data-ts="${CSS.escape(key.ts)}"] [data-path="${CSS.escape(key.path)}"]`);
      if (again) again.focus();
    }
  }

  function firstField() {
    return modal.querySelector("[aria-invalid=true]")
      || modal.querySelector("input:not([type=checkbox]), textarea")
      || modal.querySelector("input, button[type=submit], button");
  }

  function swapModal(html) {
    if (shown.modal === html) return;
    shown.modal = html;
    if (!html) {
      if (modal.open) modal.close();
      modal.replaceChildren();
      return;
    }
    modal.innerHTML = html;
    if (!modal.open) modal.showModal();
    const field = firstField();
    if (field) field.focus();
  }

  // "2" to see, "2 DMs" to hear (the rest is visually hidden); nothing for none.
  function drawBadge(badge, count) {
    badge.replaceChildren();
    if (!count) return;
    const words = document.createElement("span");
    words.className = "pg-visually-hidden";
    words.textContent = ` DM${count === 1 ? "" : "s"}`;
    badge.append(String(count), words);
  }

  function apply(state) {
    swapPane("channel", state.channel);
    swapPane("dms", state.dms);
    swapModal(state.modal);
    for (const [person, count] of Object.entries(state.dm_counts)) {
      const badge = document.querySelector(`[data-dm-count="${CSS.escape(person)}"]`);
      if (badge) drawBadge(badge, count);
    }
    drawBadge(document.querySelector("[data-dm-tab-count]"), state.dm_counts[viewer]);
    clockTime.textContent = state.clock;
    clockAhead.textContent = state.advanced_minutes ? `+${state.advanced_minutes} min ahead` : "";
  }

  // -- the channel / DMs tabs (a narrow screen shows one pane at a time) ----------------------

  function showTab(name, focus) {
    main.dataset.tab = name;
    for (const tab of tabs) {
      const selected = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    }
    // Kept in the address, and by the "You are" links, so switching person keeps the tab.
    const hash = name === "dms" ? "#dms" : "";
    const { pathname, search } = window.location;
    window.history.replaceState(null, "", `${pathname}${search}${hash}`);
    for (const link of document.querySelectorAll("a[data-person]")) link.hash = hash;
    const box = panes[name];
    box.scrollTop = box.scrollHeight;
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab, false));
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      event.preventDefault();
      const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
      showTab(next.dataset.tab, true);
    });
  }

  // -- talking to the server ----------------------------------------------------------------

  async function send(kind, body, busy) {
    if (busy) {
      if (busy.getAttribute("aria-busy") === "true") return null;
      busy.setAttribute("aria-busy", "true");
    }
    try {
      const response = await fetch(`/playground/api/${kind}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...body, as: viewer }),
      });
      const answer = await response.json();
      say(answer.notice || answer.error, answer.ok);
      if (answer.panes) apply(answer.panes);
      return answer;
    } catch (error) {
      say("Can't reach the local run: is it still running?", false);
      return null;
    } finally {
      if (busy) busy.removeAttribute("aria-busy");
    }
  }

  async function poll() {
    try {
      const response = await fetch(
        `/playground/api/state?as=${encodeURIComponent(viewer)}`, { cache: "no-store" });
      if (response.ok) apply((await response.json()).panes);
    } catch (error) {
      say("Can't reach the local run: is it still running?", false);
    }
    window.setTimeout(poll, POLL_MS);
  }

  // -- forms and buttons --------------------------------------------------------------------

  function formValues(form) {
    const values = {};
    for (const element of form.elements) {
      if (element.name && !(element.name in values)) values[element.name] = [];
    }
    for (const [name, value] of new FormData(form)) values[name].push(value);
    return values;
  }

  function askFirst(template, then, opener) {
    confirmDialog.replaceChildren(template.content.cloneNode(true));
    confirmDialog.onclick = (event) => {
      const choice = event.target.closest("[data-confirm]");
      if (!choice) return;
      confirmDialog.close();
      if (choice.dataset.confirm === "yes") then();
      else if (opener.isConnected) opener.focus();
    };
    confirmDialog.showModal();
    confirmDialog.querySelector("[data-confirm=no]").focus();
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-path]");
    if (!button) return;
    const form = modal.contains(button) ? modal.querySelector("form") : null;
    const message = button.closest("[data-ts]");
    const body = form
      ? { path: button.dataset.path, view_id: form.dataset.view, values: formValues(form) }
      : { path: button.dataset.path, channel: message.dataset.channel, ts: message.dataset.ts };
    const go = () => send("click", body, button);
    const template = button.nextElementSibling;
    if (template && template.matches("template.pg-confirm")) askFirst(template, go, button);
    else go();
  });

  modal.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const submit = form.querySelector("button[type=submit]");
    send("submit", { view_id: form.dataset.view, values: formValues(form) }, submit);
  });

  function closeModal() {
    const form = modal.querySelector("form");
    if (form) send("close", { view_id: form.dataset.view }, null);
  }

  modal.addEventListener("click", (event) => {
    if (event.target.closest("[data-modal=close]")) closeModal();
  });
  // Escape closes the dialog in the browser; the server must hear of it too, or the view
  // would come back once the next one is gone. A close the server asked for finds
  // shown.modal already empty.
  modal.addEventListener("close", () => {
    if (!shown.modal) return;
    closeModal();
    shown.modal = null; // if the server still shows it, the next poll opens it again
  });

  composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = composerInput.value.trim();
    if (!text) return;
    const answer = await send("command", { text }, composer.querySelector("button"));
    if (answer) {
      composerInput.value = "/coffee ";
      if (!modal.open) composerInput.focus();
    }
  });

  clockForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const minutes = Number.parseInt(clockForm.elements.minutes.value, 10);
    send("clock", { minutes }, clockForm.querySelector("button"));
  });

  if (shown.modal && !modal.open) {
    modal.showModal();
    const field = firstField();
    if (field) field.focus();
  }
  for (const box of Object.values(panes)) box.scrollTop = box.scrollHeight;
  if (window.location.hash === "#dms") showTab("dms", false);
  window.setTimeout(poll, POLL_MS);
})();
