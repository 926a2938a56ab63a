// Rendering of the harness's Results object (runner/results.py): one list item per test or
// example, the summary, the learner's load error and the printed output. Everything the
// learner's code produced is inserted as text, never as HTML.

const STATUS_TEXT = {
  pending: "not run",
  pass: "passed",
  fail: "failed",
  error: "error",
  timeout: "time limit exceeded",
};
const TRUNCATED_NOTE = "\n… output cut here: only the first 20,000 characters are kept.";

// Pictures and figures are drawn by pictures.js, fetched when the first run starts; `drawing`
// holds the drawings under way, which show() times (the benchmark reads that measure).
let pictures = null;
const loadPictures = () => (pictures ??= import("./pictures.js"));
const drawing = []; // {box, started, drawn}

/**
 * Measure from the first picture of the results just shown being placed (at once, as results
 * arrive) to the last one drawn; boxes of progress events, since replaced, are left out.
 */
function measureDrawing() {
  const shown = drawing.splice(0).filter(({ box }) => box.isConnected);
  if (!shown.length) return;
  const start = Math.min(...shown.map(({ started }) => started));
  Promise.all(shown.map(({ drawn }) => drawn)).then(() =>
    performance.measure("practice:pictures-drawn", { start, end: performance.now() }),
  );
}

/** A box that pictures.js fills with the check's picture and figures, once it has loaded. */
function picturesOf(check) {
  const box = element("div", "pictures", "");
  const started = performance.now();
  const drawn = loadPictures().then(
    ({ draw }) => draw(box, check),
    () => box.append(element("p", "figure-note", "The pictures could not be loaded: reload the page to see them.")),
  );
  drawing.push({ box, started, drawn });
  return box;
}

export class ResultsView {
  constructor(root) {
    this.lists = {
      tests: [...root.querySelectorAll("[data-testid=test-result]")],
      examples: [...root.querySelectorAll("[data-testid=example-result]")],
    };
    this.summary = root.querySelector("[data-testid=results-summary]");
    this.announcer = root.querySelector("[data-testid=announcer]");
    this.runError = root.querySelector("[data-testid=run-error]");
    this.partsReport = root.querySelector("[data-testid=parts-report]");
    this.siteRoot = document.body.dataset.root;
    this.console = root.querySelector("[data-testid=console]");
  }

  /** Clear the list a run of `kind` ("tests" or "examples") is about to fill. */
  started(kind) {
    if (kind === "tests") this.summary.textContent = "Running…";
    for (const item of this.lists[kind]) showCheck(item, { status: "pending" });
    this.runError.hidden = true;
    loadPictures().catch(() => {}); // while Python runs, so that drawing need not wait for it
    this.partsReport.hidden = true;
  }

  /** Apply one harness progress event as it arrives. */
  progress(kind, event) {
    const item = this.lists[kind][event.index];
    if (!item) return;
    if (event.event === "test_started") item.setAttribute("aria-busy", "true");
    if (event.event === "test_finished") showCheck(item, event.result);
  }

  /** Show a finished run. */
  show(results) {
    const items = this.lists[results.kind];
    results.tests.forEach((check, index) => items[index] && showCheck(items[index], check));
    const passed = results.tests.filter((check) => check.status === "pass").length;
    const total = results.tests.length;
    if (results.kind === "tests") this.summary.textContent = `${passed}/${total} passed`;
    const what = results.kind === "tests" ? "hidden tests" : "examples";
    this.announcer.textContent = `${total ? `${passed} of ${total} ${what} passed` : "Run finished"}.${
      results.error ? ` Your code has an error: ${results.error.type}.` : ""
    }`;
    this.runError.hidden = !results.error;
    this.runError.textContent = results.error ? results.error.traceback || `${results.error.type}: ${results.error.message}` : "";
    this.console.textContent = (results.output || "Nothing printed.") + (results.output_truncated ? TRUNCATED_NOTE : "");
    measureDrawing();
    this.showParts(results.parts ?? []);
  }

  /** Say which of the learner's earlier parts this run imported are missing or failing. */
  showParts(parts) {
    const trouble = parts.filter((part) => part.missing || part.status !== "pass");
    this.partsReport.replaceChildren(
      ...trouble.map((part) => {
        const item = element("p", "part-result", `${part.message} `);
        item.dataset.testid = "part-result";
        item.dataset.module = part.module;
        item.dataset.status = part.missing ? "missing" : part.status;
        const link = element("a", "", part.missing ? `Solve ${part.title} first →` : `Go to ${part.title} →`);
        link.href = `${this.siteRoot}${part.slug}/`;
        item.append(link);
        return item;
      }),
    );
    this.partsReport.hidden = trouble.length === 0;
    if (trouble.length) this.announcer.textContent += ` ${trouble.map((part) => part.message).join(" ")}`;
  }
}

function showCheck(item, check) {
  item.dataset.status = check.status;
  item.removeAttribute("aria-busy");
  item.querySelector(".check-status").textContent = STATUS_TEXT[check.status] ?? check.status;
  const body = item.querySelector(".check-body");
  body.replaceChildren(...checkDetails(check));
  body.hidden = body.childElementCount === 0;
}

function checkDetails(check) {
  const parts = [];
  if (check.message) parts.push(element("pre", "check-message", check.message));
  if (check.picture || check.figures?.length) parts.push(picturesOf(check));
  if (check.hint) parts.push(element("p", "check-hint", `Hint: ${check.hint}`));
  if (check.error?.traceback) parts.push(element("pre", "check-traceback", check.error.traceback));
  if (check.comparison) parts.push(comparisonTable(check.comparison));
  if (check.output) parts.push(element("pre", "check-output", `Printed:\n${check.output.replace(/\n$/, "")}`));
  return parts;
}

/** Inputs, then each stated output with the expected value beside the learner's. */
function comparisonTable({ inputs, expected, actual }) {
  const table = document.createElement("table");
  table.className = "comparison";
  const head = table.createTHead().insertRow();
  for (const title of ["", "Expected", "Yours"]) head.append(element("th", "", title));
  const body = table.createTBody();
  for (const [name, value] of Object.entries(inputs)) {
    const row = body.insertRow();
    row.className = "input";
    row.append(element("th", "", `${name} (input)`), cell(value, 2));
  }
  for (const [name, value] of Object.entries(expected)) {
    const row = body.insertRow();
    const mine = actual[name];
    row.className = mine === undefined ? "missing" : mine === value ? "same" : "different";
    row.append(element("th", "", name), cell(value), cell(mine ?? "—"));
  }
  return table;
}

function cell(text, span = 1) {
  const td = document.createElement("td");
  td.colSpan = span;
  td.append(element("pre", "", text));
  return td;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}
