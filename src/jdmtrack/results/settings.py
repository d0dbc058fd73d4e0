"""The ``settings`` section typed: the settings the analysis ran with, as recorded.

``RecordedSettings`` names the few the report uses (α, the quartile definition, the TIS
population) and keeps every setting, in the file's order, as plain typed values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeAlias

from ..xmltext import printable
from .read import integer, key, num, section, text

__all__ = ["RecordedSettings", "Setting", "read_settings", "setting"]

#: One recorded setting: a number, text, yes/no, null, a list or a mapping of them.
Setting: TypeAlias = "bool | int | float | str | tuple[Setting, ...] | Mapping[str, Setting] | None"


@dataclass(frozen=True)
class RecordedSettings:
    """``alpha``, ``quantile_method`` (Hyndman–Fan type) and ``tis_population`` when the
    file gives them; ``recorded`` holds every setting."""

    alpha: float | None
    quantile_method: int | None
    tis_population: str | None
    recorded: Mapping[str, Setting]


def setting(value: Any) -> Setting:
    """A JSON value as a :data:`Setting` (lists as tuples, strings printable).

    >>> setting({"weeks": [0, 4.0], "on": True, "name": "a\\x0b"})
    mappingproxy({'weeks': (0, 4.0), 'on': True, 'name': 'a '})
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list | tuple):
        return tuple(setting(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({key(k): setting(v) for k, v in value.items()})
    return printable(str(value))


def read_settings(results: Mapping[str, Any]) -> RecordedSettings:
    """The ``settings`` section (every field None and nothing recorded when absent)."""
    settings = section(results, "settings")
    return RecordedSettings(num(settings.get("alpha")), integer(settings.get("quantile_method")),
                            text(settings.get("tis_population")),
                            MappingProxyType({key(k): setting(v) for k, v in settings.items()}))
