// Moving to another problem of the site without leaving the page, so that its Python (seconds
// to start) keeps running: a click on a link to a problem page of this site (next, previous,
// a part named in the results, "Next problem", a problem on the catalog) fetches that page, as the browser would (the
// service worker answers offline), and puts its title, statement, results and data in place of
// this problem's; the address changes with history.pushState, and back and forward
// (popstate) move the same way. The problem's code is saved before and the next one's loaded
// after (app.js, showProblem). Pointing at such a link lets the worker prepare its grader.
//
// The catalog moves in place too: it takes the problem's <main>, which waits aside (editor and
// all) until a problem is shown again, and its progress is filled in as on its own page.
//
// Anything that cannot move in place is an ordinary navigation: a click with a modifier key or
// another button, a link to another site or another kind of page, a target window, a page that
// could not be fetched, or one of another build of the site (its scripts, styles or
// Content-Security-Policy differ from this page's).

const PAGE_PARTS = [".statement", ".results"];
// How long a page fetched when its link was pointed at is used for a click, rather than
// fetched again.
const EARLY_FOR_MS = 30_000;

/**
 * `leave()` runs before the page's content changes (save the code, drop a run in progress);
 * `show(data)` mounts the problem whose page data is `data`, once its statement and results
 * are in the page; `prepare(spec)` lets Python prepare the grader for `spec` ahead of a click.
 */
