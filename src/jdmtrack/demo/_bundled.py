"""The bundled demo cohorts: where they are, copying them out, and their published figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..errors import SettingsError

__all__ = ["PublishedFigure", "available", "path", "published", "write"]

# Files of a bundled demo folder, in the order they are copied.
_FILES = ("patients.csv", "visits.csv", "events.csv", "adverse_events.csv", "README.txt",
          "published.json")


def _root() -> Traversable:
    return resources.files("jdmtrack") / "data" / "demo"


def available() -> tuple[str, ...]:
    """Names of the bundled demo cohorts, sorted.

    >>> available()
    ('baricitinib', 'tofacitinib-ruxolitinib')
    """
    root = _root()
    if not root.is_dir():
        return ()
    return tuple(sorted(entry.name for entry in root.iterdir()
                        if entry.is_dir() and (entry / "patients.csv").is_file()))


def path(name: str) -> Traversable:
    """The bundled folder of demo cohort ``name`` (a ``Path`` in a normal install).

    Raises
    ------
    SettingsError
        If there is no such demo cohort; the message lists the ones there are.

    >>> (path("baricitinib") / "patients.csv").is_file()
    True
    >>> path("nope")
    Traceback (most recent call last):
    ...
    jdmtrack.errors.SettingsError: no demo cohort 'nope'; available: baricitinib, tofacitinib-ruxolitinib
    """
    names = available()
    if name not in names:
        raise SettingsError(f"no demo cohort {name!r}; available: {', '.join(names)}")
    return _root() / name


def write(name: str, out_dir: str | Path, *, overwrite: bool = False) -> Path:
    """Copy demo cohort ``name`` (CSV files, README.txt, published.json) into ``out_dir``.

    ``out_dir`` is created if needed. Existing files of the same names are an error unless
    ``overwrite`` is true, so a user's own cohort is never replaced by accident.

    Raises
    ------
    SettingsError
        If ``name`` is unknown or a file would be overwritten.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write("baricitinib", Path(tmp) / "bari")
    ...     sorted(p.name for p in folder.iterdir())[:3]
    ['README.txt', 'adverse_events.csv', 'events.csv']
    """
    source = path(name)
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise SettingsError(f"{target} is a file; expected a folder to write the cohort into")
    present = [f for f in _FILES if (source / f).is_file()]
    clashes = [f for f in present if (target / f).exists()]
    if clashes and not overwrite:
        raise SettingsError(f"{target} already holds {', '.join(clashes)}; choose another "
                            "folder, or remove those files first")
    target.mkdir(parents=True, exist_ok=True)
    for filename in present:
        (target / filename).write_bytes((source / filename).read_bytes())
    return target


@dataclass(frozen=True)
class PublishedFigure:
    """One number a source paper prints, and how jdmtrack's analysis should reproduce it.

    ``value`` is the printed number (for ``statistic`` "upper_bound" the bound, for
    "at_most" the upper limit of normal); ``path`` is the dotted results-file key (None
    when the results file does not hold the quantity); ``where`` holds the --where
    conditions of the analysis population the figure is read from (``subgroup`` is its
    single ``(field, value)`` condition, kept for older callers); ``scale`` converts the
    results-file value to the printed unit; ``cohort_value`` is what the cohort gives when
    the printed figure cannot be reproduced (``reproducible`` false).
    """

    id: str
    group: str
    label: str
    printed: str
    value: float
    decimals: int
    statistic: str
    path: str | None
    subgroup: tuple[str, str] | None
    scale: float | None
    reproducible: bool
    cohort_value: float | None
    method: str
    note: str
    where: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> PublishedFigure:
        where = tuple(str(c) for c in entry.get("where") or ())
        sub = entry.get("subgroup")
        if sub is None and len(where) == 1 and "=" in where[0] and "!=" not in where[0]:
            field, _, level = where[0].partition("=")
            sub = {"column": field, "value": level}
        elif sub is not None and not where:
            where = (f"{sub['column']}={sub['value']}",)
        return cls(
            id=str(entry["id"]), group=str(entry["group"]), label=str(entry["label"]),
            printed=str(entry["printed"]), value=float(entry["value"]),
            decimals=int(entry["decimals"]), statistic=str(entry["statistic"]),
            path=entry.get("path"),
            subgroup=None if sub is None else (str(sub["column"]), str(sub["value"])),
            scale=None if entry.get("scale") is None else float(entry["scale"]),
            reproducible=bool(entry["reproducible"]),
            cohort_value=(None if entry.get("cohort_value") is None
                          else float(entry["cohort_value"])),
            method=str(entry.get("method", "")), note=str(entry.get("note", "")),
            where=where,
        )


def published(name: str) -> tuple[PublishedFigure, ...]:
    """Every figure the source paper of demo cohort ``name`` prints (its published.json).

    >>> figures = published("baricitinib")
    >>> next(f for f in figures if f.id == "age_mean").path
    'baseline.age_start_years.mean'
    >>> sum(not f.reproducible for f in figures) > 0
    True
    """
    data = json.loads((path(name) / "published.json").read_text(encoding="utf-8"))
    return tuple(PublishedFigure.from_json(entry) for entry in data["figures"])
