"""Log-rank test of k groups of right-censored times, with a permutation p-value.

* **Chi-square** (``statistic``, ``p_value``): R ``survival::survdiff(Surv(time, event) ~
  group)``. At each distinct event time t, with n_t at risk and d_t events, group g expects
  ``d_t n_gt / n_t`` events; the hypergeometric covariance is ``d_t (n_t - d_t) / (n_t - 1)
  n_gt / n_t (delta_gh - n_ht / n_t)``; the statistic is ``(O - E)' V^- (O - E)`` with k - 1
  degrees of freedom (groups without anyone at risk at an event time contribute nothing).
* **Permutation p** (``p_value_exact``): the log-rank scores of coin's ``logrank_trafo``
  (``sum over distinct times u <= t_i of d_u / n_u`` minus the event indicator, ties by
  "mid-ranks", coin's default) are permuted over the groups, conditional on the data. The
  permutation covariance of the group score sums U is ``s^2 (diag(n) - n n' / N)``; since the
  scores sum to zero the quadratic form is proportional to ``sum_g U_g^2 / n_g``, so p =
  P(sum U*_g^2 / n_g >= observed).
  - two groups: exact, by the distribution of the first group's score sum over all equally
    likely subsets (scores are real numbers, so sums equal to 1e-9 are merged), as
    ``coin::logrank_test(distribution = "exact")``; tried in ``auto`` mode up to
    ``EXACT_MAX_N`` patients and used while the distribution holds at most
    ``EXACT_MAX_STATES`` (subset size, sum) states;
  - otherwise Monte Carlo: ``resamples`` relabellings from ``numpy.random.default_rng(seed)``,
    p = (1 + hits) / (1 + resamples), as ``coin::logrank_test(distribution =
    approximate(nresample = resamples))``; in ``auto`` mode only while N x resamples is at
    most ``MONTE_CARLO_MAX_CELLS`` (10 million), beyond which the chi-square p stands alone.
  - ``permutation="none"``: no permutation p-value, the chi-square p alone (the large-sample
    mode of ``jdmtrack.analysis.groups``).

References
----------
Mantel N. Evaluation of survival data and two new rank order statistics arising in its
consideration. Cancer Chemother Rep. 1966;50:163-170.
Peto R, Peto J. Asymptotically efficient rank invariant test procedures. J R Stat Soc A.
1972;135:185-207.
Hothorn T, Hornik K, van de Wiel MA, Zeileis A. Implementing a class of permutation tests:
the coin package. J Stat Softw. 2008;28(8).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import FloatArray, as_float_vector, join_notes
from jdmtrack.stats._permutation import (
    PermutationOrNone,
    PermutationTest,
    check_resamples,
    monte_carlo_feasible,
    monte_carlo_group_sums,
    monte_carlo_p,
    subset_sum_real,
    too_large_for_monte_carlo,
    two_sided_real,
)
from jdmtrack.stats.friedman import DEFAULT_RESAMPLES, DEFAULT_SEED

__all__ = ["EXACT_MAX_STATES", "LogrankResult", "logrank_scores", "logrank_test"]

#: Largest exact two-group distribution, in (subset size, distinct sum) states.
EXACT_MAX_STATES = 300_000
#: Above this many patients ``auto`` does not try the exact distribution (real-valued scores
#: rarely merge: the states grow like the number of subsets).
EXACT_MAX_N = 40


@dataclass(frozen=True)
class LogrankResult(PermutationTest):
    """Log-rank comparison of k groups' survival curves (two-sided; statistic and p-values:
    ``PermutationTest``)."""

    n: int
    groups: tuple[Hashable, ...]
    group_sizes: tuple[int, ...]
    observed: tuple[float, ...]
    expected: tuple[float, ...]
    method: str
    not_run: str | None = None
    note: str | None = None


def logrank_scores(time: FloatArray, event: FloatArray) -> FloatArray:
    """coin's log-rank scores: sum of d_u / n_u over distinct times u <= t_i, minus event_i.

    Hazard increments 1/4 (t = 1), 1/3 (t = 2), 1/1 (t = 3):

    >>> logrank_scores(np.array([1.0, 2.0, 2.0, 3.0]), np.array([1.0, 1.0, 0.0, 1.0]))
    array([-0.75      , -0.41666667,  0.58333333,  0.58333333])
    """
    times, inverse = np.unique(time, return_inverse=True)
    at_risk = time.size - np.searchsorted(np.sort(time), times, side="left")
    events = np.bincount(inverse, weights=event, minlength=times.size)
    hazard = np.cumsum(events / at_risk)
    scores: FloatArray = hazard[inverse] - event
    return scores


def _survdiff(time: FloatArray, event: FloatArray, labels: np.ndarray[Any, Any],
              k: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, expected and the covariance matrix of O - E, as survival::survdiff."""
    observed = np.zeros(k)
    expected = np.zeros(k)
    var = np.zeros((k, k))
    for t in np.unique(time[event == 1.0]):
        risk = time >= t
        n_t = float(risk.sum())
        dying = (time == t) & (event == 1.0)
        d_t = float(dying.sum())
        n_g = np.bincount(labels[risk], minlength=k).astype(np.float64)
        observed += np.bincount(labels[dying], minlength=k)
        expected += d_t * n_g / n_t
        if n_t > 1.0:
            share = n_g / n_t
            var += d_t * (n_t - d_t) / (n_t - 1.0) * (np.diag(share) - np.outer(share, share))
    return observed, expected, var


