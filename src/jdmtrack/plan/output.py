"""What ``-o DIR`` writes: the power curve (PNG), the table (CSV) and a protocol paragraph.

With a pilot, the paragraph and the table state the pilot population (``--where``) and its n.

Only here are numbers rounded (power to 3 decimals in the paragraph and table text columns;
the CSV keeps full precision). matplotlib is imported when the figure is drawn, not before.
"""

from __future__ import annotations

import csv
from pathlib import Path

from jdmtrack.plan.logrank_exact import EXACT_LOGRANK_MAX_TOTAL
from jdmtrack.plan.power import TWO_ARM, PowerResult

__all__ = ["protocol_paragraph", "write_outputs"]

_TEST_NAMES = {
    "wilcoxon": "the two-sided Wilcoxon signed-rank test of the change from baseline (exact "
                "conditional p-value, zeros dropped)",
    "mann-whitney": "the two-sided Mann-Whitney (Wilcoxon rank-sum) test between arms (exact "
                    "without ties, else normal approximation with tie and continuity correction)",
    "fisher": "the two-sided Fisher exact test of the response proportions between arms",
    "logrank": "the two-sided log-rank test between arms (exact permutation p-value of the "
               f"log-rank scores when the study has at most {EXACT_LOGRANK_MAX_TOTAL} patients "
               "in all, else chi-square on one degree of freedom)",
    "friedman": "the Friedman test over visits (complete cases; the within-patient "
                "permutation p-value jdmtrack analyze reports, exact or Monte Carlo with "
                "{resamples:,} resamples, ties included; the tie-corrected chi-square above "
                "{largest} complete patients)",
}


_STRATIFIED = {
    "wilcoxon": "the site-stratified Wilcoxon signed-rank test (differences ranked within site, "
                "exact p-value convolved over sites)",
    "mann-whitney": "the van Elteren test (mid-ranks within site divided by the site's n + 1; "
                    "exact p-value convolved over sites up to 50 patients in all, else its "
                    "normal approximation)",
    "fisher": "the exact conditional test of independence in the 2 x 2 tables of the sites "
              "(Cochran-Mantel-Haenszel, exact form as R mantelhaen.test(exact = TRUE))",
    "logrank": "the log-rank test stratified by site (exact permutation p-value of the "
               "log-rank scores computed and permuted within site when the study has at most "
               f"{EXACT_LOGRANK_MAX_TOTAL} patients in all, else the stratified chi-square "
               "on one degree of freedom as R survdiff with strata)",
    "friedman": "the Friedman test with patients as blocks nested in sites, which is "
                "site-stratified by construction (the same test as pooled)",
}


def _test_name(test: str) -> str:
    from jdmtrack.analysis.outcomes import PERMUTATION_MAX_N
    from jdmtrack.defaults import DEFAULT_RESAMPLES

    return _TEST_NAMES[test].format(resamples=DEFAULT_RESAMPLES, largest=PERMUTATION_MAX_N)


def _analysis_sentence(result: PowerResult) -> str:
    sites = int(result.settings.get("sites", 1))
    if sites <= 1:
        return "Each simulated study was analysed as a single site."
    if result.settings.get("analysis") == "stratified":
        within = ", arms randomised within site" if result.test in TWO_ARM else ""
        return (f"Each simulated study was analysed stratified by site ({sites} sites{within}): "
                f"{_STRATIFIED[result.test]}.")
    return (f"Each simulated study was analysed pooled over its {sites} sites, ignoring the "
            "site (--analysis pooled).")


def _pilot_population(result: PowerResult) -> str:
    """The sentence stating who of the pilot was resampled (empty without a pilot)."""
    if "pilot_population" not in result.settings:
        return ""
    n = result.settings["pilot_patients"]
    definition = result.settings["pilot_population"]
    if definition == "all patients":
        return (f"Pilot population: all {n} patients of the pilot cohort were resampled (no "
                "restriction to the patients for whom the endpoint is relevant).")
    return (f"Pilot population: the {n} of {result.settings['pilot_source_patients']} pilot "
            f"patients with {definition} were resampled (as jdmtrack analyze --where "
            "selects them).")


