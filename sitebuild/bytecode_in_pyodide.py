"""Runs inside Pyodide, under Node (compile_bytecode.mjs): not a module of the build.

Imports what a worker imports before its first run, then writes
- /tmp/python_stdlib.zip: Pyodide's standard library, every file as it was, plus a .pyc
  beside each module imported (zipimport takes a .pyc before its .py);
- /tmp/bytecode.zip: __pycache__ files for the NumPy and runner modules imported, and the
  runner's own sources (the worker carries none), by path from / (the worker unpacks it there
  once NumPy is installed).
Unchecked-hash .pyc files: used as they are, whatever the sources' file times in the browser.
"""

import sys
sys.path.insert(0, "/home/pyodide")
import runner.harness, numpy.random

origins = sorted({getattr(module.__spec__, "origin", None) or ""
                  for module in list(sys.modules.values()) if getattr(module, "__spec__", None)})
import importlib.util, os, py_compile, site, tempfile, zipfile  # after: not a worker's imports

STDLIB = next(entry for entry in sys.path if entry.endswith(".zip"))
ROOTS = (site.getsitepackages()[0] + "/", "/home/pyodide/runner/")

def compiled(source, shown):
    with tempfile.NamedTemporaryFile(suffix=".py") as py, tempfile.NamedTemporaryFile() as pyc:
        py.write(source)
        py.flush()
        py_compile.compile(py.name, cfile=pyc.name, dfile=shown, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return open(pyc.name, "rb").read()

def entry(name):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info

with (zipfile.ZipFile(STDLIB) as stdlib,
      zipfile.ZipFile("/tmp/python_stdlib.zip", "w") as out):
    for info in stdlib.infolist():
        out.writestr(info, stdlib.read(info))
    for origin in origins:
        if origin.startswith(STDLIB + "/") and origin.endswith(".py"):
            name = origin[len(STDLIB) + 1:]
            out.writestr(entry(name[:-3] + ".pyc"), compiled(stdlib.read(name), origin))
with zipfile.ZipFile("/tmp/bytecode.zip", "w") as out:
    for name in sorted(os.listdir(ROOTS[1])):
        if name.endswith(".py"):
            out.writestr(entry(ROOTS[1].lstrip("/") + name), open(ROOTS[1] + name, "rb").read())
    for origin in origins:
        if origin.startswith(ROOTS) and origin.endswith(".py"):
            cache = importlib.util.cache_from_source(origin)
            out.writestr(entry(cache.lstrip("/")), compiled(open(origin, "rb").read(), origin))
