// Light and dark themes: the system's choice unless the learner picked one, which is kept.
import { loadTheme, saveTheme } from "./storage.js";

const NEXT = { system: "light", light: "dark", dark: "system" };

/** Apply the saved theme and make the header's toggle cycle system -> light -> dark. */
export function setUpThemeToggle(button) {
  let theme = loadTheme();
  const apply = () => {
    if (theme === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    button.textContent = `Theme: ${theme}`;
    button.title = `Colour theme: ${theme === "system" ? "follows the system" : theme}; click to change`;
  };
  apply();
  button.addEventListener("click", () => {
    theme = NEXT[theme];
    saveTheme(theme);
    apply();
  });
}
