// The problem page: statement, editor, runtime status and results, wired together. What
// belongs to one problem (its data, statement, results, saved code) is set up by
// mountProblem(), as the page loads and again (showProblem) each time the page moves in place
// to another problem (navigate.js); the rest (the editor, the toolbar, the dialogs, Python)
// stays for the page's whole life.
import { setUpNavigation } from "./navigate.js";
import { showCatalogProgress } from "./progress.js";
import { registerOffline, servedFromOfflineCopy } from "./offline.js";
import { ShapeLens } from "./lens.js";
import { ResultsView } from "./results.js";
import { letWideBlocksScroll } from "./scrollables.js";
import { setUpShortcuts } from "./shortcuts.js";
import { setUpSolution } from "./solution.js";
import { setUpSplitter } from "./splitter.js";
import { loadCode, loadLastRun, loadProgress, recordRun, saveCode, saveLastRun, storageWorks } from "./storage.js";
import { setUpThemeToggle } from "./theme.js";

const SAVE_DELAY_MS = 300;
// The problem's <main>, found even while the catalog is shown in its place (navigate.js).
const workspace = document.querySelector("main.workspace");
const $ = (testid) => {
  const selector = `[data-testid=${testid}]`;
  return document.querySelector(selector) ?? workspace.querySelector(selector);
};

// The problem shown, and what was set up for it (undone when another is shown).
let problem = JSON.parse(document.getElementById("problem-data").textContent);
let mounted = null; // {results, unmount: AbortController, observer}
let movedInPlace = false; // until the worker says the problem moved to is ready

// Python has been loading since the top of <head>, and the code area has been taking input
// since it was parsed (boot.js); the editor, most of this page's script, loads while Python
// starts.
let offlineCopy = false;
const runtime = globalThis.practiceRuntime;
runtime.watch(showStatus);
servedFromOfflineCopy().then((offline) => {
  offlineCopy = offline;
  if (offline) showStatus(runtime.status);
});

const shapeLens = new ShapeLens($("shape-lens-toggle"), $("shape-lens-report"));
let saveTimer = null;
let running = false;
let editor = null; // CodeMirror, once its script has run; until then the plain text area
const fallback = $("code-fallback"); // holding the saved code already (boot.js)
fallback.addEventListener("input", scheduleSave);
window.practiceApp = {
  getCode,
  setCode,
  runTests: () => run("tests"),
  runExamples: () => run("examples"),
};

setUpThemeToggle($("theme-toggle"));
setUpSplitter($("splitter"), workspace);
if (!storageWorks()) showSaveNotice(false);
mountProblem();

$("run-tests").addEventListener("click", () => run("tests", "button"));
$("run-examples").addEventListener("click", () => run("examples", "button"));
setUpShortcuts({
  runTests: () => run("tests"),
  runExamples: () => run("examples"),
  help: $("shortcuts-help"),
  helpButton: $("shortcuts-button"),
});
$("reset-code").addEventListener("click", () =>
  confirmThen($("reset-dialog"), () => {
    setCode(problem.starter);
    saveNow();
    focusEditor();
  }),
);
$("retry-runtime").addEventListener("click", () => runtime.restart("Starting Python again…"));
addEventListener("pagehide", saveNow);
document.addEventListener("visibilitychange", () => document.hidden && saveNow());

const { createEditor, markError, openDocument, setText, showLens, showLensEntries } = await import("./editor.js");
editor = createEditor($("editor"), fallback.value, {
  selection: { anchor: fallback.selectionStart, head: fallback.selectionEnd },
  focus: document.activeElement === fallback,
  onChange: scheduleSave,
  onRunTests: () => run("tests", "editor"),
  onRunExamples: () => run("examples", "editor"),
  styleNonce: problem.styleNonce,
});
fallback.remove();
shapeLens.attach({
  show: (entries) => showLens(editor, entries),
  setShown: (shown) => showLensEntries(editor, shown),
});
registerOffline(document.body.dataset.root);
// Moving to another problem of the site keeps this page, its editor and its Python.
setUpNavigation({
  leave: leaveProblem,
  show: showProblem,
  prepare: (spec) => runtime.prepare(spec),
  showCatalog: showCatalogProgress,
});

