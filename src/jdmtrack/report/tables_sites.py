"""The multi-site table: per outcome measure, the nested linear mixed model (week as a fixed
effect; random intercepts for site and for patient within site) and the statement of how far
the sites agree. Shown only when the patients come from two or more sites."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import format as f
from .cells import num, pval, text
from .context import Context, ordered_measures
from .model import Cell, Table
from .tables_outcomes import effect_text

if TYPE_CHECKING:
    from ..results import NestedMixedModel, SiteModel

__all__ = ["site_models_table"]

TITLE = "Site heterogeneity and the nested mixed model"
HEADER = ["Measure", "Last week", "Change from week 0 (95% CI)", "SD site",
          "SD patient within site", "SD residual", "Site share of variance",
          "p, site × week", "p, sites at week 0", "Heterogeneity"]
MODEL_NOTE = (
    "Nested linear mixed model of each measure on every observed visit of the analysis "
    "weeks: a fixed effect per week against week 0, random intercepts for site and for "
    "patient within site, fitted by REML (as lme4::lmer(y ~ factor(week) + (1 | "
    "site/patient))). Change from week 0: the fixed effect of the last week modelled, with "
    "its Wald 95% CI. Variance components as standard deviations in the measure's units; "
    "site share of variance = site variance / (site + patient + residual variance).")
P_NOTE = (
    "p, site × week: heterogeneity between the sites' Friedman statistics (whether their "
    "courses differ); p, sites at week 0: the between-site test of the baseline values "
    "(whether their levels differ). Heterogeneity: the results' statement for the measure.")


def _share(value: float | None, decimals: int) -> Cell:
    """A share of 1 printed as a percentage; the spreadsheet keeps the fraction."""
    if value is None:
        return Cell(f.MISSING)
    return Cell(f.fmt_pct(value * 100, decimals), value,
                "0%" if decimals <= 0 else "0." + "0" * decimals + "%")


def _model_cells(mm: NestedMixedModel | None, d: int) -> list[Cell]:
    """Last week, its effect (95% CI) and the three SDs; dashes when not fitted."""
    if mm is None or mm.not_run:
        return [text(None), text(None), *(num(None, d) for _ in range(3))]
    last = mm.last_effect
    effect = text(effect_text(last.estimate, last.ci95, d) if last is not None else None)
    return [text(f.week_label(last.week) if last is not None else None), effect,
            num(mm.sd_site, d), num(mm.sd_patient, d), num(mm.sd_residual, d)]


def _row(ctx: Context, model: SiteModel) -> list[Cell]:
    d = ctx.decimals(model.measure)
    h = model.heterogeneity
    fitted = model.mixed_model is not None and not model.mixed_model.not_run
    return [text(ctx.label(model.measure)), *_model_cells(model.mixed_model, d),
            _share(h.site_variance_share if h is not None and fitted else None,
                   ctx.pct_decimals),
            pval(h.course_p_value if h is not None else None),
            pval(h.baseline_level_p_value if h is not None else None),
            text(h.statement if h is not None else None)]


def _fit_notes(ctx: Context, models: list[SiteModel]) -> list[str]:
    """Why a model was not fitted (per measure), and each caveat of the fits once, with
    the measures it applies to."""
    skipped: list[str] = []
    caveats: dict[str, list[str]] = {}
    for model in models:
        mm, label = model.mixed_model, ctx.label(model.measure)
        if mm is None:
            skipped.append(f"{label}, nested mixed model: not in the results.")
        elif mm.not_run:
            skipped.append(f"{label}, nested mixed model: not run ({mm.not_run}).")
        else:  # the fit's caveats are joined by "; " (stats._common.join_notes)
            for note in (mm.note or "").split("; "):
                if note:
                    caveats.setdefault(note, []).append(label)
    return skipped + [f"Nested mixed model, {'; '.join(labels)}: {note}."
                      for note, labels in caveats.items()]


def site_models_table(ctx: Context) -> Table | None:
    """One row per outcome measure: the nested mixed model's week effect, its variance
    components and the site share, the heterogeneity p-values and statement; None with
    fewer than two sites (no ``sites`` section)."""
    site_models = ctx.typed.site_models
    if not site_models:
        return None
    models = [site_models[m] for m in ordered_measures(site_models)]
    decimals = {ctx.decimals(m.measure) for m in models}
    notes = [MODEL_NOTE, P_NOTE, *_fit_notes(ctx, models),
             f.rounding_note(measures=1 in decimals, doses=2 in decimals,
                             pct_decimals=ctx.pct_decimals, p_values=True)]
    return Table("site_models", TITLE, list(HEADER), [_row(ctx, m) for m in models], notes)
