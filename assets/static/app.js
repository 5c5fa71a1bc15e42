// Switchyard's small behaviours. htmx does the rest.
(function () {
  "use strict";
  // Tell the server the browser's time zone (the tz cookie), so that staff
  // pages show times in it when the user has not chosen one.
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var had = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
    if (tz && /^[A-Za-z0-9_+\/-]{1,64}$/.test(tz) && (!had || had[1] !== tz)) {
      document.cookie = "tz=" + tz + "; Path=/; Max-Age=31536000; SameSite=Lax";
    }
  } catch (e) {
    // no Intl: times stay in UTC
  }
  // "/" focuses the search box, unless the user is typing somewhere.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.querySelector("[data-search]");
    if (box) {
      ev.preventDefault();
      box.focus();
    }
  });
  // Scan to verify packing: a keyboard-wedge scanner types a code then Enter
  // into the scan input. Enter counts the scan (htmx, on the "scan" event)
  // rather than submitting the ship form; a refused scan beeps.
  var audio = null;
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (ev.key !== "Enter" || !t || !t.matches || !t.matches("[data-scan-input]")) return;
    ev.preventDefault();
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!audio && Ctx) audio = new Ctx(); // created in a key press, so it may sound
      if (audio && audio.state === "suspended") audio.resume();
    } catch (e) {
      audio = null;
    }
    if (t.value.trim() !== "") t.dispatchEvent(new CustomEvent("scan"));
  });
  // beep is a short low tone: the scan was refused.
  function beep() {
    if (!audio) return;
    try {
      var osc = audio.createOscillator(), gain = audio.createGain(), now = audio.currentTime;
      osc.type = "square";
      osc.frequency.value = 220;
      gain.gain.setValueAtTime(0.2, now);
      gain.gain.exponentialRampToValueAtTime(0.001, now + 0.35);
      osc.connect(gain).connect(audio.destination);
      osc.start(now);
      osc.stop(now + 0.35);
      document.documentElement.dataset.scanBeeps = String(Number(document.documentElement.dataset.scanBeeps || 0) + 1);
    } catch (e) {
      // no sound: the alert still says it
    }
  }
  // A scan alert that appears (htmx swapped the panel) sounds.
  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          var n = added[j];
          if (n.nodeType === 1 && (n.matches("[data-scan-alert]") || n.querySelector("[data-scan-alert]"))) {
            beep();
            return;
          }
        }
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
