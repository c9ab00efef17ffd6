/* Draws the locations listed on the page on a Leaflet map.
   The list in the page is the source (and the no-JavaScript fallback). No tiles
   are loaded: there is no tile server we may use, so the map shows the places
   relative to each other, with a scale. */
(function () {
  "use strict";

  // Leaflet guesses its marker images' folder from its stylesheet, which fails
  // once production's static storage has renamed the files (marker-icon.<hash>.png):
  // the page gives the real addresses instead.
  var assets = document.currentScript ? document.currentScript.dataset : {};
  if (window.L && assets.markerIcon) {
    window.L.Icon.Default.imagePath = "";
    window.L.Icon.Default.mergeOptions({
      iconUrl: assets.markerIcon, iconRetinaUrl: assets.markerIcon2x, shadowUrl: assets.markerShadow
    });
  }

  function readPoints(list) {
    if (!list) { return []; }
    return Array.prototype.map.call(list.querySelectorAll("[data-lat][data-lon]"), function (item) {
      return { lat: parseFloat(item.dataset.lat), lon: parseFloat(item.dataset.lon), name: item.dataset.name || "" };
    }).filter(function (point) { return isFinite(point.lat) && isFinite(point.lon); });
  }

  function popup(text) {
    var element = document.createElement("span");
    element.textContent = text;  // never HTML from the page data
    return element;
  }

  function draw(canvas) {
    var points = readPoints(document.getElementById(canvas.dataset.points));
    var context = readPoints(document.getElementById(canvas.dataset.context));
    if (!points.length) { return; }
    canvas.hidden = false;
    var note = canvas.parentNode.querySelector("[data-directory-map-note]");
    if (note) { note.hidden = false; }

    var map = window.L.map(canvas, { attributionControl: false, scrollWheelZoom: false, zoomControl: false });
    // Leaflet's zoom buttons say "Zoom in"/"Zoom out" in every language: the page gives
    // the words in its own language (directory/includes/scripts.html).
    window.L.control.zoom({
      zoomInTitle: assets.zoomIn || "+", zoomOutTitle: assets.zoomOut || "\u2212"
    }).addTo(map);
    var bounds = [];
    context.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lon], { radius: 5, color: "#5f6b77", weight: 2, fillOpacity: 0.6 })
        .bindTooltip(popup(point.name));
      // The other places nearby are links in the list beside the map (#map-context):
      // on the map they are pictures named by the place, not extra tab stops. (The
      // circle's element exists once the map has a view, hence on "add".)
      marker.on("add", function () {
        var element = marker.getElement();
        if (!element) { return; }
        element.removeAttribute("tabindex");
        element.setAttribute("role", "img");
        element.setAttribute("aria-label", point.name);
      });
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    points.forEach(function (point) {
      window.L.marker([point.lat, point.lon], { title: point.name, alt: point.name, keyboard: true })
        .bindPopup(popup(point.name))
        .addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else {
      map.fitBounds(bounds, { padding: [32, 32], maxZoom: 15 });
    }
    window.L.control.scale({ imperial: false }).addTo(map);
  }

  function start() {
    if (typeof window.L === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-directory-map]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
