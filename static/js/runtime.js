// The page's side of the worker protocol (documented in worker.js): start Pyodide in a Web
// Worker, run tests with a time limit, and replace the worker whenever it cannot go on.

const INTERRUPT_GRACE_MS = 1000;
const RESULTS_VERSION = 1;

export class Runtime {
  /** `init` is what each new worker's "init" message carries (see worker.js). */
  constructor({ workerURL, ...init }) {
    this.workerURL = workerURL;
    this.init = init;
    this.status = null;
    this.listener = null;
    this.worker = null;
    this.pending = null;
    this.nextId = 0;
  }

  /** Call `listener` with the current status ({state, message}) and with every later one. */
  watch(listener) {
    this.listener = listener;
    if (this.status) listener(this.status);
  }

  onStatus(status) {
    this.status = status;
    this.listener?.(status);
  }

  /** Start a worker; Pyodide begins loading at once. */
  start(message = "Starting Python…") {
    this.onStatus({ state: "loading", message });
    // Interrupting Python from the page needs shared memory, which only cross-origin isolated
    // pages get, and not all of those (WebKitGTK is isolated without SharedArrayBuffer by
    // default): without it the worker keeps the time limit on its own clock. Each worker gets
    // its own, so an interrupt its predecessor never took cannot reach it.
    const shared = self.crossOriginIsolated && typeof SharedArrayBuffer === "function";
    this.flags = shared ? new Int32Array(new SharedArrayBuffer(8)) : null;
    const worker = new Worker(this.workerURL, { type: "module" });
    this.worker = worker;
    // A replaced worker can still report after terminate(): Chromium takes a second or two to
    // stop one busy in a loop, then fires its error event. Only the current worker is heard,
    // or the end of the old one would restart the new one.
    worker.onmessage = ({ data }) => this.worker === worker && this.receive(data);
    worker.onerror = (event) => this.worker === worker && this.crash(event.message || "the worker failed");
    worker.postMessage({ type: "init", ...this.init, interruptBuffer: this.flags?.buffer ?? null });
  }

  /**
   * Run `source` on the hidden tests (kind "tests") or the examples (kind "examples"); `names`
   * are the checks' names, `parts` the learner's code for earlier problems ({module: source}),
   * `lens` whether to record the shape lens. Resolve with a Results object, never reject.
   */
  run({ kind, source, parts = {}, names, timeLimitMs, onEvent, lens = true }) {
    if (this.pending) return Promise.reject(new Error("a run is already in progress"));
    return new Promise((resolve) => {
      const id = ++this.nextId;
      this.pending = { id, kind, resolve, onEvent, names, timeLimitMs, finished: [], running: null };
      if (this.flags) this.flags.fill(0);
      this.onStatus({ state: "running", message: kind === "tests" ? "Running tests…" : "Running examples…" });
      this.worker.postMessage({ type: "run", id, kind, source, parts, lens, timeLimitMs });
      this.pending.deadline = setTimeout(() => this.timeLimitReached(), timeLimitMs);
    });
  }

  /**
   * Grade later runs against `spec`, in the same Python (the page moved in place to another
   * problem, static/js/navigate.js). A worker started later (a restart) prepares it from the
   * start. Status goes to "loading" until the worker has the new grader ready, unless Python
   * is still starting or failed, which the status already says.
   */
  setProblem(spec) {
    this.init = { ...this.init, spec };
    if (this.status?.state === "ready") this.onStatus({ state: "loading", message: "Preparing the problem…" });
    this.worker.postMessage({ type: "problem", spec });
  }

  /** Let the worker build the grader for `spec` while it is idle (a link to it is pointed at). */
  prepare(spec) {
    if (this.status?.state === "ready" && !this.pending) this.worker.postMessage({ type: "prepare", spec });
  }

  /**
   * The page no longer wants the run in progress (it moved to another problem): its events are
   * dropped, and Python is asked to stop it now where it can be interrupted. Its promise still
   * resolves, and its time limit still replaces a worker that does not come back.
   */
  abandon() {
    const run = this.pending;
    if (!run) return;
    run.onEvent = null;
    if (!this.flags) return;
    // As at the time limit: the harness stops at once, and runs nothing more of the learner's.
    // The worker clears both slots before it prepares the next problem.
    Atomics.store(this.flags, 1, 1);
    Atomics.store(this.flags, 0, 2); // 2 is SIGINT
  }

  receive(message) {
    if (message.type === "status") {
      this.onStatus({ state: message.state, message: message.message });
      return;
    }
    const run = this.pending;
    if (!run || message.id !== run.id) return;
    if (message.type === "event") {
      const { event } = message;
      if (event.event === "test_started") run.running = event.index;
      if (event.event === "test_finished") {
        run.finished[event.index] = event.result;
        run.running = null;
      }
      run.onEvent?.(event);
    } else if (message.type === "result") {
      this.finish(message.results);
      // After a MemoryError the wasm heap stays at its peak for good: start afresh.
      if (ranOutOfMemory(message.results)) this.restart("Restarting Python to free memory…");
      else this.onStatus({ state: "ready", message: "Python ready" });
    } else if (message.type === "crash") {
      this.crash(message.message);
    }
  }

  timeLimitReached() {
    const run = this.pending;
    const seconds = run.timeLimitMs / 1000;
    // Ask Python to raise KeyboardInterrupt; the harness reports the timeout itself. Without
    // shared memory the worker's own clock has asked already (TimeLimitClock in worker.js). Code
    // that never returns to the interpreter (a loop inside C) ignores both, so the worker goes.
    if (this.flags) {
      Atomics.store(this.flags, 1, 1);
      Atomics.store(this.flags, 0, 2); // 2 is SIGINT
    }
    run.grace = setTimeout(() => {
      this.replace(stoppedResults(run, "timeout", `Time limit exceeded (${seconds} s): your code was stopped.`));
    }, INTERRUPT_GRACE_MS);
  }

  crash(reason) {
    const run = this.pending;
    const message =
      `Python crashed while running your code (${reason}). Very deep recursion, for example ` +
      `through built-in functions such as map, can do this. Python was restarted.`;
    if (run) this.replace(stoppedResults(run, "error", message));
    else this.restart("Python crashed; restarting…");
  }

  replace(results) {
    this.finish(results);
    this.restart("Restarting Python…");
  }

  restart(message) {
    this.worker.onmessage = this.worker.onerror = null;
    this.worker.terminate();
    this.start(message);
  }

  finish(results) {
    const run = this.pending;
    if (!run) return;
    clearTimeout(run.deadline);
    clearTimeout(run.grace);
    this.pending = null;
    run.resolve(results);
  }
}

/** Results for a run the worker could not finish: keep what finished, stop the rest. */
function stoppedResults(run, status, message) {
  const current = run.running ?? run.finished.length;
  const tests = run.names.map((name, index) => {
    if (run.finished[index]) return run.finished[index];
    const text = index === current ? message : `Not run: ${message}`;
    return { name, status, message: text, output: "", duration_ms: 0, error: null, hint: "", comparison: null };
  });
  return {
    version: RESULTS_VERSION,
    status,
    tests,
    kind: run.kind,
    output: "",
    output_truncated: false,
    error: null,
    parts: [],
    lens: null,
  };
}

function ranOutOfMemory(results) {
  return [results.error, ...results.tests.map((test) => test.error)].some((error) => error?.type === "MemoryError");
}
