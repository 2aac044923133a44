// Keep the dashboard live without ever pausing, and say loudly when that stops working. Cards are
// updated in place, keyed by id and version, so what a nurse opened or typed survives a refresh.
import { poll } from "./poll.js";

(function () {
  "use strict";
  // A new red flag shows within two seconds; an unchanged refresh is a 304 that costs the server
  // a few narrow queries and no rendering (followup/dashboard_version.py). Polling rather than
  // server-sent events: a stream would hold one of gunicorn's few sync workers per nurse.
  var INTERVAL = 2000;
  var rows = document.getElementById("rows");
  var status = document.getElementById("live-status");
  var notLive = document.getElementById("not-live");
  var baseTitle = document.title.replace(/^\(\d+\) /, "");
  var lastOk = new Date();
  var openEmergencies = emergencies(document);

  function live(ok) {
    notLive.hidden = ok;
    document.body.classList.toggle("stale", !ok);
    status.textContent = (ok ? "Live · updated " : "Last updated ") + lastOk.toLocaleTimeString();
  }

  function emergencies(root) {
    var ids = new Set();
    root.querySelectorAll('#escalation-list .sev-emergency[data-status="open"]').forEach(function (card) {
      ids.add(card.dataset.escalation);
    });
    return ids;
  }

  function typedIn(node) {
    return Array.prototype.some.call(node.querySelectorAll("input, textarea, select"), function (field) {
      if (field.tagName !== "SELECT") { return field.value !== field.defaultValue; }
      var initial = Array.prototype.findIndex.call(field.options, function (option) {
        return option.defaultSelected;
      });
      return field.selectedIndex !== Math.max(initial, 0);
    });
  }

  function working(node) {
    return node.contains(document.activeElement) || node.matches(":active") ||
      node.querySelector("details[open]") !== null || typedIn(node);
  }

  function tell(card, text, removable) {
    var notice = card.querySelector(".notice");
    if (notice && notice.dataset.text === text) { return; }
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "notice";
      notice.setAttribute("role", "status");
      card.querySelector("header").after(notice);
    }
    notice.dataset.text = text;
    notice.textContent = text;
    if (removable) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.addEventListener("click", function () { card.remove(); });
      notice.append(" ", remove);
    }
  }

  function changed(card, fresh) {
    if (fresh.dataset.status === "acknowledged" && card.dataset.status !== "acknowledged") {
      return "Acknowledged by " + (fresh.dataset.acknowledgedBy || "a colleague") +
        " while you were working on it.";
    }
    var last = fresh.querySelector(".history li:last-child .what");
    return "Changed while you were working on it (" + (last ? last.textContent : "updated") +
      "): the card refreshes when you are done with it.";
  }

  function resolved(card, doc) {
    var record = doc.querySelector('[data-resolved="' + card.dataset.escalation + '"]');
    var by = (record && record.dataset.resolvedBy) || "a colleague";
    var text = "Resolved by " + by + " while you were working on it" +
      (typedIn(card) ? ": your note was not sent." : ".");
    // Sending the form now would only bounce off "already resolved" and lose the note.
    card.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    card.classList.add("gone");
    tell(card, text, true);
  }

  function update(card, fresh) {
    if (!card) { return fresh; }
    if (card.dataset.version === fresh.dataset.version) { return card; }
    if (working(card)) {
      tell(card, changed(card, fresh), false);
      return card;
    }
    card.replaceWith(fresh);
    return fresh;
  }

  function place(list, node, before) {
    // moveBefore keeps focus (and a phone's keyboard) on a card that moves up or down.
    if (list.contains(node) && list.moveBefore) {
      list.moveBefore(node, before);
      return;
    }
    var active = document.activeElement;
    list.insertBefore(node, before);
    if (node.contains(active) && document.activeElement !== active) { active.focus({ preventScroll: true }); }
  }

  function updateEscalations(doc) {
    var list = document.getElementById("escalation-list");
    var fresh = doc.querySelectorAll("#escalation-list > article.escalation");
    var wanted = new Set();
    fresh.forEach(function (card) { wanted.add(card.dataset.escalation); });
    list.querySelectorAll("article.escalation:not(.gone)").forEach(function (card) {
      if (wanted.has(card.dataset.escalation)) { return; }
      if (working(card)) { resolved(card, doc); } else { card.remove(); }
    });
    var nodes = Array.prototype.map.call(fresh, function (incoming) {
      var id = incoming.dataset.escalation;
      return update(list.querySelector('article.escalation:not(.gone)[data-escalation="' + id + '"]'), incoming);
    });
    var before = list.firstElementChild;
    nodes.forEach(function (node) {
      while (before && before.classList.contains("gone")) { before = before.nextElementSibling; }
      if (node === before) { before = node.nextElementSibling; } else { place(list, node, before); }
    });
    document.getElementById("escalation-count").textContent = doc.getElementById("escalation-count").textContent;
    document.getElementById("no-escalations").hidden = doc.getElementById("no-escalations").hidden;
  }

  function apply(doc) {
    // Counted before the cards move out of the fetched document and into the page.
    var now = emergencies(doc);
    updateEscalations(doc);
    document.querySelectorAll("#rows [data-swap]").forEach(function (section) {
      var fresh = doc.getElementById(section.id);
      if (fresh && !section.contains(document.activeElement) && !section.matches(":active")) {
        section.replaceWith(fresh);
      }
    });
    document.title = (now.size ? "(" + now.size + ") " : "") + baseTitle;
    var arrived = Array.from(now).some(function (id) { return !openEmergencies.has(id); });
    openEmergencies = now;
    if (arrived) { document.dispatchEvent(new CustomEvent("followup:new-emergency")); }
  }

  function source() {
    var ids = [];
    document.querySelectorAll("#escalation-list article.escalation:not(.gone)").forEach(function (card) {
      if (working(card)) { ids.push(card.dataset.escalation); }
    });
    if (!ids.length) { return rows.dataset.src; }
    return rows.dataset.src + (rows.dataset.src.indexOf("?") < 0 ? "?" : "&") + "working=" + ids.join(",");
  }

  live(true);
  poll({
    url: source,
    interval: INTERVAL,
    version: rows.dataset.version,
    ticker: rows.dataset.ticker,
    apply: function (html) { apply(new DOMParser().parseFromString(html, "text/html")); },
    status: function (ok) {
      if (ok) { lastOk = new Date(); }
      live(ok);
    },
    signedOut: function () {
      // Said loudly, and without a reload: a note being typed in a card stays where it is.
      notLive.textContent = "NOT LIVE: you were signed out. ";
      var link = document.createElement("a");
      link.href = "/login/?next=/";
      link.target = "_blank";
      link.textContent = "Sign in again (new tab), then reload this page.";
      notLive.appendChild(link);
    },
  });
})();
