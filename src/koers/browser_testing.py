"""Pytest plugin for Koers: browser tests with Playwright, and transactional tests next to the audit triggers.

Registered for the whole suite with ``-p koers.browser_testing`` in ``[tool.pytest.ini_options] addopts``
(pyproject.toml), so a browser test can live in any app's ``tests/`` package, next to the view tests of the
same pages. Nothing here imports Django or Playwright at import time: pytest loads this module before it
configures Django.

Browser tests
    Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``KOERS_CHROMIUM``), headless. Playwright
    never downloads a browser of its own (do not run ``playwright install``). Without Chromium every test
    marked ``browser`` is skipped, with the reason in the header and the summary (``make test`` runs
    ``pytest -rs``). A test that uses ``page``, ``phone_page``, ``new_page`` or ``browser`` is marked
    ``browser`` automatically, so ``pytest -m "not browser"`` leaves them all out.

    Fixtures:
      ``browser``      one Chromium for the session.
      ``new_page``     factory: ``new_page(width=1280, height=800, **context_options)`` opens a page in a fresh
                       context (own cookies) whose ``base_url`` is the live server, so ``page.goto("/")``
                       works. Every page collects console errors and uncaught exceptions
                       (``assert_no_console_errors(page)``), which is how a CSP violation shows.
      ``page``         a desktop page, 1280×800.
      ``phone_page``   a phone page, 390×844, touch.
      ``login``        ``login(user, page=None, password=PASSWORD)``: logs in through the real login form
                       (URL name ``login``, fields ``username`` and ``password``) and returns the page.

    Helpers (import them): ``log_in(page, username, password)``, ``submit(page, control)`` (click and wait
    for the next page), ``assert_no_console_errors(page)`` and
    ``assert_no_serious_axe_violations(page)``, which runs axe-core (shipped by ``axe-playwright-python``)
    on the page as it is and fails listing every violation of impact *serious* or *critical*.

    Example::

        import pytest
        from koers.browser_testing import assert_no_serious_axe_violations

        @pytest.mark.browser
        def test_participant_list(world, login):
            page = login(world.regisseur)
            page.goto("/deelnemers/")
            assert_no_serious_axe_violations(page)

    The live server runs in a thread of the test process, so ``settings`` overrides apply to it (two-factor
    authentication is off by default in tests, see ``koers/conftest.py``).

Transactional tests and the audit triggers
    ``core_auditevent`` refuses UPDATE, DELETE and TRUNCATE through database triggers
    (``koers.core.audit_triggers``). After a transactional test (``transactional_db``, ``live_server``,
    ``django_db(transaction=True)``) Django empties every table, which those triggers refuse. For such tests
    an autouse fixture installs the triggers at setup (so the test runs against the real rule), removes them
    just before the flush, and puts them back once the flush is done (Django's ``post_migrate`` signal, which
    the flush sends), so the next test finds the database as the migrations left it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Playwright's own default is 30 s; a page of ours that takes 10 s is a failure worth seeing quickly.
DEFAULT_TIMEOUT_MS = 10_000
BROWSER_FIXTURES = {"browser", "new_page", "page", "phone_page", "login"}
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}
SERIOUS_IMPACTS = ("serious", "critical")


def chromium_path() -> str | None:
    path = os.environ.get("KOERS_CHROMIUM") or DEFAULT_CHROMIUM
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def chromium_missing_reason() -> str:
    path = os.environ.get("KOERS_CHROMIUM") or DEFAULT_CHROMIUM
    return f"browsertests overgeslagen: geen Chromium op {path} (apt-get install chromium, of zet KOERS_CHROMIUM)"


# --- Hooks ----------------------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"koers database: {describe_database()}"]
    path = chromium_path()
    lines.append(f"koers browser tests: {f'Chromium {path}' if path else chromium_missing_reason()}")
    return lines


def describe_database() -> str:
    """Which database the suite runs on, without the password (printed in the pytest header)."""
    try:
        from django.conf import settings

        db = settings.DATABASES["default"]
    except Exception as exc:  # settings not configured: say so rather than break the header
        return f"unknown ({exc.__class__.__name__})"
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    test_name = (db.get("TEST") or {}).get("NAME")
    if engine == "sqlite3":
        return f"SQLite, test database {test_name or 'in memory'}"
    host = db.get("HOST") or "local socket"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"{engine} {host}{port}, test database {test_name or 'test_' + str(db.get('NAME'))}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    have_chromium = chromium_path() is not None
    skip = pytest.mark.skip(reason=chromium_missing_reason())
    for item in items:
        fixturenames = set(getattr(item, "fixturenames", ()))
        if fixturenames & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if not have_chromium and item.get_closest_marker("browser"):
            item.add_marker(skip)


# --- Audit triggers around the flush of transactional tests ---------------------------------------------


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    if TRANSACTIONAL_FIXTURES & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


@pytest.fixture(autouse=True)
def _audit_triggers_around_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """See the module docstring. Teardown runs before pytest-django's flush because this fixture sets up
    ``transactional_db`` itself (or finds it set up already), and pytest tears fixtures down last-in
    first-out."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.db import connection
    from django.db.models.signals import post_migrate

    from koers.core import audit_triggers

    post_migrate.disconnect(_reinstall_after_flush, sender=apps.get_app_config("core"))
    audit_triggers.install(connection)
    yield
    remove_audit_triggers_until_flush(connection)


