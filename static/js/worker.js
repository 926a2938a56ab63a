// The Web Worker that owns Pyodide and runs the grading harness (runner/) inside it.
//
// It starts loading Python the moment its script runs, from what build.py compiled into it
// (so no page message has to reach it first: a page busy laying itself out holds those back):
// - PYODIDE: {url: Pyodide's folder, relative to this file or a CDN's; module: the file name of
//   its ES module there (a .js name in the site: build.py, PYODIDE_MODULE); integrity: {file
//   name: SRI hash}, in CDN mode; numpyWheel, numpySHA256, lock: the NumPy wheel, its sha256 and
//   the lock file naming it (the site's, derived from Pyodide's by the build, or the CDN's as
//   released); stdlib, rest, bytecode: the site's standard library (bytecode alone for what a
//   worker imports at start), the folder of archives of every other module's sources (each
//   fetched by the first import that needs it), and the runner's bytecode and sources (with NumPy's bytecode in CDN mode);
//   every file relative to this one (sitebuild/runtime.py, compile_bytecode)}.
//
// Message protocol; every message has a `type`, and messages about a run carry its `id`:
//
//   page -> worker
//     {type: "init", spec, interruptBuffer}
//         prepare the grader for `spec` (runner.harness.ProblemSpec as JSON) once Python is up;
//         interruptBuffer is a SharedArrayBuffer of two Int32 slots ([0] Pyodide's interrupt
//         signal, [1] set to 1 when the page's time limit fired), or null when the page is not
//         cross-origin isolated
//     {type: "problem", spec}
//         the page moved in place to another problem (static/js/navigate.js): grade later runs
//         with a grader for `spec`, in the same Python; answered with status "ready" once it
//         is prepared. Graders are kept per spec, so going back costs nothing. Learner code of
//         one problem cannot reach the next one's grading: every run loads the learner's module
//         afresh, restores what learner code changed (runner/guard.py) and removes the parts it
//         imported from sys.modules (runner/harness.py, LearnerParts)
//     {type: "prepare", spec}
//         build the grader for `spec` now, without using it (the learner is pointing at a link
//         to that problem), so that a "problem" message for it is answered at once
//     {type: "run", id, kind: "tests" | "examples", source, parts, lens, timeLimitMs}
//         grade `source`; parts ({module: source}) is the learner's code for the earlier problems
//         of the series, which `source` may import (spec.parts names them; their hidden tests
//         the worker fetches from <slug>/part.json the first time); lens (default true)
//         whether to record the shape lens (results.lens); timeLimitMs the run's time limit,
//         which the worker keeps itself when it has no interruptBuffer (TimeLimitClock: Python
//         is interrupted in place on the worker's own clock; the page's timer stays the backstop)
//
//   worker -> page
//     {type: "status", state: "loading" | "ready" | "error", message}
//     {type: "event", id, event}     harness progress: {event: "test_started", index} or
//                                    {event: "test_finished", index, result}
//     {type: "result", id, results}  the harness's versioned Results object (runner/results.py)
//     {type: "crash", id, message}   the interpreter died (e.g. a JS RangeError from deep
//                                    recursion in C); the page replaces this worker
const HOME = "/home/pyodide";
const PYODIDE_URL = new URL(PYODIDE.url, self.location.href).href;
const STDLIB_URL = new URL(PYODIDE.stdlib, self.location.href).href;
const BYTECODE_URL = new URL(PYODIDE.bytecode, self.location.href).href;
const REST_URL = new URL(PYODIDE.rest, self.location.href).href;
const LOCK_URL = new URL(PYODIDE.lock, self.location.href).href;
const WHEEL_URL = new URL(PYODIDE.numpyWheel, self.location.href).href;

let currentRunId = null;
let receiveInit;
const init = new Promise((resolve) => (receiveInit = resolve));

self.onmessage = ({ data }) => {
  if (data.type === "init") receiveInit(data);
  else if (data.type === "run") {
    clock.start(data.timeLimitMs);
    run(data);
  } else if (data.type === "problem") useProblem(data.spec);
  else if (data.type === "prepare") prepare(data.spec);
};

/**
 * The time limit on the worker's own clock, for a worker without the page's shared interrupt
 * buffer (a page that is not cross-origin isolated, or WebKit without SharedArrayBuffer): given
 * to Pyodide as its interrupt buffer, whose slot 0 the interpreter reads every few dozen
 * bytecodes (and then writes 0). It reads 2 (SIGINT) once, when the run's deadline has passed,
 * so `while True: pass` is interrupted in place instead of the worker being replaced. Code that
 * never returns to the interpreter (a loop inside C) still is, by the page's timer.
 */
class TimeLimitClock {
  deadline = Infinity;
  signalled = false;
  reads = 0;

  start(timeLimitMs) {
    this.deadline = Number.isFinite(timeLimitMs) ? performance.now() + timeLimitMs : Infinity;
    this.signalled = false;
    this.reads = 0;
  }

  /** The run is over: no interrupt may reach Python between runs. */
  stop() {
    this.deadline = Infinity;
  }

