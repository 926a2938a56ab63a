// The service worker: the site works offline after one visit. build.py writes it to the site's
// top as sw.js, after three lines naming this build (VERSION), the files to precache
// (PRECACHE, relative to this script) and the prefixes of other origins to cache as they are
// fetched (RUNTIME_CACHED: Pyodide's CDN in CDN mode).
//
// Pages are fetched network-first (a new build shows as soon as it is online), whether loaded
// or fetched by a page moving in place to another problem (static/js/navigate.js). While the
// last page came from the server, this worker leaves the site's other requests to the browser,
// as if it were not there: the browser's HTTP cache has them too (cache.addAll fetched them
// through it), and Chromium keeps their compiled code beside it. Warm visits whose files this
// worker passed on from its own cache were slower than visits without it (docs/benchmark.md,
// issue #16's goal 3). Otherwise (a page from the offline copy, or this worker has just
// started) everything else comes cache-first (file names change with their content,
// Pyodide's path with its version).
// A new build installs beside the old one, then takes over and deletes the old cache; pages
// reload when that happens (static/js/offline.js), so none is left on old files.

const CACHE = `ml-practice-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new URL(url, self.location).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("ml-practice-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" && request.method !== "HEAD") return;
  const url = new URL(request.url);
  const ours = url.origin === self.location.origin;
  const runtimeCached = RUNTIME_CACHED.some((prefix) => request.url.startsWith(prefix));
  if (!ours && !runtimeCached) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then((response) => {
      serverAnswered = true;
      return response;
    }, () => {
      serverAnswered = false;
      return fromOfflineCopy(request, event.resultingClientId);
    }));
  } else if (ours && request.method === "GET" && url.pathname.endsWith("/")) {
    // A page fetched by a page moving in place to it (static/js/navigate.js): network-first too.
    event.respondWith(fetch(request).then((response) => {
      serverAnswered = true;
      return response;
    }, () => {
      serverAnswered = false;
      return fromCache(request).then((cached) => cached ?? Response.error());
    }));
  } else if (ours && serverAnswered && navigator.onLine) {
    // The browser fetches it: from its HTTP cache, with the compiled code it keeps there.
  } else if (request.method === "HEAD") {
    // The worker asks whether Pyodide's files are there before it loads them.
    event.respondWith(fromCache(request).then((cached) =>
      cached ? new Response(null, { status: cached.status, headers: cached.headers }) : fetch(request)));
  } else if (!url.pathname.includes("/__live/")) {
    event.respondWith(fromCache(request).then((cached) => cached ?? fetchAndKeep(request, runtimeCached)));
  }
});

// Whether the last page this worker fetched came from the server: null until it fetches one.
let serverAnswered = null;

// The pages this worker answered from its cache because the network failed, by client id, so
// that a page can say it is the offline copy (static/js/offline.js asks, once, as it starts).
const offlinePages = new Set();

async function fromOfflineCopy(request, clientId) {
  const cached = await fromCache(request);
  if (cached && clientId) offlinePages.add(clientId);
  return cached;
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "served-offline?") {
    event.source?.postMessage({ type: "served-offline", offline: offlinePages.delete(event.source.id) });
  }
});

async function fromCache(request) {
  const cache = await caches.open(CACHE);
  const options = { ignoreSearch: request.mode === "navigate", ignoreMethod: request.method === "HEAD" };
  return (await cache.match(request, options)) ?? undefined;
}

async function fetchAndKeep(request, keep) {
  const response = await fetch(request);
  if (keep && response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}
