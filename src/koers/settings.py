"""Koers settings: one module, configured by environment variables (see README, "Configuratie").

Modes:
- production (default): KOERS_SECRET_KEY and KOERS_ALLOWED_HOSTS must be set; HTTPS-only cookies, HSTS,
  TOTP two-factor authentication for every staff member.
- demo (KOERS_DEMO=1): served over plain HTTP on localhost, generates its own secret key under var/,
  prints e-mail to the console and skips two-factor authentication so the demo logins work at once.
DEBUG stays off in both unless KOERS_DEBUG=1 (development only).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("KOERS_VAR_DIR", PROJECT_DIR / "var"))

DEMO_MODE = env_bool("KOERS_DEMO")
DEBUG = env_bool("KOERS_DEBUG")
TESTING = env_bool("KOERS_TESTING")


def _secret_key() -> str:
    key = os.environ.get("KOERS_SECRET_KEY", "")
    if key:
        return key
    if DEMO_MODE or DEBUG or TESTING:
        # The demo generates its own secret once and keeps it, so sessions survive a restart.
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path = VAR_DIR / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()
    raise ImproperlyConfigured("Zet KOERS_SECRET_KEY (een lange willekeurige tekst) of gebruik KOERS_DEMO=1.")


SECRET_KEY = _secret_key()
#: Key of the research export's pseudonyms (monitoring/research.py); empty = SECRET_KEY. Changing it changes
#: every pseudonym, so set it once and keep it apart from SECRET_KEY when that may be rotated.
KOERS_PSEUDONYM_KEY = os.environ.get("KOERS_PSEUDONYM_KEY", "")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "KOERS_ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEMO_MODE or DEBUG or TESTING) else ""
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("KOERS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # DigiD for Mijn Koers (django-digid-eherkenning; docs/architecture.md "DigiD"): its configuration (SAML
    # metadata, certificates) lives in the database and the admin; installed always, so the schema never depends
    # on whether DigiD is switched on.
    "solo",
    "privates",
    "simple_certmanager",
    "digid_eherkenning",
    "koers.core",
    "koers.participants",
    "koers.casework",
    "koers.activities",
    "koers.plans",
    "koers.work",
    "koers.monitoring",
    "koers.portal",  # Mijn Koers: the participant's own pages at /mijn/
    "koers.synthetic",  # `koers generate`, NBNB reference rows (no models)
    "koers.demo",  # `koers demo` (no models; refuses outside demo mode)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koers.core.middleware.DefaultLanguageMiddleware",  # Dutch unless a participant page switches (core/i18n.py)
    "koers.core.middleware.ContentSecurityPolicyMiddleware",
    "koers.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koers.core.middleware.StaffLanguageMiddleware",  # the staff member's own choice, not the browser's
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # @login_not_required marks the public views
    "koers.core.middleware.ParticipantConfinementMiddleware",  # a participant's account stays inside /mijn/
    "koers.core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "koers.urls"
WSGI_APPLICATION = "koers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koers.core.context_processors.koers",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# SQLite under var/ by default (WAL, busy_timeout, IMMEDIATE transactions); PostgreSQL via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("KOERS_SQLITE_PATH", str(VAR_DIR / "koers.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Two-factor authentication (TOTP) for all staff outside demo mode; KOERS_REQUIRE_2FA overrides.
KOERS_REQUIRE_2FA = env_bool("KOERS_REQUIRE_2FA", default=not DEMO_MODE)
OTP_TOTP_ISSUER = "Koers"

# Login lockout (django-axes, koers/core/lockout.py; docs/architecture.md "Authentication"): per username a short
# cool-off (a colleague who knows your username can trigger it), per client address a higher limit against
# password guessing across many usernames. Failures during a lockout do not extend it.
AXES_FAILURE_LIMIT = int(os.environ.get("KOERS_LOGIN_FAILURE_LIMIT", "5"))  # per username
KOERS_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("KOERS_LOGIN_IP_FAILURE_LIMIT", "30"))  # per client address
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KOERS_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own (order used by lockout.py)
AXES_HANDLER = "koers.core.lockout.LoginLockoutHandler"
AXES_LOCKOUT_CALLABLE = "koers.core.lockout.lockout_response"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_ENABLED = env_bool("KOERS_AXES", default=True)
# The client address: REMOTE_ADDR, or behind a reverse proxy (KOERS_BEHIND_PROXY=1) the right-most hop of
# X-Forwarded-For that is not one of our proxies (KOERS_TRUSTED_PROXIES: addresses or networks of further proxies
# in front of the one that connects to Koers, comma-separated).
KOERS_BEHIND_PROXY = env_bool("KOERS_BEHIND_PROXY")
KOERS_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("KOERS_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "koers.core.lockout.client_ip"

# Password-reset requests (koers/core/ratelimit.py): at most this many per e-mail address and per client address
# per hour; over the limit the page answers the same but sends no mail.
KOERS_RESET_LIMIT_PER_EMAIL = int(os.environ.get("KOERS_RESET_LIMIT_PER_EMAIL", "3"))
KOERS_RESET_LIMIT_PER_IP = int(os.environ.get("KOERS_RESET_LIMIT_PER_IP", "20"))

# The cache holds the rate-limit counters. They must be shared by every gunicorn worker, so Koers uses the
# database cache (table koers_cache, created by `koers migrate` through core/apps.py); LocMemCache would count per
# process and let each worker allow the full limit.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "koers_cache",
    }
}

SESSION_COOKIE_AGE = 60 * 60 * 9  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Mijn Koers (the participant portal, koers.portal) ------------------------------------------------------
KOERS_PORTAL_PREFIX = "/mijn/"
# A participant's session ends after this many idle seconds (a shared or borrowed phone), renewed on every page.
KOERS_PORTAL_IDLE_SECONDS = int(os.environ.get("KOERS_PORTAL_IDLE_MINUTES", "15")) * 60
# An activation code in an invitation letter works this many days, and is void after this many wrong tries.
KOERS_PORTAL_INVITATION_DAYS = int(os.environ.get("KOERS_PORTAL_INVITATION_DAYS", "14"))
KOERS_PORTAL_CODE_ATTEMPTS = 5
# Activation attempts per client address per hour (guessing codes across many accounts).
KOERS_PORTAL_ACTIVATION_LIMIT_PER_IP = int(os.environ.get("KOERS_PORTAL_ACTIVATION_LIMIT_PER_IP", "30"))
# How participants log in (docs/architecture.md "Logging in to Mijn Koers"): "password" (the activation letter),
# "passkey" (added by the participant after logging in), "digid". DigiD is offered when KOERS_PORTAL_DIGID is set:
# "saml" (the real DigiD through django-digid-eherkenning, configured in the admin) or "mock" (the library's mock
# identity provider: anyone can type any BSN, so only in demo mode, development and tests).
KOERS_PORTAL_DIGID = os.environ.get("KOERS_PORTAL_DIGID", "mock" if (DEMO_MODE or TESTING) else "").strip()
if KOERS_PORTAL_DIGID not in ("", "mock", "saml"):
    raise ImproperlyConfigured("KOERS_PORTAL_DIGID is leeg, 'saml' of 'mock'.")
if KOERS_PORTAL_DIGID == "mock" and not (DEMO_MODE or DEBUG or TESTING):
    raise ImproperlyConfigured("De DigiD-mock (KOERS_PORTAL_DIGID=mock) mag alleen in demo, ontwikkeling of tests.")
KOERS_PORTAL_LOGIN_METHODS = tuple(
    m.strip() for m in os.environ.get("KOERS_PORTAL_LOGIN_METHODS", "password,passkey").split(",") if m.strip()
) + (("digid",) if KOERS_PORTAL_DIGID else ())
# The library's mock identity provider (demo): its title, and the callback check it does outside DEBUG.
DIGID_MOCK_APP_TITLE = "Mijn Koers (demo)"
DIGID_MOCK_IDP_VALIDATE_CALLBACK_URLS = True
# Passkeys (WebAuthn, py_webauthn): the relying party is the portal's host name; the origins are the exact
# scheme://host[:port] the browser shows. Empty: the host of the request (already checked against ALLOWED_HOSTS),
# which suits demo and tests; production sets both.
KOERS_WEBAUTHN_RP_ID = os.environ.get("KOERS_WEBAUTHN_RP_ID", "").strip()
KOERS_WEBAUTHN_ORIGINS = tuple(
    o.strip() for o in os.environ.get("KOERS_WEBAUTHN_ORIGINS", "").split(",") if o.strip()
)
# Failed passkey logins per client address per hour (as the activation codes; a passkey names no username).
KOERS_PORTAL_PASSKEY_LIMIT_PER_IP = int(os.environ.get("KOERS_PORTAL_PASSKEY_LIMIT_PER_IP", "30"))
# django-privates (a dependency of django-digid-eherkenning's certificate store): private files, never served.
PRIVATE_MEDIA_ROOT = os.environ.get("KOERS_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))
PRIVATE_MEDIA_URL = "/private-media/"

# --- Internationalisation -----------------------------------------------------------------------------
# No LocaleMiddleware: the browser's Accept-Language never decides a page's language. Staff pages are Dutch
# unless a staff member chose another language of KOERS_STAFF_LANGUAGES on "Mijn account"
# (User.interface_language; core.middleware.StaffLanguageMiddleware activates it; so far only the staff shell is
# translated: docs/architecture.md, "Translations"). Participant-facing texts (plan PDF summary, week card,
# portal) are translated with gettext into the languages below; a participant page switches with
# koers.core.i18n.activate_for and DefaultLanguageMiddleware switches back after every request.
# Dutch is the source language (msgids are Dutch). Tigrinya is added to Django's LANG_INFO by core/i18n.py.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("ti", "ትግርኛ"),
    ("uk", "Українська"),
    ("fa", "فارسی"),
]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
#: The catalogues (koers/locale/<code>/LC_MESSAGES/django.po and the compiled .mo, both committed and shipped as
#: package data); `make messages` updates them.
LOCALE_PATHS = [BASE_DIR / "locale"]
#: The languages a staff member can choose for the staff pages (the first is the default). Staff texts carry the
#: gettext context "staff" and need a translation only in these catalogues (core/catalogues.py).
KOERS_STAFF_LANGUAGES = ["nl", "en"]

# --- Static and media ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("KOERS_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("KOERS_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING

# --- E-mail ---------------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("KOERS_FROM_EMAIL", "koers@localhost")
if os.environ.get("KOERS_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KOERS_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("KOERS_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KOERS_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KOERS_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KOERS_EMAIL_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security -------------------------------------------------------------------------------------------
_HTTPS = not (DEMO_MODE or DEBUG or TESTING) or env_bool("KOERS_HTTPS")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("KOERS_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("KOERS_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# --- Koers domain settings ------------------------------------------------------------------------------
KOERS_PAGE_SIZE = 25
#: The address of Koers as users reach it, for links in e-mails (digest, handover, activation).
KOERS_SITE_URL = os.environ.get("KOERS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: Follow-up measurements (vervolgmetingen) after closing a trajectory, in months (monitoring/followups.py).
KOERS_FOLLOWUP_MONTHS = tuple(
    int(m) for m in os.environ.get("KOERS_FOLLOWUP_MONTHS", "6,12").split(",") if m.strip()
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOERS_LOG_LEVEL", "WARNING")},
    # Beheer actions, lockouts and rate limits: always written (they are in the audit trail as well).
    "loggers": {"koers.security": {"level": "INFO"}},
}
