"""Brent's root finder, step for step as scipy's ``brentq`` (scipy/optimize/Zeros/brentq.c).

Importing ``scipy.optimize`` (which pulls in ``scipy.linalg``) costs about 0.4 s of CPU, more
than every root the analysis finds. This is the same algorithm in the same floating-point
order, so the roots are the same to the last bit (tests/stats/test_brent.py compares them
with scipy's on many functions).

A translation of SciPy's C routine (Charles Harris), used under SciPy's BSD 3-Clause
licence: Copyright (c) 2001-2002 Enthought, Inc. 2003, SciPy Developers.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from jdmtrack.errors import ComputationError


def brentq(f: Callable[[float], float], a: float, b: float, *, xtol: float, rtol: float,
           maxiter: int = 100) -> tuple[float, bool]:
    """(root, converged) of ``f`` on [a, b]; f(a) and f(b) must differ in sign.

    >>> root, ok = brentq(lambda x: x * x - 2.0, 0.0, 2.0, xtol=1e-300, rtol=1e-15)
    >>> ok, abs(root - math.sqrt(2.0)) < 1e-15
    (True, True)
    """
    xpre, xcur = float(a), float(b)
    xblk = fblk = spre = scur = 0.0
    fpre, fcur = float(f(xpre)), float(f(xcur))
    if fpre == 0.0:
        return xpre, True
    if fcur == 0.0:
        return xcur, True
    if math.copysign(1.0, fpre) == math.copysign(1.0, fcur):
        raise ComputationError(f"no sign change for the root: f({a}) = {fpre}, f({b}) = {fcur}")
    for _ in range(maxiter):
        if fpre != 0.0 and fcur != 0.0 and math.copysign(1.0, fpre) != math.copysign(1.0, fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0.0 or abs(sbis) < delta:
            return xcur, True
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:  # interpolate
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:  # extrapolate (inverse quadratic)
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            if 2 * abs(stry) < min(abs(spre), 3 * abs(sbis) - delta):
                spre, scur = scur, stry  # a good short step
            else:
                spre = scur = sbis  # bisect
        else:
            spre = scur = sbis  # bisect
        xpre, fpre = xcur, fcur
        if abs(scur) > delta:
            xcur += scur
        else:
            xcur += delta if sbis > 0 else -delta
        fcur = float(f(xcur))
    return xcur, False
