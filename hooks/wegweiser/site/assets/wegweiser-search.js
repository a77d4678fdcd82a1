/* Wegweiser search: Pagefind's JavaScript API behind the site's own form and filters.

   The search page's form (#ww-finder) holds a term and the filters (a choice per list, three
   yes-or-nothing boxes); the page's address holds the same (suche/?q=…&kategorie=…&sprache=…),
   so a search can be shared and printed, and a link opens it as it was. Filters alone, without
   a term, find every place that matches them. A query asks only the index bundles it needs:
   a bundle holding other categories only (data-categories) is left out.
   Results carry the class names of Pagefind's own interface (pagefind-ui__result…), so tests
   and styles written for it keep working. Entry text reaches the page as text only.
   A list page's form (data-ww-finder) leads to the search page with the list's term. */
(function () {
  "use strict";
  var SHOWN = 10;  // results shown at first, and per "more"
  var RTL_LETTERS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/g;
  var LATIN_LETTERS = /[A-Za-z\u00c0-\u024f]/g;
  var instances = {};  // bundles asked ("pagefind/ pagefind-3/") -> Promise of a Pagefind instance
  var searches = 0;  // the latest search; an older one that answers late is dropped

  // import() is new syntax: in its own function, a browser without it fails here, not at load.
  function importModule(url) { return new Function("u", "return import(u)")(url); }

  function instanceFor(site, bundles) {
    var key = bundles.join(" ");
    if (!instances[key]) {
      instances[key] = importModule(site + bundles[0] + "pagefind.js").then(function (module) {
        // Every bundle indexed the whole site: its page URLs ("/ar/orte/x/") start at the
        // site's root, given as an absolute path; that also holds below a path.
        var pagefind = module.createInstance({ basePath: site + bundles[0], baseUrl: site });
        return Promise.all(bundles.slice(1).map(function (path) {
          return pagefind.mergeIndex(site + path, { baseUrl: site });
        })).then(function () { return pagefind; });
      });
      instances[key].catch(function () { delete instances[key]; });
    }
    return instances[key];
  }

  // What the form asks: the term and Pagefind's filters ({kategorie: "x", sprache: {any: […]}}).
  function query(form) {
    var data = new FormData(form), filters = {}, term = "";
    data.forEach(function (value, name) {
      value = String(value).trim();
      if (!value) return;
      if (name === "q") { term = value; return; }
      (filters[name] = filters[name] || []).push(value);
    });
    Object.keys(filters).forEach(function (name) {
      var values = filters[name];
      filters[name] = values.length === 1 ? values[0] : { any: values };
    });
    return { term: term, filters: filters };
  }

  // The address of a query: only what is set, in the form's order.
  function address(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) params.append(name, String(value).trim());
    });
    var text = params.toString();
    return text ? "?" + text : "";
  }

  // The bundles a query needs: with categories, those that may hold one of them.
  function bundlesFor(form, filters) {
    var bundles = (form.getAttribute("data-bundles") || "").split(" ").filter(Boolean);
    var held = (form.getAttribute("data-categories") || "").split("|");
    var wanted = filters.kategorie;
    if (wanted && typeof wanted !== "string") wanted = wanted.any;
    if (!wanted) return bundles;
    wanted = [].concat(wanted);
    var chosen = bundles.filter(function (bundle, i) {
      var categories = (held[i] || "").split(" ").filter(Boolean);
      return !categories.length || wanted.some(function (c) { return categories.indexOf(c) >= 0; });
    });
    return chosen.length ? chosen : bundles.slice(0, 1);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: parsed inertly, and only
  // its text and the marks are taken over.
  // The word every entry page holds (data-every-page) is left out, found or not.
  function excerpt(html, every) {
    var out = el("p", "pagefind-ui__result-excerpt");
    var parsed = new DOMParser().parseFromString("<p>" + (html || "") + "</p>", "text/html");
    parsed.body.firstChild.childNodes.forEach(function (node) {
      var text = every ? node.textContent.split(every).join("") : node.textContent;
      if (node.nodeName !== "MARK") out.appendChild(document.createTextNode(text));
      else if (text.trim()) out.appendChild(el("mark", "", text));
    });
    out.normalize();
    if (out.firstChild && out.firstChild.nodeType === 3) {
      out.firstChild.textContent = out.firstChild.textContent.replace(/^\s+/, "");
    }
    return out;
  }

  function mostlyLatin(text) {
    return (text.match(LATIN_LETTERS) || []).length > (text.match(RTL_LETTERS) || []).length;
  }

  // What a result shows in German for want of a translation (an entry page's meta "german":
  // "title", "text") is marked as German; on an Arabic or Farsi page other text mostly in
  // Latin letters runs left to right too, without claiming a language.
  function direct(node, isGerman, rtlPage) {
    if (isGerman) node.setAttribute("lang", "de");
    if (isGerman || (rtlPage && mostlyLatin(node.textContent))) node.setAttribute("dir", "ltr");
  }

  function result(data, rtl, every) {
    var german = ((data.meta || {}).german || "").split(" ");
    var item = el("li", "pagefind-ui__result");
    var title = el("p", "pagefind-ui__result-title");
    var link = el("a", "pagefind-ui__result-link", (data.meta || {}).title || data.url);
    link.href = data.url;
    title.appendChild(link);
    var text = excerpt(data.excerpt, every);
    direct(title, german.indexOf("title") >= 0, rtl);
    direct(text, german.indexOf("text") >= 0, rtl);
    item.appendChild(title);
    item.appendChild(text);
    return item;
  }

  function say(box, key, count) {
    var text = box.getAttribute("data-" + key) || "";
    var message = el("p", "pagefind-ui__message", text.replace("{count}", String(count)));
    message.setAttribute("role", "status");
    return message;
  }

  // "Nichts gefunden?" (search.html): shown when a search ends without a result. Its links
  // (an e-mail to the editors, a GitHub issue) were percent-encoded by the build with a token
  // where the query goes; the query is encoded the same way and put there.
  function encoded(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function offerFeedback(term) {
    var empty = document.getElementById("ww-search-empty");
    if (!empty) return;
    empty.hidden = !term;
    if (!term) return;
    var token = empty.getAttribute("data-query-token");
    empty.querySelectorAll("a").forEach(function (link) {
      var template = link.getAttribute("data-template") || link.getAttribute("href");
      link.setAttribute("data-template", template);
      link.setAttribute("href", template.split(token).join(encoded(term)));
    });
  }

  function show(box, found, id, term) {
    box.textContent = "";
    var total = found.results.length;
    box.appendChild(say(box, total === 0 ? "none" : total === 1 ? "found-one" : "found", total));
    offerFeedback(total === 0 ? term : "");
    if (!total) return;
    var list = el("ol", "pagefind-ui__results");
    var more = el("button", "md-button pagefind-ui__button", box.getAttribute("data-more"));
    more.type = "button";
    box.appendChild(list);
    box.appendChild(more);
    var rtl = getComputedStyle(box).direction === "rtl";
    var every = (document.getElementById("ww-finder") || box).getAttribute("data-every-page");
    var next = 0;
    function page() {
      var part = found.results.slice(next, next + SHOWN);
      next += part.length;
      more.hidden = next >= total;
      return Promise.all(part.map(function (r) { return r.data(); })).then(function (all) {
        if (id !== searches) return;
        all.forEach(function (data) { list.appendChild(result(data, rtl, every)); });
      });
    }
    more.addEventListener("click", page);
    return page();
  }

  function run(form, box, site) {
    var id = ++searches;
    var asked = query(form);
    var url = window.location.pathname + address(form);
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(window.history.state, "", url);
    }
    if (!asked.term && !Object.keys(asked.filters).length) {
      box.textContent = "";
      offerFeedback("");
      return;
    }
    box.textContent = "";
    box.appendChild(say(box, "loading", 0));
    box.setAttribute("aria-busy", "true");
    instanceFor(site, bundlesFor(form, asked.filters))
      .then(function (pagefind) {
        // Filters alone: the word every entry page holds, not null (for null, Pagefind 1.5
        // loads the whole word index; search.EVERY_PAGE_WORD).
        var every = form.getAttribute("data-every-page");
        return pagefind.search(asked.term || every || null, { filters: asked.filters });
      })
      .then(function (found) { if (id === searches) return show(box, found, id, asked.term); })
      .catch(function () {
        if (id !== searches) return;
        box.textContent = "";
        box.appendChild(say(box, "failed", 0));
      })
      .then(function () { if (id === searches) box.removeAttribute("aria-busy"); });
  }

  // The form as the address says: suche/?q=Beratung&sprache=prs selects what it names. A
  // list named more than once (sprache=fa&sprache=prs: any of them) becomes a multiple choice.
  function fill(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      var values = params.getAll(field.name);
      if (field.type === "checkbox") field.checked = values.indexOf(field.value) >= 0;
      else if (field.tagName === "SELECT" && values.length > 1) {
        field.multiple = true;
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) >= 0;
        });
      } else if (values.length) field.value = values[0];
    });
  }

  function startSearchPage(form) {
    var box = document.getElementById("ww-search");
    if (!box || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    form.hidden = false;
    var fallback = document.getElementById("ww-search-fallback");
    if (fallback) fallback.hidden = true;
    var site = new URL(form.getAttribute("data-ww-search"), window.location.href).pathname;
    var timer = null;
    function soon() {
      clearTimeout(timer);
      timer = setTimeout(function () { run(form, box, site); }, 300);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(form, box, site);
    });
    form.addEventListener("input", function (event) {
      if (event.target.name === "q") soon();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name !== "q") { clearTimeout(timer); run(form, box, site); }
    });
    fill(form);
    run(form, box, site);
  }

  // A list page: its form goes to the search page with only what is chosen in the address.
  function startListForm(form) {
    if (form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var tool = form.closest("[data-ww-tool]");
    if (tool) tool.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = form.action.split("?")[0] + address(form);
    });
  }

  function start() {
    var form = document.getElementById("ww-finder");
    if (form && form.getAttribute("data-ww-search") !== null) startSearchPage(form);
    document.querySelectorAll("form[data-ww-finder]").forEach(startListForm);
  }

  if (window.document$) window.document$.subscribe(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
