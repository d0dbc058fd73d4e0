"""Settings of the classification: which published variant of each definition to apply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from ..errors import SettingsError
from ..fields import ENZYMES

__all__ = [
    "DEPRECATED_CORE_SETS",
    "CriteriaSettings",
    "PrintoCidVariant",
    "RefractoryDefinition",
    "TisCoreSet",
    "TisEnzymeRule",
    "TisPopulation",
]

# "imacs": IMACS core set (default). "printo_published": the PRINTO alternatives of Rider
# 2017, Table 3 (CMAS for MMT-8, CHQ physical summary score for the enzyme, DAS total for
# the extramuscular global). "printo_variant": CMAS and DAS total as PRINTO, but the most
# abnormal enzyme kept in place of CHQ-PhS (a jdmtrack variant, not a published set).
# "printo": the old name of "printo_variant", accepted with a deprecation warning.
TisCoreSet = Literal["imacs", "printo_variant", "printo_published", "printo"]
# Deprecated core-set names -> the name they stand for.
DEPRECATED_CORE_SETS: Mapping[str, str] = {"printo": "printo_variant"}
# [U] How the TIS turns a muscle enzyme into a percent change (see criteria/tis_enzyme.py):
# "relative": (week 0 - follow-up) / week 0 x 100 (default, as documented);
# "uln_range": (week 0 - follow-up) / (k x ULN) x 100, k per enzyme given by the user.
TisEnzymeRule = Literal["relative", "uln_range"]
# PRINTO clinically inactive disease: "lazarevic_2013" 3 of 4 criteria (default);
# "almeida_2015" 3 of 4 with physician global <= 0.2 cm mandatory (doi:10.1002/art.39200).
PrintoCidVariant = Literal["lazarevic_2013", "almeida_2015"]
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
        abnormal muscle enzyme, extramuscular global. ``"printo_published"``: CMAS,
        CHQ-PhS and the DAS total replace MMT-8, the enzyme and the extramuscular global
        (Rider 2017, Table 3). ``"printo_variant"``: CMAS and DAS total, enzyme kept.
        ``"printo"`` is a deprecated name of ``"printo_variant"``.
    tis_enzyme_rule
        ``"relative"`` (default) or ``"uln_range"`` [unverified]; see
        :mod:`jdmtrack.criteria.tis_enzyme`.
    tis_enzyme_uln_multiples
        For ``"uln_range"``: the multiple of the ULN per enzyme (keys ``ck``, ``aldolase``,
        ``ast``, ``alt``, ``ldh``). No default: the user gives the one of each enzyme the
        TIS follows.
    printo_cid_variant
        ``"lazarevic_2013"`` (default) or ``"almeida_2015"``.
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
    jdmtrack.errors.SettingsError: tis_core_set is 'mdaat'; expected one of 'imacs', \
'printo_variant', 'printo_published', 'printo'
    >>> CriteriaSettings(tis_core_set="printo").core_set
    'printo_variant'
    >>> CriteriaSettings(tis_enzyme_rule="uln_range", tis_enzyme_uln_multiples="ck=15"
    ...                  ).tis_enzyme_uln_multiples
    {'ck': 15.0}
    """

    tis_core_set: TisCoreSet = "imacs"
    tis_population: TisPopulation = "jdm"
    refractory_definition: RefractoryDefinition = "refractory_type"
    dose_reference: str | Path | None = None
    tis_enzyme_rule: TisEnzymeRule = "relative"
    tis_enzyme_uln_multiples: dict[str, float] = field(default_factory=dict)
    printo_cid_variant: PrintoCidVariant = "lazarevic_2013"

    def __post_init__(self) -> None:
        for name, kind in (("tis_core_set", TisCoreSet), ("tis_population", TisPopulation),
                           ("refractory_definition", RefractoryDefinition),
                           ("tis_enzyme_rule", TisEnzymeRule),
                           ("printo_cid_variant", PrintoCidVariant)):
            value = getattr(self, name)
            choices = get_args(kind)
            if value not in choices:
                listed = ", ".join(repr(c) for c in choices)
                raise SettingsError(f"{name} is {value!r}; expected one of {listed}")
        object.__setattr__(self, "tis_enzyme_uln_multiples",
                           _multiples(self.tis_enzyme_uln_multiples))
        if self.tis_enzyme_rule == "uln_range" and not self.tis_enzyme_uln_multiples:
            raise SettingsError(
                "tis_enzyme_rule is 'uln_range' but tis_enzyme_uln_multiples is empty: give "
                "the multiple of the upper limit of normal for each enzyme the TIS may follow "
                "(e.g. ck=<multiple>); jdmtrack has no default for it")

    @property
    def core_set(self) -> str:
        """The TIS core set applied (a deprecated name resolved to the current one)."""
        return DEPRECATED_CORE_SETS.get(self.tis_core_set, self.tis_core_set)

    def deprecations(self) -> list[str]:
        """One sentence per deprecated setting value in use (shown as settings warnings)."""
        if self.tis_core_set in DEPRECATED_CORE_SETS:
            return [f"tis_core_set 'printo' is deprecated: it is the jdmtrack variant that "
                    f"keeps the most abnormal enzyme, now named '{self.core_set}'; the "
                    "published PRINTO set (with CHQ-PhS) is 'printo_published'"]
        return []


_ENZYME_CODES = tuple(code for code, _ in ENZYMES)


def _multiples(value: object) -> dict[str, float]:
    """``{enzyme: multiple}`` from a mapping, or ``"ck=15,ldh=3"`` text (command line)."""
    if isinstance(value, str | list | tuple):
        parts = value.split(",") if isinstance(value, str) else [str(v) for v in value]
        pairs: dict[str, object] = {}
        for part in (p.strip() for p in parts):
            if not part:
                continue
            key, sep, number = part.partition("=")
            if not sep:
                raise SettingsError(f"tis_enzyme_uln_multiples: {part!r} is not ENZYME=MULTIPLE")
            pairs[key.strip()] = number.strip()
        value = pairs
    if not isinstance(value, Mapping):
        raise SettingsError(f"tis_enzyme_uln_multiples is {value!r}; expected a table of "
                            "enzyme = multiple of the ULN")
    out: dict[str, float] = {}
    for key, number in value.items():
        if key not in _ENZYME_CODES:
            raise SettingsError(f"tis_enzyme_uln_multiples: unknown enzyme {key!r}; expected "
                                "one of " + ", ".join(repr(c) for c in _ENZYME_CODES))
        try:
            multiple = float(number) if not isinstance(number, bool) else float("nan")
        except (TypeError, ValueError):
            multiple = float("nan")
        if not multiple > 0 or multiple == float("inf"):
            raise SettingsError(f"tis_enzyme_uln_multiples: {key} is {number!r}; expected a "
                                "number > 0")
        out[str(key)] = multiple
    return out
