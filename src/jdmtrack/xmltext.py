"""Text that XML (Word, Excel) can hold: a leaf module, cheap to import from io and report."""

from __future__ import annotations

import re

__all__ = ["printable"]

# C0 control characters XML 1.0 cannot hold (tab, line feed and carriage return it can),
# lone surrogates (which a JSON file can spell as "\ud800" but no UTF-8 file can hold) and
# the non-characters U+FFFE and U+FFFF: text bound for HTML, Word or Excel has them
# replaced by a space.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without the control characters that XML (Word, Excel) cannot hold.

    >>> printable("bad\x0bvalue"), printable(chr(0xD800) + "lone surrogate")
    ('bad value', ' lone surrogate')
    """
    return _XML_UNSAFE.sub(" ", text)
