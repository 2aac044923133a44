// Keep part of a page fresh: fetch its URL on a steady rhythm, one request at a time, and report
// after each try whether it worked. The nurses' dashboard and the demo's patient phone use it.
//
// poll({url, interval, apply, status, ticker, version}): url is a string or a function returning
// one; apply(html) takes each answer; status(ok) hears of every success and failure; ticker, when
// given, is the URL of ticker.js; version, when given, is the ETag of what the page already shows.
// Returns refresh(), to ask for an update at once.
export function poll(options) {
  var interval = options.interval;
  var pending = null;
  var lastWorkerTick = 0;
  // The server answers 304 when nothing changed since the last answer (and records nothing).
  var etag = options.version || null;

  function url() {
    return typeof options.url === "function" ? options.url() : options.url;
  }

  function refresh() {
    if (pending) {
      // A request that never answers would otherwise hold back every refresh after it.
      if (Date.now() - pending.started > 3 * interval) { pending.controller.abort(); }
      return;
    }
    var controller = new AbortController();
    pending = { controller: controller, started: Date.now() };
    // The header tells the server this is no sign of a person at the screen (followup/signin.py).
    var headers = { "X-Auto-Refresh": "1" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url(), {
      cache: "no-store",
      credentials: "same-origin",
      headers: headers,
      signal: controller.signal,
    })
      .then(function (response) {
        // Signed out: the answer came from the login page, which a reload shows properly.
        if (response.redirected) { window.location.reload(); return null; }
        if (response.status === 304) { return ""; }
        if (response.status === 401) {
          // The session ended: no reload, so what the user typed stays on the page.
          if (options.signedOut) { options.signedOut(); }
          throw new Error("signed out");
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        if (html) { options.apply(html); }
        options.status(true);
      })
      .catch(function () { options.status(false); })
      .finally(function () { pending = null; });
  }

  // Chrome throttles a hidden tab's own timers to once a minute; a worker's timers keep the
  // rhythm, and the page's timer steps in only while the worker is silent (blocked or failed).
  setInterval(function () {
    if (Date.now() - lastWorkerTick > 1.5 * interval) { refresh(); }
  }, interval);
  if (options.ticker) {
    try {
      var ticker = new Worker(options.ticker);
      ticker.onmessage = function () {
        lastWorkerTick = Date.now();
        refresh();
      };
      ticker.postMessage(interval);
    } catch (error) {
      // No workers in this browser or under its policy: the page's own timer carries on.
    }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { refresh(); }
  });
  return refresh;
}
