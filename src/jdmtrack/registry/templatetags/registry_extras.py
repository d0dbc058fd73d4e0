"""Template helpers of the registry's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]``, or an empty string (a form input with no value)."""
    return mapping.get(key, "")


@register.filter
def cohort_text(value: Any) -> str:
    """A stored value as the cohort format writes it (a week 100 is '100', not '1E+2')."""
    from ..tables import text_value

    return text_value(value)
