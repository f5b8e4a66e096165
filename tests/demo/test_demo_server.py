"""`make demo` runs as production runs (issue 16): DEBUG off, gunicorn, static files
collected and served by whitenoise, so a 404 is the service's own page and never Django's
technical page listing every URL of the site.

The server is started here with exactly the environment the Makefile's ``demo`` target
exports, so changing that target to turn debug back on fails this test.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _demo_environment() -> dict[str, str]:
    exported = re.findall(
        r"^demo: export (\w+) = (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE
    )
    return {name: value.replace("$(CURDIR)", str(ROOT)) for name, value in exported}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our test server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    demo = _demo_environment()
    assert demo["IPS_DEBUG"] == "0"
    tmp = tmp_path_factory.mktemp("demo")
    key = tmp / "key"
    key.write_text("a-test-only-secret-key-" + "x" * 50)
    env = {
        **os.environ,
        **demo,
        "IPS_SECRET_KEY_FILE": str(key),
        "DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ipsworks.config.settings",
    }
    # Fixed commands from this virtual environment: nothing untrusted reaches them.
    manage = [str(BIN / "python"), "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "ipsworks.config.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_a_missing_page_is_the_services_own_404(demo_server):
    status, body = _get(demo_server + "/no-such-page/")
    assert status == 404
    assert "Page not found – IPS Works" in body
    assert "URLconf" not in body
    assert "DEBUG = True" not in body


def test_static_files_are_served_by_whitenoise_with_hashed_names(demo_server):
    status, page = _get(demo_server + "/sign-in/")
    assert status == 200
    stylesheet = re.search(r'href="(/static/ipsworks/ipsworks\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the sign-in page links the collected, hashed stylesheet"
    assert _get(demo_server + stylesheet.group(1))[0] == 200
