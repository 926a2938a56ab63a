"""Stage 4a, write the page's code: esbuild bundles, the worker and KaTeX's CSS and fonts.

Bundles static/ with esbuild into content-hashed files (the page scripts with shared chunks,
the worker apart with the runner's sources and its Pyodide settings compiled in, errors.js and
boot.js as inline text) and copies KaTeX's stylesheet and fonts. Hands on each asset's path in
the site, for render.write_pages to link.
"""

from __future__ import annotations

import ast
import base64
import json
import shutil
import subprocess
from pathlib import Path

from sitebuild import ROOT, BuildError
from sitebuild.runtime import (
    PYODIDE_CORE,
    PYODIDE_MODULE,
    PYODIDE_PATH,
    PYODIDE_SERVED,
    compile_bytecode,
    numpy_wheel_pin,
)


# esbuild entry points under static/ that pages load (the worker and inline scripts are apart).
PAGE_BUNDLES = ("js/app.js", "js/catalog.js", "css/app.css")
# Scripts every page carries inline, each allowed by its hash in the page's CSP: errors.js on
# every page, first, and boot.js on problem pages.
INLINE_SCRIPTS = ("errors.js", "boot.js")


def pyodide_settings(pyodide_url: str | None, python_files: dict) -> dict:
    """What the worker loads: Pyodide from the copy in the site (a path from the worker's own
    folder, static/js/) or a CDN's, whose files it checks by SRI hash; always from the site,
    the Python that compile_bytecode() made; NumPy's wheel and the lock file naming it from the
    site (derived by compile_bytecode) or as released from the CDN. Every file as a URL
    relative to the worker."""
    settings = {name: f"../../{path}" for name, path in python_files.items()
                if name in ("stdlib", "rest", "bytecode")}
    if pyodide_url is None:
        return {"url": f"../../{PYODIDE_PATH}/", "module": PYODIDE_MODULE, "integrity": {},
                "numpyWheel": f"../../{python_files['numpy']}",
                "numpySHA256": python_files["numpySHA256"],
                "lock": f"../../{python_files['lock']}", **settings}
    wheel, wheel_digest = numpy_wheel_pin()
    pins = {**{name: PYODIDE_CORE[name] for name in PYODIDE_SERVED}, wheel: wheel_digest}
    integrity = {name: sri(bytes.fromhex(digest)) for name, digest in pins.items()}
    return {"url": pyodide_url, "module": "pyodide.mjs", "integrity": integrity,
            "numpyWheel": pyodide_url + wheel, "numpySHA256": wheel_digest,
            "lock": pyodide_url + "pyodide-lock.json", **settings}


def sri(sha256: bytes) -> str:
    """The Subresource Integrity form of a sha256 digest."""
    return "sha256-" + base64.b64encode(sha256).decode()


def bundle_assets(out: Path, pyodide_url: str | None) -> dict:
    """Bundle scripts and CSS with esbuild into content-hashed files; copy KaTeX's CSS and fonts.

    Returns each asset's path in the site, by its source name ("app.js", "katex.css", ...); as
    "<name> preloads" the chunks that entry needs before it runs; and as "errors.js" and
    "boot.js" the text of the scripts pages carry inline (INLINE_SCRIPTS).
    """
    # The page scripts share chunks; the worker stands alone. The runner's Python travels in
    # the bytecode archive, beside its .pyc files, not in a script.
    assets = esbuild(out, PAGE_BUNDLES, "--splitting", "--chunk-names=js/chunks/[name]-[hash]")
    python_files = compile_bytecode(out, runner_sources(), cdn=pyodide_url is not None)
    assets |= esbuild(out, ["js/worker.js"],
                      f"--define:PYODIDE={json.dumps(pyodide_settings(pyodide_url, python_files))}")
    for inline in INLINE_SCRIPTS:
        assets[inline] = esbuild(None, [f"js/{inline}"], form="iife")
        if "</script" in assets[inline].lower():
            raise BuildError([f"static/js/{inline}:1: its bundle contains </script, so it cannot be inlined"])
    katex = ROOT / "node_modules" / "katex"
    folder = out / "static" / f"katex-{json.loads((katex / 'package.json').read_text())['version']}"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy2(katex / "dist" / "katex.min.css", folder / "katex.min.css")  # fonts: ./fonts/
    for font in (katex / "dist" / "fonts").glob("*.woff2"):
        shutil.copy2(font, folder / "fonts" / font.name)
    assets["katex.css"] = (folder / "katex.min.css").relative_to(out).as_posix()
    return assets


def esbuild(out: Path | None, entries, *options: str, form: str = "esm"):
    """Run esbuild on `entries` (paths under static/), minified.

    With a site folder `out`, write content-hashed files there and return each entry's path in
    the site and its "<name> preloads" (the chunks it imports before it runs); without one,
    return the bundle of the single entry as text.
    """
    command = [str(ROOT / "node_modules" / ".bin" / "esbuild"),
               *(f"static/{entry}" for entry in entries),
               "--bundle", "--minify", "--target=es2022", "--legal-comments=none",
               "--log-level=warning", f"--format={form}", *options]
    if out is not None:
        metafile = out / "esbuild-meta.json"
        command += ["--entry-names=[dir]/[name]-[hash]", "--outbase=static",
                    f"--outdir={out / 'static'}", f"--metafile={metafile}"]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BuildError([f"static/{entries[0]}:1: esbuild failed: {completed.stderr.strip()}"])
    if out is None:
        return completed.stdout
    outputs = json.loads(metafile.read_text())["outputs"]
    metafile.unlink()

    def site_path(output: str) -> str:
        return Path(output).resolve().relative_to(out.resolve()).as_posix()

    assets: dict = {}
    for output, info in outputs.items():
        source = Path(info.get("entryPoint", ""))
        if source.name:
            assets[source.name] = site_path(output)
            # Chunks the entry needs before it runs, for the page to fetch with it rather than
            # after it. Chunks it imports on the fly are left to it: preloading CodeMirror
            # kept the main thread from running the entry sooner.
            assets[f"{source.name} preloads"] = [
                site_path(each["path"]) for each in info.get("imports", [])
                if each["kind"] == "import-statement"
            ]
    return assets


def runner_sources() -> dict[str, str]:
    """runner/*.py for the browser, without comments, docstrings or the annotations of functions
    (a third of the bytes; dataclasses keep their fields' annotations, which make the fields)."""
    sources = {}
    for path in sorted((ROOT / "runner").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                    and body and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                node.body = body[1:] or [ast.Pass()]
            if isinstance(node, ast.FunctionDef):
                node.returns = None
                arguments = node.args
                for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                                 arguments.vararg, arguments.kwarg):
                    if argument is not None:
                        argument.annotation = None
        sources[path.name] = ast.unparse(tree) + "\n"
    return sources
