"""Analysis settings: defaults, a settings file (JSON or TOML), command-line overrides.

Every setting is echoed in the results file and in the report's provenance section.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..criteria import CriteriaSettings
from ..defaults import DEFAULT_ALPHA, DEFAULT_RESAMPLES, DEFAULT_SEED
from ..errors import SettingsError
from ..fields import SCHEDULED_WEEKS
from .common import week_key
from .measures import known_measures
from .population import parse_conditions
from .windows import VisitWindows

__all__ = ["AnalysisSettings", "load_settings"]

_P_ADJUST = ("holm", "bonferroni", "BH", "none")
_PAPER_P = ("exact", "spss_asymptotic", "paired_t")


@dataclass(frozen=True)
class AnalysisSettings:
    """What the analysis does, beyond the data.

    >>> AnalysisSettings().weeks
    (0.0, 4.0, 12.0, 24.0)
    >>> AnalysisSettings(quantile_method=10)
    Traceback (most recent call last):
    ...
    jdmtrack.errors.SettingsError: quantile_method is 10; expected a Hyndman-Fan type 1-9
    """

    quantile_method: int = 6  # Hyndman-Fan type 6: SPSS and GraphPad Prism (rank (n+1)p)
    alpha: float = DEFAULT_ALPHA
    weeks: tuple[float, ...] = tuple(float(w) for w in SCHEDULED_WEEKS)
    p_adjust: str = "holm"
    #: Which p the paper-style tests lead with (analysis/paper_tests.py): "exact"
    #: (jdmtrack's default), "spss_asymptotic" (SPSS's Wilcoxon) or "paired_t".
    paper_p: str = "exact"
    resamples: int = DEFAULT_RESAMPLES  # Monte Carlo permutations when exact is too large
    seed: int = DEFAULT_SEED
    criteria: CriteriaSettings = field(default_factory=CriteriaSettings)
    #: The outcome measures to test, in order (None: the default set, see analysis.measures).
    measures: tuple[str, ...] | None = None
    #: Half-width in weeks of each analysis week's visit window: a number for every
    #: post-baseline week, a {week: half-width} table, or None for the default rule
    #: (see analysis.windows).
    visit_window: float | dict[float, float] | tuple[tuple[float, float], ...] | None = None
    # The analysis population: --where conditions joined by AND (analysis/population.py).
    where: tuple[str, ...] = ()
    # --by: a patients field whose groups are described side by side and compared.
    by: str | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.quantile_method, int) and 1 <= self.quantile_method <= 9):
            raise SettingsError(f"quantile_method is {self.quantile_method!r}; expected a "
                                "Hyndman-Fan type 1-9")
        if not 0 < self.alpha < 1:
            raise SettingsError(f"alpha is {self.alpha!r}; expected a number between 0 and 1")
        weeks = tuple(float(w) for w in self.weeks)
        if len(weeks) < 2 or sorted(set(weeks)) != list(weeks) or weeks[0] < 0:
            raise SettingsError(f"weeks are {list(self.weeks)}; expected two or more "
                                "increasing weeks, the first being the baseline")
        object.__setattr__(self, "weeks", weeks)
        if self.p_adjust not in _P_ADJUST:
            raise SettingsError(f"p_adjust is {self.p_adjust!r}; expected one of "
                                + ", ".join(_P_ADJUST))
        if isinstance(self.where, str):
            object.__setattr__(self, "where", (self.where,))
        object.__setattr__(self, "where", tuple(c.text for c in parse_conditions(self.where)))
        if self.by is not None and not (isinstance(self.by, str) and self.by.isidentifier()):
            raise SettingsError(f"by is {self.by!r}; expected the name of a patients field")
        if self.paper_p not in _PAPER_P:
            raise SettingsError(f"paper_p is {self.paper_p!r}; expected one of "
                                + ", ".join(_PAPER_P))
        if self.resamples < 1000:
            raise SettingsError(f"resamples is {self.resamples}; expected at least 1000")
        if self.measures is not None:
            object.__setattr__(self, "measures", _check_measures(self.measures))
        object.__setattr__(self, "visit_window",
                           VisitWindows.parse(self.visit_window, weeks).given)

    @property
    def windows(self) -> VisitWindows:
        """The visit window of every analysis week."""
        return VisitWindows.parse(self.visit_window, self.weeks)

    @property
    def baseline_week(self) -> float:
        return self.weeks[0]

    def as_dict(self) -> dict[str, Any]:
        crit = asdict(self.criteria)
        crit["dose_reference"] = (None if self.criteria.dose_reference is None
                                  else str(self.criteria.dose_reference))
        return {"quantile_method": self.quantile_method, "alpha": self.alpha,
                "weeks": list(self.weeks), "p_adjust": self.p_adjust, "paper_p": self.paper_p,
                "resamples": self.resamples, "seed": self.seed,
                "measures": None if self.measures is None else list(self.measures),
                "visit_window": {week_key(w): h for w, h in self.windows.half_widths.items()},
                **crit, "where": list(self.where), "by": self.by}


_TOP = {f.name for f in fields(AnalysisSettings)} - {"criteria"}
_CRITERIA = {f.name for f in fields(CriteriaSettings)}


def load_settings(path: str | Path | None = None, **overrides: Any) -> AnalysisSettings:
    """Defaults, then the settings file (``.json`` or ``.toml``), then non-None overrides."""
    values: dict[str, Any] = {}
    if path is not None:
        values.update(_read(Path(path)))
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - _TOP - _CRITERIA)
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(unknown)}; known: "
                            + ", ".join(sorted(_TOP | _CRITERIA)))
    try:
        criteria = replace(CriteriaSettings(), **{k: v for k, v in values.items() if k in _CRITERIA})
        top = {k: v for k, v in values.items() if k in _TOP}
        if "weeks" in top:
            top["weeks"] = tuple(top["weeks"])
        if isinstance(top.get("measures"), (str, list)):
            given = top["measures"]
            top["measures"] = tuple(given.split(",") if isinstance(given, str) else given)
        if "where" in top and not isinstance(top["where"], str):
            top["where"] = tuple(top["where"])
        return AnalysisSettings(criteria=criteria, **top)
    except TypeError as err:
        raise SettingsError(f"settings: {err}") from err


def _check_measures(measures: object) -> tuple[str, ...]:
    """The chosen outcome measures, each a known measure, no repeats, at least one."""
    names = ([measures] if isinstance(measures, str) else list(measures)
             if isinstance(measures, (list, tuple)) else None)
    if not names or not all(isinstance(n, str) for n in names):
        raise SettingsError(f"measures is {measures!r}; expected one or more measure names")
    names = [n.strip() for n in names]
    valid = known_measures()
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise SettingsError(f"measures: unknown measure(s) {', '.join(unknown)}; valid "
                            "measures: " + ", ".join(valid))
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SettingsError(f"measures: {', '.join(repeated)} named more than once")
    return tuple(names)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SettingsError(f"{path}: cannot read the settings file ({err.strerror})") from err
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise SettingsError(f"{path}: not valid {'TOML' if path.suffix == '.toml' else 'JSON'}"
                            f" ({err})") from err
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a table of settings")
    return data
