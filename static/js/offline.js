// Offline use: register the service worker (the site's sw.js), and reload when a new build's
// worker takes over, so that no page keeps running on files the new build no longer has.

/** Register the service worker found at the site's top, `root` relative to this page. */
export function registerOffline(root) {
  if (!("serviceWorker" in navigator)) return;
  // The first worker taking control is the first visit's install; any later one is a new build.
  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (controlled) location.reload();
    controlled = true;
  });
  navigator.serviceWorker.register(new URL(`${root}sw.js`, document.baseURI)).catch(() => {
    // Without a service worker (private windows, file://) the site still works online.
  });
}

/** Tell whether this page's files come from the service worker's offline copy. */
export function servedFromOfflineCopy() {
  return Boolean(navigator.serviceWorker?.controller);
}
