"""The fast scan for spaces at a cell's edge agrees with the regex it stands in for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jdmtrack.validate.cells import _EDGE_SPACE, _JOIN, _edge_space

# Cells drawn from letters, every ASCII space character, and a few non-ASCII spaces.
_CHARS = st.sampled_from([*"ab0 \t\n\x0b\x0c\r\x1c\x1d\x1e", "\xa0", "\u2003", "é"])
_CELLS = st.lists(st.text(_CHARS, max_size=4), min_size=1, max_size=6)


@given(_CELLS)
def test_edge_space_matches_the_regex(cells: list[str]) -> None:
    joined = _JOIN + _JOIN.join(cells) + _JOIN
    assert _edge_space(joined) == (_EDGE_SPACE.search(joined) is not None)


@given(_CELLS)
def test_edge_space_means_a_cell_is_blank_or_not_stripped(cells: list[str]) -> None:
    joined = _JOIN + _JOIN.join(cells) + _JOIN
    assert _edge_space(joined) == any(c == "" or c != c.strip() for c in cells)