export function setUpNavigation({ leave, show, prepare, showCatalog }) {
  const site = new URL(document.body.dataset.root, location.href);
  const build = buildOf(document);
  let shown = location.pathname; // the page now in place
  let parked = null; // the problem's <main> while the catalog is shown in its place
  let latest = 0; // the last navigation asked for; an earlier one still fetching gives way
  const early = new Map(); // pathname -> {page: Promise of a Document or null, at}, from pointing

  /**
   * The page at `url`, parsed (nothing in it runs); null if it could not be had. A page
   * fetched when its link was pointed at, less than EARLY_FOR_MS ago, is used once.
   */
  const fetchPage = (url) => {
    const kept = early.get(url.pathname);
    early.delete(url.pathname);
    if (kept && performance.now() - kept.at < EARLY_FOR_MS) return kept.page;
    return fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then((html) => new DOMParser().parseFromString(html, "text/html"), () => null);
  };

  /** Whether `url` is the catalog (the site's top) rather than a problem's page. */
  const isCatalog = (url) => url.pathname === site.pathname;

  /** The URL of a problem page of this site, or of its catalog, that `link` leads to, or null. */
  const siteURL = (link) => {
    if (!link?.href || link.hasAttribute("download")) return null;
    if (link.target && link.target !== "_self") return null;
    const url = new URL(link.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(site.pathname)) return null;
    // A problem's page is <site>/<slug>/; the site's top is the catalog.
    if (!isCatalog(url) && !/^[^/]+\/$/.test(url.pathname.slice(site.pathname.length))) return null;
    if (url.pathname === location.pathname && url.search === location.search) return null; // same page
    return url;
  };

  async function moveTo(url, { push }) {
    const ticket = ++latest;
    performance.clearMarks("practice:navigation-start");
    performance.clearMeasures("practice:problem-ready");
    performance.mark("practice:navigation-start"); // read by tests/benchmark/run.py
    const page = await fetchPage(url);
    if (ticket !== latest) return; // a later click or history move took over
    const catalog = isCatalog(url);
    const data = page && !catalog && problemData(page);
    const fits = catalog
      ? page && buildOf(page, { catalog }) === buildOf(document, { catalog }) && page.querySelector("main.catalog")
      : data && buildOf(page) === build && PAGE_PARTS.every((part) => page.querySelector(part));
    if (!fits) {
      // Not a page of this build that can be shown here: the browser loads it.
      if (push) location.assign(url);
      else location.reload();
      return;
    }
    if (!parked) leave();
    // The address first, so that relative URLs in what is put in place resolve as on a load.
    if (push) history.pushState({ page: url.pathname }, "", url);
    shown = location.pathname;
    document.title = page.title;
    // The way back to the site's top, and the root of relative links, differ between the two.
    document.body.dataset.root = page.body.dataset.root;
    document.querySelector(".site-name").setAttribute("href", page.querySelector(".site-name").getAttribute("href"));
    if (catalog) {
      // The problem's workspace (its editor included) waits aside while the catalog is shown.
      const main = document.adoptNode(page.querySelector("main.catalog"));
      (parked ? document.querySelector("main.catalog") : (parked = document.querySelector("main.workspace"))).replaceWith(main);
      document.body.dataset.view = "catalog";
      showCatalog(main);
    } else {
      if (parked) {
        document.querySelector("main.catalog").replaceWith(parked);
        parked = null;
        delete document.body.dataset.view;
      }
      for (const part of PAGE_PARTS) {
        document.querySelector(part).replaceWith(document.adoptNode(page.querySelector(part)));
      }
      document.getElementById("problem-data").textContent = page.getElementById("problem-data").textContent;
      show(data);
    }
    // Where a fresh load leaves them: nothing focused, every pane at its top (or at the
    // fragment the URL names).
    document.activeElement?.blur();
    scrollTo(0, 0);
    for (const pane of document.querySelectorAll(".statement, .results")) pane.scrollTop = 0;
    if (url.hash) document.getElementById(decodeURIComponent(url.hash.slice(1)))?.scrollIntoView();
  }

  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const url = siteURL(event.target.closest?.("a[href]"));
    if (!url) return;
    event.preventDefault();
    moveTo(url, { push: true });
  });

  // Back and forward between problems shown in place; a move within one page (a fragment)
  // is the browser's alone.
  addEventListener("popstate", () => {
    if (location.pathname === shown) return;
    moveTo(new URL(location.href), { push: false });
  });

  // Pointing at, or tabbing to, a link to another problem: fetch its page (a click soon after
  // uses it) and let the worker prepare its grader while the learner decides.
  const warm = async (event) => {
    const url = siteURL(event.target.closest?.("a[href]"));
    const kept = url && early.get(url.pathname);
    if (!url || (kept && performance.now() - kept.at < EARLY_FOR_MS)) return;
    early.delete(url.pathname);
    const page = fetchPage(url);
    early.set(url.pathname, { page, at: performance.now() });
    const data = await page.then((fetched) => fetched && buildOf(fetched) === build && problemData(fetched));
    if (data) prepare(data.spec);
  };
  document.addEventListener("pointerover", warm);
  document.addEventListener("focusin", warm);
}

/** The page data of a fetched problem page, or null for any other page. */
function problemData(page) {
  try {
    const data = JSON.parse(page.getElementById("problem-data")?.textContent ?? "null");
    return data?.slug && data.spec ? data : null;
  } catch {
    return null;
  }
}

/**
 * What a page of one build shares with every other page of it: its policy (whose style nonce
 * is the build's), scripts and stylesheets. Content can move between two pages only if equal.
 */
function buildOf(page, { catalog = false } = {}) {
  let policy = page.querySelector("meta[http-equiv=Content-Security-Policy]")?.content ?? "";
  // The catalog runs none of a problem page's scripts, and has no inline one to allow: what it
  // shares with them is the rest of the policy (the build's style nonce) and the stylesheets.
  if (catalog) policy = policy.replace(/ 'sha256-[^']*'/g, "");
  const files = [...page.querySelectorAll(catalog ? "link[rel=stylesheet]" : "script[src], link[rel=stylesheet], link[rel=modulepreload]")]
    // Relative to each page's own root: the catalog's are one folder up from a problem's.
    .map((element) => (element.getAttribute("src") ?? element.getAttribute("href")).replace(/^(\.\.?\/)+/, ""));
  return JSON.stringify([policy, files]);
}
