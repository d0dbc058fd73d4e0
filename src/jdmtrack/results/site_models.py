"""The multi-site models of the ``sites`` section typed: per outcome measure, the nested
linear mixed model (``sites.mixed_model``: week as a fixed effect, random intercepts for
site and for patient within site) and the statement of how far the sites agree
(``sites.heterogeneity``). The rest of the ``sites`` section (per-site tables,
completeness, stratified tests) is read elsewhere.

>>> models = read_site_models({"sites": {
...     "mixed_model": {"cmas_total": {
...         "reference_week": 0.0, "n_sites": 2, "n_patients": 20, "n_observations": 80,
...         "estimates": [{"week": 24.0, "estimate": 5.5, "se": 1.0, "p_value": 0.01,
...                        "ci_low": 3.5, "ci_high": 7.5}],
...         "sd_site": 1.0, "sd_patient": 2.0, "sd_residual": 1.5, "not_run": None}},
...     "heterogeneity": {"cmas_total": {"course_p_value": 0.6, "heterogeneous": False,
...                                      "statement": "No evidence."}}}})
>>> m = models["cmas_total"]
>>> m.mixed_model.last_effect.week, m.mixed_model.last_effect.ci95, m.heterogeneity.heterogeneous
('24', (3.5, 7.5), False)
>>> len(read_site_models({})), len(read_site_models({"sites": {"mixed_model": []}}))
(0, 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .read import entries, flag, integer, num, real, reason, rows, section, text

__all__ = ["NestedMixedModel", "SiteHeterogeneity", "SiteModel", "WeekEffect",
           "read_site_models"]

Interval = tuple[float | None, float | None]


def week_of(value: Any) -> str | None:
    """A week as the results file keys it (``4.0`` -> ``"4"``, ``2.5`` -> ``"2.5"``).

    >>> week_of(4.0), week_of(2.5), week_of("x")
    ('4', '2.5', None)
    """
    week = num(value)
    if week is None:
        return None
    return str(int(week)) if week.is_integer() else repr(week)


@dataclass(frozen=True)
class WeekEffect:
    """The fixed effect of one week against the reference week (Wald z test and CI)."""

    week: str
    estimate: float | None
    se: float | None
    ci95: Interval | None
    p_value: float | None

    @classmethod
    def read(cls, entry: Mapping[str, Any]) -> WeekEffect | None:
        week = week_of(entry.get("week"))
        if week is None:
            return None
        low, high = real(entry.get("ci_low")), real(entry.get("ci_high"))
        return cls(week, real(entry.get("estimate")), real(entry.get("se")),
                   None if low is None and high is None else (low, high),
                   real(entry.get("p_value")))


@dataclass(frozen=True)
class NestedMixedModel:
    """``value ~ factor(week) + (1 | site/patient)`` by REML: its size, the week effects
    (in week order), the three standard deviations, and why it was not fitted if it
    was not (``not_run``). ``note`` carries the fit's caveats (few sites, singular fit)."""

    reference_week: str | None
    n_sites: int | None
    n_patients: int | None
    n_observations: int | None
    effects: tuple[WeekEffect, ...]
    sd_site: float | None
    sd_patient: float | None
    sd_residual: float | None
    converged: bool | None
    singular: bool | None
    method: str | None
    note: str | None
    not_run: str | None

    @property
    def last_effect(self) -> WeekEffect | None:
        """The effect of the last week modelled against the reference week, or None."""
        return self.effects[-1] if self.effects else None

    @classmethod
    def read(cls, mm: Mapping[str, Any]) -> NestedMixedModel:
        effects = [WeekEffect.read(e) for e in rows(mm, "estimates")]
        # stats.nested_mixed_model gives the reason as text; other statistics nest it
        # as {"reason": ...}: read either.
        why = reason(mm) or text(mm.get("not_run")) or None
        return cls(week_of(mm.get("reference_week")), integer(mm.get("n_sites")),
                   integer(mm.get("n_patients")), integer(mm.get("n_observations")),
                   tuple(sorted((e for e in effects if e is not None),
                                key=lambda e: float(e.week))),
                   real(mm.get("sd_site")), real(mm.get("sd_patient")),
                   real(mm.get("sd_residual")), flag(mm.get("converged")),
                   flag(mm.get("singular")), text(mm.get("method")) or None,
                   text(mm.get("note")) or None, why)


@dataclass(frozen=True)
class SiteHeterogeneity:
    """How far the sites agree on one measure: the site x week heterogeneity p of the
    Friedman statistic (courses), the between-site p at baseline (levels), the site share
    of the variance in the nested model, ``heterogeneous`` (course p < alpha; None without
    a course p) and the one-line statement."""

    course_p_value: float | None
    baseline_level_p_value: float | None
    site_variance_share: float | None
    heterogeneous: bool | None
    alpha: float | None
    statement: str | None

    @classmethod
    def read(cls, h: Mapping[str, Any]) -> SiteHeterogeneity:
        return cls(real(h.get("course_p_value")), real(h.get("baseline_level_p_value")),
                   real(h.get("site_variance_share")), flag(h.get("heterogeneous")),
                   real(h.get("alpha")), text(h.get("statement")) or None)


@dataclass(frozen=True)
class SiteModel:
    """One outcome measure's nested mixed model and heterogeneity statement (either None
    when the results file lacks it)."""

    measure: str
    mixed_model: NestedMixedModel | None
    heterogeneity: SiteHeterogeneity | None


def read_site_models(results: Mapping[str, Any]) -> Mapping[str, SiteModel]:
    """``sites.mixed_model`` and ``sites.heterogeneity``: measure -> :class:`SiteModel`
    (empty without a ``sites`` section, i.e. with fewer than two sites)."""
    sites = section(results, "sites")
    models, statements = entries(sites, "mixed_model"), entries(sites, "heterogeneity")
    return MappingProxyType({
        m: SiteModel(m, NestedMixedModel.read(models[m]) if m in models else None,
                     SiteHeterogeneity.read(statements[m]) if m in statements else None)
        for m in [*models, *(m for m in statements if m not in models)]})
