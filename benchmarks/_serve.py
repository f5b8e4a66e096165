"""gunicorn in front of a database, and signed-in sessions for load and fault scripts.

Sessions are made the way signing in makes them, second factor included: each staff
member gets a confirmed TOTP device and a session that has passed it (django-otp's
``otp_device_id``), so the production settings apply unchanged (IPS_REQUIRE_TWO_FACTOR on,
no demo exemptions). Loopback only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from _django import ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")
# The script signs sessions that the server must read: both use this key (loopback tests only).
SECRET = "load-test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105


def production_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "ipsworks.config.settings",
        "IPS_DEBUG": "0",
        "IPS_SECRET_KEY": SECRET,
        "IPS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: TLS is the proxy's job in a deployment.
        "IPS_SSL_REDIRECT": "0",
        "IPS_SECURE_COOKIES": "0",
        "IPS_HSTS_SECONDS": "0",
        "IPS_LOG_LEVEL": "ERROR",
    }


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int = 1
) -> subprocess.Popen:
    """gunicorn on loopback: sync workers, or with ``threads`` > 1 threaded workers (which,
    unlike sync ones, keep a client's connection open between requests)."""
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "ipsworks.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "benchmarks" / "results" / "gunicorn.log.tmp", "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def signed_in_session(staff) -> str:
    """A session key for the staff member, signed in with a passed second factor."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ipsworks.access.middleware import SESSION_GENERATION_KEY

    device, _ = TOTPDevice.objects.get_or_create(
        user=staff.user, name="load test", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(staff.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = staff.user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_GENERATION_KEY] = staff.session_generation
    session["ips_last_seen"] = int(time.time())
    session.create()
    return session.session_key
