// The patient phone's thread, kept fresh by the shared poller. Only the thread is polled, never
// the form, so a half-typed reply survives every refresh.
import { poll } from "../followup/poll.js";

var INTERVAL = 3000;
var thread = document.getElementById("thread");
var status = document.getElementById("thread-status");
var last = null;

function nearBottom() { return thread.scrollHeight - thread.scrollTop - thread.clientHeight < 60; }
function toBottom() { thread.scrollTop = thread.scrollHeight; }

toBottom();
poll({
  url: thread.dataset.src,
  interval: INTERVAL,
  apply: function (html) {
    if (html === last) { return; }
    // Follow new texts, unless the reader has scrolled up to older ones.
    var stick = last === null || nearBottom();
    last = html;
    thread.innerHTML = html;
    if (stick) { toBottom(); }
  },
  status: function (ok) {
    status.textContent = ok
      ? "Updated " + new Date().toLocaleTimeString()
      : "Could not refresh the texts; retrying…";
  },
});
