"""Exact Friedman decisions for simulated studies without ties, from the analysis's own test.

Without ties the permutation distribution of ``S = sum_j R_j^2`` (R_j the column sums of
within-patient ranks) depends only on (n, k), and the permutation p-value falls as S rises.
So the significant studies are those with S at or above one critical value per (n, k,
alpha). It is found by bisection over the S values the simulation meets, each probe one call
of ``jdmtrack.stats.friedman_permutation_p`` (the exact p-value ``jdmtrack analyze``
reports) on a simulated table with that S; the bracket is kept, so later studies need a
probe only when their S falls inside it. When the exact distribution is too large for
``friedman_permutation_p`` the caller decides the studies as those with ties
(``friedman_ties``: the analysis's Monte Carlo p-value).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from jdmtrack.errors import ComputationError
from jdmtrack.plan._types import BoolArray, IntArray
from jdmtrack.plan.nulls import P_TOLERANCE

__all__ = ["ExactFriedman"]


@dataclass
class _Bracket:
    below: int = -1          # largest S known not significant
    above: int | None = None  # smallest S known significant


@dataclass
class ExactFriedman:
    """Critical-value brackets per (n, k), shared by every chunk of one grid point."""

    alpha: float
    brackets: dict[tuple[int, int], _Bracket] = field(default_factory=dict)
    infeasible: set[tuple[int, int]] = field(default_factory=set)

    def decide(self, tables: IntArray, s_values: IntArray) -> BoolArray | None:
        """Reject flags for untied studies with the same (n, k); None if not computable.

        ``tables`` is (studies, n, k) of doubled within-patient ranks, ``s_values`` their S.
        """
        from jdmtrack.stats import friedman_permutation_p

        key = (int(tables.shape[1]), int(tables.shape[2]))
        if key in self.infeasible:
            return None
        bracket = self.brackets.setdefault(key, _Bracket())
        first = {int(s): i for i, s in reversed(list(enumerate(s_values.tolist())))}
        while True:
            unknown = sorted(s for s in first if s > bracket.below
                             and (bracket.above is None or s < bracket.above))
            if not unknown:
                break
            probe = unknown[len(unknown) // 2]
            try:
                p = friedman_permutation_p(tables[first[probe]], mode="exact")[0]
            except ComputationError:
                self.infeasible.add(key)
                return None
            if p <= self.alpha * (1 + P_TOLERANCE):
                bracket.above = probe
            else:
                bracket.below = probe
        if bracket.above is None:
            return np.zeros(s_values.shape, dtype=bool)
        return np.asarray(s_values >= bracket.above)