/**
 * Set up what belongs to the problem in `problem`, on the statement and results now in the
 * page: its results (or its last run's outcome), progress, hints, solution, the starter
 * notice and the wide blocks of its statement.
 */
function mountProblem() {
  const unmount = new AbortController();
  const results = new ResultsView(document.querySelector(".results"));
  mounted = { results, unmount, observer: letWideBlocksScroll(document.querySelector(".statement")) };
  shapeLens.setReport($("shape-lens-report"));
  const saved = loadCode(problem.slug);
  $("starter-changed").hidden = true;
  if (saved && saved.starterVersion !== problem.starterVersion && saved.code !== problem.starter) {
    offerNewStarter(unmount.signal);
  }
  showProgress(loadProgress(problem.slug));
  const lastRun = loadLastRun(problem.slug);
  if (lastRun) results.showLastRun(lastRun);
  setUpSolution(problem.solution, {
    confirm: confirmThen,
    loadIntoEditor: (text) => {
      setCode(text);
      saveNow();
      focusEditor();
    },
  });
  $("show-hint")?.addEventListener("click", showNextHint);
}

/** Before the page moves to another problem: keep the code, drop the run in progress. */
function leaveProblem() {
  saveNow();
  runtime.abandon();
  mounted.results = null; // a run still going shows nothing, anywhere
}

/**
 * Show the problem `data` (its page's problem-data), whose statement and results navigate.js
 * has just put in the page: the same Python grades it from now on, and the editor holds the
 * learner's saved code for it (or its starter).
 */
function showProblem(data) {
  mounted.unmount.abort();
  mounted.observer.disconnect();
  problem = data;
  movedInPlace = true;
  runtime.setProblem(problem.spec);
  mountProblem();
  // A new document in the same editor: no undo history, shape lens or error marker comes along.
  openDocument(editor, loadCode(problem.slug)?.code ?? problem.starter);
  shapeLens.show(null);
  showLensEntries(editor, shapeLens.shown);
}

/** Focus the code: CodeMirror once it has loaded, the plain text area until then. */
function focusEditor() {
  (editor ?? fallback).focus();
}

function getCode() {
  return editor ? editor.state.doc.toString() : fallback.value;
}

function setCode(text) {
  if (editor) setText(editor, text);
  else fallback.value = text;
}

function showStatus({ state, message }) {
  if (state === "ready" && !performance.getEntriesByName("practice:ready").length) {
    performance.mark("practice:ready"); // read by tests/benchmark/run.py
  }
  if (state === "ready" && movedInPlace) {
    movedInPlace = false;
    // From the click (navigate.js) to this problem's grader ready: read by the benchmark.
    performance.measure("practice:problem-ready", "practice:navigation-start");
  }
  const status = $("runtime-status");
  status.dataset.state = state;
  status.dataset.source = offlineCopy ? "offline-copy" : "network";
  status.textContent = state === "ready" && offlineCopy ? `${message} (offline copy)` : message;
  $("run-tests").disabled = $("run-examples").disabled = state !== "ready";
  $("retry-runtime").hidden = state !== "error";
}

/**
 * Run the tests or the examples; `from` is "editor" (its shortcut), "button" or "page" (the
 * page-wide shortcut). The results are brought into view; focus moves to the outcome line,
 * except from the editor, which keeps it while the outcome is announced
 * (docs/architecture.md, "After a run").
 */