  /** Whether the run's time limit has passed (the harness's `interrupted()`). */
  get fired() {
    return performance.now() >= this.deadline;
  }

  get 0() {
    // Read the clock on every 16th read only: the interpreter asks often in a tight loop.
    if (this.signalled || (this.reads++ & 15) !== 0 || !this.fired) return 0;
    this.signalled = true;
    return 2;
  }

  set 0(value) {} // Pyodide resets the slot after each read: the clock resets itself
}

const clock = new TimeLimitClock();

// Everything a worker downloads as it starts: Pyodide's own files, the lock file and the NumPy
// wheel, then the site's (the rest of the modules only when an import needs them).
const FILES = [
  ...["pyodide.asm.js", "pyodide.asm.wasm"].map((name) => `${PYODIDE_URL}${name}`),
  LOCK_URL,
  WHEEL_URL,
  STDLIB_URL,
  BYTECODE_URL,
].map((url) => ({ url, integrity: PYODIDE.integrity[url.slice(url.lastIndexOf("/") + 1)] }));

class LoadError extends Error {}

// Once the start has failed (say, a file missing), Pyodide's own loading can still throw behind
// it; the page has the reason already, and must not take those for a crash.
let failed = false;
const quietAfterFailure = (event) => failed && event.preventDefault();
self.addEventListener("error", quietAfterFailure);
self.addEventListener("unhandledrejection", quietAfterFailure);

const runtime = start();

async function start() {
  post({ type: "status", state: "loading", message: "Loading Python and NumPy…" });
  // Check every file at once, beside Pyodide's own downloads: a file that cannot be had stops
  // the start with its name. Pyodide alone would wait forever for a wasm file that never
  // arrives, and can stall on a wheel that fails its checksum.
  const downloads = Promise.all(FILES.map(download));
  downloads.catch(() => {});
  try {
    const booting = boot();
    const pyodide = await Promise.race([booting, downloads.then(() => booting)]);
    // Pyodide reports a wheel that fails its checksum on the console, not by throwing (where
    // download() could not check it first).
    if (!("numpy" in pyodide.loadedPackages)) {
      throw new LoadError(`Could not load NumPy: ${WHEEL_URL.slice(WHEEL_URL.lastIndexOf("/") + 1)} does not match the checksum in pyodide-lock.json (a damaged or replaced file).`);
    }
    const { spec, interruptBuffer } = await init;
    const python = preparePython(pyodide, interruptBuffer);
    current = graderFor(python, spec);
    post({ type: "status", state: "ready", message: "Python ready" });
    return python;
  } catch (thrown) {
    // A file that could not be had is the reason, whatever Pyodide made of it first (say, a
    // syntax error in a replaced pyodide.asm.js).
    const error = await downloads.then(() => thrown, (failure) => failure);
    const message = error instanceof LoadError ? error.message : `Python could not start: ${describe(error)}`;
    failed = true;
    post({ type: "status", state: "error", message });
    return null;
  }
}

async function boot() {
  // download() names this file if it cannot be had.
  const bytecode = fetch(BYTECODE_URL).then((response) => (response.ok ? response.arrayBuffer() : null), () => null);
  compileWasmOfAnyType();
  const { loadPyodide } = await import(`${PYODIDE_URL}${PYODIDE.module}`);
  // NumPy named here loads as soon as the lock file is read, while the interpreter boots,
  // rather than after it (loadPackage): about half a second sooner. The standard library
  // carries bytecode for what Python imports as it starts.
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_URL, stdLibURL: STDLIB_URL, lockFileURL: LOCK_URL, packages: ["numpy"],
  });
  // The runner's bytecode and sources (and NumPy's bytecode, when its wheel comes as released):
  // Python reads it instead of compiling them again (half a second and more).
  const archive = await bytecode;
  if (archive) pyodide.unpackArchive(archive, "zip", { extractDir: "/" });
  // Modules no worker imports at start stay in archives, each fetched when an import needs it.
  pyodide.pyimport("_lazy_modules").install(REST_URL);
  return pyodide;
}

/**
 * Let Pyodide compile a wasm file that the server sends with a type other than application/wasm
 * (older servers and object stores send application/octet-stream). Pyodide compiles it with
 * WebAssembly.instantiateStreaming, which refuses such a response, and then waits forever: such
 * a response is compiled from its bytes instead, a little later than streaming would.
 */
function compileWasmOfAnyType() {
  if (!WebAssembly.instantiateStreaming) return; // Pyodide then compiles from bytes itself
  const streaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const type = response.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
    if (type === "application/wasm") return streaming(response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
  };
}

