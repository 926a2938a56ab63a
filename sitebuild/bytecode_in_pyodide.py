"""Runs inside Pyodide, under Node (compile_bytecode.mjs): not a module of the build.

Imports what a worker imports before its first run, then writes to /tmp/:
- python_stdlib.zip: Pyodide's standard library with each module imported as bytecode alone (a
  .pyc where its .py was: zipimport takes it as it is), the rest of Pyodide's own packages
  (pyodide, _pyodide) as sources, every file that is not Python as it was, and the module
  lazy_modules.py compiled as _lazy_modules.pyc, naming the archive that holds each other module;
- rest/<unit>-<sha256>.zip: the sources of every other module, the standard library's and
  NumPy's, an archive per unit (the topmost package or module of its name that no worker
  imports at start: `email` for email.mime.text, `encodings.utf_16`, `numpy.polynomial`), which
  the worker fetches the first time an import needs it;
- numpy_pyc.zip: for each NumPy module imported, its bytecode by its path in the wheel with .pyc
  for .py (runtime.py puts them in the wheel it derives, in place of the sources);
- bytecode.zip: __pycache__ files for the runner's modules and its sources (the worker carries
  none), by path from / (the worker unpacks it there once NumPy is installed);
- bytecode_cdn.zip: the same with __pycache__ files for the NumPy modules imported, for pages
  that load NumPy's wheel as released, from a CDN.
Unchecked-hash .pyc files: used as they are, whatever the sources' file times in the browser.
"""

import sys
sys.path.insert(0, "/home/pyodide")
import runner.harness, numpy.random

origins = sorted({getattr(module.__spec__, "origin", None) or ""
                  for module in list(sys.modules.values()) if getattr(module, "__spec__", None)})
started = set(sys.modules)
import hashlib, importlib.util, io, os, py_compile, site, tempfile, zipfile  # not a worker's

STDLIB = next(entry for entry in sys.path if entry.endswith(".zip"))
SITE = site.getsitepackages()[0] + "/"
RUNNER = "/home/pyodide/runner/"
LAZY = "/tmp/lazy_modules.py"  # written there by compile_bytecode.mjs
UPFRONT = ("pyodide/", "_pyodide/")  # Pyodide's own Python: whole, as it may import any of it


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


def module_name(path):
    """The module a .py file at `path` (relative to a sys.path entry) defines."""
    return path[:-3].removesuffix("/__init__").replace("/", ".")


def unit(name):
    """The archive a module not imported at start goes in: its topmost package (or itself)
    that is not imported at start either."""
    parts = name.split(".")
    return next((".".join(parts[:end]) for end in range(1, len(parts) + 1)
                 if ".".join(parts[:end]) not in started), name)


imported = {origin for origin in origins if origin.endswith(".py")}
units = {}  # unit -> {path in its archive: source}
with (zipfile.ZipFile(STDLIB) as stdlib,
      zipfile.ZipFile("/tmp/python_stdlib.zip", "w") as out):
    for info in stdlib.infolist():
        name = info.filename
        if not name.endswith(".py"):
            out.writestr(info, stdlib.read(info))
        elif f"{STDLIB}/{name}" in imported:
            out.writestr(entry(name[:-3] + ".pyc"), compiled(stdlib.read(name), f"{STDLIB}/{name}"))
        elif name.startswith(UPFRONT):
            out.writestr(info, stdlib.read(info))
        else:
            units.setdefault(unit(module_name(name)), {})[name] = stdlib.read(info)
    with zipfile.ZipFile("/tmp/numpy_pyc.zip", "w") as numpy_pyc:
        for folder, _, files in sorted(os.walk(SITE + "numpy")):
            for file in sorted(files):
                path = f"{folder}/{file}"
                name = path[len(SITE):]
                if not file.endswith(".py"):
                    continue
                if path in imported:
                    numpy_pyc.writestr(entry(name[:-3] + ".pyc"),
                                       compiled(open(path, "rb").read(), path))
                else:
                    units.setdefault(unit(module_name(name)), {})[name] = open(path, "rb").read()
    os.makedirs("/tmp/rest")
    archives = {}  # module -> the file name of its unit's archive
    for key, files in sorted(units.items()):
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w") as archive:
            for name, source in sorted(files.items()):
                archive.writestr(entry(name), source)
        file = f"{key}-{hashlib.sha256(data.getvalue()).hexdigest()[:8]}.zip"
        with open(f"/tmp/rest/{file}", "wb") as written:
            written.write(data.getvalue())
        archives |= {module_name(name): file for name in files}
    source = open(LAZY).read() + f"\nMODULES = {dict(sorted(archives.items()))!r}\n"
    out.writestr(entry("_lazy_modules.pyc"), compiled(source.encode(), f"{STDLIB}/_lazy_modules.py"))

for archive, roots in (("bytecode", (RUNNER,)), ("bytecode_cdn", (RUNNER, SITE + "numpy/"))):
    with zipfile.ZipFile(f"/tmp/{archive}.zip", "w") as out:
        for name in sorted(os.listdir(RUNNER)):
            if name.endswith(".py"):
                out.writestr(entry(RUNNER.lstrip("/") + name), open(RUNNER + name, "rb").read())
        for origin in origins:
            if origin.startswith(roots) and origin.endswith(".py"):
                cache = importlib.util.cache_from_source(origin)
                out.writestr(entry(cache.lstrip("/")), compiled(open(origin, "rb").read(), origin))
