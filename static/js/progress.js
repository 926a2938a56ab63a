// Progress on the catalog: each problem's, from the browser's storage, and each series' summary
// with a link to its first problem not yet solved. The catalog page shows it as it loads
// (catalog.js), and a problem page that moves in place to the catalog (navigate.js) too.
import { loadProgress } from "./storage.js";

const LABELS = { "not-started": "Not started", attempted: "Attempted", solved: "Solved" };

/** Fill in the progress of the catalog in `root` (a document or its <main>). */
export function showCatalogProgress(root) {
  for (const item of root.querySelectorAll("[data-testid=catalog-problem]")) {
    const state = loadProgress(item.dataset.slug)?.state ?? "not-started";
    item.dataset.progress = state;
    item.querySelector("[data-testid=progress]").textContent = LABELS[state];
  }

  // Each series: how much of it is solved, and a link to the first problem not yet solved.
  for (const series of root.querySelectorAll("[data-testid=catalog-series]")) {
    const summary = series.querySelector("[data-testid=series-progress]");
    if (!summary) continue;
    const items = [...series.querySelectorAll("[data-testid=catalog-problem]")];
    const solved = items.filter((item) => item.dataset.progress === "solved").length;
    const next = items.find((item) => item.dataset.progress !== "solved");
    summary.textContent = `${solved} of ${items.length} solved`;
    if (next) {
      const link = next.querySelector("a").cloneNode(true);
      link.dataset.testid = "series-next";
      link.textContent = `${solved ? "Continue" : "Start"}: ${link.textContent} →`;
      summary.append(" · ", link);
    } else {
      summary.append(" · the whole series is done");
    }
  }
}
