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
})();
