"""The methods text, generated from the settings and definitions actually used."""

from __future__ import annotations

from .._version import __version__
from ..stats.wilcoxon import EXACT_MAX_N as WILCOXON_EXACT_MAX_N
from .followup import RASH_IMPROVEMENT_DEFINITION
from .measures import known_measures
from .outcomes import PERMUTATION_MAX_N
from .settings import AnalysisSettings

__all__ = ["methods_text"]

_QUANTILE_NAMES = {
    6: "Hyndman-Fan type 6, rank (n + 1)p, as SPSS and GraphPad Prism compute them",
    7: "Hyndman-Fan type 7, as R, numpy and Excel QUARTILE.INC compute them",
    2: "Hyndman-Fan type 2, as SAS computes them",
}
_ADJUST = {"holm": "Holm's method", "bonferroni": "the Bonferroni method",
           "BH": "the Benjamini-Hochberg method", "none": "no adjustment"}


def _weeks(weeks: tuple[float, ...]) -> str:
    text = [str(int(w)) if float(w).is_integer() else str(w) for w in weeks]
    return ", ".join(text[:-1]) + " and " + text[-1]


def _names(columns: list[str]) -> str:
    labels = known_measures()
    return "; ".join(labels[c][0].split(":")[0] if c in labels else c for c in columns) or "none"


def _outcomes_text(settings: AnalysisSettings, measures: list[str],
                   covariates: list[str]) -> str:
    chosen = ("the measures chosen for this analysis" if settings.measures is not None else
              "the disease-activity and treatment-burden measures recorded (the default set)")
    return (f"Outcome measures tested were {chosen}: {_names(measures)}. Multiplicity "
            "adjustment applies within each of these measures. "
            + (f"Covariates were described per week but not tested: {_names(covariates)}. "
               if covariates else "")
            + settings.windows.describe()
            + " A statistic that could not be computed on the data (no patient at a week, "
            "fewer than two patients, no variation, every difference zero, a perfect model "
            "fit) is reported as not run with the reason, and the other statistics were "
            "computed. Time to rash improvement and the per-week rash-improvement table use "
            "one definition: " + RASH_IMPROVEMENT_DEFINITION)


def methods_text(settings: AnalysisSettings, criteria_methods: list[str],
                 measures: list[str] | None = None,
                 covariates: list[str] | None = None) -> list[str]:
    """Paragraphs for the report's methods section."""
    q = settings.quantile_method
    quartiles = _QUANTILE_NAMES.get(q, f"Hyndman-Fan type {q}")
    weeks = _weeks(settings.weeks)
    base = _weeks(settings.weeks[:1]).split(" and ")[-1]
    scoring = (
        f"Scores were computed from the recorded items by jdmtrack {__version__}: CMAS 0-52 "
        "(Lovell 1999; Huber 2004), MMT-8 0-80 (IMACS; Rider 2010), DAS 0-20 as skin (0-9) plus "
        "muscle (0-11) domains (Bode 2003). A total with any item missing was left missing, "
        "never pro-rated or imputed. Doses per kilogram used the weight measured at the same "
        "visit; eGFR used the bedside Schwartz equation (Schwartz 2009)."
    )
    stats = (
        f"Continuous variables are summarised as median (Q1, Q3), with quartiles by {quartiles}, "
        "and as mean and standard deviation where stated; categorical variables as counts and "
        f"percentages of the patients with data. Outcomes were assessed at weeks {weeks}. "
        f"Each post-baseline week was compared with week {base} by the Wilcoxon signed-rank "
        "test on the patients with both values, dropping zero differences (Wilcoxon's method), "
        "with exact conditional p-values from the permutation distribution of the signed ranks, "
        "which remain exact in the presence of ties (with more than "
        f"{WILCOXON_EXACT_MAX_N} non-zero differences the normal approximation was used "
        "instead); the normal approximation with tie and "
        "continuity correction, the Hodges-Lehmann estimate with its confidence interval and "
        f"the paired t-test are also given. p-values were adjusted with {_ADJUST[settings.p_adjust]} "
        "across the post-baseline weeks of each measure. Changes over all weeks were tested by "
        "the Friedman test on the patients with complete data (chi-square statistic with tie "
        "correction, Kendall's W, and a permutation p-value, enumerated exactly where feasible, "
        f"otherwise estimated from {settings.resamples:,} Monte Carlo permutations with seed "
        f"{settings.seed}; with more than {PERMUTATION_MAX_N} complete patients only the "
        "chi-square p-value is given). Where visits were missing, the Skillings-Mack test used every "
        "patient, and a linear mixed model with a random intercept per patient, fitted by REML, "
        f"estimated each week's difference from week {base} (Wald 95% confidence intervals) as "
        "a sensitivity analysis. Proportions are given with Clopper-Pearson 95% confidence "
        "intervals. Times to event were estimated by Kaplan-Meier with log-log 95% confidence "
        "intervals of the median, censoring at the end of follow-up. Adverse-event rates are "
        "events per 100 patient-years of follow-up (patient-years = weeks / (365.25 / 7)) with "
        f"exact Poisson 95% confidence intervals. Tests were two-sided with alpha = "
        f"{settings.alpha:g}; where the number of patients was too small for a test ever to "
        "reach this level, the report says so. No missing value was imputed."
    )
    software = (
        f"Analyses were run with jdmtrack {__version__} (Python); its statistical methods are "
        "tested against R (coin, survival, lme4 and base stats) on reference data sets."
    )
    outcomes = _outcomes_text(settings, measures or [], covariates or [])
    return [scoring, *criteria_methods, stats, outcomes, software]
