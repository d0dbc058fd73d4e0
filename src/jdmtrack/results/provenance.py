"""Where the results come from: schema version, software, when, and the input files with
their SHA-256 (the ``schema_version``, ``software``, ``generated`` and ``input`` keys)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .read import integer, rows, section, text

__all__ = ["InputFile", "Provenance", "read_provenance"]


@dataclass(frozen=True)
class InputFile:
    """One input file: the table it holds, its path, sheet (xlsx) and SHA-256."""

    table: str | None
    path: str | None
    sheet: str | None
    sha256: str | None


@dataclass(frozen=True)
class Provenance:
    """None where the file does not say (``software_name`` too: the report then names
    jdmtrack)."""

    schema_version: int | None
    software_name: str | None
    software_version: str | None
    generated: str | None
    input_sha256: str | None
    files: tuple[InputFile, ...]


def read_provenance(results: Mapping[str, Any]) -> Provenance:
    """The provenance keys of the results file."""
    software, given = section(results, "software"), section(results, "input")
    return Provenance(
        integer(results.get("schema_version")), text(software.get("name")),
        text(software.get("version")), text(results.get("generated")),
        text(given.get("sha256")),
        tuple(InputFile(text(f.get("table")), text(f.get("path")), text(f.get("sheet")),
                        text(f.get("sha256"))) for f in rows(given, "files")))
