"""The vectorised Kaplan-Meier equals the per-time loop it replaced and scipy's estimate.

Oracle 1: the counts as jdmtrack 5b743fb computed them (one pass over the patients per
distinct time). Oracle 2: scipy.stats.ecdf on right-censored data (its survival function is
the product-limit estimate). R pins of the curve, the Greenwood band and the quartiles are
in test_stats_survival.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jdmtrack.stats.survival import kaplan_meier

_PATIENTS = st.lists(st.tuples(st.integers(1, 12).map(float), st.booleans()), min_size=1,
                     max_size=60)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_PATIENTS)
def test_counts_and_curve_equal_the_loop_and_scipy(patients: list[tuple[float, bool]]) -> None:
    t = np.array([p[0] for p in patients])
    died = np.array([p[1] for p in patients])
    r = kaplan_meier(t, died)
    times = np.unique(t)
    assert r.time == tuple(times.tolist())
    assert r.n_risk == tuple(int(np.count_nonzero(t >= u)) for u in times)
    assert r.n_event == tuple(int(np.count_nonzero((t == u) & died)) for u in times)
    assert r.n_censor == tuple(int(np.count_nonzero((t == u) & ~died)) for u in times)
    surv = np.cumprod([1.0 - e / k for e, k in zip(r.n_event, r.n_risk, strict=True)])
    assert r.surv == tuple(surv.tolist())
    if died.any():
        sf = stats.ecdf(stats.CensoredData(uncensored=t[died], right=t[~died])).sf
        assert np.allclose(sf.evaluate(times), r.surv, rtol=0, atol=1e-12)


def test_twenty_thousand_patients_in_one_pass() -> None:
    rng = np.random.default_rng(4)
    t = np.round(rng.exponential(30.0, 20_000))
    died = rng.random(20_000) < 0.7
    r = kaplan_meier(t, died)
    assert sum(r.n_event) == int(died.sum()) and r.n_risk[0] == 20_000
    assert r.median is not None
