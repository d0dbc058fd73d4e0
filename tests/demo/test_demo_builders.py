"""The builders in tools/demo write the bundled demo cohorts byte for byte.

They take instrument totals, doses per kg, the visit criteria, the patient courses and the
Wilcoxon p-values from jdmtrack itself (no copy of a definition of their own), and check
every published figure before writing: so a change of the library that moved a figure
would fail here (the builder stops) or show as a changed file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jdmtrack import demo

TOOLS = Path(__file__).resolve().parents[2] / "tools" / "demo"
BUILDERS = {"baricitinib": "build_baricitinib",
            "tofacitinib-ruxolitinib": "build_tofacitinib_ruxolitinib"}

pytestmark = pytest.mark.skipif(not TOOLS.is_dir(), reason="tools/demo is not in this tree")


def _builder(module: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(module, TOOLS / f"{module}.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(TOOLS))
    try:
        spec.loader.exec_module(builder)
    finally:
        sys.path.remove(str(TOOLS))
    return builder


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_builder_writes_the_bundled_files_byte_for_byte(name: str, tmp_path: Path) -> None:
    folder = _builder(BUILDERS[name]).main(tmp_path / name)
    bundled = Path(str(demo.path(name)))
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(p.name for p in bundled.iterdir())
    changed = [f for f in written if (folder / f).read_bytes() != (bundled / f).read_bytes()]
    assert changed == []


def test_the_builders_keep_no_schedule_or_criterion_of_their_own() -> None:
    """The visit schedule comes from jdmtrack.fields; no builder defines the totals,
    response, rash criterion, enzyme courses or a Wilcoxon test itself."""
    for module in [*BUILDERS.values(), "demo_build_common"]:
        text = (TOOLS / f"{module}.py").read_text(encoding="utf-8")
        for own in ("(0, 4, 12, 24)", "WEEKS = (", "def _total(", "printo = sum(",
                    "def _derived(", "def _abnormal(", "def _wilcoxon", "erfc("):
            assert own not in text, (module, own)
