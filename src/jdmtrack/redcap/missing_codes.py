"""REDCap's missing-data codes: the defaults REDCap suggests, and reading a user's list."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFAULT_MISSING_CODES", "missing_codes_from", "parse_missing_codes"]


def parse_missing_codes(text: str) -> dict[str, str]:
    """Missing-data codes as given on the command line or copied from REDCap.

    Either codes separated by commas, or REDCap's own ``code, label | code, label``.

    >>> parse_missing_codes("UNK, NA, -99")
    {'UNK': '', 'NA': '', '-99': ''}
    >>> parse_missing_codes("UNK, Unknown | NA, Not applicable")
    {'UNK': 'Unknown', 'NA': 'Not applicable'}
    """
    if "|" in text:
        pairs = [part.partition(",") for part in text.split("|") if part.strip()]
        return {code.strip(): label.strip() for code, _, label in pairs if code.strip()}
    return {code.strip(): "" for code in text.split(",") if code.strip()}


# The missing-data codes REDCap suggests (Project Setup > Additional customizations >
# Missing Data Codes): HL7 null flavors and kin, code -> REDCap's label.
DEFAULT_MISSING_CODES: dict[str, str] = {
    "NI": "No information",
    "INV": "Invalid",
    "UNK": "Unknown",
    "NASK": "Not asked",
    "ASKU": "Asked but unknown",
    "NAV": "Temporarily unavailable",
    "MSK": "Masked",
    "NA": "Not applicable",
    "NAVU": "Not available",
    "NP": "Not present",
    "QS": "Sufficient quantity",
    "QI": "Insufficient quantity",
    "TRC": "Trace",
    "UNC": "Unencoded",
    "DER": "Derived",
    "PINF": "Positive infinity",
    "NINF": "Negative infinity",
    "OTH": "Other",
}


def missing_codes_from(codes: dict[str, str] | Iterable[str] | None) -> dict[str, str]:
    """Code -> label: REDCap's defaults for None, else the codes given (labels may be empty).

    >>> missing_codes_from(["UNK"]), len(missing_codes_from(None))
    ({'UNK': ''}, 18)
    """
    if codes is None:
        return dict(DEFAULT_MISSING_CODES)
    if isinstance(codes, dict):
        return dict(codes)
    return {code: "" for code in codes}
