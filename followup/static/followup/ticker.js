// The dashboard's refresh rhythm, kept in a dedicated worker: Chrome throttles a hidden tab's own
// timers (to once a minute after five minutes hidden) but not a worker's.
"use strict";
var timer = null;

self.onmessage = function (event) {
  clearInterval(timer);
  timer = setInterval(function () { self.postMessage("tick"); }, event.data);
};
