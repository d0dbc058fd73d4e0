"""The report's measure labels come from the field dictionary (issue 19: one source of facts).

Only the short name is written in ``fields/measure_labels.py``; the scale printed with it
is the field's own range or unit, so the report cannot show a range the validator does not
enforce.
"""

from __future__ import annotations

import dataclasses

import pytest

from jdmtrack.fields import measure_labels
from jdmtrack.fields.measure_labels import MEASURE_NAMES, measure_short_label
from jdmtrack.report.measures import FALLBACK_LABELS, measure_label


def test_the_report_labels_are_the_dictionarys() -> None:
    assert {name: measure_short_label(name) for name in MEASURE_NAMES} == FALLBACK_LABELS
    assert measure_label("cmas_total") == "CMAS (0–52)"
    assert measure_label("mmt8_total") == "MMT-8 (0–80)"
    assert measure_label("cs_mg_kg_day") == "Corticosteroid dose (mg/kg/day)"


@pytest.mark.parametrize("name", sorted(MEASURE_NAMES))
def test_every_labelled_measure_is_a_visit_field(name: str) -> None:
    assert name in measure_labels._visit_fields(), name


def test_a_range_changed_in_the_dictionary_changes_the_label() -> None:
    field = measure_labels._visit_fields()["cmas_total"]
    wider = dataclasses.replace(field, maximum=60)
    assert measure_labels._scale(wider) == " (0–60)"
    assert measure_labels._scale(dataclasses.replace(field, unit="points")) == " (points)"
