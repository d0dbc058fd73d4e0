"""Settings of the classification: which published variant of each definition to apply."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ..errors import SettingsError

__all__ = [
    "CriteriaSettings",
    "RefractoryDefinition",
    "TisCoreSet",
    "TisPopulation",
]

# "imacs": IMACS core set (default); "printo": CMAS for MMT-8 and DAS total for the
# extramuscular global (Rider 2017, Table 3).
TisCoreSet = Literal["imacs", "printo"]
# "jdm": thresholds 30/45/70 (Rider 2017); "adult": 20/40/60 (Aggarwal 2017).
TisPopulation = Literal["jdm", "adult"]
# "refractory_type": refractory when a refractory type is recorded (Ding 2021's split of
# glucocorticoid-ineffective / -dependent); "failed_agents": refractory when two or more
# steroid-sparing agents failed (Yu 2021).
RefractoryDefinition = Literal["refractory_type", "failed_agents"]


@dataclass(frozen=True)
class CriteriaSettings:
    """Which variant of each definition :func:`jdmtrack.criteria.classify` applies.

    Parameters
    ----------
    tis_core_set
        ``"imacs"`` (default): physician and patient/parent global, MMT-8, CHAQ, the most
        abnormal muscle enzyme, extramuscular global. ``"printo"``: CMAS replaces MMT-8
        and the DAS total replaces the extramuscular global.
    tis_population
        ``"jdm"`` (default) for the juvenile thresholds 30/45/70, ``"adult"`` for 20/40/60.
    refractory_definition
        ``"refractory_type"`` (default) or ``"failed_agents"``; see
        :mod:`jdmtrack.criteria.severity`.
    dose_reference
        Path of a JAKi dose reference CSV, or None for the bundled table
        (:mod:`jdmtrack.protocol.dosing`).

    Raises
    ------
    SettingsError
        If a value is not one of the choices.

    Examples
    --------
    >>> CriteriaSettings(tis_population="adult").tis_population
    'adult'
    >>> CriteriaSettings(tis_core_set="mdaat")
    Traceback (most recent call last):
    ...
    jdmtrack.errors.SettingsError: tis_core_set is 'mdaat'; expected one of 'imacs', 'printo'
    """

    tis_core_set: TisCoreSet = "imacs"
    tis_population: TisPopulation = "jdm"
    refractory_definition: RefractoryDefinition = "refractory_type"
    dose_reference: str | Path | None = None

    def __post_init__(self) -> None:
        for name, kind in (("tis_core_set", TisCoreSet), ("tis_population", TisPopulation),
                           ("refractory_definition", RefractoryDefinition)):
            value = getattr(self, name)
            choices = get_args(kind)
            if value not in choices:
                listed = ", ".join(repr(c) for c in choices)
                raise SettingsError(f"{name} is {value!r}; expected one of {listed}")