def logrank_test(
    time: Sequence[float] | Any,
    event: Sequence[bool | int] | Any,
    group: Sequence[Hashable],
    *,
    permutation: PermutationOrNone = "auto",
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    max_states: int = EXACT_MAX_STATES,
) -> LogrankResult:
    """Log-rank test of the groups in ``group`` (aligned with ``time`` and ``event``).

    Groups are ordered by their text. Never raises on degenerate data: one group, or no
    event at all, give ``not_run``.

    Examples
    --------
    >>> r = logrank_test([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], ["a", "a", "a", "b", "b", "b"])
    >>> round(r.statistic, 10), r.df, r.observed, r.p_value_exact   # exact: 2 of C(6, 3)
    (5.0516605166, 1, (3.0, 3.0), 0.1)
    """
    check_resamples(resamples, seed)
    t = as_float_vector(time, "time")
    raw_event = np.asarray(event)
    if raw_event.size != t.size or len(group) != t.size:
        raise ComputationError(
            f"time, event and group must be aligned; got {t.size}, {raw_event.size} and "
            f"{len(group)} entries")
    e = as_float_vector(raw_event.astype(np.float64), "event")
    if not np.all((e == 0.0) | (e == 1.0)):
        raise ComputationError("event must be 1/True (event) or 0/False (censored)")
    levels = tuple(sorted(set(group), key=str))
    at = {g: i for i, g in enumerate(levels)}
    labels = np.array([at[g] for g in group], dtype=np.int64)
    k = len(levels)
    sizes = tuple(int(v) for v in np.bincount(labels, minlength=k))
    n = int(t.size)
    method = (
        "log-rank test: chi-square as survival::survdiff; permutation p over the groups of "
        "coin's log-rank scores (as coin::logrank_test)"
    )

    def not_run(why: str) -> LogrankResult:
        return LogrankResult(None, None, None, None, None, None, None, n, levels, sizes, (), (),
                             method, why)

    if k < 2:
        return not_run("fewer than two groups: nothing to compare")
    if not e.any():
        return not_run("no events: the curves cannot differ")
    observed, expected, var = _survdiff(t, e, labels, k)
    diff = observed - expected
    statistic = float(diff @ np.linalg.pinv(var) @ diff)
    df = int(np.linalg.matrix_rank(var))
    p_value = float(special.chdtrc(df, statistic)) if df > 0 else None
    scores = logrank_scores(t, e)
    group_sums = np.bincount(labels, weights=scores, minlength=k)
    size_arr = np.array(sizes, dtype=np.float64)
    observed_q = float(np.sum(group_sums**2 / size_arr))
    notes: list[str | None] = []
    p_exact: float | None = None
    p_method: str | None
    used_resamples = used_seed = None
    p_method = None
    if k == 2 and (permutation == "exact" or (permutation == "auto" and n <= EXACT_MAX_N)):
        limit = max_states if permutation == "auto" else 2**62
        dist = subset_sum_real(scores, sizes[0], limit)
        p_exact = None if dist is None else two_sided_real(dist, 0.0, float(group_sums[0]))
        p_method = "exact (conditional on the scores)"
        if p_exact is None:
            notes.append(f"exact distribution over {max_states} states: Monte Carlo p-value")
    if permutation == "none":
        notes.append("large-sample mode: the chi-square p-value only")
    elif p_exact is None and permutation == "auto" and not monte_carlo_feasible(n, resamples):
        p_method = None
        notes.append(too_large_for_monte_carlo(n, resamples))
    elif p_exact is None:
        hits = monte_carlo_group_sums(
            scores, labels, k, resamples, seed,
            lambda s: np.sum(s**2 / size_arr, axis=1) >= observed_q * (1.0 - 1e-9),
        )
        p_exact = monte_carlo_p(hits, resamples)
        p_method = f"Monte Carlo, {resamples} resamples, seed {seed}"
        used_resamples, used_seed = resamples, seed
    return LogrankResult(
        statistic, df, p_value, p_exact, p_method, used_resamples, used_seed, n, levels, sizes,
        tuple(observed.tolist()), tuple(expected.tolist()), method, None, join_notes(notes),
    )
