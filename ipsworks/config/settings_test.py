"""Settings for the test suite: the production settings with test-only speed-ups."""

import os

os.environ.setdefault("IPS_SECRET_KEY", "test-only-secret-key")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ipsworks.config.settings import *  # noqa: F403
from ipsworks.config.settings import STORAGES

# Hashing with Argon2 on every factory-made user would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# live_server serves /static/ through the finders, which only know unhashed names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Whatever IPS_CACHE_URL says in the shell, tests need no cache server.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One process, so the memory cache is shared by all of it: every test that draws a page twice
# runs through the page cache, which finds any page that would go stale after a change.
IPS_PAGE_CACHE = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Serve static files from the finders, as in development; no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The second factor is tested on its own (tests/access/test_two_factor.py), which switches
# this on; elsewhere test clients sign in with force_login and skip it.
IPS_REQUIRE_TWO_FACTOR = False
# The test client speaks plain HTTP; production redirects to HTTPS.
SECURE_SSL_REDIRECT = False
