"""The build in order: gather every problem, then write the site, or write nothing.

    load_problems -> check_behaviour -> render        (gather: problems, behaviour, render)
    -> write_site: bundle_assets, copy_pyodide, write_pages, write_host_files,
                   write_service_worker               (assets, runtime, render, host_files)
    -> replace_folder: the finished site swapped in for dist/

Any error in any problem stops the build before it writes; a failure while writing leaves the
previous dist/ exactly as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sitebuild import DIST, PROBLEMS_DIR, BuildError
from sitebuild.assets import bundle_assets
from sitebuild.behaviour import check_behaviour
from sitebuild.host_files import write_host_files, write_service_worker
from sitebuild.problems import Problem, link_series, load_problems, problem_folders
from sitebuild.render import render, write_pages
from sitebuild.runtime import PYODIDE_PATH, copy_pyodide


def gather(problems_dir: Path = PROBLEMS_DIR) -> list[Problem]:
    """Load, check and render every problem; raise BuildError with every error of every one."""
    problems, errors = load_problems(problems_dir)
    link_series(problems)
    # A problem that failed to load cannot stand in as a part: leave out the behaviour of
    # problems whose files import it, which would only repeat its error.
    unloaded = {folder.name.replace("-", "_") for folder in problem_folders(problems_dir)}
    unloaded -= {problem.slug.replace("-", "_") for problem in problems}
    for problem in problems:
        if not unloaded & problem.imported_modules():
            errors += check_behaviour(problem)
    try:
        render(problems)
    except BuildError as error:
        errors += error.errors
    if errors:
        raise BuildError(errors)
    return problems


def write_site(problems: list[Problem], out: Path = DIST, pyodide_url: str | None = None) -> None:
    """Write the whole site to a temporary folder, then swap it in for `out`.

    Pyodide is copied into the site under a versioned path, unless `pyodide_url` points the
    pages at a CDN copy of the same pinned release.
    """
    staging = Path(tempfile.mkdtemp(prefix=".dist-", dir=out.parent))
    staging.chmod(0o755)
    try:
        assets = bundle_assets(staging, pyodide_url)
        if pyodide_url is None:
            copy_pyodide(staging / PYODIDE_PATH)  # the core: NumPy comes from static/python/
        write_pages(problems, staging, assets, pyodide_url)
        write_host_files(staging)
        write_service_worker(staging, pyodide_url)
        replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_folder(new: Path, old: Path) -> None:
    """Swap `new` in for `old` with renames, so `old` is never left half-written."""
    retired = old.with_name(f".{old.name}-old")
    shutil.rmtree(retired, ignore_errors=True)
    if old.exists():
        old.rename(retired)
    new.rename(old)
    shutil.rmtree(retired, ignore_errors=True)


def build(out: Path = DIST, problems_dir: Path = PROBLEMS_DIR,
          pyodide_url: str | None = None) -> list[Problem]:
    """Check every problem, then write the site; raise BuildError and write nothing on error."""
    problems = gather(problems_dir)
    write_site(problems, out, pyodide_url)
    return problems
