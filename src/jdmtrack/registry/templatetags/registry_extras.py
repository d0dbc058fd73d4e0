"""Template helpers of the registry's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping[key]``, or an empty string (a form input with no value)."""
    return mapping.get(key, "")
