"""Django settings of the registry: production defaults, one home folder.

The home folder (``JDMTRACK_REGISTRY_HOME``, set by ``jdmtrack registry --home``) holds
``registry.sqlite3`` and ``secret.key`` (written 0600 by ``init``). ``DATABASE_URL``, when
set, names another database (PostgreSQL) instead of the SQLite file. DEBUG is always off:
the registry has no development mode that could be left on by mistake.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

HOME = Path(os.environ.get("JDMTRACK_REGISTRY_HOME", "jdmtrack-registry")).resolve()
SECRET_KEY_FILE = HOME / "secret.key"

# Without a key file (before init, or in the test suite) a fresh random key per process:
# never a fixed key that could end up in production.
SECRET_KEY = (SECRET_KEY_FILE.read_text(encoding="utf-8").strip() if SECRET_KEY_FILE.is_file()
              else secrets.token_urlsafe(50))
DEBUG = False
ALLOWED_HOSTS = ["*"] if os.environ.get("JDMTRACK_REGISTRY_ANY_HOST") else [
    "127.0.0.1", "localhost", "[::1]", "testserver"]
extra_hosts = os.environ.get("JDMTRACK_REGISTRY_HOSTS", "")
ALLOWED_HOSTS += [h for h in extra_hosts.split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "jdmtrack.registry.apps.RegistryConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # session age limit, second factor for monitors and admins, clear database errors
    "jdmtrack.registry.security.RegistryGuard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes requires: it answers a locked-out login attempt
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "jdmtrack.registry.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
WSGI_APPLICATION = "jdmtrack.registry.wsgi.application"

# SQLite: WAL lets readers run beside the writer; IMMEDIATE transactions take the write
# lock at BEGIN, so two writers queue on the busy timeout instead of failing half-way
# with "database is locked" when a read lock cannot be upgraded.
_SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": 60,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60)}
else:
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(HOME / "registry.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
    }}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},  # OWASP ASVS 4.0.3 V2.1.1: at least 12 characters
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/patients/"
LOGOUT_REDIRECT_URL = "/login/"

# Login attempts (django-axes): after 5 failures in a row a user name is locked for 30
# minutes, whatever the password (ASVS V2.2.1); each lockout is an audit event (signals).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend",
                           "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registry/locked_out.html"
AXES_VERBOSE = False

# Sessions (ASVS V3.3.2, level 2): ended after 30 minutes without a request and 12 hours
# after the login whatever the activity (security.RegistryGuard enforces the second).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = 12 * 3600

# Cookies: HttpOnly and SameSite everywhere; Secure, with the __Host- prefix (ASVS
# V3.4.4), unless the registry is served on plain http to the loopback interface
# (JDMTRACK_REGISTRY_INSECURE_COOKIES, set by `serve` for 127.0.0.1 only, since a browser
# drops Secure cookies over http).
_PLAIN_HTTP = bool(os.environ.get("JDMTRACK_REGISTRY_INSECURE_COOKIES"))
SESSION_COOKIE_SECURE = not _PLAIN_HTTP
CSRF_COOKIE_SECURE = not _PLAIN_HTTP
SESSION_COOKIE_NAME = "sessionid" if _PLAIN_HTTP else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if _PLAIN_HTTP else "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the forms carry the token; no script reads the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts, styles and images from the registry
# itself only, so no inline script or event handler can run; no framing, no plugins.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}}

# Second factor (django-otp, TOTP): required for the roles in policy.MFA_ROLES.
OTP_TOTP_ISSUER = "jdmtrack registry"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# whitenoise serves the package's static folder directly: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
