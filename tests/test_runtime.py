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
from sitebuild.runtime import (PYODIDE_CORE, PYODIDE_MODULE, PYODIDE_PATH, PYODIDE_SERVED,
                               compile_bytecode, verify)

ROOT = Path(__file__).resolve().parent.parent


def test_dist_holds_the_verified_pyodide_and_numpy(site):
    pyodide = site / PYODIDE_PATH
    served = {name: PYODIDE_MODULE if name == "pyodide.mjs" else name for name in PYODIDE_SERVED}
    for name, served_as in served.items():
        assert sha256(pyodide / served_as) == PYODIDE_CORE[name], name
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    assert numpy["file_name"] == "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    assert sha256(pyodide / numpy["file_name"]) == numpy["sha256"]
    # The standard library comes compiled, from static/python/ (next test).
    assert sorted(path.name for path in pyodide.iterdir()) == sorted(
        [*served.values(), numpy["file_name"]])


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """The magic number and the flags of a .pyc file."""
    return data[:4], int.from_bytes(data[4:8], "little")


def test_dist_holds_bytecode_for_what_python_imports_before_a_run(site):
    worker = next((site / "static" / "js").glob("worker-*.js")).read_text()
    stdlib, bytecode = (
        site / "static" / "js" / re.search(f'{key}:"([^"]+)"', worker).group(1)
        for key in ("stdlib", "bytecode"))
    # CPython 3.12's magic number; hash-based and unchecked (flags 0b01): Python takes each
    # file as it is, whatever the date of its source in the browser's file system.
    header = ((3531).to_bytes(2, "little") + b"\r\n", 0b01)
    with (zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as upstream,
          zipfile.ZipFile(stdlib) as archive):
        names = set(archive.namelist())
        for info in upstream.infolist():
            assert archive.read(info.filename) == upstream.read(info), info.filename
        compiled = names - set(upstream.namelist())
        for module in ("json/__init__", "dataclasses", "_pyodide/_base", "asyncio/events"):
            assert f"{module}.pyc" in compiled and f"{module}.py" in names
        assert all(name.endswith(".pyc") for name in compiled)
        assert {pyc_header(archive.read(name)) for name in compiled} == {header}
        assert "ftplib.py" in names and "ftplib.pyc" not in names  # only what Python imports
    with zipfile.ZipFile(bytecode) as archive:
        names = set(archive.namelist())
        for path in ("lib/python3.12/site-packages/numpy/__pycache__/__init__.cpython-312.pyc",
                     "lib/python3.12/site-packages/numpy/random/__pycache__/__init__.cpython-312.pyc",
                     *(f"home/pyodide/runner/__pycache__/{module}.cpython-312.pyc"
                       for module in ("harness", "checks", "guard", "results"))):
            assert path in names
        pycs = {name for name in names if name.endswith(".pyc")}
        assert {pyc_header(archive.read(name)) for name in pycs} == {header}
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
