/* A form that failed comes back with an error summary (portal/includes/error_summary.html):
   move the focus to it, and let its links move the focus to the field they name (a
   fragment link alone only scrolls). Without JavaScript the summary is still the first
   thing in the form. */
(function () {
  "use strict";

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    if (document.activeElement !== summary) { summary.focus(); }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target && typeof target.focus === "function") {
        event.preventDefault();
        target.focus();
        if (target.scrollIntoView) { target.scrollIntoView({ block: "center" }); }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
