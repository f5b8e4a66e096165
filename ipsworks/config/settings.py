"""Settings for IPS Works, read from the environment (see .env.example).

Secure by default: DEBUG is off unless IPS_DEBUG turns it on (``make demo`` runs with it off,
as production does), and a deployment without a secret key refuses to start.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ipsworks.config.env import env_bool, env_cache, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "ipsworks"

DEBUG = env_bool("IPS_DEBUG", default=False)

# The key comes from IPS_SECRET_KEY or from a file named by IPS_SECRET_KEY_FILE (make demo
# generates one per install). Only development (DEBUG) may fall back to a fixed key.
SECRET_KEY = env_secret("IPS_SECRET_KEY", fallback=("insecure-development-key" if DEBUG else None))

ALLOWED_HOSTS = env_list("IPS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("IPS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ipsworks.core",
    "ipsworks.organisations",
    "ipsworks.access",
    "ipsworks.people",
    "ipsworks.activity",
    "ipsworks.employers",
    "ipsworks.jobs",
    "ipsworks.diary",  # appointments, the day and week views, the calendar feed (issue 19)
    "ipsworks.outcomes",
    "ipsworks.benefits",
    "ipsworks.fidelity",
    "ipsworks.matching",
    "ipsworks.public",
    "ipsworks.demo",
    "ipsworks.apitokens",  # personal API tokens (issue 9)
    "ipsworks.imports",  # bulk imports of referrals from clinical systems (issue 9)
    "ipsworks.operations",  # backup, restore, lost-task reaper, 503 page (issue 9)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipsworks.access.identity.IdentityMemoMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ipsworks.access.middleware.KeptDeviceOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ipsworks.core.middleware.IdleSessionTimeoutMiddleware",
    "ipsworks.access.middleware.TwoFactorMiddleware",
    "ipsworks.access.middleware.StaffMemberMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ipsworks.core.middleware.PermissionsPolicyMiddleware",
    "ipsworks.core.middleware.PrivateResponsesMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipsworks.config.urls"
WSGI_APPLICATION = "ipsworks.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "ipsworks.config.jinja2.environment",
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "ipsworks.access.navigation.layout",
                # Last: it replaces the CSRF token while a page is drawn for keeping.
                "ipsworks.core.page_cache.csrf_placeholder",
            ],
        },
    },
    {
        # Kept for django-ninja's API docs page, which ships Django templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default (make demo needs no server); PostgreSQL is production.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("IPS_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while a writer commits; IMMEDIATE takes the write lock
        # at the start of a transaction so two writers queue instead of failing mid-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in, passwords and sessions ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the staff membership with the user (one query a request).
    "ipsworks.access.backends.StaffModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures (django-axes): 5 wrong passwords lock the account for an
# hour, or until the service administrator unlocks it.
AXES_FAILURE_LIMIT = env_int("IPS_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("IPS_LOCKOUT_HOURS", 1)
# Per account (whatever the address) and per account-and-address pair; not per address
# alone, because a whole NHS office often shares one address.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ipsworks.core.views.locked_out"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
# The same address as the access log and the public forms' limit (IPS_TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "ipsworks.core.http.client_ip"

# A second factor (TOTP, with single-use recovery codes) for every staff sign-in. Only the
# named demo accounts skip it, and only where the demo is switched on (make demo).
IPS_REQUIRE_TWO_FACTOR = env_bool("IPS_REQUIRE_TWO_FACTOR", default=True)
IPS_DEMO_ACCOUNTS_ENABLED = env_bool("IPS_DEMO_ACCOUNTS_ENABLED", default=False)
OTP_TOTP_ISSUER = "IPS Works"

# A session ends this long after sign-in however active it is (IdleSessionTimeoutMiddleware
# enforces it; the cookie and database expiry are the same length as a backstop).
IPS_SESSION_MAX_HOURS = env_int("IPS_SESSION_MAX_HOURS", 12)
if IPS_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("IPS_SESSION_MAX_HOURS must be at least 1.")
SESSION_COOKIE_AGE = IPS_SESSION_MAX_HOURS * 60 * 60
SESSION_IDLE_TIMEOUT = env_int("IPS_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("IPS_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# --- Transport and browser security ----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("IPS_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("IPS_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("IPS_HSTS_PRELOAD", default=not DEBUG)
if env_bool("IPS_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours stand in front of the application. 0: REMOTE_ADDR is the
# client and X-Forwarded-For is ignored (anyone can send it). N: the client is the N-th
# X-Forwarded-For entry from the right (ipsworks/core/http.py; docs/deployment.md).
IPS_TRUSTED_PROXY_COUNT = env_int("IPS_TRUSTED_PROXY_COUNT", 0)
if IPS_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("IPS_TRUSTED_PROXY_COUNT must be 0 or more.")

# No inline script or style anywhere: behaviour lives in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK stylesheet loads Frutiger from assets.nhs.uk; offline it falls back to Arial.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Internationalisation and dates ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static", BASE_DIR / "assets"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Cache ----------------------------------------------------------------------------------
# Local memory by default (the demo, tests). With several server processes set IPS_CACHE_URL
# to a shared cache, db:// or redis://HOST:PORT/DB, so the public forms' limit holds across
# them (docs/deployment.md).
CACHES = {"default": env_cache("IPS_CACHE_URL", "locmem://")}
_REDIS_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")

# Rendered pages kept until their data changes (ipsworks/core/page_cache.py, ADR 0009). Only
# correct with a cache every server process and worker shares, whose increments are atomic:
# Redis. On by default only then.
IPS_PAGE_CACHE = env_bool("IPS_PAGE_CACHE", default=_REDIS_CACHE)
if IPS_PAGE_CACHE and not _REDIS_CACHE and not DEBUG:
    raise ImproperlyConfigured(
        "IPS_PAGE_CACHE needs Redis as the cache (IPS_CACHE_URL=redis://HOST:PORT/DB): every "
        "process must share it, and its counters must move on atomically."
    )
IPS_PAGE_CACHE_ALIAS = "default"
# However a page was kept, it is drawn again after this long.
IPS_PAGE_CACHE_SECONDS = env_int("IPS_PAGE_CACHE_SECONDS", 120)
# Sessions stay in the database alone: read through Redis (cached_db) they would save a query,
# but a Redis outage would then fail every signed-in request, and a sign-out whose cache
# delete failed could leave the session readable from Redis afterwards. They are read with a
# fixed statement rather than one the ORM builds on every request (ipsworks/core/sessions.py).
SESSION_ENGINE = "ipsworks.core.sessions"

# --- Background tasks ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Public front door (ipsworks/public) -----------------------------------------------------
# Public form submissions (self-referral, employer enquiry) accepted from one address in an
# hour; more get a friendly "try again later" page (429). Counted in this cache alias, which
# must be a cache shared by all server processes in production (see ipsworks/public/ratelimit.py).
IPS_PUBLIC_SUBMISSIONS_PER_HOUR = env_int("IPS_PUBLIC_SUBMISSIONS_PER_HOUR", 10)
IPS_PUBLIC_RATE_LIMIT_CACHE = env_str("IPS_PUBLIC_RATE_LIMIT_CACHE", "default")

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("IPS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("IPS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("IPS_EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("IPS_EMAIL_USE_TLS", default=False)
# SMTP sign-in, for a mail server that asks for one (NHSmail does); the password may come
# from a file (IPS_EMAIL_HOST_PASSWORD_FILE) like the other secrets.
EMAIL_HOST_USER = env_str("IPS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("IPS_EMAIL_HOST_PASSWORD", fallback="")
EMAIL_TIMEOUT = env_int("IPS_EMAIL_TIMEOUT_SECONDS", 20)
# The address staff use, for links in emails sent by background tasks.
IPS_SITE_URL = env_str("IPS_SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("IPS_DEFAULT_FROM_EMAIL", "IPS Works <no-reply@ipsworks.invalid>")

# --- Logging: never personal data, only identifiers -------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("IPS_LOG_LEVEL", "WARNING")},
}

# --- IPS service policy (local choices, not facts of the IPS model) ----------------------------
# How many documented attempts to contact someone are needed before a referral may be
# closed as "could not be contacted". Services set their own assertive-outreach policy.
IPS_MIN_CONTACT_ATTEMPTS_BEFORE_CLOSURE = env_int("IPS_MIN_CONTACT_ATTEMPTS", 3)
# What a referrer is told happens next: allocated within this many working days, and first
# seen within this many days of the referral (NHS England's "seen within 7 days").
IPS_ALLOCATE_WITHIN_WORKING_DAYS = env_int("IPS_ALLOCATE_WITHIN_WORKING_DAYS", 2)
IPS_FIRST_SEEN_WITHIN_DAYS = env_int("IPS_FIRST_SEEN_WITHIN_DAYS", 7)
# People whose referrals all closed more than this many years ago are anonymised by
# `manage.py apply_retention` (run it daily). 20 years after the last contact follows the
# NHS Records Management Code of Practice for mental health records; set your own policy.
IPS_RETENTION_YEARS = env_int("IPS_RETENTION_YEARS", 20)
# Self-referred people who never started (no first contact; referral closed or never
# accepted) are anonymised this many years after their form arrived, and employer enquiries
# are deleted this many years after the last contact (ipsworks/people/privacy.py). The public
# privacy notice states all three figures from these settings.
IPS_NOT_STARTED_RETENTION_YEARS = env_int("IPS_NOT_STARTED_RETENTION_YEARS", 2)
IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS = env_int("IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS", 2)
for _name in (
    "IPS_RETENTION_YEARS",
    "IPS_NOT_STARTED_RETENTION_YEARS",
    "IPS_EMPLOYER_ENQUIRY_RETENTION_YEARS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
# Demo accounts skip the second sign-in factor; nothing else may.
IPS_DEMO_USERNAMES = frozenset(  # only honoured when IPS_DEMO_ACCOUNTS_ENABLED is on
    {"es.demo", "es2.demo", "manager.demo", "clinician.demo", "commissioner.demo", "admin.demo"}
    | {"es.other", "reviewer.demo"}
)

# --- Matching people and vacancies (ipsworks/matching; docs/adr/0006-matching.md) -------------
# Read only through ipsworks.matching.weights.match_settings(), which checks every key.
# How much each part of the fit counts: relative, non-negative; the score is their weighted
# average of fits (0 to 100).
IPS_MATCH_WEIGHTS = {
    "kind_of_work": 3.0,  # the vacancy's SOC 2020 group is one of the kinds of work they want
    "job_title": 3.0,  # the job title is like the kinds of work they describe
    "hours": 2.0,  # the hours are within the range they want
    "times_of_day": 3.0,  # no clash with times of day that do not suit them
    "distance": 2.0,  # within how far they will travel
    "pay": 1.0,  # pay above the minimum wage for their age
    "not_to_repeat": 3.0,  # not like a past job they do not want to repeat
}
# Tolerances and thresholds the rules use.
IPS_MATCH_RULES = {
    "unknown_credit": 0.5,  # fit given to a part nobody has recorded (neither fit nor clash)
    "title_fits_from": 0.6,  # title similarity (0 to 1) from which the title "fits"
    "kind_inferred_from": 0.75,  # similarity to a SOC group's example titles to count it
    "not_to_repeat_from": 0.6,  # similarity to a job not to repeat that counts as a clash
    "hours_tolerance": 10.0,  # hours outside their range at which the hours fit reaches 0
    "default_travel_miles": 10.0,  # used when how far they will travel is not recorded
    "distance_tolerance_miles": 10.0,  # miles beyond their limit at which the fit reaches 0
    "same_area_credit": 0.5,  # no centroids: same postcode area, different district
    "pay_full_credit_above_minimum_pence": 200,  # pay this far above the minimum fits fully
    "target_employer_bonus": 0.25,  # share of the gap to 100 closed for an employer they target
    "good_fit_from": 75.0,  # score bands shown as "Good fit" and "Possible fit"
    "possible_fit_from": 50.0,
}
