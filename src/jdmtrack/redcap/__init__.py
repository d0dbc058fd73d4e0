"""REDCap in and out: the data dictionary and project files of a jdmtrack-compatible
longitudinal REDCap project, a cohort as REDCap records, and a raw REDCap export back to
a cohort folder (cohort format v1). See docs/redcap.md.

Names load on first use, so ``jdmtrack dictionary --format redcap`` does not import pandas.

>>> from jdmtrack.pipeline import example_path, load_cohort
>>> from jdmtrack.redcap import export_records, records_to_cohort
>>> cohort = load_cohort(example_path())
>>> back = records_to_cohort(export_records(cohort))
>>> len(back.cohort.visits) == len(cohort.visits)
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dictionary import (
        HEADERS,
        ProjectDictionary,
        check_data_dictionary,
        data_dictionary_csv,
        parse_dictionary,
    )
    from .export import export_records, extra_columns
    from .importer import (
        DEFAULT_MISSING_CODES,
        RedcapImport,
        RedcapProblem,
        import_records,
        parse_missing_codes,
        records_to_cohort,
        write_cohort,
    )
    from .layout import SCHEDULED_WEEKS
    from .project import project_files, write_project

__all__ = [
    "DEFAULT_MISSING_CODES",
    "HEADERS",
    "SCHEDULED_WEEKS",
    "ProjectDictionary",
    "RedcapImport",
    "RedcapProblem",
    "check_data_dictionary",
    "data_dictionary_csv",
    "export_records",
    "extra_columns",
    "import_records",
    "parse_dictionary",
    "parse_missing_codes",
    "project_files",
    "records_to_cohort",
    "write_cohort",
    "write_project",
]

_MODULES = {
    "dictionary": ("HEADERS", "ProjectDictionary", "check_data_dictionary",
                   "data_dictionary_csv", "parse_dictionary"),
    "export": ("export_records", "extra_columns"),
    "importer": ("DEFAULT_MISSING_CODES", "RedcapImport", "RedcapProblem", "import_records",
                 "parse_missing_codes", "records_to_cohort", "write_cohort"),
    "layout": ("SCHEDULED_WEEKS",),
    "project": ("project_files", "write_project"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
