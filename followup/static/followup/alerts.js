// Opt-in sound and browser notification when an emergency joins the dashboard. Each browser
// keeps its own choice: a ward's shared screen and a nurse's phone want different things.
(function () {
  "use strict";
  var KEY = "followup.alerts";
  var box = document.getElementById("alerts");
  var note = document.getElementById("alerts-note");
  var audio = null;
  var notifications = "Notification" in window;

  function activated() {
    return !navigator.userActivation || navigator.userActivation.hasBeenActive;
  }

  function explain() {
    var problems = [];
    if (box.checked && (!notifications || Notification.permission === "denied")) {
      problems.push("this browser will not show notifications, only the sound");
    }
    if (box.checked && !activated()) {
      problems.push("the sound can play once you have clicked anywhere on this page");
    }
    note.textContent = problems.join("; ");
  }

  function beep() {
    // Browsers refuse sound before the first click on a page; the tones would play late instead.
    if (!window.AudioContext || !activated()) { return; }
    audio = audio || new AudioContext();
    audio.resume();
    [0, 0.35].forEach(function (start) {
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.value = 0.25;
      tone.connect(volume).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.25);
    });
  }

  function notify() {
    if (!notifications || Notification.permission !== "granted") { return; }
    try {
      // Lock screens show this text: no name, number or finding, only where to look.
      var shown = new Notification("New emergency", {
        body: "New emergency on the Spine Follow-up dashboard",
        tag: "followup-new-emergency",
        renotify: true,
      });
      shown.onclick = function () { window.focus(); shown.close(); };
    } catch (error) {
      // Android's Chrome shows notifications only from a service worker.
      notifications = false;
      explain();
    }
  }

  box.checked = localStorage.getItem(KEY) === "on";
  box.closest(".alerts").hidden = false;
  box.addEventListener("change", function () {
    localStorage.setItem(KEY, box.checked ? "on" : "off");
    if (box.checked && notifications && Notification.permission === "default") {
      Notification.requestPermission().then(explain);
    }
    explain();
  });
  ["click", "keydown"].forEach(function (kind) {
    document.addEventListener(kind, function () { setTimeout(explain); }, { once: true });
  });
  document.addEventListener("followup:new-emergency", function () {
    if (!box.checked) { return; }
    notify();
    beep();
  });
  explain();
})();
