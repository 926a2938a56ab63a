// Rendering of the harness's Results object (runner/results.py): one list item per test or
// example, the summary, the outcome line that names the first failure, the learner's load
// error and the printed output. Everything the learner's code produced is inserted as text,
// never as HTML. Each text is shown once where it helps: printed output whole in the console,
// open under a failing check and folded under a passing one; a traceback in full under the
// first check it ended, folded as "Same error as above" under the next.

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
    this.root = root;
    this.outcome = root.querySelector("[data-testid=run-outcome]");
    this.examplesTitle = root.querySelector("#examples-title");
    this.next = document.querySelector("[data-testid=next-problem]");
    this.tracebacks = new Set(); // the run's tracebacks shown in full so far
    for (const [kind, items] of Object.entries(this.lists)) {
      items.forEach((item, index) => {
        item.id = `${kind}-${index + 1}`;
        item.tabIndex = -1; // the outcome's "first failure" link moves focus here
      });
    }
  }

  /** Show the outcome of a run from an earlier visit ({passed, total, firstFailure, error}). */
  showLastRun(run) {
    this.summary.textContent = `last run: ${run.passed}/${run.total} passed`;
    const what = run.error ? ` Your code did not run: ${run.error}.`
      : run.firstFailure ? ` First failure: ${run.firstFailure}` : "";
    this.setOutcome(run.passed === run.total ? "pass" : "fail", `Last run: ${run.passed}/${run.total} passed.${what}`,
      run.passed === run.total && run.total ? this.nextLink() : null);
  }

  /** Clear the list a run of `kind` ("tests" or "examples") is about to fill. */
  started(kind) {
    if (kind === "tests") this.summary.textContent = "Running…";
    this.setOutcome("running", kind === "tests" ? "Running the hidden tests…" : "Running the examples…");
    for (const item of this.lists[kind]) showCheck(item, { status: "pending" }, this.tracebacks);
    this.tracebacks = new Set();
    this.runError.hidden = true;
    loadPictures().catch(() => {}); // while Python runs, so that drawing need not wait for it
    this.partsReport.hidden = true;
  }

  /** Apply one harness progress event as it arrives. */
  progress(kind, event) {
    const item = this.lists[kind][event.index];
    if (!item) return;
    if (event.event === "test_started") item.setAttribute("aria-busy", "true");
    if (event.event === "test_finished") showCheck(item, event.result, this.tracebacks);
  }

  /**
   * Show a finished run; name its first failure in the announcement too when `announceDetail`
   * (focus stays where the learner is, so the outcome line will not be read to them).
   */
  show(results, { announceDetail = false } = {}) {
    const items = this.lists[results.kind];
    this.tracebacks = new Set();
    results.tests.forEach((check, index) => items[index] && showCheck(items[index], check, this.tracebacks));
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
    const outcome = this.showOutcome(results);
    if (announceDetail && outcome.detail) this.announcer.textContent += ` ${outcome.detail}`;
    return outcome;
  }

  /**
   * Write the outcome line for a finished run; return what a stored last run keeps of it
   * ({passed, total, firstFailure, error}) and its `detail`, the sentence after the count.
   */
  showOutcome(results) {
    const total = results.tests.length;
    const passed = results.tests.filter((check) => check.status === "pass").length;
    const index = results.tests.findIndex((check) => check.status !== "pass");
    const failure = index >= 0 ? this.lists[results.kind][index] : null;
    const firstFailure = failure ? results.tests[index].name : null;
    const count = results.kind === "tests" ? `${passed}/${total} passed.` : `Examples: ${passed}/${total} passed.`;
    let detail = "";
    let extra = null;
    if (results.error) {
      detail = `Your code did not run: ${results.error.type}${results.error.line ? ` on line ${results.error.line}` : ""}.`;
      extra = this.jumpLink("See the error", this.runError, "first-failure");
    } else if (failure) {
      detail = `First failure: ${firstFailure}`;
      extra = [document.createTextNode("First failure: "), this.jumpLink(firstFailure, failure, "first-failure")];
    } else if (results.kind === "examples" && total) {
      detail = "Now run the hidden tests (Ctrl+Enter).";
    } else if (total) {
      extra = this.nextLink();
    }
    const status = results.error || failure ? "fail" : "pass";
    this.setOutcome(status, failure && !results.error ? count : `${count}${detail ? ` ${detail}` : ""}`, extra);
    return { passed, total, firstFailure, error: results.error?.type ?? null, detail };
  }

  setOutcome(status, text, extra = null) {
    this.outcome.dataset.status = status;
    this.outcome.replaceChildren(text);
    if (extra) this.outcome.append(" ", ...[extra].flat());
    this.outcome.hidden = false;
  }

  /** A link that scrolls `target` into view and moves focus to it. */
  jumpLink(text, target, testid) {
    const link = element("a", "", text);
    link.href = `#${target.id || (target.id = "run-error")}`;
    link.dataset.testid = testid;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      target.tabIndex = -1;
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
    return link;
  }

  /** Once every test passes: on to the series' next problem, or back to the catalog. */
  nextLink() {
    const link = element("a", "next-cta", this.next ? `Next problem: ${this.next.textContent.replace(/\s*→$/, "")} →` : "All problems →");
    link.href = this.next ? this.next.getAttribute("href") : this.siteRoot;
    link.dataset.testid = "next-cta";
    return link;
  }

  /**
   * Bring what a run of `kind` produced into view: the outcome line over the tests, or the
   * examples from their first failure (their heading when none failed).
   */
  reveal(kind) {
    if (kind === "examples" && this.examplesTitle) {
      const failed = this.lists.examples.find((item) => !["pass", "pending"].includes(item.dataset.status));
      (failed ?? this.examplesTitle).scrollIntoView({ block: "start" });
    } else {
      this.root.scrollTop = 0;
      this.root.scrollIntoView({ block: "start" });
    }
  }

  /** Move focus to the outcome line, which names the first failure and links to it. */
  focusOutcome() {
    this.outcome.focus({ preventScroll: true });
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

function showCheck(item, check, tracebacks) {
  item.dataset.status = check.status;
  item.removeAttribute("aria-busy");
  item.querySelector(".check-status").textContent = STATUS_TEXT[check.status] ?? check.status;
  const body = item.querySelector(".check-body");
  body.replaceChildren(...checkDetails(check, tracebacks));
  body.hidden = body.childElementCount === 0;
}

function checkDetails(check, tracebacks) {
  const parts = [];
  if (check.message) parts.push(element("pre", "check-message", check.message));
  if (check.picture || check.figures?.length) parts.push(picturesOf(check));
  if (check.hint) parts.push(element("p", "check-hint", `Hint: ${check.hint}`));
  if (check.error?.traceback) parts.push(tracebackOnce(check, tracebacks));
  if (check.comparison) parts.push(comparisonTable(check.comparison));
  if (check.output) {
    const printed = element("pre", "check-output", `Printed:\n${check.output.replace(/\n$/, "")}`);
    const lines = check.output.replace(/\n$/, "").split("\n").length;
    parts.push(check.status === "pass" ? folded(`Printed output (${lines} line${lines === 1 ? "" : "s"})`, printed) : printed);
  }
  return parts;
}

/**
 * The traceback's frames (its last line, the error, is the message above it), in full the
 * first time this run shows them and folded after that.
 */
function tracebackOnce(check, tracebacks) {
  let frames = check.error.traceback.trimEnd();
  const last = `${check.error.type}: ${check.error.message}`;
  if (check.message && frames.endsWith(last)) frames = frames.slice(0, -last.length).trimEnd();
  const pre = element("pre", "check-traceback", frames);
  if (!tracebacks.has(frames)) {
    tracebacks.add(frames);
    return pre;
  }
  return folded("Same error as above", pre);
}

function folded(title, content) {
  const details = element("details", "folded", "");
  details.append(element("summary", "", title), content);
  return details;
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
