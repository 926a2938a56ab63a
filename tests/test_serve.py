"""The server: the MIME types and headers Pyodide needs."""

import urllib.request
from pathlib import Path

from sitebuild.runtime import PYODIDE_PATH

ROOT = Path(__file__).resolve().parent.parent


def test_server_sends_wasm_mime_type_and_isolation_headers(site_url):
    url = f"{site_url}{PYODIDE_PATH}/pyodide.asm.wasm"
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"] == "application/wasm"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"
