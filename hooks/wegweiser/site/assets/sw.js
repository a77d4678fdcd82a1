/* Wegweiser service worker: keeps a copy of what this visitor has opened on this site.
   Pages: network first (fresh information), the copy when offline. Styles, scripts and
   data files: the copy first, refreshed in the background. Nothing from other sites. */
"use strict";
var CACHE = "wegweiser-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function remember(request, response) {
  if (response && response.ok && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function pageFirst(request) {
  return fetch(request)
    .then(function (response) { return remember(request, response); })
    .catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (copy) {
        return copy || Response.error();
      });
    });
}

function copyFirst(request) {
  return caches.match(request).then(function (copy) {
    var fresh = fetch(request).then(function (response) { return remember(request, response); });
    return copy || fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  var html = request.mode === "navigate" || (request.headers.get("accept") || "").indexOf("text/html") >= 0;
  event.respondWith(html ? pageFirst(request) : copyFirst(request));
});
