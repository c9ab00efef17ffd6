/* The search page's result-type tabs (templates/search/search_page.html). On a
   narrow screen they are one row that scrolls sideways inside itself
   (search.css); a current tab beyond the row's right edge ("Teams", "Locations")
   would be out of sight after the page loads, so the row is scrolled to show it,
   centred where it can be, with its neighbours. Without this script the row
   simply starts at "All". */
(function () {
  "use strict";

  var current = document.querySelector(".search-tabs a[aria-current='page']");
  var row = current && current.closest("ul");
  if (!row || row.scrollWidth <= row.clientWidth) { return; }
  var rowBox = row.getBoundingClientRect();
  var box = current.getBoundingClientRect();
  if (box.left >= rowBox.left && box.right <= rowBox.right) { return; }
  row.scrollLeft += box.left - rowBox.left - Math.max(0, (rowBox.width - box.width) / 2);
})();
