"""Runs inside Pyodide, in the worker: not a module of the build.

bytecode_in_pyodide.py compiles this file into the site's standard library as _lazy_modules,
with MODULES appended: the modules that python_rest.zip holds (the standard library's and
NumPy's that no worker imports before its first run; see docs/architecture.md). The worker calls
install(url) once Python has started. The first import of one of them (say `import fractions`)
fetches that archive synchronously, which a worker may do, writes it to ARCHIVE and imports
from it, as from any zip on sys.path; any later import takes it from there.
"""

import sys
import zipimport

MODULES = frozenset()  # replaced below this file by the build
ARCHIVE = "/lib/python_rest.zip"


class LazyModules:
    """A finder at the end of sys.meta_path: it answers only for MODULES, after every other
    finder has missed them (so never for a module the site already holds)."""

    def __init__(self, url):
        self.url = url
        self.fetched = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MODULES:
            return None
        if not self.fetched:
            self.fetch(fullname)
        parent = fullname.rpartition(".")[0]
        folder = ARCHIVE + ("/" + parent.replace(".", "/") if parent else "")
        return zipimport.zipimporter(folder).find_spec(fullname)

    def fetch(self, fullname):
        from js import XMLHttpRequest

        request = XMLHttpRequest.new()
        try:
            request.open("GET", self.url, False)
            request.responseType = "arraybuffer"
            request.send()
            ok = request.status == 200
        except Exception:  # a network error: offline, with no offline copy yet
            ok = False
        if not ok:
            error = ModuleNotFoundError(
                f"No module named {fullname!r} here: it comes with "
                f"{self.url.rpartition('/')[2]}, which could not be downloaded. Are you offline?",
                name=fullname)
            error.not_downloaded = True  # the harness shows this message as it is
            raise error
        with open(ARCHIVE, "wb") as file:
            file.write(request.response.to_bytes())
        self.fetched = True


def install(url):
    """Append the finder for MODULES, which python_rest.zip at `url` holds."""
    sys.meta_path.append(LazyModules(url))
