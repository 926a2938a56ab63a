"""Keep learner code from changing what the grader relies on, by accident or on purpose.

Learner code runs in the same interpreter as the harness, for every run of a worker. Before any
of it runs, `protect` snapshots the namespaces of the modules grading uses (builtins, NumPy,
the harness's own modules...). `restore` puts every name back as it was, so reassigning
`len`, `np.allclose` or a helper of the harness lasts only until the learner's call returns,
never into the checks that judge it or into the next run; tracing and profiling hooks, and
`sys.monitoring` tools that learner code took, go too. `learner_code` wraps each stretch
of learner code: it also gives `input()` nothing to read and keeps `os._exit` from killing
the interpreter.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import io
import math
import os
import sys
import time
from types import ModuleType
from typing import Iterator

import numpy as np

_snapshots: tuple[tuple[ModuleType, dict], ...] = ()
_recursion_limit = sys.getrecursionlimit()
_monitoring = getattr(sys, "monitoring", None)  # Python 3.12+
_TOOL_IDS = range(6)
# The tools the host had when `protect` ran (a coverage tool under pytest, say) are its own.
_host_tools: frozenset[int] = frozenset()


def protect(*modules: ModuleType) -> None:
    """Snapshot the namespaces of `modules` (and of the standard set) as they are now."""
    global _snapshots, _host_tools
    if _monitoring is not None:
        _host_tools = frozenset(tool for tool in _TOOL_IDS if _monitoring.get_tool(tool))
    standard = (builtins, copy, io, math, os, time, np, np.random, np.linalg)
    this = sys.modules[__name__]
    own = dict(vars(this))
    _snapshots = own["_snapshots"] = (
        *((module, dict(vars(module))) for module in (*standard, *modules)),
        (this, own),  # this module too, holding the finished snapshot itself
    )


def restore() -> None:
    """Put every protected name back, remove names learner code added, undo tracing hooks."""
    for module, saved in _snapshots:
        current = vars(module)
        for name in [name for name in current if name not in saved]:
            del current[name]
        for name, value in saved.items():
            if current.get(name, _missing) is not value:
                current[name] = value
    sys.settrace(None)
    sys.setprofile(None)
    sys.setrecursionlimit(_recursion_limit)
    if _monitoring is not None:
        _free_learner_tools()


def _free_learner_tools() -> None:
    """Switch off and free every sys.monitoring tool id taken since `protect` ran."""
    events = [value for name, value in vars(_monitoring.events).items()
              if not name.startswith("_") and isinstance(value, int) and value.bit_count() == 1]
    for tool in _TOOL_IDS:
        if tool in _host_tools or _monitoring.get_tool(tool) is None:
            continue
        _monitoring.set_events(tool, 0)
        for event in events:
            with contextlib.suppress(ValueError):
                _monitoring.register_callback(tool, event, None)
        _monitoring.free_tool_id(tool)


_missing = object()


class ExitCalled(SystemExit):
    """Raised in place of os._exit, which would end the interpreter of the whole page."""


def _refuse_exit(status=0):
    raise ExitCalled(f"os._exit({status}) was called")


@contextlib.contextmanager
def learner_code(_restore=restore) -> Iterator[None]:
    """Run a stretch of learner code: no stdin, no os._exit; then restore protected modules."""
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO("")
    os._exit = _refuse_exit
    try:
        yield
    finally:
        sys.stdin = saved_stdin
        _restore()
