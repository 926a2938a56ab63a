"""Set up: everything a fresh machine needs, installed by the commands themselves.

A .venv with pyproject.toml's packages (build.py then runs again inside it), the npm packages
from package-lock.json, and for the end-to-end tests Debian's browsers: Chromium, Firefox ESR,
and WebKitGTK's WebDriver with the virtual display it runs on. Standard library only:
it runs under the system's python3 before .venv exists. Hands on an environment where the
other stages' imports (Jinja2, PyYAML, markdown-it, esbuild, KaTeX, Pyodide) resolve.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild import ROOT, VENV


def ensure_python_packages(argv: list[str], extras: tuple[str, ...]) -> None:
    """Re-run this script inside .venv, creating it and installing pyproject's packages first."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    installed = set(stamp.read_text().splitlines()) if stamp.exists() else set()
    if not set(wanted) <= installed:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *wanted], check=True)
        stamp.write_text("\n".join(sorted(installed | set(wanted))))
    if Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), str(ROOT / "build.py"), *argv])


def ensure_node_packages() -> None:
    """Install the npm packages from package-lock.json when node_modules is missing or stale."""
    marker = ROOT / "node_modules" / ".package-lock.json"
    lock = ROOT / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    if shutil.which("npm") is None:
        apt_install("nodejs", "npm")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)


def ensure_browsers() -> None:
    """Install the browsers the end-to-end tests drive when missing: Chromium, Firefox ESR,
    WebKitGTK's WebDriver (WebKitWebDriver) and Xvfb, the display WebKitGTK needs."""
    if shutil.which("chromium") is None:
        apt_install("chromium")
    # Their recommends pull in a desktop's worth of packages the tests never use.
    wanted = {"firefox-esr": "firefox-esr", "webkit2gtk-driver": "WebKitWebDriver",
              "xvfb": "Xvfb"}
    missing = [package for package, program in wanted.items() if shutil.which(program) is None]
    if missing:
        apt_install(*missing, recommends=False)


def ensure_web_servers() -> None:
    """Install Debian's nginx and Apache when missing: the deploy tests (test_servers_e2e.py)
    start them with their stock configuration, as a deployer would find them."""
    missing = [name for name in ("nginx", "apache2") if not Path("/usr/sbin", name).exists()]
    if missing:
        apt_install(*missing, recommends=False)


def apt_install(*packages: str, recommends: bool = True) -> None:
    """Install Debian packages, or stop with the command to run when not root."""
    options = ["-y"] if recommends else ["-y", "--no-install-recommends"]
    if os.geteuid() != 0:
        sys.exit(f"missing {', '.join(packages)}: run "
                 f"`sudo apt-get install {' '.join(options + list(packages))}`")
    subprocess.run(["apt-get", "update", "-q"], check=True)
    subprocess.run(["apt-get", "install", "-q", *options, *packages], check=True)
