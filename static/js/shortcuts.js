// Page-wide keyboard shortcuts and their help. Ctrl/Cmd+Enter runs the tests and
// Ctrl/Cmd+Shift+Enter the examples from anywhere on a problem page (the editor handles them
// itself first, so a run from the editor is known to be one); "?" outside a text field opens
// the list of shortcuts.

/** Listen on the whole page; `runTests()` and `runExamples()` start a run. */
export function setUpShortcuts({ runTests, runExamples, help, helpButton }) {
  const openHelp = () => {
    help.returnValue = "";
    help.showModal();
  };
  helpButton.addEventListener("click", openHelp);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || document.querySelector("dialog[open]")) return;
    const mod = event.ctrlKey || event.metaKey;
    if (event.key === "Enter" && mod) {
      event.preventDefault();
      (event.shiftKey ? runExamples : runTests)();
    } else if (event.key === "?" && !mod && !takesText(event.target)) {
      event.preventDefault();
      openHelp();
    }
  });
}

function takesText(target) {
  return Boolean(target.closest?.("input, textarea, select, [contenteditable=true], [contenteditable='']"));
}
