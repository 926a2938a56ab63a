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
