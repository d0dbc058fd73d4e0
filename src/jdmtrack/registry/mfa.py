"""The second factor (django-otp TOTP) for monitors and administrators.

``/mfa/`` either enrols an authenticator app (first time: the page shows the secret, its
``otpauth://`` URI and a QR code of it, and a code from the app confirms the device) or asks
for the current code. A right code marks the session verified (django-otp); a wrong one is
an audit event. django-otp refuses a code used once already (ASVS V2.8.4) and slows down
repeated failures.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import audit

__all__ = ["mfa", "secret_of"]


def secret_of(device: Any) -> str:
    """The device's key in base32, as authenticator apps take it."""
    return b32encode(device.bin_key).decode("ascii")


def _qr_svg(uri: str) -> str:
    import segno

    return str(segno.make(uri, error="m").svg_inline(scale=4, title="TOTP enrolment"))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/patients/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return "/patients/"
    return target


@login_required
@require_http_methods(["GET", "POST"])
def mfa(request: HttpRequest) -> HttpResponse:
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if device is None:
        device = (TOTPDevice.objects.filter(user=user, confirmed=False).first()
                  or TOTPDevice.objects.create(user=user, name="authenticator app",
                                               confirmed=False))
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").replace(" ", "").strip()
        allowed, _ = device.verify_is_allowed()
        if allowed and token.isdigit() and device.verify_token(token):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record(user, "mfa_enrolled", table="users", row=user.username)
            otp_login(request, device)
            audit.record(user, "mfa_verified")
            return redirect(_next(request))
        audit.record(user, "mfa_failed", reason="wrong or reused code" if allowed
                     else "too many wrong codes: waiting")
        error = ("That code is not right (or was used already). Enter the current code."
                 if allowed else "Too many wrong codes: wait a little, then try again.")
    context: dict[str, Any] = {"enrolling": enrolling, "error": error, "next": _next(request)}
    if enrolling:
        context.update(secret=secret_of(device), uri=device.config_url,
                       qr=_qr_svg(device.config_url))
    return render(request, "registry/mfa.html", context, status=400 if error else 200)
