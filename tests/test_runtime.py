"""The Python runtime in the site: Pyodide and NumPy checked by sha256, and compiled bytecode."""

import json
import re
import zipfile
from pathlib import Path

import pytest

from conftest import sha256
from sitebuild import BuildError
from sitebuild.assets import runner_sources
from sitebuild import runtime
from sitebuild.runtime import (PYODIDE_CORE, PYODIDE_MODULE, PYODIDE_PATH, PYODIDE_SITE,
                               compile_bytecode, verify)

ROOT = Path(__file__).resolve().parent.parent


def worker_setting(site: Path, key: str) -> Path:
    """A file the worker loads, by its key in the worker's PYODIDE settings."""
    worker = next((site / "static" / "js").glob("worker-*.js")).read_text()
    return site / "static" / "js" / re.search(f'{key}:"([^"]+)"', worker).group(1)


def rest_of(site: Path) -> dict[str, tuple[str, bytes]]:
    """Every file of the archives fetched on first import: its path there, its archive's name
    and its content."""
    files = {}
    for path in sorted(worker_setting(site, "rest").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                assert name not in files, name
                files[name] = (path.name, archive.read(name))
    return files


def test_dist_holds_the_verified_pyodide_and_the_numpy_derived_from_it(site):
    pyodide = site / PYODIDE_PATH
    served = {name: PYODIDE_MODULE if name == "pyodide.mjs" else name for name in PYODIDE_SITE}
    for name, served_as in served.items():
        assert sha256(pyodide / served_as) == PYODIDE_CORE[name], name
    # Pyodide's own lock file and wheel stay out of the site: the worker loads the lock file
    # the build rewrote, which names the derived wheel and its sha256 (Pyodide checks it).
    assert sorted(path.name for path in pyodide.iterdir()) == sorted(served.values())
    lock_path = worker_setting(site, "lock")
    lock = json.loads(lock_path.read_text())
    released = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"] == released["info"]
    assert list(lock["packages"]) == ["numpy"]
    numpy = lock["packages"]["numpy"]
    wheel = (pyodide / numpy["file_name"]).resolve()
    assert wheel == worker_setting(site, "numpyWheel").resolve()
    assert wheel.name == released["packages"]["numpy"]["file_name"]
    assert sha256(wheel) == numpy["sha256"] != released["packages"]["numpy"]["sha256"]
    assert re.search(f'numpySHA256:"{numpy["sha256"]}"',
                     next((site / "static" / "js").glob("worker-*.js")).read_text())
    assert {key: value for key, value in numpy.items() if key not in ("file_name", "sha256")} == {
        key: value for key, value in released["packages"]["numpy"].items()
        if key not in ("file_name", "sha256")}


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """The magic number and the flags of a .pyc file."""
    return data[:4], int.from_bytes(data[4:8], "little")


# CPython 3.12's magic number; hash-based and unchecked (flags 0b01): Python takes each file as
# it is, whatever the date of its source in the browser's file system.
HEADER = ((3531).to_bytes(2, "little") + b"\r\n", 0b01)


def test_the_standard_library_is_bytecode_alone_for_what_python_imports_before_a_run(site):
    stdlib, rest = worker_setting(site, "stdlib"), rest_of(site)
    with (zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as upstream,
          zipfile.ZipFile(stdlib) as archive):
        names, later = set(archive.namelist()), set(rest)
        pycs = {name for name in names if name.endswith(".pyc")}
        # No source beside its bytecode: the bytecode replaces what it compiles.
        assert not {name[:-1] for name in pycs} & (names | later)
        for module in ("json/__init__", "dataclasses", "_pyodide/_base", "asyncio/events"):
            assert f"{module}.pyc" in pycs, module
        assert {pyc_header(archive.read(name)) for name in pycs} == {HEADER}
        # Every other file of Pyodide's standard library, as it was: what is not Python, and
        # Pyodide's own packages, in the standard library; other modules' sources in the rest.
        for info in upstream.infolist():
            name = info.filename
            if name[:-3] + ".pyc" in pycs and name.endswith(".py"):
                continue
            if name in names:
                assert archive.read(name) == upstream.read(info), name
            else:
                assert rest[name][1] == upstream.read(info), name
            assert (name in later) == (name.endswith(".py") and not name.startswith(
                ("pyodide/", "_pyodide/")))
        for module in ("ftplib", "fractions", "statistics", "email/mime/text"):
            assert f"{module}.py" in later and f"{module}.pyc" not in names, module
        assert later - set(upstream.namelist()) == {
            name for name in later if name.startswith("numpy/")}
    # An archive per package or module that no worker imports at start, named by its content.
    assert rest["xml/etree/ElementTree.py"][0] == rest["xml/__init__.py"][0]
    assert rest["xml/__init__.py"][0].startswith("xml-")
    assert rest["email/mime/text.py"][0].startswith("email.mime-")
    assert rest["encodings/utf_16.py"][0].startswith("encodings.utf_16-")
    assert rest["numpy/polynomial/polynomial.py"][0].startswith("numpy.polynomial-")
    for path in worker_setting(site, "rest").glob("*.zip"):
        assert path.name.endswith(f"-{sha256(path)[:8]}.zip"), path.name


def test_the_derived_numpy_wheel_is_bytecode_alone_for_what_python_imports_before_a_run(site):
    wheel, rest = worker_setting(site, "numpyWheel"), rest_of(site)
    upstream = runtime.fetch_wheel(*runtime.numpy_wheel_pin())
    with zipfile.ZipFile(upstream) as released, zipfile.ZipFile(wheel) as derived:
        names, later = set(derived.namelist()), set(rest)
        assert not any(name.endswith(".py") for name in names)
        pycs = {name for name in names if name.endswith(".pyc")}
        assert {"numpy/__init__.pyc", "numpy/random/__init__.pyc", "numpy/linalg/_linalg.pyc",
                "numpy/_core/numeric.pyc"} <= pycs
        assert {pyc_header(derived.read(name)) for name in pycs} == {HEADER}
        for info in released.infolist():
            name = info.filename
            if name.endswith(".py"):  # its bytecode in the wheel, or its source in the rest
                assert (name[:-3] + ".pyc" in pycs) != (name in later), name
                if name in later:
                    assert rest[name][1] == released.read(info)
            elif name.endswith(".so") or ".dist-info/" in name and not name.endswith("RECORD"):
                assert derived.read(name) == released.read(info), name
            else:  # type stubs, C headers, static libraries: read by no import
                assert name not in names or name.endswith("RECORD"), name
        assert "numpy/polynomial/polynomial.py" in later and "numpy/f2py/__init__.py" in later
        # RECORD lists what the derived wheel holds.
        (record,) = [name for name in names if name.endswith(".dist-info/RECORD")]
        listed = {line.split(",")[0] for line in derived.read(record).decode().splitlines()}
        assert listed == names


def names_a_string(pyc: bytes, text: str) -> bool:
    """Whether marshalled code holds the string `text` whole (a short ASCII string: its type,
    interned or not and referenced or not, its length in a byte, its characters)."""
    return any(bytes([kind, len(text)]) + text.encode() in pyc for kind in b"zZ\xfa\xda")


def test_the_lazy_finder_knows_every_module_of_the_rest_and_its_archive(site):
    with zipfile.ZipFile(worker_setting(site, "stdlib")) as archive:
        finder = archive.read("_lazy_modules.pyc")
    later = {name[:-3].removesuffix("/__init__").replace("/", "."): unit
             for name, (unit, _) in rest_of(site).items()}
    assert {"fractions", "statistics", "email.mime.text", "numpy.polynomial", "numpy.f2py",
            "encodings.utf_16"} <= set(later)
    assert all(names_a_string(finder, name) and names_a_string(finder, unit)
               for name, unit in later.items())
    assert not any(names_a_string(finder, name) for name in (
        "json", "numpy", "numpy.random", "encodings.utf_8", "pyodide.http"))
    assert not {"json", "numpy", "numpy.random", "encodings.utf_8", "pyodide.http"} & set(later)


def test_the_bytecode_archive_holds_the_runner_and_its_bytecode(site):
    with zipfile.ZipFile(worker_setting(site, "bytecode")) as archive:
        names = set(archive.namelist())
        for path in (f"home/pyodide/runner/__pycache__/{module}.cpython-312.pyc"
                     for module in ("harness", "checks", "guard", "results")):
            assert path in names
        pycs = {name for name in names if name.endswith(".pyc")}
        assert {pyc_header(archive.read(name)) for name in pycs} == {HEADER}
        assert all(name.startswith("home/pyodide/runner/") for name in names)
        # Beside the bytecode, the runner's sources: the worker carries no Python of its own.
        assert names - pycs == {f"home/pyodide/runner/{path.name}"
                                for path in (ROOT / "runner").glob("*.py")}


def test_a_wheel_with_the_wrong_sha256_is_refused(tmp_path):
    wheel = tmp_path / "numpy.whl"
    wheel.write_bytes(b"not numpy")
    with pytest.raises(BuildError, match="sha256"):
        verify(wheel, "0" * 64)


def test_a_failed_bytecode_compile_stops_the_build_with_one_line(tmp_path, monkeypatch):
    program = tmp_path / "fails.py"
    program.write_text("raise RuntimeError('no compiler here')\n")
    monkeypatch.setattr(runtime, "BYTECODE_PY", program)
    with pytest.raises(BuildError) as raised:
        compile_bytecode(tmp_path, runner_sources())
    (line,) = raised.value.errors
    assert line.startswith("sitebuild/compile_bytecode.mjs:1: compiling Python to bytecode "
                           "failed: ")
    assert "RuntimeError: no compiler here" in line
    assert not (tmp_path / "static" / "python").exists()
    assert not any(runtime.CACHE.glob("bytecode/.*")), "the failed compile's folder is left"
