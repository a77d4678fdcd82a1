/* Wegweiser search: loads Pagefind's UI only on the search page, also after
   Material's instant navigation (document$ fires on every page change). */
(function () {
  function base() {
    var el = document.querySelector("[data-ww-search]");
    return el ? el.getAttribute("data-ww-search") : null;
  }
  function load(src, done) {
    if (window.PagefindUI) return done();
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    document.head.appendChild(s);
  }
  function start() {
    var root = base();
    if (root === null) return;
    var box = document.getElementById("ww-search");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var noscript = document.getElementById("ww-search-fallback");
    if (noscript) noscript.hidden = true;
    load(root + "pagefind/pagefind-ui.js", function () {
      var ui = new window.PagefindUI({
        element: "#ww-search",
        bundlePath: root + "pagefind/",
        showImages: false,
        resetStyles: false,
        translations: { placeholder: box.getAttribute("data-placeholder") || "" }
      });
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) ui.triggerSearch(query);
    });
  }
  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
