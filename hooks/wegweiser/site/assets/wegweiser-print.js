/* Wegweiser print: lists of places (category and municipality pages) print as a notice
   for a board in a shelter or office, each place with a QR code to its page.
   The codes are drawn from the page's own links, as SVG built with DOM calls, hidden on
   screen; the QR library (served by the site) loads only on pages with such a list. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function drawCode(url) {
    var qr = window.qrcode(0, "M");
    qr.addData(url);
    qr.make();
    var n = qr.getModuleCount();
    var d = [];
    for (var r = 0; r < n; r += 1) {
      for (var c = 0; c < n; c += 1) {
        if (qr.isDark(r, c)) d.push("M" + (c + 2) + " " + (r + 2) + "h1v1h-1z");
      }
    }
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + (n + 4) + " " + (n + 4));
    svg.setAttribute("class", "ww-qr");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d.join(""));
    svg.appendChild(path);
    return svg;
  }

  function addCodes() {
    document.querySelectorAll(".ww-card").forEach(function (card) {
      var link = card.querySelector(".ww-card__name");
      if (!link || card.querySelector(".ww-qr")) return;
      card.appendChild(drawCode(new URL(link.getAttribute("href"), window.location.href).href));
    });
    document.documentElement.setAttribute("data-ww-qr", "ready");
  }

  function start() {
    if (!document.querySelector(".ww-card")) return;
    var code = document.querySelector("script[src$='wegweiser-print.js']");
    if (window.qrcode) return addCodes();
    var s = document.createElement("script");
    s.src = new URL("../vendor/qrcode-generator/qrcode.js", code.src).href;
    s.onload = addCodes;
    document.head.appendChild(s);
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
