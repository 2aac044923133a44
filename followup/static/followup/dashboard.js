// Refresh the escalation list every few seconds; say loudly when that stops working.
(function () {
  "use strict";
  var rows = document.getElementById("rows");
  var status = document.getElementById("live-status");
  var notLive = document.getElementById("not-live");
  var lastOk = new Date();

  function busy() {
    // Never swap the list under a nurse who is typing an outcome or has a form open.
    var active = document.activeElement;
    return (active && active !== document.body && rows.contains(active)) ||
      rows.querySelector("details[open]") !== null;
  }

  function live(ok) {
    notLive.hidden = ok;
    document.body.classList.toggle("stale", !ok);
    status.textContent = (ok ? "Live · updated " : "Last updated ") + lastOk.toLocaleTimeString();
  }

  function refresh() {
    if (busy()) {
      status.textContent = "Paused while you work · updated " + lastOk.toLocaleTimeString();
      return;
    }
    fetch(rows.dataset.src, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) { window.location.reload(); return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        rows.innerHTML = html;
        lastOk = new Date();
        live(true);
      })
      .catch(function () { live(false); });
  }

  live(true);
  setInterval(refresh, 4000);
})();
