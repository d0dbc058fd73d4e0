"""tables.xlsx writes each cell object once (report/excel.py keys its cache by the object)
and the report shares one object among equal cells: cells that are equal as numbers but are
stored differently (0.0 and -0.0, 7 and 7.0), the same text at two indents, and a label with
its code must each still be written as themselves."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd

from jdmtrack.report import cells
from jdmtrack.report.excel import write_xlsx
from jdmtrack.report.model import Cell, Document, Section, Table


def test_shared_and_look_alike_cells_each_written_as_themselves(tmp_path: Path) -> None:
    row = [cells.num(0.0, 1), cells.num(-0.0, 1), cells.num(7, 1), cells.num(7.0, 1),
           cells.text("a"), cells.text("a", level=1), Cell("a", "a", None, 0, "code_a"),
           cells.blank(), cells.num(None, 1)]
    assert cells.text("a") is row[4] and cells.text("a", level=1) is not row[4]
    table = Table("t", "T", [str(j) for j in range(len(row))], [row, list(reversed(row))])
    document = Document("Doc", "sub", "", [Section("s", "S", [table])])
    path = tmp_path / "t.xlsx"
    write_xlsx(document, pd.DataFrame({"patient_id": ["P1"]}), path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    first, second = re.findall(r'<row r="[34]">(.*?)</row>', sheet)
    assert re.sub(r' s="\d+"', "", first) == (
        '<c r="A3"><v>0.0</v></c><c r="B3"><v>-0.0</v></c><c r="C3"><v>7</v></c>'
        '<c r="D3"><v>7.0</v></c><c r="E3" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="F3" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="G3" t="inlineStr"><is><t>a [code_a]</t></is></c>'
        '<c r="I3" t="inlineStr"><is><t>–</t></is></c>')
    # The indented "a" has a style of its own; the plain one none.
    assert '<c r="E3" t="inlineStr">' in first and '<c r="F3" s="' in first
    assert re.sub(r' s="\d+"', "", second).startswith(
        '<c r="A4" t="inlineStr"><is><t>–</t></is></c>'
        '<c r="C4" t="inlineStr"><is><t>a [code_a]</t></is></c>')
