const { loadPyodide } = await import("../pyodide/v0.27.7/pyodide.esm.js"); // pyodide.mjs, as the site names it
const pyodide = await loadPyodide({
  indexURL: new URL("../pyodide/v0.27.7/", import.meta.url).href,
  stdLibURL: new URL("python_stdlib.zip", import.meta.url).href, // Pyodide's own, beside this file
  packages: ["numpy"],
});
pyodide.runPython("import numpy");
postMessage("ready");
