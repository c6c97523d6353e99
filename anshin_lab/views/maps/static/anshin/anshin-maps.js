/* anshin-lab map code: offline basemap, incident clusters, published areas, choropleth.
 *
 * anshin_lab.views.maps (Python) inlines this file after Leaflet and calls the
 * functions below with data it embeds in <script type="application/json">
 * blocks. Area geometry arrives as integers: each ring is a flat list
 * [x0, y0, dx1, dy1, ...] in 1e-5 degrees (about 1 m), the first pair
 * absolute and the rest deltas, which keeps the file small. The internal
 * map's incidents arrive packed and compressed (unpackIncidents below, written
 * by anshin_lab/views/maps/packing.py) and are unpacked with the browser's
 * built-in DecompressionStream.
 *
 * When everything has been drawn, window.anshinMapReady becomes true and
 * window.anshinMapReadyMs holds performance.now() at that moment (tests and
 * the benchmark wait for it).
 */
(function () {
  "use strict";

  var A = (window.anshinMaps = {});
  var UNIT = 1e5;

  // -- readiness -----------------------------------------------------------

  var pending = 0;
  window.anshinMapReady = false;

  function hold() {
    pending += 1;
    window.anshinMapReady = false;
  }

  function release() {
    pending -= 1;
    if (pending > 0) return;
    // Later calls in the same script may still hold: look again after it ran, then after two frames.
    setTimeout(function () {
      if (pending > 0) return;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          if (pending > 0) return;
          window.anshinMapReadyMs = performance.now();
          window.anshinMapReady = true;
        });
      });
    }, 0);
  }
  A.hold = hold;
  A.release = release;

  // -- small helpers -------------------------------------------------------

  A.data = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  A.escape = esc;

  function number(n) {
    return Number(n).toLocaleString("ja-JP");
  }

  function decodeRing(ints) {
    var out = new Array(ints.length / 2);
    var x = 0, y = 0;
    for (var i = 0, j = 0; i < ints.length; i += 2, j += 1) {
      x += ints[i];
      y += ints[i + 1];
      out[j] = [y / UNIT, x / UNIT];
    }
    return out;
  }

  // An area: [polygon, ...], polygon: [ring, ...] -> Leaflet latlngs.
  function decodeArea(polygons) {
    return polygons.map(function (rings) { return rings.map(decodeRing); });
  }
  A.decodeArea = decodeArea;

  function decodePoint(p) {
    return [p[1] / UNIT, p[0] / UNIT];
  }

  function ensurePane(map, name, zIndex) {
    if (!map.getPane(name)) {
      map.createPane(name).style.zIndex = zIndex;
    }
    return name;
  }

  // -- basemap ---------------------------------------------------------------

  /* base: {cities: [area, ...], chome: [area, ...], chomeMinZoom, style: {...},
   *        tile: {url, attribution, label} | null, credits: [text, ...]}
   * Adds its layers to ``overlays`` (label -> layer) for the layer control. */
  A.addBasemap = function (map, base, overlays) {
    hold();
    A.map = map;  // the page's map, for tests and the browser console
    var s = base.style;
    ensurePane(map, "anshinLand", 150);
    ensurePane(map, "anshinLines", 350);
    var landRenderer = L.canvas({ pane: "anshinLand", padding: 0.3 });
    var lineRenderer = L.canvas({ pane: "anshinLines", padding: 0.3 });

    var land = L.layerGroup().addTo(map);
    var cityLines = L.layerGroup().addTo(map);
    base.cities.forEach(function (city) {
      var latlngs = decodeArea(city);
      L.polygon(latlngs, {
        renderer: landRenderer, pane: "anshinLand", stroke: false, fill: true,
        fillColor: s.land, fillOpacity: 1, interactive: false
      }).addTo(land);
      L.polygon(latlngs, {
        renderer: lineRenderer, pane: "anshinLines", color: s.cityLine, weight: s.cityWeight,
        opacity: 1, fill: false, interactive: false
      }).addTo(cityLines);
    });

    // The small areas: a grey blur below chomeMinZoom, so they are drawn only from there
    // on (while their entry in the layer list is ticked).
    var chome = L.layerGroup();
    var chomeLines = L.layerGroup();
    base.chome.forEach(function (area) {
      L.polygon(decodeArea(area), {
        renderer: lineRenderer, pane: "anshinLines", color: s.chomeLine, weight: s.chomeWeight,
        opacity: 1, fill: false, interactive: false
      }).addTo(chomeLines);
    });
    if (base.chome.length) {
      var showChome = function () {
        var visible = map.hasLayer(chome) && map.getZoom() >= base.chomeMinZoom;
        if (visible !== map.hasLayer(chomeLines)) {
          if (visible) chomeLines.addTo(map); else map.removeLayer(chomeLines);
        }
      };
      chome.on("add remove", function () { setTimeout(showChome, 0); });
      map.on("zoomend", showChome);
      chome.addTo(map);
      overlays[s.chomeLabel] = chome;
    }
    overlays[s.cityLabel] = cityLines;

    if (base.tile) {
      var tiles = L.tileLayer(base.tile.url, { attribution: base.tile.attribution, maxZoom: map.getMaxZoom() }).addTo(map);
      overlays[base.tile.label] = tiles;
    }
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    base.credits.forEach(function (text) { map.attributionControl.addAttribution(esc(text)); });
    release();
    return overlays;
  };

  // -- banner and notes ------------------------------------------------------

  /* The banner {title, subtitle, kind: "internal"|"public"}: a control in the top-right corner,
   * so Leaflet stacks it above the layer list instead of laying it over it (a box floating at
   * the top centre covered the list in a narrow notebook cell). */
  A.addBanner = function (map, banner, overlays) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "anshin-banner anshin-banner-" + banner.kind);
      box.innerHTML = '<div class="anshin-banner-title">' + esc(banner.title) + "</div>" +
        (banner.subtitle ? '<div class="anshin-banner-sub">' + esc(banner.subtitle) + "</div>" : "");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    return overlays;
  };

  // The layer list opens from its button (on click or hover), below the banner.
  function layersControl(map, data, overlays) {
    A.layersControl = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);
    var toggle = A.layersControl.getContainer().querySelector(".leaflet-control-layers-toggle");
    toggle.title = "表示する項目(レイヤ)";
    toggle.setAttribute("aria-label", toggle.title);
    return overlays;
  }

  function swatch(category) {
    return '<span class="anshin-swatch" style="background:' + category.color + '">' + esc(category.glyph) + "</span>";
  }

  // -- internal incident map -------------------------------------------------

  function clusterIcon(category) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 50;
      return L.divIcon({
        html: '<div style="background:' + category.color + '"><span>' + number(n) + "</span></div>",
        className: "anshin-cluster",
        iconSize: L.point(size, size)
      });
    };
  }

  function countIcon(category, n) {
    return clusterIcon(category)({ getChildCount: function () { return n; } });
  }

  // JST wall-clock minutes since 1970 -> 「2025年12月1日(月) 8:35」.
  var WEEKDAYS = "日月火水木金土";
  function when(minutes) {
    var d = new Date(minutes * 60000);
    var mm = d.getUTCMinutes();
    return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日(" +
      WEEKDAYS[d.getUTCDay()] + ") " + d.getUTCHours() + ":" + (mm < 10 ? "0" : "") + mm;
  }

  function dayStart(value) {  // "YYYY-MM-DD" -> minutes, or null
    var ms = Date.parse(value + "T00:00:00Z");
    return isNaN(ms) ? null : ms / 60000;
  }

  var LIST_LIMIT = 20;  // incidents listed in one popup of a cluster at the highest zoom

  // -- packed incidents ------------------------------------------------------

  /* The incidents travel packed (anshin_lab/views/maps/packing.py): three base64 blocks of
   * zlib data, unpacked with the browser's own DecompressionStream("deflate"); nothing is fetched. */
  function base64Bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function inflate(text) {
    var stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  // count unsigned 32-bit integers written as four byte planes (all low bytes first).
  function planes(bytes, count) {
    if (bytes.length !== 4 * count) throw new Error("packed block of " + bytes.length + " bytes, expected " + 4 * count);
    var out = new Uint32Array(count);
    for (var i = 0; i < count; i++) {
      out[i] = (bytes[i] | (bytes[count + i] << 8) | (bytes[2 * count + i] << 16) | (bytes[3 * count + i] << 24)) >>> 0;
    }
    return out;
  }

  /* d (the data block) -> Promise of {strings, points: {code: Float64Array [lat, lon, ...]},
   * attrs: {code: Int32Array [t, s1, ..., sk, t, ...]}}: per row, t is minutes after
   * d.timeOrigin (-1: unknown) and s_f an index into strings[f] (-1: empty). */
  function unpackIncidents(d) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("DecompressionStream がありません"));
    }
    return Promise.all([inflate(d.points), inflate(d.attrs), inflate(d.strings)]).then(function (blocks) {
      var n = 0, k = d.fields.length, stride = k + 1;
      d.categories.forEach(function (c) { n += c.count; });
      var coords = planes(blocks[0], 2 * n), columns = planes(blocks[1], stride * n);
      var strings = JSON.parse(new TextDecoder().decode(blocks[2]));
      var rows = new Int32Array(stride * n);
      var i, j, t = 0, z;
      for (i = 0; i < n; i++) {  // times: zigzag differences of (minutes + 1), 0 = unknown
        z = columns[i];
        t += (z >>> 1) ^ -(z & 1);
        rows[i * stride] = t - 1;
      }
      for (j = 0; j < k; j++) {  // texts: 0 empty, 1 the next unseen text, s + 2 text s
        var seen = -1, base = (j + 1) * n, s;
        for (i = 0; i < n; i++) {
          s = columns[base + i];
          if (s === 0) {
            rows[i * stride + j + 1] = -1;
          } else if (s === 1) {
            rows[i * stride + j + 1] = ++seen;
          } else {
            rows[i * stride + j + 1] = s - 2;
            if (s - 2 > seen) seen = s - 2;
          }
        }
      }
      var points = {}, attrs = {}, start = 0;
      var lat0 = d.pointOrigin[0], lon0 = d.pointOrigin[1], scale = 1e6;
      d.categories.forEach(function (c) {
        var p = new Float64Array(2 * c.count);
        for (i = 0; i < c.count; i++) {
          p[2 * i] = (coords[start + i] + lat0) / scale;
          p[2 * i + 1] = (coords[n + start + i] + lon0) / scale;
        }
        points[c.code] = p;
        attrs[c.code] = rows.subarray(start * stride, (start + c.count) * stride);
        start += c.count;
      });
      return { strings: strings, points: points, attrs: attrs };
    });
  }
  A.unpackIncidents = unpackIncidents;

  /* The incidents the page holds, as unpacked: [{category, lat, lon, minutes (JST wall clock since
   * 1970, null: unknown), fields: {label: text}}] in drawing order (tests compare them with the input). */
  A.incidentRecords = function () {
    var out = [];
    (A.incidentLayers || []).forEach(function (entry) {
      var d = entry.data, stride = d.fields.length + 1;
      for (var i = 0; i < entry.times.length; i++) {
        var fields = {};
        for (var f = 0; f < d.fields.length; f++) {
          var s = entry.attrs[i * stride + 1 + f];
          if (s >= 0) fields[d.fields[f]] = entry.strings[f][s];
        }
        var c = entry.features[i].geometry.coordinates;
        out.push({ category: entry.code, lat: c[1], lon: c[0], minutes: entry.times[i] < 0 ? null : entry.times[i],
                   fields: fields });
      }
    });
    return out;
  };

  /* d: {categories: [{code, name, color, glyph, count}], fields: [label, ...], timeOrigin: minutes,
   *     clusterRadius, pointOrigin, points, attrs, strings (packed, see unpackIncidents),
   *     firstDay, lastDay, total, unplaced}
   *
   * One layer per category, in the layer list at once; its points arrive when the packed
   * data is unpacked (a few tens of milliseconds). They are clustered by Supercluster (a
   * KD-tree per zoom level, built once: a fraction of a second for 50,000 points) and
   * only the clusters and points in view are drawn, again after every move. */
  A.addIncidents = function (map, d, overlays) {
    hold();
    var strings = [];
    var stride = d.fields.length + 1;
    var popup = L.popup({ maxWidth: 400, maxHeight: 420, autoPanPadding: [40, 40] });
    var clusterMaxZoom = map.getMaxZoom() - 1;  // at the highest zoom every point stands alone
    var layers = (A.incidentLayers = []);  // one per category (tests reach in here)

    d.categories.forEach(function (category) {
      var pin = L.divIcon({
        className: "anshin-pin", iconSize: [22, 22],
        html: '<span style="background:' + category.color + '">' + esc(category.glyph) + "</span>"
      });
      var entry = {
        code: category.code, category: category, data: d, features: [], times: new Int32Array(0),
        attrs: new Int32Array(0), strings: strings, layer: L.featureGroup(), index: null, shown: 0
      };
      entry.layer.on("add", function () { draw(entry); });
      entry.layer.on("click", function (e) { clicked(entry, e.propagatedFrom || e.layer); });
      entry.pin = pin;
      entry.layer.addTo(map);
      overlays[swatch(category) + " " + esc(category.name) + ' <span class="anshin-count">(' +
        number(category.count) + "件)</span>"] = entry.layer;
      layers.push(entry);
    });

    function receive(unpacked) {
      strings = unpacked.strings;
      layers.forEach(function (entry) {
        var pts = unpacked.points[entry.code], attrs = unpacked.attrs[entry.code];
        var n = pts.length / 2;
        var features = new Array(n), times = new Int32Array(n);
        for (var i = 0; i < n; i++) {
          features[i] = { type: "Feature", properties: { i: i }, geometry: { type: "Point", coordinates: [pts[2 * i + 1], pts[2 * i]] } };
          times[i] = attrs[i * stride] < 0 ? -1 : attrs[i * stride] + d.timeOrigin;
        }
        entry.features = features;
        entry.times = times;
        entry.attrs = attrs;
        entry.strings = strings;
      });
    }

    function load(entry, from, to) {
      var chosen = from === null && to === null ? entry.features : entry.features.filter(function (f) {
        var t = entry.times[f.properties.i];
        return t >= 0 && (from === null || t >= from) && (to === null || t < to);
      });
      entry.index = new Supercluster({
        radius: d.clusterRadius, maxZoom: clusterMaxZoom, minZoom: Math.floor(map.getMinZoom())
      }).load(chosen);
      entry.shown = chosen.length;
    }

    function draw(entry) {
      if (!entry.index || !map.hasLayer(entry.layer)) return;
      entry.layer.clearLayers();
      var b = map.getBounds().pad(0.25), zoom = Math.round(map.getZoom());
      var found = entry.index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom);
      var stacks = {};
      found.forEach(function (f) {
        var c = f.geometry.coordinates, latlng = [c[1], c[0]], m;
        if (f.properties.cluster) {
          m = L.marker(latlng, { icon: countIcon(entry.category, f.properties.point_count), keyboard: false });
          m._anshinCluster = f.properties.cluster_id;
          m._anshinCount = f.properties.point_count;
        } else {
          var key = c[0] + "," + c[1];  // incidents at the very same point share one marker
          if (stacks[key]) {
            stacks[key]._anshinRows.push(f.properties.i);
            stacks[key].setIcon(countIcon(entry.category, stacks[key]._anshinRows.length));
            return;
          }
          m = stacks[key] = L.marker(latlng, { icon: entry.pin, keyboard: false });
          m._anshinRows = [f.properties.i];
        }
        entry.layer.addLayer(m);
      });
    }

    function clicked(entry, marker) {
      if (marker._anshinCluster === undefined) {
        open(marker.getLatLng(), entry, marker._anshinRows, marker._anshinRows.length);
        return;
      }
      var zoom = entry.index.getClusterExpansionZoom(marker._anshinCluster);
      if (zoom <= map.getMaxZoom() && zoom > map.getZoom()) {
        map.setView(marker.getLatLng(), zoom);
      } else {
        var leaves = entry.index.getLeaves(marker._anshinCluster, LIST_LIMIT);
        open(marker.getLatLng(), entry, leaves.map(function (f) { return f.properties.i; }), marker._anshinCount);
      }
    }

    function open(latlng, entry, rows, total) {
      var html = '<div class="anshin-popup"><div class="anshin-popup-head">' + swatch(entry.category) + " " +
        esc(entry.category.name) + (total > 1 ? " " + number(total) + "件" : "") + "</div>";
      rows.slice(0, LIST_LIMIT).forEach(function (row, k) {
        html += (k ? "<hr>" : "") + incidentTable(entry, row);
      });
      if (total > LIST_LIMIT) html += '<div class="anshin-popup-text">ほか ' + number(total - LIST_LIMIT) + "件</div>";
      popup.setLatLng(latlng).setContent(html + "</div>").openOn(map);
    }

    function incidentTable(entry, row) {
      var base = row * stride, attrs = entry.attrs;
      var html = "<table>";
      if (attrs[base] >= 0) {
        html += "<tr><th>発生日時</th><td>" + esc(when(attrs[base] + d.timeOrigin)) + "</td></tr>";
      }
      for (var f = 0; f < d.fields.length; f++) {
        var s = attrs[base + 1 + f];
        if (s >= 0) html += "<tr><th>" + esc(d.fields[f]) + "</th><td>" + esc(strings[f][s]) + "</td></tr>";
      }
      return html + "</table>";
    }

    function fill(from, to) {
      var shown = 0;
      layers.forEach(function (entry) {
        load(entry, from, to);
        draw(entry);
        shown += entry.shown;
      });
      return shown;
    }

    map.on("moveend", function () { layers.forEach(draw); });

    var filter = L.control({ position: "topleft" }), filterReady, filterFailed;
    filter.onAdd = function () {
      var box = L.DomUtil.create("div", "anshin-filter leaflet-bar");
      box.innerHTML = '<div class="anshin-filter-title">発生日で絞り込み</div>' +
        '<label>から <input type="date" name="from"></label>' +
        '<label>まで <input type="date" name="to"></label>' +
        '<button type="button">全期間</button>' +
        '<div class="anshin-filter-count"></div>' +
        (d.unplaced ? '<div class="anshin-filter-note">座標のない事案 ' + number(d.unplaced) +
          "件は地図に表示していません</div>" : "");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var from = box.querySelector('input[name="from"]'), to = box.querySelector('input[name="to"]');
      var count = box.querySelector(".anshin-filter-count");
      [from, to].forEach(function (input) {
        input.min = d.firstDay || "";
        input.max = d.lastDay || "";
      });
      var show = function (n) {
        count.textContent = "表示中 " + number(n) + "件 / 全 " + number(d.total) + "件";
        box.setAttribute("data-shown", String(n));
      };
      var reset = function () {
        from.value = d.firstDay || "";
        to.value = d.lastDay || "";
        show(fill(null, null));
      };
      var apply = function () {
        var start = dayStart(from.value), end = dayStart(to.value);
        show(fill(start, end === null ? null : end + 1440));
      };
      var controls = [from, to, box.querySelector("button")];
      controls.forEach(function (input) { input.disabled = true; });
      count.textContent = "事案データを展開しています…";
      from.addEventListener("change", apply);
      to.addEventListener("change", apply);
      controls[2].addEventListener("click", reset);
      filterReady = function () {
        controls.forEach(function (input) { input.disabled = false; });
        reset();
      };
      filterFailed = function (error) {
        count.textContent = "事案データを展開できませんでした(" + error.message + ")。新しいブラウザで開いてください";
      };
      return box;
    };
    filter.addTo(map);

    // Marks for the benchmark (performance.getEntriesByType("mark")): how long unpacking and clustering take.
    performance.mark("anshin-unpack-start");
    unpackIncidents(d).then(function (unpacked) {
      performance.mark("anshin-unpacked");
      receive(unpacked);
      filterReady();
      performance.mark("anshin-clustered");
    }).catch(function (error) {
      console.error("anshin-maps: the incidents could not be unpacked or drawn: " + error.message);
      filterFailed(error);
    }).then(release);
    return overlays;
  };

  // -- public map --------------------------------------------------------------

  /* d: {categories: [{code, name, color, glyph}],
   *     areas: [{c: category code, g: area, p: [x, y], level, alerts: [[date, place, title, body], ...]}]} */
  A.addPublicAreas = function (map, d, overlays) {
    hold();
    var byCode = {};
    var all = (A.publicMarkers = []);  // every area's marker, clustered or not (tests count them)
    d.categories.forEach(function (category) {
      // Areas and their points cluster per category; the cluster shows how many alerts it holds.
      var points = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 50, spiderfyOnMaxZoom: true,
        iconCreateFunction: function (cluster) {
          var n = 0;
          cluster.getAllChildMarkers().forEach(function (m) { n += m.options.alertCount; });
          return countIcon(category, n);
        }
      });
      var polygons = L.featureGroup();
      byCode[category.code] = {
        category: category, polygons: polygons, points: points, markers: [], n: 0,
        layer: L.layerGroup([polygons, points]).addTo(map)
      };
    });
    d.areas.forEach(function (area) {
      var entry = byCode[area.c];
      var category = entry.category;
      var html = publicPopup(category, area);
      L.polygon(decodeArea(area.g), {
        color: category.color, weight: 1.5, opacity: 0.9, fillColor: category.color, fillOpacity: 0.2
      }).bindPopup(html, { maxWidth: 360 }).addTo(entry.polygons);
      entry.markers.push(L.marker(decodePoint(area.p), {
        keyboard: false, alertCount: area.alerts.length,
        icon: L.divIcon({
          className: "anshin-area-point", iconSize: [28, 28],
          html: '<span style="background:' + category.color + '">' + number(area.alerts.length) + "</span>"
        })
      }).bindPopup(html, { maxWidth: 360 }));
      entry.n += area.alerts.length;
      all.push(entry.markers[entry.markers.length - 1]);
    });
    d.categories.forEach(function (category) {
      var entry = byCode[category.code];
      entry.points.addLayers(entry.markers, true);
      overlays[swatch(category) + " " + esc(category.name) + ' <span class="anshin-count">(' +
        number(entry.n) + "件)</span>"] = entry.layer;
    });
    if (!d.areas.length) {
      var none = L.control({ position: "topleft" });
      none.onAdd = function () {
        var box = L.DomUtil.create("div", "anshin-filter leaflet-bar");
        box.textContent = "表示する発信情報はありません";
        return box;
      };
      none.addTo(map);
    }
    release();
    return overlays;
  };

  /* Each alert as it was mailed: its send date, subject and place (the public text). */
  function publicPopup(category, area) {
    var html = '<div class="anshin-popup"><div class="anshin-popup-head">' + swatch(category) + " " +
      esc(category.name) + (area.alerts.length > 1 ? " " + number(area.alerts.length) + "件" : "") + "</div><ul>";
    area.alerts.forEach(function (alert) {
      html += "<li>";
      if (alert[0]) html += '<div class="anshin-popup-date">発信日: ' + esc(alert[0]) + "</div>";
      if (alert[2]) html += '<div class="anshin-popup-title">' + esc(alert[2]) + "</div>";
      html += '<div class="anshin-popup-place">場所: ' + esc(alert[1]) + "</div>";
      if (alert[3]) html += '<div class="anshin-popup-text">' + esc(alert[3]) + "</div>";
      html += "</li>";
    });
    return html + '</ul><div class="anshin-popup-note">地図上の範囲: ' + esc(area.level) +
      "(正確な地点ではありません)</div></div>";
  }

  // -- choropleth --------------------------------------------------------------

  /* d: {title, unit, valueLabel, classes: [[label, color], ...], nodata: [label, color],
   *     areas: [[name, area, count, households, value|null, class], ...]} */
  A.addChoropleth = function (map, d, overlays) {
    hold();
    var group = L.featureGroup().addTo(map);
    d.areas.forEach(function (a) {
      var colour = a[5] >= 0 ? d.classes[a[5]][1] : d.nodata[1];
      var value = a[4] === null ? "—" : Number(a[4]).toLocaleString("ja-JP", { maximumFractionDigits: 2 });
      L.polygon(decodeArea(a[1]), {
        color: d.line, weight: 0.6, opacity: 0.8, fillColor: colour, fillOpacity: 0.78
      }).bindTooltip('<div class="anshin-popup"><b>' + esc(a[0]) + "</b><br>件数 " + number(a[2]) +
        "件 / 世帯数 " + number(a[3]) + (d.rate ? "<br>" + esc(d.valueLabel) + " " + value : "") + "</div>",
        { sticky: true }).addTo(group);
    });
    overlays[esc(d.title)] = group;
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "anshin-legend leaflet-bar");
      var html = '<div class="anshin-legend-title">' + esc(d.valueLabel) + "</div>";
      d.classes.concat([d.nodata]).forEach(function (c) {
        html += '<div><i style="background:' + c[1] + '"></i>' + esc(c[0]) + "</div>";
      });
      box.innerHTML = html;
      return box;
    };
    legend.addTo(map);
    release();
    return overlays;
  };

  A.addLayersControl = layersControl;
})();
