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

/**
 * Resolve whether this page came from the service worker's offline copy: at once when the
 * browser knows it is offline, else as the worker answers (it served the page from its cache
 * because the server could not be reached). A page it merely controls was still fetched from
 * the network.
 */
export function servedFromOfflineCopy() {
  const controller = navigator.serviceWorker?.controller;
  if (!controller) return Promise.resolve(false);
  if (!navigator.onLine) return Promise.resolve(true);
  return new Promise((resolve) => {
    const answer = ({ data }) => {
      if (data?.type !== "served-offline") return;
      navigator.serviceWorker.removeEventListener("message", answer);
      resolve(Boolean(data.offline));
    };
    navigator.serviceWorker.addEventListener("message", answer);
    navigator.serviceWorker.startMessages();
    controller.postMessage({ type: "served-offline?" }); // unanswered, the page says nothing
  });
}