async function download({ url, integrity }) {
  const file = url.slice(url.lastIndexOf("/") + 1);
  const what = file.endsWith(".whl") ? "NumPy" : "Python";
  const wheel = url === WHEEL_URL;
  let response;
  let bytes = null;
  try {
    // Only a HEAD for files from this site: Pyodide or boot() downloads them, and a second
    // download of the wasm would hold back its streaming compile. The wheel is fetched
    // whole to check its sha256 here, as Pyodide can stall on a wheel that fails its check;
    // from a CDN every file is, checked against the sha256 the build pinned.
    const whole = Boolean(integrity) || wheel;
    response = await fetch(url, whole ? { integrity } : { method: "HEAD" });
    if (response.ok && whole) bytes = await response.arrayBuffer();
  } catch {
    const reason = integrity
      ? `${file} did not arrive intact (a network failure, or not the file the build pinned).`
      : `the server did not answer for ${file}. Are you offline?`;
    throw new LoadError(`Could not load ${what}: ${reason} Retry once connected.`);
  }
  if (!response.ok) {
    throw new LoadError(`Could not load ${what}: ${file} is missing on the server (HTTP ${response.status}).`);
  }
  if (wheel && !integrity && !(await hasDigest(bytes, PYODIDE.numpySHA256))) {
    throw new LoadError(`Could not load NumPy: ${file} does not match the checksum in pyodide-lock.json (a damaged or replaced file).`);
  }
}

/** Whether `bytes` have the sha256 `hex`; true where the page is not a secure context. */
async function hasDigest(bytes, hex) {
  if (!self.crypto?.subtle) return true; // Pyodide checks the wheel itself, too
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("") === hex;
}

/** Make the harness importable (the bytecode archive put it at HOME/runner) and interruptible. */
function preparePython(pyodide, interruptBuffer) {
  const flags = interruptBuffer ? new Int32Array(interruptBuffer) : null;
  pyodide.setInterruptBuffer(flags ? flags.subarray(0, 1) : clock);
  pyodide.runPython(`import sys; sys.path.insert(0, "${HOME}")`);
  return {
    harness: pyodide.pyimport("runner.harness"),
    flags,
    postEvent: (json) => post({ type: "event", id: currentRunId, event: JSON.parse(json) }),
    interrupted: () => (flags ? Atomics.load(flags, 1) === 1 : clock.fired),
  };
}

// Graders by their spec's JSON, each prepared once (tests collected, known mistakes compiled);
// `current` is the one runs use.
const graders = new Map();
let current = null;

function graderFor(python, spec) {
  const key = JSON.stringify(spec);
  if (!graders.has(key)) {
    graders.set(key, {
      grader: python.harness.Grader(python.harness.ProblemSpec.from_json(key)),
      partSlugs: new Map(spec.parts.map((part) => [part.module, part.slug])),
    });
  }
  return graders.get(key);
}

/**
 * Clear an interrupt the page raised for a run that has ended since (it moved on while the
 * run went on): left set, it would stop the harness's own next steps.
 */
function clearInterrupt(python) {
  if (python.flags) python.flags.fill(0);
}

async function useProblem(spec) {
  const python = await runtime;
  if (!python) return; // the start failed, and the page has said so
  clearInterrupt(python);
  try {
    current = graderFor(python, spec);
    post({ type: "status", state: "ready", message: "Python ready" });
  } catch (error) {
    current = null;
    post({ type: "status", state: "error", message: `This problem could not be prepared: ${describe(error)}` });
  }
}

async function prepare(spec) {
  const python = await runtime;
  if (!python) return;
  clearInterrupt(python);
  try {
    graderFor(python, spec);
  } catch {
    // Said when the page moves to that problem ("problem"), which prepares it again.
  }
}

// The hidden tests of earlier problems, by module, fetched once each (from `<slug>/part.json`)
// when a run sends the learner's code for them: the harness grades each part a run imports.
const SITE_URL = new URL("../../", self.location.href).href;
const partTests = new Map();

function testsOfParts(parts, slugs) {
  const tests = Object.keys(parts).map((module) => {
    const slug = slugs.get(module);
    if (slug && !partTests.has(module)) {
      partTests.set(module, fetch(`${SITE_URL}${slug}/part.json`)
        .then((response) => (response.ok ? response.json() : {}))
        .then((part) => part.tests ?? "", () => ""));
    }
    return Promise.resolve(partTests.get(module) ?? "").then((text) => [module, text]);
  });
  return Promise.all(tests).then(Object.fromEntries);
}

async function run({ id, kind, source, parts = {}, lens = true }) {
  const python = await runtime;
  const problem = current; // the problem of the page at the time this run was sent
  if (!python || !problem) {
    post({ type: "crash", id, message: "Python is not available in this worker." });
    return;
  }
  currentRunId = id;
  try {
    const tests = await testsOfParts(parts, problem.partSlugs);
    const json = problem.grader.run_json(kind, source, python.postEvent, python.interrupted, JSON.stringify(parts), lens, JSON.stringify(tests));
    post({ type: "result", id, results: JSON.parse(json) });
  } catch (error) {
    // Learner errors come back as results; reaching here means Python itself broke.
    post({ type: "crash", id, message: describe(error) });
  } finally {
    clock.stop();
  }
}

function describe(error) {
  const text = String(error?.message ?? error);
  return text.split("\n").filter(Boolean).slice(-1)[0] ?? "unknown error";
}

function post(message) {
  self.postMessage(message);
}
