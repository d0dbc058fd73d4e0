"""Small-sample statistics for real-world JDM studies, in agreement with R.

Pure functions over numpy arrays and sequences, returning frozen ``<Thing>Result`` dataclasses
at full precision (only ``jdmtrack.report`` rounds). Every result names the ``method`` that
produced it and its ``n``; tests with an exact distribution also give ``min_attainable_p`` and
say when n is too small for the test ever to reach ``alpha``. A statistic that cannot be
computed from the data is ``None`` with a ``note`` saying why, never a silent NaN;
``as_dict()`` gives the JSON-ready form with the key names of the results file (design.md).

Modules: ``quantiles`` (Hyndman-Fan types 1-9, default 6), ``descriptive``, ``wilcoxon``
(exact and asymptotic signed-rank, Hodges-Lehmann), ``paired`` (paired t,
``compare_with_baseline``), ``adjust`` (Holm, Bonferroni, BH), ``layout`` (long to wide),
``friedman`` (with exact / Monte Carlo permutation p), ``skillings_mack``, ``mixed`` (REML
random-intercept model), ``proportions`` (Clopper-Pearson, exact binomial, exact McNemar),
``survival`` (Kaplan-Meier), ``safety`` (events per 100 patient-years).

Group comparisons and multi-site data (each result has ``n``, ``not_run`` when the test
cannot run, and ``as_dict()``): ``mann_whitney`` (exact Wilcoxon-Mann-Whitney with ties,
Hodges-Lehmann shift), ``fisher`` (r x c exact / Monte Carlo, 2 x 2 odds ratio), ``kruskal``
(Kruskal-Wallis, exact / Monte Carlo), ``logrank`` (k groups, exact / Monte Carlo
permutation p), ``stratified`` (van Elteren, site-stratified signed rank), ``site_friedman``
(Friedman blocked within site, heterogeneity), ``pairwise`` (weeks after Friedman with Holm /
Bonferroni, SPSS asymptotic Wilcoxon, paired t), ``nested_mixed`` (random intercepts for
site and patient within site). Their R references: tests/reference/groupstats/README.md.

The R calls each function is checked against are listed in tests/reference/stats/README.md.
"""

from __future__ import annotations

from jdmtrack.stats._common import DEFAULT_ALPHA, DEFAULT_CONF_LEVEL
from jdmtrack.stats.adjust import (
    P_ADJUST_METHODS,
    PAdjustResult,
    p_adjust,
)
from jdmtrack.stats.descriptive import (
    CategoricalResult,
    DescriptiveResult,
    describe,
    describe_categorical,
)
from jdmtrack.stats.fisher import (
    FisherResult,
    fisher_exact,
    fisher_exact_from_labels,
)
from jdmtrack.stats.friedman import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    FriedmanResult,
    friedman_permutation_p,
    friedman_test,
)
from jdmtrack.stats.kruskal import (
    KruskalResult,
    kruskal_wallis,
    kruskal_wallis_from_labels,
)
from jdmtrack.stats.layout import (
    WideTable,
    wide_from_long,
)
from jdmtrack.stats.logrank import (
    LogrankResult,
    logrank_scores,
    logrank_test,
)
from jdmtrack.stats.mann_whitney import (
    MannWhitneyResult,
    ShiftEstimate,
    hodges_lehmann_shift,
    mann_whitney,
)
from jdmtrack.stats.mixed import (
    MixedModelResult,
    WeekEffect,
    mixed_model,
)
from jdmtrack.stats.nested_mixed import (
    NestedMixedResult,
    nested_mixed_model,
)
from jdmtrack.stats.paired import (
    PairedTResult,
    VsBaselineResult,
    compare_with_baseline,
    paired_t,
)
from jdmtrack.stats.pairwise import (
    PairComparison,
    PairwiseResult,
    SpssPairedResult,
    SpssWilcoxonResult,
    pairwise_signed_rank,
    spss_paired_tests,
    spss_signed_rank,
)
from jdmtrack.stats.proportions import (
    BinomialTestResult,
    McNemarResult,
    ProportionResult,
    binomial_test,
    clopper_pearson,
    mcnemar_exact,
    mcnemar_exact_from_pairs,
)
from jdmtrack.stats.quantiles import (
    DEFAULT_QUANTILE_TYPE,
    QUANTILE_TYPES,
    quantile,
    sample_quantiles,
)
from jdmtrack.stats.safety import (
    WEEKS_PER_YEAR,
    EventRateResult,
    event_rate,
    event_rate_by_patient,
    patient_years,
)
from jdmtrack.stats.site_friedman import (
    SiteFriedmanResult,
    friedman_by_site,
)
from jdmtrack.stats.skillings_mack import (
    SkillingsMackResult,
    skillings_mack_test,
)
from jdmtrack.stats.stratified import (
    StratifiedResult,
    stratified_signed_rank,
    stratified_wilcoxon,
)
from jdmtrack.stats.survival import (
    KaplanMeierResult,
    kaplan_meier,
)
from jdmtrack.stats.wilcoxon import (
    HodgesLehmannResult,
    WilcoxonResult,
    hodges_lehmann,
    wilcoxon_min_attainable_p,
    wilcoxon_signed_rank,
)

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_CONF_LEVEL",
    "DEFAULT_QUANTILE_TYPE",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "P_ADJUST_METHODS",
    "QUANTILE_TYPES",
    "WEEKS_PER_YEAR",
    "BinomialTestResult",
    "CategoricalResult",
    "DescriptiveResult",
    "EventRateResult",
    "FisherResult",
    "FriedmanResult",
    "HodgesLehmannResult",
    "KaplanMeierResult",
    "KruskalResult",
    "LogrankResult",
    "MannWhitneyResult",
    "McNemarResult",
    "MixedModelResult",
    "NestedMixedResult",
    "PAdjustResult",
    "PairComparison",
    "PairedTResult",
    "PairwiseResult",
    "ProportionResult",
    "ShiftEstimate",
    "SiteFriedmanResult",
    "SkillingsMackResult",
    "SpssPairedResult",
    "SpssWilcoxonResult",
    "StratifiedResult",
    "VsBaselineResult",
    "WeekEffect",
    "WideTable",
    "WilcoxonResult",
    "binomial_test",
    "clopper_pearson",
    "compare_with_baseline",
    "describe",
    "describe_categorical",
    "event_rate",
    "event_rate_by_patient",
    "fisher_exact",
    "fisher_exact_from_labels",
    "friedman_by_site",
    "friedman_permutation_p",
    "friedman_test",
    "hodges_lehmann",
    "hodges_lehmann_shift",
    "kaplan_meier",
    "kruskal_wallis",
    "kruskal_wallis_from_labels",
    "logrank_scores",
    "logrank_test",
    "mann_whitney",
    "mcnemar_exact",
    "mcnemar_exact_from_pairs",
    "mixed_model",
    "nested_mixed_model",
    "p_adjust",
    "paired_t",
    "pairwise_signed_rank",
    "patient_years",
    "quantile",
    "sample_quantiles",
    "skillings_mack_test",
    "spss_paired_tests",
    "spss_signed_rank",
    "stratified_signed_rank",
    "stratified_wilcoxon",
    "wide_from_long",
    "wilcoxon_min_attainable_p",
    "wilcoxon_signed_rank",
]
