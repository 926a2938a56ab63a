const { loadPyodide } = await import("../pyodide/v0.27.7/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/v0.27.7/", import.meta.url).href, packages: ["numpy"] });
pyodide.runPython("import numpy");
postMessage("ready");
