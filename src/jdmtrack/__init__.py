"""jdmtrack: score, classify, analyse and report real-world studies of JAK inhibitors
in juvenile dermatomyositis.

The front door, for a notebook or a script (see docs/api.md)::

    import jdmtrack
    cohort = jdmtrack.read_cohort("my_study/")          # or DataFrames, long format
    results = jdmtrack.analyze(cohort, where="muscle_involvement=yes")
    results.to_frame("by_week"); print(results.summary())
    jdmtrack.report(results, "report/")

The flow is read (``jdmtrack.io``) -> validate (``jdmtrack.validate``, driven by
``jdmtrack.fields``) -> derive (``jdmtrack.instruments``, ``jdmtrack.criteria``,
``jdmtrack.protocol``) -> analyse (``jdmtrack.stats``, ``jdmtrack.analysis``) ->
render (``jdmtrack.report``). The command line (``jdmtrack.cli``) is thin over all of it.

Importing this package is cheap: the front-door functions load pandas and the rest of
the library on first use.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import DataWarning, InputError, JdmtrackError, Problem, SettingsError

if TYPE_CHECKING:
    from .api import Validation, analyze, read_cohort, report, score, validate
    from .plan import plan
    from .results import Results

__all__ = [
    "DataWarning",
    "InputError",
    "JdmtrackError",
    "Problem",
    "Results",
    "SettingsError",
    "Validation",
    "__version__",
    "analyze",
    "plan",
    "read_cohort",
    "report",
    "score",
    "validate",
]

# name -> module that defines it; imported on first attribute access (PEP 562).
_LAZY = {"Results": "results", "Validation": "api", "analyze": "api", "read_cohort": "api",
         "report": "api", "score": "api", "validate": "api", "plan": "plan"}


# validate, report and plan are also subpackages; importing one would rebind the package's
# attribute to the module. The front-door functions keep the names: the subpackages stay
# importable as usual (``from jdmtrack.report import render_report``).
_SHADOWED = frozenset({"validate", "report", "plan"})


class _FrontDoor(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _FrontDoor


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jdmtrack' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
