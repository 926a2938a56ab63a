// The Web Worker that owns Pyodide and runs the grading harness (runner/) inside it.
//
// Message protocol; every message has a `type`, and messages about a run carry its `id`:
//
//   page -> worker
//     {type: "init", pyodideURL, spec, interruptBuffer}   start Pyodide and prepare the grader
//         for `spec` (runner.harness.ProblemSpec as JSON); interruptBuffer is a
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
import initPy from "../../runner/__init__.py";
import checksPy from "../../runner/checks.py";
import guardPy from "../../runner/guard.py";
import harnessPy from "../../runner/harness.py";
import resultsPy from "../../runner/results.py";

const RUNNER_FILES = {
  "__init__.py": initPy,
  "checks.py": checksPy,
  "guard.py": guardPy,
  "harness.py": harnessPy,
  "results.py": resultsPy,
};
const HOME = "/home/pyodide";

let runtime = null;
let currentRunId = null;

self.onmessage = ({ data }) => {
  if (data.type === "init") runtime = start(data);
  else if (data.type === "run") run(data);
};

async function start({ pyodideURL, spec, interruptBuffer }) {
  post({ type: "status", state: "loading", message: "Loading Python and NumPy…" });
  try {
    const { loadPyodide } = await import(`${pyodideURL}pyodide.mjs`);
    const pyodide = await loadPyodide({ indexURL: pyodideURL, packages: ["numpy"] });
    pyodide.FS.mkdirTree(`${HOME}/runner`);
    for (const [name, text] of Object.entries(RUNNER_FILES)) {
      pyodide.FS.writeFile(`${HOME}/runner/${name}`, text);
    }
    const flags = interruptBuffer ? new Int32Array(interruptBuffer) : null;
    if (flags) pyodide.setInterruptBuffer(flags.subarray(0, 1));
    pyodide.runPython(`import sys; sys.path.insert(0, "${HOME}")`);
    // The grader is prepared once per worker (harness and NumPy imported, tests collected).
    const harness = pyodide.pyimport("runner.harness");
    const grader = harness.Grader(harness.ProblemSpec.from_json(JSON.stringify(spec)));
    const postEvent = (json) => post({ type: "event", id: currentRunId, event: JSON.parse(json) });
    const interrupted = () => (flags ? Atomics.load(flags, 1) === 1 : false);
    post({ type: "status", state: "ready", message: "Python ready" });
    return { grader, postEvent, interrupted };
  } catch (error) {
    post({ type: "status", state: "error", message: `Python could not start: ${describe(error)}` });
    return null;
  }
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
