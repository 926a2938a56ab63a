// Rendering of the harness's Results object into the test list, summary, errors and output.

const STATUS_TEXT = {
  pending: "pending",
  pass: "passed",
  fail: "failed",
  error: "error",
  timeout: "time limit exceeded",
};

export class ResultsView {
  constructor(root) {
    this.items = [...root.querySelectorAll("[data-testid=test-result]")];
    this.summary = root.querySelector("[data-testid=results-summary]");
    this.runError = root.querySelector("[data-testid=run-error]");
    this.outputPanel = root.querySelector("[data-testid=output-panel]");
    this.console = root.querySelector("[data-testid=console]");
  }

  /** Mark every test as waiting for the run that is starting. */
  started() {
    this.summary.textContent = "Running…";
    for (const item of this.items) this.showTest(item, { status: "pending", message: "" });
    this.runError.hidden = true;
  }

  /** Apply one harness progress event as it arrives. */
  progress(event) {
    const item = this.items[event.index];
    if (!item) return;
    if (event.event === "test_started") item.setAttribute("aria-busy", "true");
    if (event.event === "test_finished") this.showTest(item, event.result);
  }

  /** Show a finished run. */
  show(results) {
    results.tests.forEach((test, index) => this.items[index] && this.showTest(this.items[index], test));
    const passed = results.tests.filter((test) => test.status === "pass").length;
    this.summary.textContent = `${passed}/${results.tests.length} passed`;
    this.showError(results.error);
    this.showOutput(results.output, results.output_truncated);
  }

  showTest(item, { status, message }) {
    item.dataset.status = status;
    item.removeAttribute("aria-busy");
    item.querySelector(".test-status-text").textContent = STATUS_TEXT[status] ?? status;
    const text = item.querySelector(".test-message");
    text.textContent = message || "";
    text.hidden = !message;
  }

  showError(error) {
    this.runError.hidden = !error;
    this.runError.textContent = error ? error.traceback || `${error.type}: ${error.message}` : "";
  }

  showOutput(output, truncated) {
    const note = truncated ? "\n… output cut here: only the first part of what was printed is kept." : "";
    this.console.textContent = output + note;
    this.outputPanel.hidden = !(output || note);
    if (output) this.outputPanel.open = true;
  }
}
