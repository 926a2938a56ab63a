// The catalog page: the theme toggle, and each problem's progress from the browser's storage.
import { loadProgress } from "./storage.js";
import { setUpThemeToggle } from "./theme.js";

setUpThemeToggle(document.querySelector("[data-testid=theme-toggle]"));

for (const item of document.querySelectorAll("[data-testid=catalog-problem]")) {
  const progress = loadProgress(item.dataset.slug);
  item.dataset.progress = progress?.state ?? "not-started";
}
