// Refresh the escalation list every few seconds; say loudly when that stops working.
(function () {
  "use strict";
  var rows = document.getElementById("rows");
  var status = document.getElementById("live-status");
  var notLive = document.getElementById("not-live");
  var staleAfter = parseInt(rows.dataset.staleAfter, 10) || 15000;
  var lastOk = Date.now();

  function busy() {
    // Never swap the list under a nurse who is typing an outcome or has a form open.
    var active = document.activeElement;
    return (active && rows.contains(active) && active.tagName !== "BODY") ||
      rows.querySelector("details.resolve[open]") !== null;
  }

  function showHealth() {
    var stale = Date.now() - lastOk > staleAfter;
    notLive.hidden = !stale;
    document.body.classList.toggle("stale", stale);
  }

  function refresh() {
    if (busy()) {
      status.textContent = "Paused while you work · updated " + new Date(lastOk).toLocaleTimeString();
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
        lastOk = Date.now();
        status.textContent = "Live · updated " + new Date(lastOk).toLocaleTimeString();
        showHealth();
      })
      .catch(function () {
        status.textContent = "Update failed · last updated " + new Date(lastOk).toLocaleTimeString();
        showHealth();
      });
  }

  status.textContent = "Live · updated " + new Date(lastOk).toLocaleTimeString();
  setInterval(refresh, 4000);
  setInterval(showHealth, 1000);
})();
