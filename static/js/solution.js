// The reference solution, behind a confirmation the first time: shown in view with focus on it,
// hidden again by the same button, copied, or loaded into the editor after a second
// confirmation (the editor's undo brings the learner's code back).

const $ = (testid) => document.querySelector(`[data-testid=${testid}]`);

/**
 * `confirm(dialog, action)` runs `action` once the learner confirms; `loadIntoEditor(text)`
 * replaces the editor's code as one undoable change and moves focus there.
 */
export function setUpSolution(solution, { confirm, loadIntoEditor }) {
  const button = $("show-solution");
  const panel = document.getElementById("solution-panel");
  const code = $("solution");
  const status = $("solution-status");
  let revealed = false;

  const show = () => {
    revealed = true;
    code.textContent = solution;
    panel.hidden = false;
    button.textContent = "Hide solution";
    button.setAttribute("aria-expanded", "true");
    button.closest("section").scrollIntoView({ block: "start" });
    code.focus({ preventScroll: true });
  };
  const hide = () => {
    panel.hidden = true;
    status.textContent = "";
    button.textContent = "Show solution";
    button.setAttribute("aria-expanded", "false");
  };
  button.addEventListener("click", () => {
    if (!panel.hidden) hide();
    else if (revealed) show();
    else confirm($("solution-dialog"), show);
  });
  $("copy-solution").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(solution);
      status.textContent = "Copied.";
    } catch {
      // No clipboard access (an insecure origin, or permission refused): select it instead.
      getSelection().selectAllChildren(code);
      status.textContent = "Selected: press Ctrl+C to copy.";
    }
  });
  $("load-solution").addEventListener("click", () =>
    confirm($("load-solution-dialog"), () => {
      loadIntoEditor(solution);
      status.textContent = "Loaded into the editor: Ctrl+Z there brings your code back.";
    }),
  );
}
