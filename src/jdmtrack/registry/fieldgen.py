"""Django model fields generated from the field dictionary (``jdmtrack.fields``).

The registry writes no column, range, choice list or label of its own: each model field
is made from one dictionary ``Field``. Numbers are ``Decimal`` (no binary rounding of
what was typed); integers are integers; yes/no is a nullable boolean; a ``list`` field
holds its codes joined by the dictionary's separator. Every value may be missing except
the dictionary's required fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible

from ..fields import LIST_SEPARATOR, Field, fields_of

__all__ = ["DECIMAL_PLACES", "ListCodesValidator", "generated_fields", "model_field"]

# 20 digits, 10 after the point: every range of the dictionary (at most 5 digits before
# the point) with room for any decimal a person types.
MAX_DIGITS = 20
DECIMAL_PLACES = 10


@deconstructible
class ExclusiveMinValidator:
    """value > limit (the dictionary's ``minimum_exclusive``)."""

    def __init__(self, limit: Decimal) -> None:
        self.limit = limit

    def __call__(self, value: Any) -> None:
        if value is not None and value <= self.limit:
            raise ValidationError(f"expected a value > {self.limit}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExclusiveMinValidator) and other.limit == self.limit


@deconstructible
class ListCodesValidator:
    """Every ';'-separated code is one of the field's choices."""

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = tuple(choices)

    def __call__(self, value: Any) -> None:
        if value:
            bad = [c for c in str(value).split(LIST_SEPARATOR) if c not in self.choices]
            if bad:
                raise ValidationError(f"unknown codes: {', '.join(bad)}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ListCodesValidator) and other.choices == self.choices


def _limit(value: float) -> Decimal:
    return Decimal(str(value)).normalize() if not float(value).is_integer() else Decimal(int(value))


def _range_validators(spec: Field) -> list[Any]:
    validators: list[Any] = []
    if spec.minimum is not None:
        validators.append(ExclusiveMinValidator(_limit(spec.minimum)) if spec.minimum_exclusive
                          else MinValueValidator(_limit(spec.minimum)))
    if spec.maximum is not None:
        validators.append(MaxValueValidator(_limit(spec.maximum)))
    return validators


def model_field(spec: Field) -> models.Field[Any, Any]:
    """The Django field holding one dictionary field."""
    optional = not spec.required
    common: dict[str, Any] = {"verbose_name": spec.label, "help_text": spec.expected(),
                              "null": optional, "blank": optional}
    if spec.kind == "id":
        return models.CharField(max_length=100, **common)
    if spec.kind == "text":
        return models.TextField(**common)
    if spec.kind == "integer":
        return models.IntegerField(validators=_range_validators(spec), **common)
    if spec.kind == "number":
        return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES,
                                   validators=_range_validators(spec), **common)
    if spec.kind == "date":
        return models.DateField(**common)
    if spec.kind == "bool":
        return models.BooleanField(**common)
    if spec.kind == "choice":
        return models.CharField(max_length=40, choices=[(c, c) for c in spec.choices], **common)
    return models.TextField(validators=[ListCodesValidator(spec.choices)], **common)


def generated_fields(table: str, skip: tuple[str, ...]) -> dict[str, models.Field[Any, Any]]:
    """Model fields for one cohort table, in dictionary order, without the ``skip`` columns
    (the keys that become foreign keys)."""
    return {spec.name: model_field(spec) for spec in fields_of(table) if spec.name not in skip}
