"""The registry's errors: each is a ``JdmtrackError``, so the CLI reports it cleanly (exit 1)."""

from __future__ import annotations

from ..errors import JdmtrackError

__all__ = ["NotAllowed", "ReasonRequired", "RecordLocked", "RegistryError", "StaleWrite"]


class RegistryError(JdmtrackError):
    """A registry command or write that cannot be done as asked."""


class NotAllowed(RegistryError):
    """The user's role and sites do not allow this action (audited as a refusal)."""


class ReasonRequired(RegistryError):
    """An edit of saved data without the reason for the change."""


class StaleWrite(RegistryError):
    """A save based on an older version of a row: refused, never a silent overwrite."""


class RecordLocked(RegistryError):
    """A write to a locked patient's data (only a monitor's unlock, with a reason, reopens it)."""
