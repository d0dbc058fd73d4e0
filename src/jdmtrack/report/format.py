"""The report's formatting, under one name: ``from . import format as f``.

The rules live in modules named for what they hold: numbers and rounding
(:mod:`.rounding`), measure labels and decimals (:mod:`.measures`), weeks and timestamps
(:mod:`.weeks`) and table footnotes (:mod:`.notes`); this module gathers them so that a
table builder reads ``f.fmt_number``, ``f.week_label`` or ``f.rounding_note`` alike.

>>> fmt_median_iqr(41, 29, 44, 1), week_label("4"), measure_label("cmas_total")
('41.0 (29.0, 44.0)', 'Week 4', 'CMAS (0–52)')
"""

from __future__ import annotations

from ..xmltext import printable
from . import measures, notes, rounding, weeks
from .measures import *  # noqa: F403  (the facade: every rule under one name)
from .notes import *  # noqa: F403
from .rounding import *  # noqa: F403
from .weeks import *  # noqa: F403

__all__ = [*measures.__all__, *notes.__all__, *rounding.__all__, *weeks.__all__,
           "printable"]
