/* Wegweiser maps: Leaflet from the site itself, tiles only after the visitor asks.

   Every map is a <div data-ww-map> written by the page templates; this script finds them
   on every page, also after Material's instant navigation (document$). Entry text only
   ever reaches the map as text (textContent, DOM nodes), never as HTML: Leaflet's popups
   and tooltips would insert a string as HTML. */
(function () {
  "use strict";
  var CONSENT_KEY = "wegweiser-map-consent";
  var loading = {};

  function loadOnce(url, kind) {
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var el;
        if (kind === "css") {
          el = document.createElement("link");
          el.rel = "stylesheet";
          el.href = url;
        } else {
          el = document.createElement("script");
          el.async = false;  // download in parallel, run in the order asked
          el.src = url;
        }
        el.onload = resolve;
        el.onerror = function () { delete loading[url]; reject(new Error(url)); };
        document.head.appendChild(el);
      });
    }
    return loading[url];
  }

  function loadLeaflet(vendor) {
    loadOnce(vendor + "leaflet/leaflet.css", "css");
    loadOnce(vendor + "leaflet.markercluster/MarkerCluster.css", "css");
    loadOnce(vendor + "leaflet.markercluster/MarkerCluster.Default.css", "css");
    return Promise.all([
      loadOnce(vendor + "leaflet/leaflet.js", "js"),
      loadOnce(vendor + "leaflet.markercluster/leaflet.markercluster.js", "js")
    ]);
  }

  function consented() {
    try { return window.sessionStorage.getItem(CONSENT_KEY) === "yes"; } catch (e) { return false; }
  }

  function rememberConsent() {
    try { window.sessionStorage.setItem(CONSENT_KEY, "yes"); } catch (e) { /* private mode */ }
  }

  function textNode(tag, text, className) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  // A place's name as the map data gives it: in the page's language where the entry has it
  // ("lang" set), else German, marked so (left to right on an Arabic or Farsi page).
  function nameNode(tag, props, className) {
    var el = textNode(tag, String(props.name || ""), className);
    if (!props.lang && (document.documentElement.lang || "de") !== "de") {
      el.lang = "de";
      el.dir = "ltr";
    }
    return el;
  }

  function pinIcon(colour, approximate) {
    // The icon's HTML is a fixed string; nothing from an entry goes into it.
    return window.L.divIcon({
      className: "ww-pin-icon",
      html: '<span class="ww-pin ww-pin--' + colour + (approximate ? " ww-pin--approximate" : "") + '"></span>',
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -9]
    });
  }

  function baseMap(box) {
    var L = window.L;
    var map = L.map(box, { scrollWheelZoom: false, maxZoom: Number(box.dataset.maxZoom) || 19 });
    L.tileLayer(box.dataset.tiles, {
      maxZoom: Number(box.dataset.maxZoom) || 19,
      attribution: box.dataset.attribution  // built from escaped parts by the site (maps.py)
    }).addTo(map);
    return map;
  }

  function entryMap(box) {
    var L = window.L;
    var map = baseMap(box);
    var at = [Number(box.dataset.lat), Number(box.dataset.lon)];
    var approximate = box.dataset.approximate === "yes";
    map.setView(at, approximate ? 12 : 16);
    var marker = L.marker(at, { icon: pinIcon(0, approximate), keyboard: true, title: box.dataset.name });
    // data-name-lang="de": the entry has no name in the page's language
    var german = Boolean(box.dataset.nameLang);
    marker.bindTooltip(nameNode("span", { name: box.dataset.name, lang: !german }));
    marker.addTo(map);
    box.setAttribute("data-markers", "1");
    return Promise.resolve(map);
  }

  function popupFor(props, base, box) {
    var wrap = document.createElement("div");
    var link = nameNode("a", props, "ww-popup__name");
    link.href = base + props.url;
    wrap.appendChild(link);
    // The category's name as the legend says it, in the page's language (German marked).
    var label = (box.wwLabels || {})[props.category];
    if (label) {
      var category = textNode("p", label.textContent, "ww-popup__category");
      if (label.lang) category.lang = label.lang;
      wrap.appendChild(category);
    }
    var where = [props.street, [props.postcode, props.municipality].filter(Boolean).join(" ")];
    wrap.appendChild(textNode("p", where.filter(Boolean).join(", "), "ww-popup__address"));
    if (props.status === "temporarily_closed") {
      var until = props.status_until ? props.status_until.split("-") : null;
      var date = until ? until[2] + "." + until[1] + "." : "";
      if (getComputedStyle(box).direction === "rtl") date = "\u2066" + date + "\u2069";
      var text = until ? box.dataset.closedUntil.replace("{date}", date) : box.dataset.closed;
      wrap.appendChild(textNode("p", text, "ww-popup__closed"));
    }
    return wrap;
  }

  function overviewMap(box, data) {
    var L = window.L;
    var map = baseMap(box);
    var base = box.dataset.base || "";
    var colours = {};
    document.querySelectorAll("[data-ww-filter] input[type=checkbox]").forEach(function (input, i) {
      var pin = input.parentNode.querySelector(".ww-pin");
      var match = pin && /ww-pin--(\d+)/.exec(pin.className);
      colours[input.value] = match ? match[1] : String(i % 10);
    });
    box.wwLabels = {};
    document.querySelectorAll("[data-label-of]").forEach(function (node) {
      box.wwLabels[node.getAttribute("data-label-of")] = node;
    });
    var icons = {};
    function icon(category, approximate) {  // one icon object per colour, shared by markers
      var key = category + (approximate ? "~" : "");
      if (!icons[key]) icons[key] = pinIcon(colours[category] || 0, approximate);
      return icons[key];
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    var markers = [];
    (data.features || []).forEach(function (f) {
      var c = f.geometry && f.geometry.coordinates;
      if (!c || c.length < 2) return;
      var p = f.properties || {};
      var m = L.marker([c[1], c[0]], {
        icon: icon(p.category, p.precision === "municipality"),
        title: String(p.name || ""),
        keyboard: true
      });
      // Contents are made when opened (functions), as text nodes: cheap and never HTML.
      m.bindTooltip(function () { return nameNode("span", p); });
      m.bindPopup(function () { return popupFor(p, base, box); });
      m.wwCategory = p.category;
      markers.push(m);
    });
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (markers.length) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 14 });
    else map.setView([51.2, 10.4], 6);
    box.wwFilter = function (shown) {
      var kept = markers.filter(function (m) { return shown[m.wwCategory] !== false; });
      cluster.clearLayers();
      cluster.addLayers(kept);
      box.setAttribute("data-shown", String(kept.length));
    };
    box.setAttribute("data-markers", String(markers.length));
    return map;
  }

  function show(box) {
    if (box.getAttribute("data-state")) return;
    box.setAttribute("data-state", "loading");
    var panel = box.querySelector(".ww-map__consent");
    // The map data downloads while Leaflet loads.
    var data = box.dataset.geojson
      ? fetch(box.dataset.geojson, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
      : null;
    Promise.all([loadLeaflet(box.dataset.vendor), data])
      .then(function (loaded) {
        if (panel) panel.remove();
        return loaded[1] ? overviewMap(box, loaded[1]) : entryMap(box);
      })
      .then(function () {
        box.setAttribute("data-state", "ready");
        applyFilter();
      })
      .catch(function () {
        box.setAttribute("data-state", "failed");
        box.textContent = "";
        box.appendChild(textNode("p", box.dataset.failedText || "", "ww-map__text"));
      });
  }

  function offer(box) {
    var text = box.querySelector(".ww-map__text");
    var button = box.querySelector(".ww-map__show");
    if (box.dataset.consent !== "yes" || consented()) return show(box);
    if (text) text.textContent = box.dataset.consentText || "";
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      rememberConsent();
      document.querySelectorAll("[data-ww-map]").forEach(show);
    });
  }

  // The list beside the overview map names municipalities, not places: each item says how
  // many places of each category it has (data-counts="category:number …"); the filter
  // shows the number of places of the chosen categories and hides municipalities with none.
  function recount(list, shown) {
    var one = list.getAttribute("data-one") || "", many = list.getAttribute("data-many") || "";
    list.querySelectorAll("li[data-counts]").forEach(function (li) {
      var n = 0;
      li.getAttribute("data-counts").split(" ").forEach(function (pair) {
        var part = pair.split(":");
        if (shown[part[0]] !== false) n += Number(part[1]) || 0;
      });
      li.hidden = n === 0;
      var count = li.querySelector(".ww-map-list__count");
      if (count) count.textContent = n === 1 ? one : many.replace("{count}", String(n));
    });
  }

  function applyFilter() {
    var shown = {};
    document.querySelectorAll("[data-ww-filter] input[type=checkbox]").forEach(function (input) {
      shown[input.value] = input.checked;
    });
    document.querySelectorAll(".ww-map-list").forEach(function (list) { recount(list, shown); });
    document.querySelectorAll("[data-ww-map]").forEach(function (box) {
      if (box.wwFilter) box.wwFilter(shown);
    });
  }

  function start() {
    var filter = document.querySelector("[data-ww-filter]");
    if (filter && !filter.getAttribute("data-ready")) {
      filter.setAttribute("data-ready", "1");
      filter.hidden = false;
      filter.addEventListener("change", applyFilter);
    }
    document.querySelectorAll("[data-ww-map]").forEach(function (box) {
      if (!box.getAttribute("data-offered")) {
        box.setAttribute("data-offered", "1");
        offer(box);
      }
    });
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
