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
  // What a result shows in German for want of a translation (an entry page's meta
  // "german": "title", "text") is marked as German, as on the entry page; on an Arabic or
  // Farsi page it then runs left to right. There, other text mostly in Latin letters (a
  // translated entry's address, contact or untranslated description) runs left to right
  // too, without claiming a language.
  var RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/g;
  var LATIN_LETTERS = /[A-Za-z\u00c0-\u024f]/g;
  var german = {};  // a result's address (its link) -> what it shows in German
  function remember(result) {
    var meta = result.meta || {};
    german[meta.url || result.url] = (meta.german || "").split(" ");
    delete meta.german;  // PagefindUI would show it under the result
    return result;
  }
  function mostlyLatin(text) {
    return (text.match(LATIN_LETTERS) || []).length > (text.match(RTL_LETTERS) || []).length;
  }
  function direct(el, isGerman, rtlPage) {
    if (!el) return;
    el.removeAttribute("lang");
    el.removeAttribute("dir");
    if (isGerman) el.setAttribute("lang", "de");
    if (isGerman || (rtlPage && mostlyLatin(el.textContent))) el.setAttribute("dir", "ltr");
  }
  function mark(box) {
    var rtl = getComputedStyle(box).direction === "rtl";
    var results = box.querySelectorAll(".pagefind-ui__result");
    for (var i = 0; i < results.length; i++) {
      var item = results[i];
      var link = item.querySelector(".pagefind-ui__result-link");
      if (!link) continue;  // still loading
      var shown = german[link.getAttribute("href")] || [];
      direct(item.querySelector(".pagefind-ui__result-title"), shown.indexOf("title") >= 0, rtl);
      direct(item.querySelector(".pagefind-ui__result-excerpt"), shown.indexOf("text") >= 0, rtl);
    }
  }
  // "Nichts gefunden?" (search.html): shown when a search ends without a result. Its
  // links (an e-mail to the editors, a GitHub issue) were percent-encoded by the build
  // with a token where the query goes; the query is encoded the same way and put there.
  function encoded(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }
  function offerFeedback(box) {
    var empty = document.getElementById("ww-search-empty");
    if (!empty) return;
    var input = box.querySelector(".pagefind-ui__search-input");
    var query = input ? input.value.trim() : "";
    var list = box.querySelector(".pagefind-ui__results");  // drawn once a search is done
    var nothing = Boolean(query && list && !list.querySelector(".pagefind-ui__result"));
    empty.hidden = !nothing;
    if (!nothing) return;
    var token = empty.getAttribute("data-query-token");
    var links = empty.querySelectorAll("a");
    for (var i = 0; i < links.length; i++) {
      var template = links[i].getAttribute("data-template") || links[i].getAttribute("href");
      links[i].setAttribute("data-template", template);
      links[i].setAttribute("href", template.split(token).join(encoded(query)));
    }
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
        processResult: remember,
        translations: { placeholder: box.getAttribute("data-placeholder") || "" }
      });
      // PagefindUI draws and redraws its results; each time, they are marked again.
      new MutationObserver(function () { mark(box); offerFeedback(box); })
        .observe(box, { childList: true, subtree: true, characterData: true });
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) ui.triggerSearch(query);
    });
  }
  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
