/* Wegweiser offline: pages a visitor has opened once open again without a connection.
   Registers the site's service worker (sw.js at the site's root); nothing is fetched
   ahead of time, so it costs no extra data. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !document.currentScript) return;
  // this file is <root>/assets/wegweiser/wegweiser-offline.js
  var root = new URL("../../", document.currentScript.src);
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch(function () { /* no offline copies, the site works as before */ });
  });
})();
