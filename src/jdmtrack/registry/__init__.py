"""The multicentre registry: a Django app that is another front end of the jdmtrack pipeline.

Sites enter patients and visits through web pages that score as they type, or import a
cohort validated exactly as ``jdmtrack validate`` does; monitors and site PIs export
cohort-format files that every ``jdmtrack`` command reads. Nothing here is imported by
``import jdmtrack``: Django is an optional extra (``pip install "jdmtrack[registry]"``),
loaded only when ``jdmtrack registry ...`` runs. See docs/registry.md.

Modules: ``settings`` (one home folder or ``DATABASE_URL``), ``fieldgen`` (Django fields
from the field dictionary), ``models``, ``policy`` (the role table: ``can``/``scoped``),
``audit`` (the hash-chained event log), ``tables`` (rows <-> cohort-format tables),
``transfer`` (import/export), ``admin_ops`` (init, sites, users), ``live`` (the scores a
visit form shows), ``views``/``forms``/``urls``, ``server`` (waitress). Monitoring:
``queries`` (data queries), ``oversight`` (SDV, lock/unlock, e-signature, consent) and
their tables in ``oversight_models``, ``deidentify`` (the pooled de-identified export),
``views_monitoring``/``monitoring_context`` (their pages).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_HOME", "HOME_ENV", "setup"]

HOME_ENV = "JDMTRACK_REGISTRY_HOME"
DEFAULT_HOME = Path("jdmtrack-registry")


def setup(home: Path) -> None:
    """Point Django at the registry living in ``home`` and load it (once per process)."""
    import django

    os.environ[HOME_ENV] = str(home.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jdmtrack.registry.settings")
    django.setup()