def _all_or_none(result: PowerResult) -> str:
    """Where every (or no) simulated study was significant the standard error is 0; say what
    the simulation does bound (rule of three: 3 / sims, one-sided 95%; Hanley JA, Lippman-Hand
    A. If nothing goes wrong, is everything all right? JAMA. 1983;249:1743-1745)."""
    every = [g.n for g in result.grid if g.power == 1.0]
    if not every:
        return ""
    bound = 1.0 - 3.0 / result.sims
    return (f" At n = {', '.join(map(str, every))} every simulated study was significant: the "
            f"power is above {bound:.4f} with 95% confidence (rule of three), as far as the "
            "effect source is right (a pilot's few patients stand for the whole population).")


def _target(result: PowerResult, target: float = 0.8) -> int | None:
    return next((g.n for g in result.grid if g.power >= target), None)


def protocol_paragraph(result: PowerResult) -> str:
    """A sample-size paragraph a protocol can cite, naming every setting behind the numbers."""
    per_arm = " per arm" if result.test in TWO_ARM else ""
    points = "; ".join(f"n = {g.n}{per_arm}: {g.power:.3f}" for g in result.grid)
    if result.exact:
        how = "computed exactly by enumerating every pair of binomial outcomes"
        error = "Powers are exact (no Monte Carlo error)."
    else:
        worst = max(g.mc_se for g in result.grid)
        how = (f"estimated by simulating {result.sims:,} studies at each sample size "
               f"(random seed {result.seed}; numpy PCG64 seeded with the seed and n)")
        error = f"The Monte Carlo standard error of each power is at most {worst:.3f}."
        error += _all_or_none(result)
    target = _target(result)
    conclusion = (f"The smallest sample size on the grid with at least 80% power is "
                  f"{target}{per_arm}." if target is not None else
                  "No sample size on the grid reaches 80% power.")
    lines = [
        f"Sample size. The primary endpoint will be analysed with {_test_name(result.test)} "
        f"at a two-sided significance level of {result.alpha:g}. Power was {how}. "
        f"The effect was taken from {result.effect_source}. Power by number of patients "
        f"enrolled: {points}. "
        f"{error} {conclusion}",
    ]
    formula = [g for g in result.grid if g.formula_power is not None]
    if formula:
        lines.append(
            "For comparison, the t-test formula (noncentral t, as R pwr.t.test) would give "
            + "; ".join(f"n = {g.n}: {g.formula_power:.3f}" for g in formula)
            + "; the simulation accounts for the rank test, dropout and sites that the "
            "formula ignores."
        )
    population = _pilot_population(result)
    if population:
        lines.append(population)
    lines.append(_analysis_sentence(result))
    lines.append(f"Computed with jdmtrack plan ({result.method}).")
    return "\n\n".join(lines) + "\n"


def _write_figure(result: PowerResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 4.0), dpi=150)
    ax = fig.add_subplot()
    ns = [g.n for g in result.grid]
    power = [g.power for g in result.grid]
    se = [2 * g.mc_se for g in result.grid]
    sites = int(result.settings.get("sites", 1))
    name = result.test + (f", {result.settings.get('analysis')}, {sites} sites" if sites > 1 else "")
    ax.errorbar(ns, power, yerr=se, marker="o", capsize=3, label=f"{name} (simulated ± 2 MC SE)"
                if not result.exact else f"{name} (exact)")
    formula = [(g.n, g.formula_power) for g in result.grid if g.formula_power is not None]
    if formula:
        ax.plot([f[0] for f in formula], [f[1] for f in formula], linestyle="--",
                label="t-test formula")
    ax.axhline(0.8, color="grey", linewidth=0.8, linestyle=":")
    ax.set_ylim(0, 1)
    ax.set_xlabel("patients" + (" per arm" if result.test in TWO_ARM else ""))
    ax.set_ylabel(f"power (alpha = {result.alpha:g})")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def write_outputs(result: PowerResult, folder: str | Path) -> list[Path]:
    """Write power.png, power.csv and protocol.md into ``folder``; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    table = out / "power.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["n", "power", "mc_se", "formula_power", "test", "alpha", "sims", "seed",
                         "pilot_population", "pilot_n"])
        population = result.settings.get("pilot_population", "")
        pilot_n = result.settings.get("pilot_patients", "")
        for g in result.grid:
            writer.writerow([g.n, repr(g.power), repr(g.mc_se),
                             "" if g.formula_power is None else repr(g.formula_power),
                             result.test, repr(result.alpha), result.sims, result.seed,
                             population, pilot_n])
    paragraph = out / "protocol.md"
    paragraph.write_text(protocol_paragraph(result), encoding="utf-8")
    figure = out / "power.png"
    _write_figure(result, figure)
    return [figure, table, paragraph]