def remove_audit_triggers_until_flush(connection) -> None:
    """Drop the append-only triggers so that Django's flush can empty the audit table; the flush's
    ``post_migrate`` signal puts them back."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from koers.core import audit_triggers

    audit_triggers.remove(connection)
    post_migrate.connect(_reinstall_after_flush, sender=apps.get_app_config("core"), weak=False)


def _reinstall_after_flush(sender, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections
    from django.db.models.signals import post_migrate

    from koers.core import audit_triggers

    post_migrate.disconnect(_reinstall_after_flush, sender=sender)
    audit_triggers.install(connections[using])


# --- Browser fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip(chromium_missing_reason())
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse ORM calls from
    # the test body (SynchronousOnlyOperation). The calls are synchronous, so that refusal does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    contexts = []

    def _new_page(width: int = DESKTOP["width"], height: int = DESKTOP["height"], **options: Any):
        options.setdefault("locale", "nl-NL")
        options.setdefault("timezone_id", "Europe/Amsterdam")
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.koers_console_errors = errors

        def on_console(message) -> None:
            if message.type == "error":
                where = (message.location or {}).get("url") or ""
                errors.append(f"{message.text} [{where}]" if where else message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        return page

    yield _new_page
    failed = getattr(request.node, "_koers_call_failed", False)
    for number, context in enumerate(contexts):
        if failed:
            _save_screenshots(context, request.node, number)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(**DESKTOP)


@pytest.fixture
def phone_page(new_page):
    return new_page(**PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def login(request: pytest.FixtureRequest, live_server) -> Callable[..., Any]:
    """``login(user, page=None, password=PASSWORD)`` → the page, logged in (the ``page`` fixture by default)."""
    from koers.core.tests.factories import PASSWORD

    def _login(user, page=None, password: str = PASSWORD):
        page = page if page is not None else request.getfixturevalue("page")
        log_in(page, user.get_username(), password)
        return page

    return _login


def log_in(page, username: str, password: str) -> None:
    """Fill in and submit the real login form; fail clearly when it does not let the user in."""
    from django.urls import reverse

    login_path = reverse("login")
    page.goto(login_path)
    form = page.locator("form").filter(has=page.locator("input[name='username']"))
    form.locator("input[name='username']").fill(username)
    form.locator("input[name='password']").fill(password)
    submit(page, form.locator("[type='submit']").first)
    if urlparse(page.url).path == login_path:
        feedback = " ".join(page.locator(".errorlist, [role='alert'], .form-errors").all_inner_texts())
        pytest.fail(f"inloggen als {username!r} mislukte; het formulier zegt: {feedback or '(niets)'}")


def submit(page, control) -> None:
    """Click a control that loads a new page (a form posted without htmx, a link) and wait until that page has
    loaded. ``control.click()`` followed by ``page.wait_for_load_state()`` can return before the browser has sent
    the form: the old page is loaded too, and what the test then reads is the old page. For htmx requests, wait
    for what they change with ``expect(...)`` instead."""
    with page.expect_navigation():
        control.click()


# --- Assertions -----------------------------------------------------------------------------------------


def assert_no_console_errors(page) -> None:
    errors = getattr(page, "koers_console_errors", [])
    assert not errors, "fouten in de browserconsole (bijvoorbeeld de Content-Security-Policy):\n" + "\n".join(
        f"  - {e}" for e in errors
    )


def axe_violations(page, context: Any = None, options: dict | None = None) -> list[dict]:
    """All axe-core violations on the page as it is now (default rules: WCAG 2.x A/AA and best practices)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options=options or {"resultTypes": ["violations"]})
    return results.response["violations"]


def assert_no_serious_axe_violations(page, context: Any = None, options: dict | None = None) -> None:
    serious = [v for v in axe_violations(page, context, options) if v.get("impact") in SERIOUS_IMPACTS]
    if serious:
        pytest.fail(
            f"axe vond {len(serious)} ernstige toegankelijkheidsfout(en) op {page.url}:\n"
            + "\n".join(_describe_violation(v) for v in serious),
            pytrace=False,
        )


def _describe_violation(violation: dict) -> str:
    lines = [f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"]
    for node in violation["nodes"][:5]:
        html = re.sub(r"\s+", " ", node.get("html", ""))[:160]
        lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
        if node.get("failureSummary"):
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    if len(violation["nodes"]) > 5:
        lines.append(f"    ... en nog {len(violation['nodes']) - 5} element(en)")
    return "\n".join(lines)


# --- Screenshots of failed browser tests ----------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    if report.when == "call" and report.failed:
        item._koers_call_failed = True
    return report


def _save_screenshots(context, item: pytest.Item, number: int) -> None:
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "test-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    for index, page in enumerate(context.pages):
        path = folder / f"{name}-{number}-{index}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed page must not hide the real failure
            print(f"schermafdruk mislukt ({exc})")
        else:
            print(f"schermafdruk van de mislukte test: {path}")
