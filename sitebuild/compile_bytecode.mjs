// Compiles Python to bytecode with Pyodide's own CPython, in Node (run by runtime.py's
// compile_bytecode): Pyodide's standard library and the NumPy wheel hold only .py files, which
// every page load would otherwise compile again.
// argv: the Python program to run inside Pyodide (bytecode_in_pyodide.py), the folder holding
// the verified NumPy wheel, the output folder; stdin: the runner's sources as JSON
// {name: text}. Writes python_stdlib.zip and bytecode.zip (see bytecode_in_pyodide.py).
import fs from "node:fs";
import { loadPyodide } from "pyodide";

const [program, wheels, out] = process.argv.slice(2);
try {
  const runner = JSON.parse(fs.readFileSync(0, "utf8"));
  const pyodide = await loadPyodide({ packageCacheDir: wheels, packages: ["numpy"] });
  pyodide.FS.mkdirTree("/home/pyodide/runner");
  for (const [name, text] of Object.entries(runner)) {
    pyodide.FS.writeFile(`/home/pyodide/runner/${name}`, text);
  }
  pyodide.runPython(fs.readFileSync(program, "utf8"), { filename: program });
  for (const name of ["python_stdlib.zip", "bytecode.zip"]) {
    fs.writeFileSync(`${out}/${name}`, pyodide.FS.readFile(`/tmp/${name}`));
  }
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
