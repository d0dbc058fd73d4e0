"""The profiled REML criterion of ``nested_mixed_model``, its gradient, and its minimiser.

Random intercepts for site and for patient within site, relative SDs ``theta = (t_s, t_p)``
(random-effect SD / residual SD) as lme4 (Bates et al. 2015). The criterion and its
gradient are sums over cells (patients of one site with the same number of visits), so an
evaluation costs O(sites x visit counts) whatever the number of patients.

Reference: Bates D, Maechler M, Bolker B, Walker S. Fitting linear mixed-effects models
using lme4. J Stat Softw. 2015;67(1):1-48. doi:10.18637/jss.v067.i01
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from jdmtrack.errors import ComputationError
from jdmtrack.stats._common import FloatArray
from jdmtrack.stats._grouping import sum_rows


def _cross(a: Any, b: Any) -> Any:
    """a' b over the first axis (vectors or matrices), without BLAS."""
    spec = {(2, 2): "ij,ik->jk", (2, 1): "ij,i->j", (1, 1): "i,i->"}[(a.ndim, b.ndim)]
    return np.einsum(spec, a, b)


def _times(a: Any, b: Any) -> Any:
    """a b (a matrix times a vector), without BLAS."""
    return np.einsum("ij,j->i", a, b)


@dataclass(frozen=True)
class Solution:
    """The profiled fit at one theta: criterion, beta, X'V^-1X (per unit residual variance),
    r^2 and, when asked for, the gradient of the criterion in (t_s^2, t_p^2)."""

    criterion: float
    beta: FloatArray
    rx: FloatArray
    r2: float
    gradient: FloatArray | None


