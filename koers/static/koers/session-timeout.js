// Warns before the server ends an idle session (WCAG 2.2.1) and lets the user extend it in one action.
(function () {
  "use strict";
  const dialog = document.getElementById("session-timeout");
  if (!dialog) return;
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector(".koers-countdown");
  const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  let expiresAt = Date.now() + idle;
  let warnTimer, tick;

  function formatRemaining(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return minutes + ":" + rest;
  }

  function expire() {
    window.location.assign(dialog.dataset.loginUrl);
  }

  function showWarning() {
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-action=extend]").focus();
    clearInterval(tick);
    function update() {
      const left = expiresAt - Date.now();
      if (countdown) countdown.textContent = formatRemaining(left);
      if (left <= 0) {
        clearInterval(tick);
        expire();
      }
    }
    update();
    tick = setInterval(update, 1000);
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearInterval(tick);
    expiresAt = Date.now() + idle;
    warnTimer = setTimeout(showWarning, Math.max(0, idle - warning));
  }

  function extend() {
    fetch(dialog.dataset.extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (!response.ok) {
        expire();
        return;
      }
      dialog.close();
      schedule();
    }, expire);
  }

  dialog.querySelector("[data-action=extend]").addEventListener("click", extend);
  dialog.addEventListener("cancel", function (event) {
    // Escape means "I am here": extend rather than silently leaving the warning unanswered.
    event.preventDefault();
    extend();
  });
  // Every htmx request also refreshes the server-side session.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
