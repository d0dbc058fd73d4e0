"""The methods paragraph for the paper-figure sections (exposure to paper-style tests)."""

from __future__ import annotations

from .exposure import WEIGHT_BANDS
from .settings import AnalysisSettings

__all__ = ["course_methods"]

_P_NAMES = {"exact": "the exact p", "spss_asymptotic": "SPSS's asymptotic p",
            "paired_t": "the paired t-test p"}


def course_methods(settings: AnalysisSettings) -> str:
    """One paragraph defining every quantity of the treatment-course sections."""
    bands = "; ".join(label for _, label, *_ in WEIGHT_BANDS)
    adjust = "Bonferroni" if settings.p_adjust == "bonferroni" else "Holm"
    return (
        "Treatment course. JAKi duration ran from the start to jaki_stop_week, or to the end "
        "of follow-up when the drug was not stopped (months = weeks x 7 / (365.25 / 12)); "
        f"starting doses were counted by weight band at week 0 ({bands}; study A's bands); "
        "the highest dose is the largest mg per dose recorded at any visit. Disease at JAKi "
        "start: rash at week 0, decreased muscle strength (muscle_involvement), a muscle "
        "enzyme (CK, LDH or aldolase) above its laboratory upper limit of normal at week 0 "
        "and at every visit measured, and the recorded reason when the CMAS could not be "
        "scored. Complete rash resolution is given as n/N of those with rash at week 0; the "
        "time to no visible rash is described (median, IQR) over those who resolved, beside "
        "the Kaplan-Meier estimate over all with rash. Glucocorticoid stops are patients "
        "with a cs_discontinuation event; the fall of the dose is 100 x (1 - week median / "
        "week-0 median), also with the week median over patients in CR or PR, beside the "
        "median of each patient's own change. Organ outcomes at the last visit are counted "
        "among patients with the organ involved at start. Response percentages are of the "
        "patients evaluable at the week. Adverse events of special interest for JAK "
        "inhibitors (serious infection, herpes zoster, EBV and CMV reactivation, "
        "tuberculosis, opportunistic infection, thromboembolism, MACE, malignancy, death) "
        "are listed with zero counts when none occurred; seriousness criteria follow ICH "
        "E2A. Tests as the papers ran them: every pair of analysis weeks after the Friedman "
        f"test by the Wilcoxon signed-rank test, {adjust}-adjusted over all pairs; each week "
        "against week 0 by SPSS's asymptotic Wilcoxon signed-rank test (normal "
        "approximation, tie-corrected, no continuity correction) and the paired t-test, "
        f"beside the exact p; the p quoted first is {_P_NAMES[settings.paper_p]} "
        "(setting paper_p).")
