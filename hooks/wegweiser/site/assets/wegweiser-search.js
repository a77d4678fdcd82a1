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
    // The page's language has one bundle, or several (a large directory is indexed in
    // parts): the first is loaded, the others are merged into its results.
    var bundles = (box.getAttribute("data-bundles") || "").split(" ");  // urls.search_bundle
    if (!bundles[0]) return;
    // Every bundle indexed the whole site: its page URLs ("/ar/orte/x/") start at the
    // site's root. Pagefind would start them at the bundle's folder ("/ar/"), so the
    // root is given as an absolute path; it also holds a site published below a path.
    var site = new URL(root, window.location.href).pathname;
    var merged = bundles.slice(1).map(function (path) {
      return { bundlePath: site + path, baseUrl: site };
    });
    load(site + bundles[0] + "pagefind-ui.js", function () {
      var ui = new window.PagefindUI({
        element: "#ww-search",
        bundlePath: site + bundles[0],
        baseUrl: site,
        mergeIndex: merged,
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
