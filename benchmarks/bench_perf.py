"""Issue 16's table, measured side by side in one run: jdmtrack against a floor or a peer.

Rows (each a separate process, timed by the kernel's accounting of that process):

1. ``score``, visits with CMAS and MMT-8 item columns only, against the pandas floor (read the
   CSV, total the items, ``to_csv``);
2. ``score``, a synthetic cohort with every column the demo fills, against the pandas floor
   (read, ``to_csv``);
3. ``analyze`` at N and 10 N patients (``jdmtrack demo synthetic``): time, CPU time, peak
   memory, and how the time grows for 10x the patients (target <= 15x);
4. Kaplan-Meier: ``jdmtrack.stats.kaplan_meier`` against ``scipy.stats.ecdf`` (and R
   ``survfit`` when ``Rscript`` with the survival package is installed);
5. Hodges-Lehmann estimate and CI: jdmtrack against building and sorting every Walsh
   average with numpy (and R ``wilcox.test(conf.int = TRUE)`` when R is installed);
6. ``analyze`` plain, ``--by jaki_drug`` and ``--by site`` at N and 10 N patients;
7. ``report`` on N patients;
8. ``report --demo baricitinib`` over ``import jdmtrack``.

Wall time on a shared machine is noisy: the CPU column (user + system time of the process)
is the steadier figure; ``--repeat 3`` runs each command three times and gives the minimum.
Prints a markdown table; ``--out FILE`` also writes it.
Usage: python benchmarks/bench_perf.py [--tiny] [--out FILE] [--repeat N]
       [--only score,analyze,by,stats,report]
(``--tiny`` runs every row at a toy size, as CI does, to show the script works.)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_score import ITEMS, make_cohort

PY = sys.executable


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float

    def cell(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s, {self.peak_mib:.0f} MiB)"


REPEAT = 1  # runs of each command; each figure is the minimum over them (--repeat)


def run(args: list[str]) -> Run:
    """Run ``args`` ``REPEAT`` times: the least wall time, CPU time and peak memory seen
    (on a shared machine the least is the run least disturbed by other jobs)."""
    runs = [_run_once(args) for _ in range(REPEAT)]
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs),
               min(r.peak_mib for r in runs))


def _run_once(args: list[str]) -> Run:
    """Run one process to its end: its wall time, CPU time and peak memory.

    Peak memory is GNU time's ``%M`` where /usr/bin/time exists (the kernel's count for that
    process alone), else the child's ``ru_maxrss``.
    """
    gnu_time = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        wrapped = ([str(gnu_time), "-f", "%M", "-o", report.name, *args]
                   if gnu_time.exists() else args)
        start = time.perf_counter()
        child = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{errors.decode(errors='replace')}")
        peak_kib = float(report.read().split()[-1]) if gnu_time.exists() else usage.ru_maxrss
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kib / 1024.0)


def python(code: str) -> Run:
    return run([PY, "-c", code])


def jdmtrack(*args: str) -> Run:
    return run([PY, "-m", "jdmtrack", *args])


def generate(patients: int, folder: Path) -> None:
    """A synthetic cohort (made once, whatever ``--repeat``)."""
    _run_once([PY, "-m", "jdmtrack", "demo", "synthetic", "--patients", str(patients),
               "--seed", "1", "-o", str(folder)])


def ratio(a: Run, b: Run) -> str:
    return f"{a.wall / b.wall:.1f}x wall, {a.cpu / b.cpu:.1f}x CPU"


def score_rows(work: Path, visits: int, patients_full: int) -> list[tuple[str, str, str, str]]:
    rows = []
    items = work / "items"
    items.mkdir()
    make_cohort(items, visits)
    names = [name for name, _ in ITEMS]
    floor = python(
        "import pandas as pd\n"
        f"v = pd.read_csv({str(items / 'visits.csv')!r})\n"
        f"v['cmas_total'] = v[{names[:14]!r}].sum(axis=1)\n"
        f"v['mmt8_total'] = v[{names[14:]!r}].sum(axis=1)\n"
        f"v.to_csv({str(work / 'floor_items.csv')!r}, index=False)\n")
    mine = jdmtrack("score", str(items), "-o", str(work / "items_scored.csv"))
    rows.append((f"`score` {visits:,} visits, item columns only", mine.cell(),
                 f"pandas read + total + to_csv: {floor.cell()}",
                 f"{ratio(mine, floor)} (target <= 3x)"))
    full = work / "full"
    generate(patients_full, full)
    n_visits = len(pd.read_csv(full / "visits.csv", usecols=["patient_id"]))
    floor = python(
        "import pandas as pd\n"
        f"v = pd.read_csv({str(full / 'visits.csv')!r})\n"
        f"p = pd.read_csv({str(full / 'patients.csv')!r})\n"
        f"v.to_csv({str(work / 'floor_full.csv')!r}, index=False)\n")
    mine = jdmtrack("score", str(full), "-o", str(work / "full_scored.csv"))
    rows.append((f"`score` {n_visits:,} visits, every column the demo fills", mine.cell(),
                 f"pandas read + to_csv: {floor.cell()}", f"{ratio(mine, floor)} (target <= 3x)"))
    return rows


def analyze_rows(work: Path, small: int, extra: list[str]) -> list[tuple[str, str, str, str]]:
    runs = {}
    for n in (small, 10 * small):
        folder = work / f"syn{n}"
        generate(n, folder)
        runs[n] = jdmtrack("analyze", str(folder), "--json", str(work / f"a{n}.json"), *extra)
    a, b = runs[small], runs[10 * small]
    return [(f"`analyze` {small:,} patients", a.cell(), "", ""),
            (f"`analyze` {10 * small:,} patients", b.cell(), f"10x the patients: {ratio(b, a)}",
             "<= 60 s, <= 2 GiB, <= 15x")]


def by_rows(work: Path, sizes: tuple[int, ...],
            extra: list[str]) -> list[tuple[str, str, str, str]]:
    """``analyze`` plain against ``--by jaki_drug`` and ``--by site`` at N and 10 N patients
    (issue 14: ``--by`` adds at most 2x the plain analysis time). The synthetic cohorts come
    from many sites, so the plain analysis already holds the sites section."""
    rows = []
    for n in sizes:
        folder = work / f"by{n}"
        jdmtrack("demo", "synthetic", "--patients", str(n), "--seed", "1", "-o", str(folder))
        plain = jdmtrack("analyze", str(folder), "--json", str(work / f"p{n}.json"), *extra)
        rows.append((f"`analyze` {n:,} patients, plain", plain.cell(), "", ""))
        for field in ("jaki_drug", "site"):
            by = jdmtrack("analyze", str(folder), "--by", field, "--json",
                          str(work / f"b{n}.json"), *extra)
            rows.append((f"`analyze --by {field}` {n:,} patients", by.cell(),
                         f"vs plain: {ratio(by, plain)}", "<= 2x (adds <= 1x)"))
    return rows


def _timed(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def _r(script: str) -> float | None:
    """Seconds R takes for ``script`` (its own timing of the work), if R is installed."""
    if shutil.which("Rscript") is None:
        return None
    done = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return float(done.stdout.strip().split()[-1])


def stats_rows(work: Path, n: int) -> list[tuple[str, str, str, str]]:
    from scipy import stats

    from jdmtrack.stats import hodges_lehmann, kaplan_meier

    rng = np.random.default_rng(16)
    t = np.round(rng.exponential(30.0, n))
    died = rng.random(n) < 0.7
    mine = _timed(lambda: kaplan_meier(t, died))
    def scipy_km() -> None:
        sf = stats.ecdf(stats.CensoredData(uncensored=t[died], right=t[~died])).sf
        with warnings.catch_warnings():  # "undefined at some observations": as ours, None
            warnings.simplefilter("ignore", RuntimeWarning)
            sf.confidence_interval(method="log-log")

    peer = _timed(scipy_km)
    pd.DataFrame({"t": t, "d": died.astype(int)}).to_csv(work / "km.csv", index=False)
    r_km = _r(f"suppressMessages(library(survival)); x <- read.csv('{work / 'km.csv'}'); "
              "s <- proc.time(); for (i in 1:3) f <- survfit(Surv(t, d) ~ 1, data = x, "
              "conf.type = 'log-log'); cat((proc.time() - s)[['elapsed']] / 3)")
    peers = f"scipy ecdf + log-log CI: {peer * 1e3:.1f} ms" + (
        f"; R survfit: {r_km * 1e3:.1f} ms" if r_km is not None else "")
    rows = [(f"Kaplan-Meier + log-log CI, {n:,} patients", f"{mine * 1e3:.1f} ms", peers,
             f"{peer / mine:.1f}x scipy's speed (target >= 1x)")]
    d = np.round(rng.normal(1.0, 3.0, n), 1)
    mine = _timed(lambda: hodges_lehmann(d))
    m = min(n, 5000)

    def full_sort() -> None:
        i, j = np.triu_indices(m)
        np.median(np.sort((d[:m][i] + d[:m][j]) / 2.0))

    peer = _timed(full_sort, repeat=1)
    np.savetxt(work / "d.txt", d)
    r_hl = _r(f"d <- scan('{work / 'd.txt'}', quiet = TRUE); s <- proc.time(); "
              "w <- wilcox.test(d, conf.int = TRUE, exact = FALSE); "
              "cat((proc.time() - s)[['elapsed']])")
    peers = f"every Walsh average sorted (numpy), n = {m:,}: {peer * 1e3:.0f} ms" + (
        f"; R wilcox.test conf.int, n = {n:,}: {r_hl * 1e3:.0f} ms" if r_hl is not None else "")
    rows.append((f"Hodges-Lehmann estimate + CI, n = {n:,}", f"{mine * 1e3:.1f} ms", peers,
                 "O(n log n) time, O(n) memory"))
    return rows


def report_rows(work: Path, n: int) -> list[tuple[str, str, str, str]]:
    folder = work / f"syn{n}"
    if not folder.exists():
        generate(n, folder)
    mine = jdmtrack("report", str(folder), "-o", str(work / "report"))
    rows = [(f"`report` {n:,} patients (analysis included)", mine.cell(), "", "<= 5 s")]
    base = python("import jdmtrack")
    demo = jdmtrack("report", "--demo", "baricitinib", "-o", str(work / "demo_report"))
    rows.append(("`report --demo baricitinib`", demo.cell(),
                 f"`import jdmtrack`: {base.cell()}",
                 f"{demo.wall - base.wall:.2f} s over import (target <= 2 s)"))
    return rows


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        memory = f"{int(mem) / 1024**2:.1f} GiB"
    except (OSError, StopIteration):
        memory = "unknown memory"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {platform.python_version()}, "
            f"load average at the end {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiny", action="store_true", help="toy sizes (CI)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--only", default="score,analyze,by,stats,report",
                        help="comma-separated groups of rows to run (default: all)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each command this many times and give the minimum")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    args.only = set(args.only.split(","))
    sizes = ({"visits": 400, "full": 60, "analyze": 20, "stats": 500, "report": 20}
             if args.tiny else
             {"visits": 200_000, "full": 45_500, "analyze": 2_000, "stats": 20_000,
              "report": 2_000})
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = []
        if "score" in args.only:
            rows += score_rows(work, sizes["visits"], sizes["full"])
        if "analyze" in args.only:
            # At toy sizes the Friedman permutations (100,000 by default) would be all the work.
            rows += analyze_rows(work, sizes["analyze"],
                                 ["--resamples", "1000"] if args.tiny else [])
        if "by" in args.only:
            rows += by_rows(work, (sizes["analyze"],) if args.tiny else
                            (sizes["analyze"], 10 * sizes["analyze"]),
                            ["--resamples", "1000"] if args.tiny else [])
        if "stats" in args.only:
            rows += stats_rows(work, sizes["stats"])
        if "report" in args.only:
            rows += report_rows(work, sizes["report"])
    lines = ["| work | jdmtrack | floor / peer | ratio / target |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines += ["", f"Machine: {machine()}."]
    emit("\n".join(lines), args.out)


def emit(table: str, out: Path | None) -> None:
    """Print the markdown table, and write it to ``out`` when given."""
    print(table)
    if out:
        out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
