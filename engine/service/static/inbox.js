// Progressive enhancement of the inbox (the page works without it): every 30 seconds the list
// is fetched again and swapped in place, so new, overdue and escalated cases appear without a
// reload. Served from this origin only (the CSP allows no inline script).
(function () {
  "use strict";
  var seconds = 30;
  function refresh() {
    var current = document.getElementById("inbox-list");
    if (!current || document.hidden) { return; }
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("inbox-list");
        var shown = document.getElementById("inbox-list");
        if (fresh && shown && fresh.innerHTML !== shown.innerHTML) {
          shown.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
