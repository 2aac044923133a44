// Warn before an idle sign-out, and let the person stay signed in without leaving the page.
// The server decides (followup/signin.py); this only counts down from the last page load.
(function () {
  "use strict";
  var banner = document.getElementById("session-warning");
  if (!banner) { return; }
  var idle = Number(banner.dataset.idleSeconds) * 1000;
  var warn = Number(banner.dataset.warnSeconds) * 1000;
  var text = banner.querySelector(".session-text");
  var form = banner.querySelector("form");
  var timers = [];

  function signedOut() {
    banner.hidden = false;
    text.textContent = "Signed out: sign in again. ";
    var link = document.createElement("a");
    link.href = banner.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
    link.textContent = "Sign in";
    text.append(link);
    form.hidden = true;
  }

  function start() {
    timers.forEach(clearTimeout);
    banner.hidden = true;
    timers = [
      setTimeout(function () { banner.hidden = false; }, Math.max(idle - warn, 0)),
      setTimeout(signedOut, idle),
    ];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 204) { start(); } else { signedOut(); }
      })
      .catch(function () { text.textContent = "Could not reach the server: try again."; });
  });
  start();
})();
