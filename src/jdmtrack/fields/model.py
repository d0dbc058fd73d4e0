"""What a field of the cohort format is: the declarative record behind every column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Field", "Kind", "Table"]

# text: free text kept exactly as given; id: text key (leading zeros kept);
# integer / number: numeric with optional range; date: ISO YYYY-MM-DD or an Excel date;
# bool: yes/no; choice: one code of `choices`; list: ';'-separated codes of `choices`.
Kind = Literal["text", "id", "integer", "number", "date", "bool", "choice", "list"]


@dataclass(frozen=True)
class Field:
    """One column of one table of the cohort format.

    ``minimum``/``maximum`` are inclusive unless ``minimum_exclusive`` is set; a value
    beyond them is an error. A value above ``plausible_maximum`` is accepted with a
    warning naming the cell and ``plausible_hint`` (what the value more likely is). ``source``
    says where a range or a choice list comes from (an instrument's paper, the design
    contract, or a plausibility limit of ours meant to catch unit errors).
    """

    table: str
    name: str
    kind: Kind
    label: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    minimum_exclusive: bool = False
    plausible_maximum: float | None = None
    plausible_hint: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False
    group: str = ""
    source: str = ""
    identifying: bool = False
    derived: bool = False

    def expected(self) -> str:
        """What a valid value looks like, as the error messages and docs say it.

        >>> Field("visits", "cmas_01", "integer", "Head elevation", minimum=0, maximum=5).expected()
        'an integer 0-5'
        >>> Field("visits", "creatinine_umol_l", "number", "Creatinine",
        ...       minimum=0, minimum_exclusive=True).expected()
        'a number > 0'
        >>> Field("patients", "sex", "choice", "Sex", choices=("F", "M")).expected()
        "one of 'F', 'M'"
        """
        if self.kind in ("integer", "number"):
            noun = "an integer" if self.kind == "integer" else "a number"
            return noun + self.range_text()
        if self.kind == "date":
            return "a date YYYY-MM-DD"
        if self.kind == "bool":
            return "'yes' or 'no'"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "list":
            return "';'-separated codes from " + ", ".join(repr(c) for c in self.choices)
        return "text"

    def range_text(self) -> str:
        """The range as ' 0-5', ' >= 0', ' > 0' or '' (leading space included)."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None and not self.minimum_exclusive:
            return f" {_num(low)}-{_num(high)}"
        bits = []
        if low is not None:
            bits.append(f"{'>' if self.minimum_exclusive else '>='} {_num(low)}")
        if high is not None:
            bits.append(f"<= {_num(high)}")
        return (" " + " and ".join(bits)) if bits else ""


@dataclass(frozen=True)
class Table:
    """One table of the cohort format: a CSV file in a folder, or a sheet of a workbook."""

    name: str
    required: bool
    key: tuple[str, ...]
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
