"""Simon's two-stage designs against the published tables and an independent brute force."""

from __future__ import annotations

import math

import pytest

from jdmtrack.errors import SettingsError
from jdmtrack.plan.simon import simon_designs, simon_operating

# Simon R. Optimal two-stage designs for phase II clinical trials. Control Clin Trials
# 1989;10:1-10, Table 1: (p0, p1, alpha, beta) -> optimal (r1/n1, r/n, EN(p0), PET(p0)) and
# minimax (r1/n1, r/n, EN(p0), PET(p0)). EN is published to 1 decimal, PET to 2.
SIMON_TABLE_1 = [
    ((0.05, 0.25, 0.10, 0.10), (0, 9, 2, 24, 14.5, 0.63), (0, 13, 2, 20, 16.4, 0.51)),
    ((0.05, 0.25, 0.05, 0.20), (0, 9, 2, 17, 12.0, 0.63), (0, 12, 2, 16, 13.8, 0.54)),
    ((0.05, 0.25, 0.05, 0.10), (0, 9, 3, 30, 16.8, 0.63), (0, 15, 3, 25, 20.4, 0.46)),
    ((0.10, 0.30, 0.10, 0.10), (1, 12, 5, 35, 19.8, 0.66), (1, 16, 4, 25, 20.4, 0.51)),
    ((0.10, 0.30, 0.05, 0.20), (1, 10, 5, 29, 15.0, 0.74), (1, 15, 5, 25, 19.5, 0.55)),
    ((0.10, 0.30, 0.05, 0.10), (2, 18, 6, 35, 22.5, 0.73), (2, 22, 6, 33, 26.2, 0.62)),
    ((0.20, 0.40, 0.10, 0.10), (3, 17, 10, 37, 26.0, 0.55), (3, 19, 10, 36, 28.3, 0.46)),
    ((0.20, 0.40, 0.05, 0.20), (3, 13, 12, 43, 20.6, 0.75), (4, 18, 10, 33, 22.3, 0.72)),
    ((0.20, 0.40, 0.05, 0.10), (4, 19, 15, 54, 30.4, 0.67), (5, 24, 13, 45, 31.2, 0.66)),
    ((0.30, 0.50, 0.05, 0.20), (5, 15, 18, 46, 23.6, 0.72), (6, 19, 16, 39, 25.7, 0.67)),
]


@pytest.mark.parametrize(("setting", "optimal", "minimax"), SIMON_TABLE_1)
def test_simon_matches_published_table_1(setting, optimal, minimax):
    # Every published n is <= 54, so searching n <= 60 finds the same designs as the default
    # nmax = 100 (the optimum over a range containing it), in a fifth of the time.
    result = simon_designs(*setting, nmax=60)
    for design, published in ((result.optimal, optimal), (result.minimax, minimax)):
        r1, n1, r, n, en, pet = published
        assert (design.r1, design.n1, design.r, design.n) == (r1, n1, r, n)
        assert design.en_p0 == pytest.approx(en, abs=0.05)
        assert design.pet_p0 == pytest.approx(pet, abs=0.005)
        assert design.alpha < setting[2]
        assert design.power > 1 - setting[3]


@pytest.mark.parametrize(
    ("setting", "nmax", "optimal", "minimax"),
    [
        # clinfun reference manual, ph2simon examples (printed to 4 significant digits).
        ((0.2, 0.4, 0.1, 0.1), 100, (3, 17, 10, 37, 26.02, 0.5489), (3, 19, 10, 36, 28.26, 0.4551)),
        ((0.2, 0.35, 0.05, 0.05), 100, (11, 53, 26, 99, 69.88, 0.6330),
         (15, 68, 25, 95, 75.44, 0.7244)),
        ((0.2, 0.35, 0.05, 0.05), 150, (11, 50, 28, 109, 67.07, 0.7107),
         (15, 68, 25, 95, 75.44, 0.7244)),
    ],
)
def test_simon_matches_clinfun_examples(setting, nmax, optimal, minimax):
    result = simon_designs(*setting, nmax=nmax)
    for design, expected in ((result.optimal, optimal), (result.minimax, minimax)):
        assert (design.r1, design.n1, design.r, design.n) == expected[:4]
        assert design.en_p0 == pytest.approx(expected[4], abs=0.005)
        assert design.pet_p0 == pytest.approx(expected[5], abs=0.00005)
    assert (result.note is not None) == (result.optimal.n > nmax - 10)


def _brute_force(p0, p1, alpha, beta, nmax):
    """Every (r1, n1, r, n) with n <= nmax, by plain loops over binomial terms (math.comb)."""

    def pmf(x, m, p):
        return math.comb(m, x) * p**x * (1 - p) ** (m - x)

    def reject(r1, n1, r, n, p):
        return sum(pmf(x1, n1, p) * sum(pmf(x2, n - n1, p) for x2 in range(max(0, r - x1 + 1),
                                                                            n - n1 + 1))
                   for x1 in range(r1 + 1, n1 + 1))

    feasible = []
    for n in range(2, nmax + 1):
        for n1 in range(1, n):
            for r1 in range(n1):
                pet = sum(pmf(x, n1, p0) for x in range(r1 + 1))
                for r in range(r1, n + 1):
                    if reject(r1, n1, r, n, p0) < alpha and 1 - reject(r1, n1, r, n, p1) < beta:
                        feasible.append((n1 + (1 - pet) * (n - n1), n, r1, n1, r))
    optimal = min(feasible)
    smallest = min(f[1] for f in feasible)
    minimax = min(f for f in feasible if f[1] == smallest)
    return optimal, minimax


def test_simon_agrees_with_independent_brute_force():
    """An independent enumeration (n <= 18) finds the same optimal and minimax designs."""
    optimal, minimax = _brute_force(0.05, 0.25, 0.05, 0.2, 18)
    result = simon_designs(0.05, 0.25, 0.05, 0.2, nmax=18)
    for design, (en, n, r1, n1, r) in ((result.optimal, optimal), (result.minimax, minimax)):
        assert (design.r1, design.n1, design.r, design.n) == (r1, n1, r, n)
        assert design.en_p0 == pytest.approx(en, rel=1e-12)


def test_operating_characteristics_match_the_design():
    """alpha and power reported equal P(promising) at p0 and p1, recomputed separately."""
    design = simon_designs(0.1, 0.3, 0.05, 0.2).optimal
    reject0, pet0 = simon_operating(design.r1, design.n1, design.r, design.n, 0.1)
    reject1, _ = simon_operating(design.r1, design.n1, design.r, design.n, 0.3)
    assert design.alpha == pytest.approx(reject0, rel=1e-10)
    assert design.power == pytest.approx(reject1, rel=1e-10)
    assert design.pet_p0 == pytest.approx(pet0, rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p0": 0.3, "p1": 0.2}, "--p1 must be above --p0"),
        ({"p0": 0.3, "p1": 0.3}, "--p1 must be above --p0"),
        ({"beta": 0.0}, "power = 1 - beta must be below 1"),
        ({"beta": -0.1}, "power = 1 - beta must be below 1"),
        ({"alpha": 1.2}, "--alpha must be between 0 and 1"),
        ({"p0": 0.05, "p1": 0.1, "nmax": 20}, "no two-stage design with n <= 20"),
    ],
)
def test_impossible_requests_are_settings_errors(kwargs, message):
    settings = {"p0": 0.2, "p1": 0.4, "alpha": 0.05, "beta": 0.2, **kwargs}
    with pytest.raises(SettingsError, match=message):
        simon_designs(**settings)
