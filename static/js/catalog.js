// The catalog page: the theme toggle, and each problem's progress from the browser's storage.
import { showCatalogProgress } from "./progress.js";
import { registerOffline } from "./offline.js";
import { setUpThemeToggle } from "./theme.js";

setUpThemeToggle(document.querySelector("[data-testid=theme-toggle]"));
registerOffline(document.body.dataset.root);
showCatalogProgress(document);
