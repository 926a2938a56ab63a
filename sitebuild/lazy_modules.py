"""Runs inside Pyodide, in the worker: not a module of the build.

bytecode_in_pyodide.py compiles this file into the site's standard library as _lazy_modules,
with MODULES appended: for each module no worker imports before its first run (the standard
library's and NumPy's; see docs/architecture.md), the archive in the site's rest folder that
holds it, one per package or module (`email`, `fractions`, `numpy.polynomial`). The worker
calls install(url) once Python has started. The first import of one of them (say
`import fractions`) fetches its archive synchronously, which a worker may do, writes it under
FOLDER and imports from it, as from any zip on sys.path; any later import takes it from there.
"""

import os
import sys
import zipimport

MODULES = {}  # replaced below this file by the build
FOLDER = "/lib/python_rest/"


class LazyModules:
    """A finder at the end of sys.meta_path: it answers only for MODULES, after every other
    finder has missed them (so never for a module the site already holds)."""

    def __init__(self, url):
        self.url = url
        self.fetched = set()

    def find_spec(self, fullname, path=None, target=None):
        archive = MODULES.get(fullname)
        if archive is None:
            return None
        if archive not in self.fetched:
            self.fetch(fullname, archive)
        parent = fullname.rpartition(".")[0]
        folder = FOLDER + archive + ("/" + parent.replace(".", "/") if parent else "")
        return zipimport.zipimporter(folder).find_spec(fullname)

    def fetch(self, fullname, archive):
        from js import XMLHttpRequest

        request = XMLHttpRequest.new()
        try:
            request.open("GET", self.url + archive, False)
            request.responseType = "arraybuffer"
            request.send()
            ok = request.status == 200
        except Exception:  # a network error: offline, with no offline copy yet
            ok = False
        if not ok:
            error = ModuleNotFoundError(
                f"No module named {fullname!r} here: it comes with {archive}, which could not "
                f"be downloaded. Are you offline?", name=fullname)
            error.not_downloaded = True  # the harness shows this message as it is
            raise error
        os.makedirs(FOLDER, exist_ok=True)
        with open(FOLDER + archive, "wb") as file:
            file.write(request.response.to_bytes())
        self.fetched.add(archive)


def install(url):
    """Append the finder for MODULES, whose archives are in the folder at `url`."""
    sys.meta_path.append(LazyModules(url))
