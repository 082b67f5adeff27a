"""Production and demo settings, as the deployment and `make demo` get them (each in a fresh process).

Settings are read once per process from the environment, so every case runs ``koers`` in a subprocess with
its own environment and a temporary var/ directory.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

#: Variables of the test process that must not leak into "production".
LEAKY = (
    "KOERS_DEMO",
    "KOERS_DEBUG",
    "KOERS_TESTING",
    "KOERS_HTTPS",
    "KOERS_REQUIRE_2FA",
    "DATABASE_URL",
    "KOERS_SQLITE_PATH",
    "KOERS_STATIC_ROOT",
    "KOERS_MEDIA_ROOT",
    "KOERS_ALLOWED_HOSTS",
    "KOERS_SECRET_KEY",
    "KOERS_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

SETTINGS_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "ALLOWED_HOSTS", "KOERS_REQUIRE_2FA", "SESSION_COOKIE_HTTPONLY",
]}))
"""


def koers_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env.update(KOERS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="koers.settings", **extra)
    return env


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    return koers_env(
        var_dir, KOERS_SECRET_KEY=secrets.token_urlsafe(64), KOERS_ALLOWED_HOSTS="koers.example.nl", **extra
    )


def run_koers(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "koers", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def read_settings(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = run_koers(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_deploy_check_fails_on_a_weak_secret_key(tmp_path):
    """The check above is not a formality: a short key is a warning, and warnings fail it."""
    env = production_env(tmp_path)
    env["KOERS_SECRET_KEY"] = "kort"
    result = run_koers(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["KOERS_SECRET_KEY"]
    result = run_koers(env, "check")
    assert result.returncode != 0
    assert "KOERS_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_settings_are_https_only_with_two_factor(tmp_path):
    prod = read_settings(production_env(tmp_path))
    assert prod["DEBUG"] is False
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"] and prod["SESSION_COOKIE_HTTPONLY"]
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert prod["ALLOWED_HOSTS"] == ["koers.example.nl"]
    assert prod["KOERS_REQUIRE_2FA"] is True


def test_demo_settings_serve_plain_http_on_localhost_without_debug(tmp_path):
    demo = read_settings(koers_env(tmp_path, KOERS_DEMO="1"))
    assert demo["DEBUG"] is False, "DEBUG staat ook in de demo uit"
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["CSRF_COOKIE_SECURE"]
    assert demo["SECURE_SSL_REDIRECT"] is False and demo["SECURE_HSTS_SECONDS"] == 0
    assert {"127.0.0.1", "localhost"} <= set(demo["ALLOWED_HOSTS"])
    assert demo["KOERS_REQUIRE_2FA"] is False
    # The demo makes its own secret key once and keeps it private.
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")


@pytest.fixture
def demo_server(tmp_path):
    """What `make demo` serves: gunicorn with whitenoise and collected static files, DEBUG off."""
    env = koers_env(tmp_path, KOERS_DEMO="1")
    collected = run_koers(env, "collectstatic", "--noinput", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "koers.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"gunicorn startte niet:\n{server.communicate()[0]}")
            time.sleep(0.2)
        yield base, tmp_path / "static"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_demo_server_serves_hashed_static_files_and_no_debug_pages(demo_server):
    base, static_root = demo_server
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    css = manifest["koers/koers.css"]
    assert re.fullmatch(r"koers/koers\.[0-9a-f]{12}\.css", css)

    status, headers, body = _get(f"{base}/static/{css}")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]  # hashed names are cached "forever"

    status, headers, _ = _get(f"{base}/")
    assert status == 302 and headers["Location"].startswith("/inloggen/")
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"

    status, _, body = _get(f"{base}/bestaat-niet/")
    assert status == 404
    assert "URLconf" not in body and "Traceback" not in body  # Django's technical 404 page would say so