async function run(kind, from = "page") {
  if (running || !editor || $("runtime-status").dataset.state !== "ready") return;
  if (document.body.dataset.view === "catalog") return; // the problem waits aside (navigate.js)
  running = true;
  saveNow();
  // This problem's, even if the page moves on before the run ends: its outcome is then dropped.
  const { results } = mounted;
  const { slug } = problem;
  results.started(kind);
  results.reveal(kind);
  try {
    const outcome = await runtime.run({
      kind,
      source: getCode(),
      parts: savedParts(),
      names: kind === "tests" ? problem.testNames : problem.exampleNames,
      timeLimitMs: problem.timeLimitMs,
      onEvent: (event) => results.progress(kind, event),
      lens: shapeLens.shown,
    });
    if (mounted.results !== results) return;
    const shown = results.show(outcome, { announceDetail: from === "editor" });
    shapeLens.show(outcome.lens);
    results.reveal(kind);
    if (from !== "editor") results.focusOutcome();
    const error = outcome.error ?? outcome.tests.find((check) => check.error?.line)?.error;
    markError(editor, error?.line, error ? `${error.type}: ${error.message}` : "");
    if (kind === "tests") {
      showProgress(recordRun(slug, outcome.status === "pass"));
      const { passed, total, firstFailure, error: loadError } = shown;
      saveLastRun(slug, { passed, total, firstFailure, error: loadError });
    }
    $("show-solution").disabled = false;
    workspace.querySelector(".solution-note").hidden = true;
  } finally {
    running = false;
  }
}

/** The learner's saved code for each earlier problem of the series that code may import. */
function savedParts() {
  const parts = {};
  for (const { module, slug } of problem.spec.parts) {
    const code = loadCode(slug)?.code;
    if (code !== undefined) parts[module] = code;
  }
  return parts;
}

function showProgress(progress) {
  const badge = $("solved-badge");
  badge.hidden = progress?.state !== "solved";
  if (progress?.state === "solved") {
    const day = new Date(progress.solvedAt).toLocaleDateString(undefined, { dateStyle: "medium" });
    badge.textContent = `✓ Solved ${day}`;
  }
}

function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, SAVE_DELAY_MS);
}

function saveNow() {
  clearTimeout(saveTimer);
  showSaveNotice(saveCode(problem.slug, getCode(), problem.starterVersion));
}

function showSaveNotice(saved) {
  const notice = $("save-notice");
  notice.hidden = saved;
  notice.textContent = saved ? "" : "This browser is not letting the page save your code: copy it somewhere before you leave.";
}

/** Offer the new starter, until the learner answers or the page moves to another problem. */
function offerNewStarter(signal) {
  const notice = $("starter-changed");
  notice.hidden = false;
  const answered = new AbortController();
  signal.addEventListener("abort", () => answered.abort(), { once: true });
  const close = (useStarter) => {
    answered.abort();
    if (useStarter) setCode(problem.starter);
    saveNow();
    notice.hidden = true;
    focusEditor();
  };
  $("keep-code").addEventListener("click", () => close(false), { signal: answered.signal });
  $("use-new-starter").addEventListener("click", () => close(true), { signal: answered.signal });
}

function showNextHint() {
  const hints = [...document.querySelectorAll("[data-testid=hint]")];
  const next = hints.findIndex((hint) => hint.hidden);
  if (next < 0) return;
  hints[next].hidden = false;
  const button = $("show-hint");
  if (next + 1 < hints.length) {
    button.textContent = `Show another hint (${next + 2} of ${hints.length})`;
  } else {
    // The button hides itself: focus moves on to the hint it showed, not to <body>.
    button.hidden = true;
    hints[next].tabIndex = -1;
    hints[next].focus();
  }
}

/** Run `action` once the learner confirms in `dialog`; on cancel, focus returns to the opener. */
function confirmThen(dialog, action) {
  dialog.addEventListener("close", () => dialog.returnValue === "confirm" && action(), { once: true });
  dialog.returnValue = ""; // Escape keeps the last value, which must not confirm again
  dialog.showModal();
}
