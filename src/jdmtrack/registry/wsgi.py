"""The WSGI application (waitress serves it; whitenoise, in the middleware, the static files)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jdmtrack.registry.settings")
application = get_wsgi_application()
