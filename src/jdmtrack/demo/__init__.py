"""Demo cohorts: two bundled SYNTHETIC cohorts imitating the source studies, and a
generator of larger SYNTHETIC cohorts. No row in any of them is patient data.

- ``baricitinib``: 20 patients whose analysis reproduces the baricitinib series of
  Wang et al., Front Pediatr 2022 (study B).
- ``tofacitinib-ruxolitinib``: 25 patients whose analysis reproduces the tofacitinib /
  ruxolitinib series of Ding et al., Ann Rheum Dis 2021 (study A).

Each bundled folder holds the cohort-format v1 CSV files, a README.txt saying that the
patients are synthetic, and ``published.json``: every figure the paper prints, the
results-file key that reproduces it, and a note where no data could (see docs/demo.md).
The builders that wrote them are kept in ``tools/demo/``.

>>> available()
('baricitinib', 'tofacitinib-ruxolitinib')
>>> figure = next(f for f in published("tofacitinib-ruxolitinib") if f.id == "female_n")
>>> figure.printed, figure.path
('11', 'baseline.sex.counts.F')
"""

from ._bundled import PublishedFigure, available, path, published, write
from ._synthetic import generate_synthetic

__all__ = ["PublishedFigure", "available", "generate_synthetic", "path", "published", "write"]
