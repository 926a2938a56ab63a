"""Scaffold: start a new problem from problems/_template.

Hands on a folder whose TODO(author) marks `build.py check` lists as what to fill in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sitebuild import PROBLEMS_DIR, BuildError, shown
from sitebuild.problems import SLUG


def new_problem(slug: str, problems_dir: Path = PROBLEMS_DIR) -> Path:
    """Copy problems/_template to problems/<slug>; its TODO(author) marks fail `check`."""
    folder = problems_dir / slug
    if not SLUG.fullmatch(slug):
        raise BuildError([f"{slug}: a slug is lowercase letters, digits and '-', like 'relu-backward'"])
    if folder.exists():
        raise BuildError([f"{shown(folder)}: already exists"])
    shutil.copytree(PROBLEMS_DIR / "_template", folder)
    return folder
