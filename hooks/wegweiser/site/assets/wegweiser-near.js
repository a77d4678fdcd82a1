/* Wegweiser "In meiner Nähe": places sorted by their distance, computed on the device.

   The location is asked only when the visitor clicks "Meinen Standort verwenden", and it
   never leaves the device: no request depends on it. The places come from the file the page
   names (data-ww-near: the places of a list, or the map data), the municipalities and their
   postcodes from daten/gemeinden.json: the same files for every visitor, wherever they are.
   Sensitive places stand at their municipality's centre, as in every file of the site. The
   map is not moved to the location: its tiles come from another server, which would learn
   the area. Entry text reaches the page as text only. */
(function () {
  "use strict";
  var SHOWN = 10;  // places shown at first, and per "more"
  var files = {};  // address -> Promise of its JSON, fetched once per page view

  function load(url) {
    if (!files[url]) {
      files[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }

  // Kilometres along the earth's surface (haversine), from [lat, lon] to [lat, lon].
  function distance(a, b) {
    var rad = Math.PI / 180, dLat = (b[0] - a[0]) * rad, dLon = (b[1] - a[1]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function kilometres(value, lang) {
    var digits = value < 10 ? 1 : 0;
    try {
      return new Intl.NumberFormat(lang + "-u-nu-latn", { maximumFractionDigits: digits })
        .format(value);
    } catch (e) { return value.toFixed(digits); }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A place's name in the page's language, else German, marked as such.
  function nameOf(props, lang) {
    if (props.names && props.names[lang]) return [props.names[lang], lang];
    return [String(props.name || ""), props.lang || "de"];
  }

  function card(found, box, lang) {
    var p = found.props, words = box.wwWords, labels = box.wwLabels;
    var item = el("li", "ww-card");
    var name = nameOf(p, lang);
    var link = el("a", "ww-card__name", name[0]);
    link.href = box.getAttribute("data-base") + p.url;
    if (name[1] !== lang) { link.lang = name[1]; link.dir = "ltr"; }
    item.appendChild(link);
    var meta = el("span", "ww-card__meta");
    var label = labels[p.category];
    if (label) {
      var category = el("span", "", label[0]);
      if (label[1]) category.lang = label[1];
      meta.appendChild(category);
      meta.appendChild(document.createTextNode(" · "));
    }
    meta.appendChild(document.createTextNode((p.municipality || "") + " · "));
    var text = p.precision === "municipality" ? words.about_km : words.km;
    var away = el("span", "ww-near__distance", text.replace("{km}", kilometres(found.km, lang)));
    meta.appendChild(away);
    item.appendChild(meta);
    if (p.street) {
      var where = el("p", "ww-card__address", p.street + ", " + (p.postcode || "") + " " +
        (p.municipality || ""));
      where.lang = "de";
      where.dir = "ltr";
      item.appendChild(where);
    }
    return item;
  }

  function say(box, text) {
    box.querySelector(".ww-near__status").textContent = text;
  }

  // The places of the box's file, nearest first, from ``origin`` ([lat, lon]).
  function show(box, origin, from) {
    var list = box.querySelector(".ww-near__list");
    var more = box.querySelector(".ww-near__more");
    var lang = document.documentElement.lang || "de";
    var choice = box.querySelector(".ww-near__category");
    box.wwOrigin = [origin, from];
    say(box, box.wwWords.loading);
    return load(box.getAttribute("data-ww-near")).then(function (data) {
      var wanted = choice ? choice.value : "";
      var found = (data.features || []).filter(function (f) {
        return f.geometry && (!wanted || (f.properties || {}).category === wanted);
      }).map(function (f) {
        var c = f.geometry.coordinates;
        return { props: f.properties || {}, km: distance(origin, [c[1], c[0]]) };
      }).sort(function (a, b) { return a.km - b.km; });
      list.textContent = "";
      say(box, found.length ? from : box.wwWords.none);
      var next = 0;
      function page() {
        found.slice(next, next + SHOWN).forEach(function (f) {
          list.appendChild(card(f, box, lang));
        });
        next += SHOWN;
        more.hidden = next >= found.length;
      }
      more.onclick = page;
      page();
      box.setAttribute("data-sorted", "yes");
    }).catch(function () { say(box, box.wwWords.failed); });
  }

  function here(box) {
    var words = box.wwWords;
    if (!navigator.geolocation) return say(box, words.denied);
    say(box, words.loading);
    navigator.geolocation.getCurrentPosition(function (position) {
      show(box, [position.coords.latitude, position.coords.longitude], words.from_here);
    }, function () { say(box, words.denied); }, { timeout: 20000, maximumAge: 600000 });
  }

  // A municipality ([id, name, lat, lon, [postcode, …]]) by its name or one of its postcodes.
  function municipality(data, text) {
    var rows = data.municipalities || [];
    var wanted = text.trim().toLocaleLowerCase();
    if (!wanted) return null;
    var exact = rows.filter(function (row) {
      return row[1].toLocaleLowerCase() === wanted || row[4].indexOf(wanted) >= 0;
    });
    if (exact.length) return exact[0];
    var begins = rows.filter(function (row) {
      return row[1].toLocaleLowerCase().indexOf(wanted) === 0;
    });
    return begins.length === 1 ? begins[0] : null;
  }

  function pick(box, input) {
    var words = box.wwWords, text = input.value;
    load(box.getAttribute("data-municipalities")).then(function (data) {
      var row = municipality(data, text);
      if (!row) return say(box, words.unknown.replace("{place}", text.trim()));
      var shown = /^\d{5}$/.test(text.trim()) ? text.trim() + " " + row[1] : row[1];
      show(box, [row[2], row[3]], words.from.replace("{place}", shown));
    }).catch(function () { say(box, words.failed); });
  }

  // The names of the municipalities as suggestions, once the visitor starts to type.
  function suggest(box, input) {
    var list = box.querySelector("datalist");
    if (!list || list.childNodes.length) return;
    load(box.getAttribute("data-municipalities")).then(function (data) {
      if (list.childNodes.length) return;
      (data.municipalities || []).forEach(function (row) { list.appendChild(el("option", "", row[1])).value = row[1]; });
    }).catch(function () { /* typing still works */ });
  }

  function setUp(box) {
    if (box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    box.wwWords = JSON.parse(box.getAttribute("data-words") || "{}");
    box.wwLabels = JSON.parse(box.getAttribute("data-labels") || "{}");
    box.hidden = false;
    box.querySelector(".ww-near__here").addEventListener("click", function () { here(box); });
    var form = box.querySelector(".ww-near__pick");
    var input = form.querySelector("input");
    input.addEventListener("focus", function () { suggest(box, input); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pick(box, input);
    });
    var choice = box.querySelector(".ww-near__category");
    if (choice) choice.addEventListener("change", function () {
      if (box.wwOrigin) show(box, box.wwOrigin[0], box.wwOrigin[1]);
    });
  }

  function start() {
    document.querySelectorAll("[data-ww-near]").forEach(setUp);
    document.querySelectorAll("[data-ww-nojs]").forEach(function (note) { note.hidden = true; });
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
