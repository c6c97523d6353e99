/* The public site's only script: the list's filters and the small map of an alert's published area.
   Without it every alert is listed and every page reads in full. */
(function () {
  "use strict";

  function filterList() {
    var form = document.getElementById("filters");
    var list = document.getElementById("alert-list");
    if (!form || !list) return;
    var category = document.getElementById("filter-category");
    var city = document.getElementById("filter-city");
    var shown = document.getElementById("shown");
    var items = list.querySelectorAll("li.alert");
    function apply() {
      var n = 0;
      items.forEach(function (item) {
        var keep = (!category.value || item.dataset.category === category.value) &&
                   (!city.value || item.dataset.city === city.value);
        item.hidden = !keep;
        if (keep) n += 1;
      });
      shown.textContent = n ? shown.dataset.template.replace("{shown}", n).replace("{total}", items.length)
                            : shown.dataset.none;
    }
    category.addEventListener("change", apply);
    city.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.hidden = false;
    apply();
  }

  function areaMap() {
    var box = document.getElementById("area-map");
    var data = document.getElementById("area-data");
    if (!box || !data || typeof L === "undefined") return;
    var area = JSON.parse(data.textContent);
    var map = L.map(box, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.label + " +", zoomOutTitle: box.dataset.label + " -" }).addTo(map);
    var layer = L.geoJSON(area, { style: { color: "#123b63", weight: 2, fillColor: "#1f5f99", fillOpacity: 0.3 },
                                  interactive: false }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [16, 16], maxZoom: 15 });
    box.setAttribute("aria-label", box.dataset.label);
    box.setAttribute("role", "region");
    window.anshinSiteMapReady = true;
  }

  filterList();
  areaMap();
  window.anshinSiteReady = true;
})();
