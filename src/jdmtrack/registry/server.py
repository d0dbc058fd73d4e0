"""``jdmtrack registry serve``: waitress, a pure-Python WSGI server, in front of Django."""

from __future__ import annotations


def serve(host: str, port: int) -> None:
    """Serve until interrupted (the caller has loaded Django for the registry's home)."""
    import waitress
    from django.core.wsgi import get_wsgi_application

    # The models import before the first request: no first-visitor delay.
    application = get_wsgi_application()
    waitress.serve(application, host=host, port=port, threads=8, ident="jdmtrack-registry")
