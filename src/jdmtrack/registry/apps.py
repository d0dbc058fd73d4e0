"""The registry's Django app."""

from __future__ import annotations

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jdmtrack.registry"
    label = "registry"
    verbose_name = "jdmtrack registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit receivers)
