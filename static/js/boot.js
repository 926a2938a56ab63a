// The start of a problem page. build.py inlines this script (bundled with what it imports) at
// the top of <head>, ahead of the stylesheets, so it runs while the browser is still parsing:
// - the Python worker starts at once, fetching and compiling Pyodide while the page is styled
//   and laid out and while app.js loads; app.js picks it up as `practiceRuntime`;
// - the code area takes the learner's saved code and input as soon as it has been parsed,
//   long before CodeMirror (app.js) replaces it.
import { Runtime } from "./runtime.js";
import { loadCode } from "./storage.js";

const problem = JSON.parse(document.getElementById("problem-data").textContent);
const runtime = new Runtime({ workerURL: new URL(problem.workerPath, document.baseURI), spec: problem.spec });
runtime.start();
globalThis.practiceRuntime = runtime;

function openCodeArea() {
  const area = document.querySelector("[data-testid=code-fallback]");
  area.value = loadCode(problem.slug)?.code ?? problem.starter;
  area.readOnly = false;
  performance.mark("practice:input-ready"); // read by tests/benchmark/run.py
}

// "interactive": the document is parsed, before deferred scripts such as app.js run.
if (document.readyState === "loading") {
  document.addEventListener("readystatechange", openCodeArea, { once: true });
} else {
  openCodeArea();
}
