// The problem page: statement, editor, runtime status and test results, wired together.
import { createEditor, setText } from "./editor.js";
import { ResultsView } from "./results.js";
import { Runtime } from "./runtime.js";
import { codeStore } from "./storage.js";

const SAVE_DELAY_MS = 300;

const problem = JSON.parse(document.getElementById("problem-data").textContent);
const statusBox = document.querySelector("[data-testid=runtime-status]");
const runButton = document.querySelector("[data-testid=run-tests]");

// Pyodide takes seconds to load: start the worker before building anything else.
const runtime = new Runtime({
  pyodideURL: new URL(problem.pyodidePath, document.baseURI).href,
  onStatus: showStatus,
});
runtime.start();

const store = codeStore(problem.slug);
const saveNotice = document.querySelector("[data-testid=save-notice]");
const results = new ResultsView(document.querySelector(".results"));
let saveTimer = null;
let running = false;

const editor = createEditor(
  document.querySelector("[data-testid=editor]"),
  store.load() ?? problem.starter,
  { onChange: scheduleSave, onRun: runTests },
);

runButton.addEventListener("click", runTests);
document.querySelector("[data-testid=reset-code]").addEventListener("click", confirmReset);
addEventListener("pagehide", saveNow);
document.addEventListener("visibilitychange", () => document.hidden && saveNow());

function getCode() {
  return editor.state.doc.toString();
}

function showStatus({ state, message }) {
  statusBox.dataset.state = state;
  statusBox.textContent = message;
  runButton.disabled = state !== "ready";
}

async function runTests() {
  if (running || statusBox.dataset.state !== "ready") return;
  running = true;
  saveNow();
  results.started();
  try {
    const outcome = await runtime.runTests({
      source: getCode(),
      tests: problem.tests,
      functionName: problem.function,
      testNames: problem.testNames,
      timeLimitMs: problem.timeLimitMs,
      onEvent: (event) => results.progress(event),
    });
    results.show(outcome);
  } finally {
    running = false;
  }
}

function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

function saveNow() {
  clearTimeout(saveTimer);
  const saved = store.save(getCode());
  saveNotice.hidden = saved;
  saveNotice.textContent = saved ? "" : "Your code cannot be saved in this browser; copy it before you leave.";
}

function confirmReset() {
  const dialog = document.querySelector("[data-testid=reset-dialog]");
  dialog.addEventListener(
    "close",
    () => {
      if (dialog.returnValue === "reset") {
        setText(editor, problem.starter);
        saveNow();
      }
      editor.focus();
    },
    { once: true },
  );
  dialog.showModal();
}

window.practiceApp = {
  getCode,
  setCode: (text) => setText(editor, text),
  runTests,
};
