"""Display labels of the dictionary's codes: the one place a code gets its words.

Every code of a choice or list field (``Field.choices``), of the derived fields, and the
``yes``/``no`` of booleans is shown to people through :func:`code_label`: the report's
tables (HTML, Word, Excel), its figures' legends and the REDCap data dictionary. A code
whose plain-words form reads well (``rash_resolution`` -> ``Rash resolution``) needs no
entry; every other one has its label here.

>>> code_label("gc_ineffective"), code_label("tif1g"), code_label("rash_resolution")
('Glucocorticoid-ineffective', 'Anti-TIF1-gamma', 'Rash resolution')
>>> code_label("CR"), code_label("F"), code_label("baricitinib")
('Complete response', 'Female', 'Baricitinib')
"""

from __future__ import annotations

__all__ = ["CODE_LABELS", "code_label"]

# Labels whose plain-words form reads badly. The REDCap import matches these labels back to
# codes, so a label changed here must also be accepted under its old form there.
CODE_LABELS: dict[str, str] = {
    # patients.sex, refractory_type
    "F": "Female", "M": "Male",
    "gc_ineffective": "Glucocorticoid-ineffective", "gc_dependent": "Glucocorticoid-dependent",
    # patients.msa: myositis-specific and -associated autoantibodies
    "negative": "Negative (tested, none found)",
    "tif1g": "Anti-TIF1-gamma", "nxp2": "Anti-NXP2", "mda5": "Anti-MDA5", "mi2": "Anti-Mi-2",
    "sae": "Anti-SAE", "jo1": "Anti-Jo-1", "pl7": "Anti-PL-7", "pl12": "Anti-PL-12",
    "ej": "Anti-EJ", "oj": "Anti-OJ", "ks": "Anti-KS", "zo": "Anti-Zo", "ha": "Anti-Ha",
    "srp": "Anti-SRP", "hmgcr": "Anti-HMGCR", "pmscl": "Anti-PM-Scl", "u1rnp": "Anti-U1-RNP",
    "ku": "Anti-Ku", "ro52": "Anti-Ro52",
    # patients.baseline_agents
    "ivig": "IVIG", "ivmp": "IV methylprednisolone",
    # events.event
    "cs_discontinuation": "Corticosteroids discontinued",
    "jaki_discontinuation": "JAK inhibitor discontinued",
    # visits.response (derived): study B's categories
    "CR": "Complete response", "PR": "Partial response", "NR": "No response",
    # visits.dose_check (derived)
    "ok": "Within the reference",
    # data-warning codes (criteria/, protocol/) shown on the report's data-quality page
    "printo_cid_not_evaluable": "PRINTO clinically inactive disease not evaluable",
    "tis_measure_missing": "Total Improvement Score: a core-set measure missing",
    "tis_enzyme_uln_missing": "Total Improvement Score: no enzyme upper limit of normal",
    "severe_not_evaluable": "Severe disease not evaluable",
    "refractory_not_evaluable": "Refractory disease not evaluable",
    "skin_inactive_unknown": "Skin disease inactive: not known",
    "rash_improved_unknown": "Rash improved: not known",
    "dose_check_not_evaluable": "JAKi dose check not evaluable",
}


def code_label(code: object) -> str:
    """The words shown for a dictionary code (any field's): its label above, else the code
    in plain words (underscores as spaces, first letter capital).

    >>> code_label("not_evaluable"), code_label("yes"), code_label(3)
    ('Not evaluable', 'Yes', '3')
    """
    text = str(code)
    if text in CODE_LABELS:
        return CODE_LABELS[text]
    words = text.replace("_", " ")
    return words[:1].upper() + words[1:]