class Reml:
    """The profiled REML criterion of lme4 for random intercepts of site and patient-in-site.

    A = Lambda Z'Z Lambda + I has a patient block that is diagonal (d_p = 1 + t_p^2 n_p, n_p
    a patient's visits), a diagonal site block (1 + t_s^2 n_s) and a site x patient block
    g_p = t_s t_p n_p (each patient in one site). Eliminating the patients leaves a diagonal
    Schur complement m_s = 1 + t_s^2 n_s - sum_{p in s} g_p^2 / d_p. Everything the
    criterion needs is then a sum over patients of (patient sums of x and y) and their
    products, weighted by functions of n_p: patients of one site with the same number of
    visits form a cell, and each evaluation runs over the cells (sites x visit counts), not
    the patients or the visits. The same numbers as the dense Cholesky of A, at any size.
    """

    def __init__(self, x: FloatArray, y: FloatArray, site_index: np.ndarray[Any, Any],
                 patient_index: np.ndarray[Any, Any], patient_site: np.ndarray[Any, Any],
                 n_sites: int) -> None:
        self.n, self.p = x.shape
        self.n_sites = n_sites
        n_patients = int(patient_site.size)
        self.n_site = np.bincount(site_index, minlength=n_sites).astype(np.float64)
        visits = np.bincount(patient_index, minlength=n_patients)
        # Patient sums of x and y, then cells of (site, number of visits).
        px = sum_rows(patient_index, n_patients, x)
        py = np.bincount(patient_index, weights=y, minlength=n_patients)
        keys, cell = np.unique(patient_site * (int(visits.max()) + 1) + visits,
                               return_inverse=True)
        n_cells = int(keys.size)
        self.cell_site = (keys // (int(visits.max()) + 1)).astype(np.int64)
        self.cell_visits = (keys % (int(visits.max()) + 1)).astype(np.float64)
        self.cell_count = np.bincount(cell, minlength=n_cells).astype(np.float64)
        self.s1x = sum_rows(cell, n_cells, px)
        self.s1y = np.bincount(cell, weights=py, minlength=n_cells)
        self.s2xx = np.stack([sum_rows(cell, n_cells, px * px[:, [j]]) for j in range(self.p)],
                             axis=2)
        self.s2xy = sum_rows(cell, n_cells, px * py[:, None])
        self.s2yy = np.bincount(cell, weights=py * py, minlength=n_cells)
        # Site sums of x and y, and X'X, X'y, y'y.
        self.sx = sum_rows(site_index, n_sites, x)
        self.sy = np.bincount(site_index, weights=y, minlength=n_sites)
        self.xtx, self.xty = _cross(x, x), _cross(x, y)
        # Within-patient cross-products of [X y], from values centred on each patient's
        # mean (exact: no difference of large sums).
        xy = np.column_stack([x, y])
        centred = xy - (sum_rows(patient_index, n_patients, xy) / visits[:, None])[patient_index]
        self.within = _cross(centred, centred)

    def _by_site(self, values: Any) -> Any:
        """Sum cell values (vectors or matrices) into their sites."""
        if values.ndim == 1:
            return np.bincount(self.cell_site, weights=values, minlength=self.n_sites)
        return sum_rows(self.cell_site, self.n_sites, values)

    def solve(self, theta: Sequence[float] | FloatArray, *,
              gradient: bool = False) -> Solution:
        """The fit at ``theta`` (and the gradient in (t_s^2, t_p^2) if asked)."""
        ts, tp = float(theta[0]), float(theta[1])
        d = 1.0 + tp * tp * self.cell_visits
        g = ts * tp * self.cell_visits
        count = self.cell_count
        m = 1.0 + ts * ts * self.n_site - self._by_site(count * g * g / d)
        # A^-1 Lambda Z'X, site rows (the patient rows are (t_p x_p - g u_site) / d).
        ax_s = (ts * self.sx - self._by_site((tp * g / d)[:, None] * self.s1x)) / m[:, None]
        at_x = ax_s[self.cell_site]
        weight = tp * g / d
        rx = (self.xtx - ts * _cross(self.sx, ax_s)
              - np.einsum("c,cjk->jk", tp * tp / d, self.s2xx)
              + _cross(weight[:, None] * self.s1x, at_x))
        rhs = (self.xty - ts * _cross(ax_s, self.sy)
               - _cross(self.s2xy, tp * tp / d)
               + _cross(at_x, weight * self.s1y))
        beta = np.linalg.solve(rx, rhs)
        # a_p = (patient sum of y) - (patient sum of x) beta: its cell sums and squares.
        sa = self.s1y - _times(self.s1x, beta)
        saa = (self.s2yy - 2.0 * _cross(self.s2xy.T, beta)
               + np.einsum("cjk,j,k->c", self.s2xx, beta, beta))
        u_s = (ts * (self.sy - _times(self.sx, beta)) - self._by_site(weight * sa)) / m
        # r^2 = ||y - X beta - Z Lambda u||^2 + ||u||^2 as a sum of non-negative parts.
        # With a = y - X beta, a_p its sum over patient p's visits (n_p of them) and the
        # random part constant within a patient, each patient's residual splits into its
        # within-patient sum of squares of a (a quadratic form of [-beta, 1] in the
        # within-patient cross-products of [X y], fixed) and (a_p - n_p t_s u_site)^2 /
        # (n_p d_p^2); the patient's ||u_p||^2 adds t_p^2 times the same square / d_p^2:
        # together (a_p - n_p t_s u_site)^2 / (n_p d_p).
        b = np.append(-beta, 1.0)
        within = max(0.0, float(_cross(b, _times(self.within, b))))
        shift = self.cell_visits * ts * u_s[self.cell_site]
        squares = np.maximum(saa - 2.0 * shift * sa + count * shift * shift, 0.0)
        r2 = within + float(np.sum(squares / (self.cell_visits * d))) + float(_cross(u_s, u_s))
        if not r2 > 0.0:
            raise ComputationError("the residual sum of squares is zero: the model fits "
                                   "every value exactly")
        dof = self.n - self.p
        _, logdet_rx = np.linalg.slogdet(rx)
        logdet_a = float(np.sum(count * np.log(d)) + np.sum(np.log(m)))
        criterion = logdet_a + float(logdet_rx) + dof * (1.0 + math.log(2.0 * math.pi * r2 / dof))
        beta = np.asarray(beta, dtype=np.float64)
        slope = self._gradient(ts, d, m, beta, rx, sa, saa, r2) if gradient else None
        return Solution(criterion, beta, rx, r2, slope)

    def _gradient(self, ts: float, d: FloatArray, m: FloatArray, beta: FloatArray,
                  rx: FloatArray, sa: FloatArray, saa: FloatArray, r2: float) -> FloatArray:
        """d criterion / d(t_s^2, t_p^2) (the REML score, beta and sigma^2 profiled out).

        With V0 = I + t_s^2 Zs Zs' + t_p^2 Zp Zp', P0 its REML projection and e the
        residual: d/d(t_k^2) = tr(V0^-1 Zk Zk') - tr((X'V0^-1X)^-1 X'V0^-1 Zk Zk' V0^-1 X)
        - (N - p) ||Zk' V0^-1 e||^2 / r^2. V0 is block diagonal by site; with h_s = sum_p
        n_p / d_p (so m_s = 1 + t_s^2 h_s), k_s = t_s^2 / m_s and G_s(v) = sum_p v_p / d_p
        (v_p a patient's sum of v): 1_s' V0^-1 v = G_s(v) / m_s and 1_p' V0^-1 v = (v_p -
        n_p k_s G_s(v)) / d_p, summed over the cells.
        """
        count, n, site = self.cell_count, self.cell_visits, self.cell_site
        inverse = np.linalg.inv(rx)
        h = self._by_site(count * n / d)
        k = ts * ts / m
        gx = self._by_site(self.s1x / d[:, None])
        ge = self._by_site(sa / d)
        kx, ke = (k[:, None] * gx)[site], (k * ge)[site]
        # Patients: sum over p of q_p q_p' with q_p = (x_p - n_p k_s G_s(x)) / d_p.
        mixed = np.einsum("cj,ck->cjk", self.s1x, kx)
        outer = (self.s2xx - n[:, None, None] * (mixed + mixed.transpose(0, 2, 1))
                 + (count * n * n)[:, None, None] * np.einsum("cj,ck->cjk", kx, kx))
        patient = (float(np.sum(count * n / d - k[site] * count * n * n / d**2))
                   - float(np.einsum("jk,ckj,c->", inverse, outer, 1.0 / d**2))
                   - (self.n - self.p) * float(np.sum(
                       (saa - 2.0 * n * ke * sa + count * n * n * ke * ke) / d**2)) / r2)
        site_part = (float(np.sum(h / m))
                     - float(np.einsum("sj,jk,sk,s->", gx, inverse, gx, 1.0 / m**2))
                     - (self.n - self.p) * float(np.sum((ge / m) ** 2)) / r2)
        return np.array([site_part, patient])


class Minimum(NamedTuple):
    """Where a search from one start stopped; ``joined``: near a minimum found from another
    start (on its way there)."""

    theta: FloatArray
    criterion: float
    converged: bool
    joined: bool = False


# Newton steps from one start before giving up (converged = False).
_MAX_STEPS = 200
# Stop when a step moves theta^2 by less than this (relative to max(1, theta^2)): a Newton
# step this small leaves an error of about its square.
_STEP_TOL = 1e-10
# After a step this small (relative to max(1, theta^2)) the Hessian is kept: it barely
# changed, and Newton's method with it still converges (at a rate of about its change).
_REUSE = 1e-6
# A search this close (relative to max(1, |theta|)) to a minimum found from another start
# is in its basin: Newton's method converges to that minimum from there.
_SAME = 1e-3
# A predicted decrease below this fraction of the criterion is inside rounding: the step is
# taken without a line search (quadratic convergence there needs no safeguard).
_NOISE = 1e-11


def _hessian(reml: Reml, phi: FloatArray, slope: FloatArray) -> FloatArray:
    """Hessian of the criterion in phi = theta^2: forward differences of the analytic
    gradient (their error only slows Newton's method; the minimum is where the analytic
    gradient vanishes)."""
    hessian = np.empty((2, 2))
    for k in (0, 1):
        step = 1e-5 * max(float(phi[k]), 1e-2)
        shifted = phi.copy()
        shifted[k] += step
        moved = reml.solve(np.sqrt(shifted), gradient=True).gradient
        assert moved is not None
        hessian[:, k] = (moved - slope) / step
    symmetric: FloatArray = (hessian + hessian.T) / 2.0
    return symmetric


def _direction(hessian: FloatArray, slope: FloatArray, free: np.ndarray[Any, Any]) -> FloatArray:
    """Newton direction in the free coordinates (the Hessian shifted to positive definite
    where it is not), zero in the others."""
    direction = np.zeros(2)
    if free.any():
        block = hessian[np.ix_(free, free)]
        eigen = np.linalg.eigvalsh(block)
        floor = 1e-8 * max(abs(float(eigen[-1])), 1e-300)
        shift = 0.0 if eigen[0] > floor else floor - 2.0 * float(eigen[0])
        direction[free] = -np.linalg.solve(block + shift * np.eye(block.shape[0]), slope[free])
    return direction


def newton(reml: Reml, start: Sequence[float], theta_max: float,
           found: FloatArray | None = None) -> Minimum:
    """Minimise the criterion over 0 <= theta <= theta_max from ``start``.

    Projected Newton's method in phi = theta^2 (the criterion is smooth in phi, also at
    phi = 0): a coordinate at a bound with the gradient pushing outwards is held there, the
    others take a Newton step (the Hessian shifted to positive definite where it is not,
    phi growing at most fourfold), projected back into the bounds and halved until the
    criterion falls. A search that comes within _SAME of a minimum ``found`` from another
    start stops there (``joined``): it is on its way to the same minimum.
    """
    phi = np.asarray(start, dtype=np.float64) ** 2
    upper = theta_max * theta_max
    here = reml.solve(np.sqrt(phi), gradient=True)
    moved, hessian = math.inf, np.eye(2)
    for _ in range(_MAX_STEPS):
        slope = here.gradient
        assert slope is not None
        if moved > _REUSE * max(1.0, float(np.max(phi))):
            hessian = _hessian(reml, phi, slope)
        held = ((phi <= 0.0) & (slope > 0.0)) | ((phi >= upper) & (slope < 0.0))
        direction = _direction(hessian, slope, ~held)
        largest = float(np.max(np.abs(direction)))
        limit = max(1.0, 3.0 * float(np.max(phi)))
        if largest > limit:
            direction *= limit / largest
        fraction = 1.0
        while True:
            trial = np.clip(phi + fraction * direction, 0.0, upper)
            there = reml.solve(np.sqrt(trial), gradient=True)
            predicted = float(slope @ (trial - phi))
            if (there.criterion <= here.criterion + 1e-4 * predicted
                    or -predicted <= _NOISE * max(1.0, abs(here.criterion))):
                break
            fraction /= 2.0
            if fraction < 1e-12:  # no decrease in this direction: as low as it goes
                return Minimum(np.sqrt(phi), here.criterion, False)
        moved = float(np.max(np.abs(trial - phi)))
        phi, here = trial, there
        theta = np.sqrt(phi)
        if moved <= _STEP_TOL * max(1.0, float(np.max(phi))):
            return Minimum(theta, here.criterion, True)
        if found is not None and (float(np.max(np.abs(theta - found)))
                                  <= _SAME * max(1.0, float(np.max(found)))):
            return Minimum(theta, here.criterion, False, joined=True)
    return Minimum(np.sqrt(phi), here.criterion, False)
