// The Web Worker that owns Pyodide and runs the grading harness (runner/) inside it.
//
// Message protocol; every message has a `type`, and messages about a run carry its `id`:
//
//   page -> worker
//     {type: "init", pyodideURL, pyodideIntegrity, numpyWheel, spec, interruptBuffer}
//         start Pyodide and NumPy (the wheel's file name; pyodideIntegrity maps file names to
//         SRI hashes, in CDN mode) and prepare the grader for `spec` (runner.harness.ProblemSpec
//         as JSON); interruptBuffer is a
//         SharedArrayBuffer of two Int32 slots ([0] Pyodide's interrupt signal, [1] set to 1
//         when the page's time limit fired), or null when the page is not cross-origin isolated
//     {type: "run", id, kind: "tests" | "examples", source}   grade `source`
//
//   worker -> page
//     {type: "status", state: "loading" | "ready" | "error", message}
//     {type: "event", id, event}     harness progress: {event: "test_started", index} or
//                                    {event: "test_finished", index, result}
//     {type: "result", id, results}  the harness's versioned Results object (runner/results.py)
//     {type: "crash", id, message}   the interpreter died (e.g. a JS RangeError from deep
//                                    recursion in C); the page replaces this worker
// RUNNER_FILES, {file name: source} of runner/*.py, is defined by build.py when it bundles
// this file, so the worker carries the harness without fetching it.
const HOME = "/home/pyodide";

let runtime = null;
let currentRunId = null;

self.onmessage = ({ data }) => {
  if (data.type === "init") runtime = start(data);
  else if (data.type === "run") run(data);
};

// Pyodide's own files; with the NumPy wheel, everything a worker downloads.
const CORE_FILES = ["pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

class LoadError extends Error {}

async function start({ pyodideURL, pyodideIntegrity, spec, numpyWheel, interruptBuffer }) {
  post({ type: "status", state: "loading", message: "Loading Python…" });
  // Ask for every file at once: the NumPy wheel downloads while Python starts (Pyodide then
  // finds it in the HTTP cache), and a file that cannot be had stops the start with its name.
  // Pyodide alone would wait forever for a wasm file that never arrives.
  const files = [...CORE_FILES, numpyWheel];
  const downloads = Promise.all(files.map((file) => download(pyodideURL, file, pyodideIntegrity[file])));
  downloads.catch(() => {});
  try {
    const booting = boot(pyodideURL);
    const pyodide = await Promise.race([booting, downloads.then(() => booting)]);
    post({ type: "status", state: "loading", message: "Loading NumPy…" });
    const problems = [];
    await pyodide.loadPackage("numpy", { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
    // loadPackage reports a failed download or checksum through errorCallback, not by throwing;
    // the download itself worked, so the file is there but not the one the lock file pins.
    if (!("numpy" in pyodide.loadedPackages)) {
      throw new LoadError(`Could not load NumPy: ${numpyWheel} does not match the checksum in pyodide-lock.json (a damaged or replaced file).`);
    }
    const grader = prepareGrader(pyodide, spec, interruptBuffer);
    post({ type: "status", state: "ready", message: "Python ready" });
    return grader;
  } catch (error) {
    const message = error instanceof LoadError ? error.message : `Python could not start: ${describe(error)}`;
    post({ type: "status", state: "error", message });
    return null;
  }
}

async function boot(pyodideURL) {
  const { loadPyodide } = await import(`${pyodideURL}pyodide.mjs`);
  return loadPyodide({ indexURL: pyodideURL });
}

async function download(pyodideURL, file, integrity) {
  const what = file.endsWith(".whl") ? "NumPy" : "Python";
  let response;
  try {
    // Only a HEAD for Pyodide's own files: a second download of the wasm would hold back the
    // streaming compile of Pyodide's. The wheel is fetched whole, into the HTTP cache, as it is
    // needed later; from a CDN every file is, to check it against the sha256 the build pinned.
    const whole = Boolean(integrity) || file.endsWith(".whl");
    response = await fetch(`${pyodideURL}${file}`, whole ? { integrity } : { method: "HEAD" });
    if (response.ok) {
      if (whole) await response.arrayBuffer();
      return;
    }
  } catch {
    const reason = integrity
      ? `${file} did not arrive intact (a network failure, or not the file the build pinned).`
      : `the server did not answer for ${file}. Are you offline?`;
    throw new LoadError(`Could not load ${what}: ${reason} Retry once connected.`);
  }
  throw new LoadError(`Could not load ${what}: ${file} is missing on the server (HTTP ${response.status}).`);
}

/** Put the harness into Python's file system and prepare the problem's grader, once. */
function prepareGrader(pyodide, spec, interruptBuffer) {
  pyodide.FS.mkdirTree(`${HOME}/runner`);
  for (const [name, text] of Object.entries(RUNNER_FILES)) {
    pyodide.FS.writeFile(`${HOME}/runner/${name}`, text);
  }
  const flags = interruptBuffer ? new Int32Array(interruptBuffer) : null;
  if (flags) pyodide.setInterruptBuffer(flags.subarray(0, 1));
  pyodide.runPython(`import sys; sys.path.insert(0, "${HOME}")`);
  const harness = pyodide.pyimport("runner.harness");
  return {
    grader: harness.Grader(harness.ProblemSpec.from_json(JSON.stringify(spec))),
    postEvent: (json) => post({ type: "event", id: currentRunId, event: JSON.parse(json) }),
    interrupted: () => (flags ? Atomics.load(flags, 1) === 1 : false),
  };
}

async function run({ id, kind, source }) {
  const ready = await runtime;
  if (!ready) {
    post({ type: "crash", id, message: "Python is not available in this worker." });
    return;
  }
  currentRunId = id;
  try {
    const json = ready.grader.run_json(kind, source, ready.postEvent, ready.interrupted);
    post({ type: "result", id, results: JSON.parse(json) });
  } catch (error) {
    // Learner errors come back as results; reaching here means Python itself broke.
    post({ type: "crash", id, message: describe(error) });
  }
}

function describe(error) {
  const text = String(error?.message ?? error);
  return text.split("\n").filter(Boolean).slice(-1)[0] ?? "unknown error";
}

function post(message) {
  self.postMessage(message);
}
