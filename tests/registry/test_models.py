"""The data model: generated from the field dictionary, versioned, with history and reasons."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest

from jdmtrack.fields import fields_of

TABLE_MODELS = {"patients": "Patient", "visits": "Visit", "events": "Event",
                "adverse_events": "AdverseEvent"}
LINKS = {"patients": "site", "visits": "patient_id", "events": "patient_id",
         "adverse_events": "patient_id"}


def test_migrations_are_complete_and_stable(db):
    """The committed migration matches the models generated from today's dictionary."""
    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "registry", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_every_dictionary_field_is_a_model_field_of_its_kind(table):
    from django.db import models

    from jdmtrack.registry import models as registry_models

    model = getattr(registry_models, TABLE_MODELS[table])
    kinds = {"id": models.CharField, "text": models.TextField, "integer": models.IntegerField,
             "number": models.DecimalField, "date": models.DateField,
             "bool": models.BooleanField, "choice": models.CharField, "list": models.TextField}
    for spec in fields_of(table):
        if spec.name == LINKS[table]:
            continue
        django_field = model._meta.get_field(spec.name)
        assert type(django_field) is kinds[spec.kind], spec.name
        assert django_field.verbose_name == spec.label
        assert django_field.null is (not spec.required)
        if spec.kind == "choice":
            assert [c for c, _ in django_field.choices] == list(spec.choices)
    for name in ("state", "version", "history"):
        assert hasattr(model, name)


def test_a_range_of_the_dictionary_is_checked_by_the_model(loaded):
    """cmas_05 is 0-6 in the dictionary (six sit-up types); 7 is refused by full_clean."""
    from django.core.exceptions import ValidationError

    from jdmtrack.registry.models import Visit

    visit = Visit.objects.first()
    visit.cmas_05 = 7
    with pytest.raises(ValidationError, match="cmas_05"):
        visit.full_clean()
    visit.cmas_05 = 6
    visit.full_clean()


def test_numbers_are_kept_as_decimals(loaded):
    """SYN-001's week-0 weight is typed 32.0 and its CK 420: stored as Decimal, not float."""
    from jdmtrack.registry.models import Visit

    visit = Visit.objects.get(patient__patient_id="SYN-001", week=0)
    assert isinstance(visit.weight_kg, Decimal) and visit.weight_kg == Decimal("32")
    assert visit.ck_u_l == Decimal("420")


def test_edit_needs_a_reason_and_the_current_version(loaded):
    from jdmtrack.registry.errors import ReasonRequired, StaleWrite
    from jdmtrack.registry.models import Visit

    first = Visit.objects.get(patient__patient_id="SYN-001", week=0)
    second = Visit.objects.get(pk=first.pk)
    first.phga_cm = Decimal("5")
    with pytest.raises(ReasonRequired):
        first.save()
    first._change_reason = "source document says 5"
    first.save()
    assert first.version == 2
    second.phga_cm = Decimal("6")
    second._change_reason = "my reading"
    with pytest.raises(StaleWrite) as stale:
        second.save()
    message = str(stale.value)
    assert "version 2" in message and "phga_cm: now Decimal('5" in message
    assert Visit.objects.get(pk=first.pk).phga_cm == 5
    history = list(Visit.objects.get(pk=first.pk).history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].history_change_reason == "source document says 5"
    assert history[0].phga_cm != history[-1].phga_cm
