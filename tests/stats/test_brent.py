"""``_brent.brentq`` is scipy's ``brentq`` step for step: the same roots to the last bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from jdmtrack.errors import ComputationError
from jdmtrack.stats._brent import brentq


def _cases() -> list[tuple[str, object, float, float]]:
    rng = np.random.default_rng(16)
    cases: list[tuple[str, object, float, float]] = [
        ("sqrt2", lambda x: x * x - 2.0, 0.0, 2.0),
        ("cos", math.cos, 0.0, 3.0),
        ("cubic", lambda x: (x - 0.3) ** 3, -1.0, 2.0),
        ("exp", lambda x: math.exp(x) - 5.0, -10.0, 10.0),
        ("flat", lambda x: math.atan(1e6 * (x - 1e-3)), 0.0, 1.0),
        ("tiny", lambda x: x - 1e-200, 1e-300, 1.0),
    ]
    for k in range(40):  # random cubics with a sign change on [lo, hi]
        c = rng.normal(size=4)
        lo, hi = -3.0 - rng.random(), 3.0 + rng.random()

        def poly(x: float, c: np.ndarray = c) -> float:
            return float(((c[0] * x + c[1]) * x + c[2]) * x + c[3])

        if math.copysign(1.0, poly(lo)) != math.copysign(1.0, poly(hi)):
            cases.append((f"cubic{k}", poly, lo, hi))
    return cases


@pytest.mark.parametrize(("rtol", "maxiter"), [(1e-15, 500), (1e-12, 100), (1e-8, 5)])
def test_same_root_and_convergence_as_scipy(rtol: float, maxiter: int) -> None:
    cases = _cases()
    assert len(cases) > 20
    for name, f, a, b in cases:
        want, info = optimize.brentq(f, a, b, xtol=1e-300, rtol=rtol, maxiter=maxiter,
                                     full_output=True, disp=False)
        got, converged = brentq(f, a, b, xtol=1e-300, rtol=rtol,  # type: ignore[arg-type]
                                maxiter=maxiter)
        assert got == want, name  # bit for bit, not approximately
        assert converged == info.converged, name


def test_root_at_an_end_and_no_sign_change() -> None:
    assert brentq(lambda x: x - 1.0, 1.0, 2.0, xtol=1e-12, rtol=1e-12) == (1.0, True)
    assert brentq(lambda x: x - 2.0, 1.0, 2.0, xtol=1e-12, rtol=1e-12) == (2.0, True)
    with pytest.raises(ComputationError, match="no sign change"):
        brentq(lambda x: x * x + 1.0, -1.0, 1.0, xtol=1e-12, rtol=1e-12)
