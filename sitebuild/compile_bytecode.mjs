// Compiles Python to bytecode with Pyodide's own CPython, in Node (run by runtime.py's
// compile_bytecode): Pyodide's standard library and the NumPy wheel hold only .py files, which
// every page load would otherwise compile again.
// argv: the Python program to run inside Pyodide (bytecode_in_pyodide.py), the folder holding
// the verified NumPy wheel, the output folder, the finder of lazily fetched modules
// (lazy_modules.py); stdin: the runner's sources as JSON {name: text}. Writes the archives
// bytecode_in_pyodide.py lists.
import fs from "node:fs";
import { loadPyodide } from "pyodide";

const [program, wheels, out, lazy] = process.argv.slice(2);
const ARCHIVES = ["python_stdlib.zip", "numpy_pyc.zip", "bytecode.zip", "bytecode_cdn.zip"];
try {
  const runner = JSON.parse(fs.readFileSync(0, "utf8"));
  const pyodide = await loadPyodide({ packageCacheDir: wheels, packages: ["numpy"] });
  pyodide.FS.mkdirTree("/home/pyodide/runner");
  for (const [name, text] of Object.entries(runner)) {
    pyodide.FS.writeFile(`/home/pyodide/runner/${name}`, text);
  }
  pyodide.FS.writeFile("/tmp/lazy_modules.py", fs.readFileSync(lazy, "utf8"));
  pyodide.runPython(fs.readFileSync(program, "utf8"), { filename: program });
  for (const name of ARCHIVES) {
    fs.writeFileSync(`${out}/${name}`, pyodide.FS.readFile(`/tmp/${name}`));
  }
  fs.mkdirSync(`${out}/rest`);
  for (const name of pyodide.FS.readdir("/tmp/rest").filter((name) => name.endsWith(".zip"))) {
    fs.writeFileSync(`${out}/rest/${name}`, pyodide.FS.readFile(`/tmp/rest/${name}`));
  }
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
