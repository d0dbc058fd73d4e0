"""Who may do what: the role table of the registry design, as data, and its two functions.

``can(user, action, target)`` answers one question; ``scoped(user, queryset)`` narrows a
queryset to the rows the user may see. Every view and command asks these two and nothing
else, so the table below is the whole access policy. A row outside the user's scope is
answered as "not found" (HTTP 404), never "forbidden": its existence is not revealed.

Scopes: ``OWN`` = at the sites of the user's memberships with that role; ``ALL`` = at every
site (the coordinating centre); ``STUDY`` = study-wide actions that concern no one site.

>>> sorted(RULES["export_identified"].items())
[('monitor', 'all'), ('site_pi', 'own')]
>>> [role for role in ROLES if role in RULES["view"]]
['data_entry', 'site_pi', 'monitor']
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ACTIONS",
    "ALL",
    "MFA_ROLES",
    "OWN",
    "ROLES",
    "RULES",
    "STUDY",
    "can",
    "needs_mfa",
    "scoped",
    "site_codes",
    "sites_for",
]

ROLES = ("data_entry", "site_pi", "monitor", "statistician", "admin")
OWN, ALL, STUDY = "own", "all", "study"

RULES: dict[str, dict[str, str]] = {
    # see the site's identified records
    "view": {"data_entry": OWN, "site_pi": OWN, "monitor": ALL},
    # create / edit draft rows (pages and import)
    "edit": {"data_entry": OWN, "site_pi": OWN},
    "answer_query": {"data_entry": OWN, "site_pi": OWN},
    "raise_query": {"monitor": ALL},
    "close_query": {"monitor": ALL},
    "sdv": {"monitor": ALL},
    # e-sign a patient's data (password re-entry)
    "sign": {"site_pi": OWN},
    "lock": {"monitor": ALL},
    "unlock": {"monitor": ALL},
    "export_identified": {"site_pi": OWN, "monitor": ALL},
    "export_deidentified": {"monitor": ALL, "statistician": ALL},
    # users, sites, roles
    "manage": {"admin": STUDY},
}
ACTIONS = tuple(RULES)


def _memberships(user: Any) -> list[Any]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_jdmtrack_memberships", None)
    if cached is None:
        cached = list(user.memberships.select_related("site"))
        user._jdmtrack_memberships = cached
    return cached


def site_of(target: Any) -> Any:
    """The Site a target belongs to: a Site, a patient, or a row of a patient; None if none."""
    if target is None:
        return None
    if hasattr(target, "code"):
        return target
    if hasattr(target, "site"):
        return target.site
    if hasattr(target, "patient"):
        return target.patient.site
    return None


def can(user: Any, action: str, target: Any = None) -> bool:
    """May ``user`` do ``action`` on ``target`` (a Site, a row, or None for "at any site")?"""
    rule = RULES[action]
    site = site_of(target)
    for membership in _memberships(user):
        scope = rule.get(membership.role)
        if scope in (ALL, STUDY):
            return True
        if scope == OWN and membership.site_id is not None and (
                site is None or membership.site_id == site.pk):
            return True
    return False


def sites_for(user: Any, action: str) -> Any:
    """The sites where ``user`` may do ``action``, as a Site queryset."""
    from .models import Site

    rule = RULES[action]
    own: set[int] = set()
    for membership in _memberships(user):
        scope = rule.get(membership.role)
        if scope in (ALL, STUDY):
            return Site.objects.all()
        if scope == OWN and membership.site_id is not None:
            own.add(membership.site_id)
    return Site.objects.filter(pk__in=own)


def site_codes(user: Any, action: str) -> list[str]:
    return list(sites_for(user, action).values_list("code", flat=True))


def scoped(user: Any, queryset: Any, action: str = "view") -> Any:
    """``queryset`` narrowed to the rows of the sites where ``user`` may do ``action``."""
    from .models import AuditEvent, Patient, Site

    sites = sites_for(user, action)
    model = queryset.model
    if model is Site:
        return queryset.filter(pk__in=sites)
    if model is Patient:
        return queryset.filter(site__in=sites)
    if model is AuditEvent:
        return queryset.filter(site__in=sites.values("code"))
    return queryset.filter(patient__site__in=sites)


# Roles that must confirm a second factor (TOTP) after the password: the coordinating
# centre sees every site, the administrator manages users (ASVS V4.3.1).
MFA_ROLES = ("monitor", "admin")


def needs_mfa(user: Any) -> bool:
    """Must ``user`` pass a second factor before any page (a monitor, an admin)?"""
    return bool(getattr(user, "is_superuser", False)) or any(
        m.role in MFA_ROLES for m in _memberships(user))
