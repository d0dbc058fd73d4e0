"""jdmtrack: score, classify, analyse and report real-world studies of JAK inhibitors
in juvenile dermatomyositis.

The flow is read (``jdmtrack.io``) -> validate (``jdmtrack.validate``, driven by
``jdmtrack.fields``) -> derive (``jdmtrack.instruments``, ``jdmtrack.criteria``,
``jdmtrack.protocol``) -> analyse (``jdmtrack.stats``, ``jdmtrack.analysis``) ->
render (``jdmtrack.report``). The command line (``jdmtrack.cli``) is thin over all of it.

Importing this package is cheap: heavy dependencies load only where they are used.
"""

from ._version import __version__
from .errors import DataWarning, InputError, JdmtrackError, Problem

__all__ = ["DataWarning", "InputError", "JdmtrackError", "Problem", "__version__"]
