// The catalog page: the theme toggle, and each problem's progress from the browser's storage.
import { registerOffline } from "./offline.js";
import { loadProgress } from "./storage.js";
import { setUpThemeToggle } from "./theme.js";

setUpThemeToggle(document.querySelector("[data-testid=theme-toggle]"));
registerOffline(document.body.dataset.root);

const LABELS = { "not-started": "Not started", attempted: "Attempted", solved: "Solved" };

for (const item of document.querySelectorAll("[data-testid=catalog-problem]")) {
  const state = loadProgress(item.dataset.slug)?.state ?? "not-started";
  item.dataset.progress = state;
  item.querySelector("[data-testid=progress]").textContent = LABELS[state];
}

// Each series: how much of it is solved, and a link to the first problem not yet solved.
for (const series of document.querySelectorAll("[data-testid=catalog-series]")) {
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
