"""A form fuzzer: every page and every POST form of the project, as each role of the demo, with hostile values.

Bad input must answer with a form error, a redirect or a 404 — never with the server's error page (issue 10,
item 8). How it works:

1. The demo is loaded (``koers demo``, about 2 s), so every page has real objects behind it.
2. For each demo role the fuzzer crawls the site: it starts at the four case journeys' files and every URL pattern
   without path arguments, follows the links and form actions it finds, and requests every URL name once per
   role (twice for the first three roles: a second participant may have forms the first has not). Path
   arguments are the real ids the pages link to, so views taking ``participant, grant`` need no special case.
3. Every page is also requested with hostile query strings (``?next=``, ``?week=9999-12-31``, huge ids and page
   numbers, and the fields of the page's own GET filter forms filled with edge values).
4. Every ``<form method="post">`` is parsed (stdlib html.parser) and posted once with its own values and then with
   one hostile value per field type at a time (empty, 100,000 characters, script/formula text, NUL and RTL/emoji,
   edge dates, huge and negative numbers and ids, lists for single fields, a non-URL and an external ``next``).
   Each POST runs inside a transaction that is rolled back, so the world stays the same for the next one.
   A form (URL name + field names) is fuzzed in full once, by the first role that reaches it; other roles post it
   with its own values and the ``next`` variants.

A failure lists the method, URL, role, payload and the exception. The Django admin (platform superusers only,
Django's own forms) is left out. The work is bounded by count, not by time (every URL name at most
``VISITS_PER_NAME`` times per role), so every run covers the same forms; the roles run in three groups, so the
groups spread over pytest-xdist's workers. Runtime is printed (``-s``). Run one role with
``KOERS_FUZZ_ROLES=regisseur``. PDF/XLSX/CSV downloads are requested once (the first role that reaches them), and
the hostile query strings are sent once per page, by the first role that reaches it.
"""

from __future__ import annotations

import os
import time
import traceback
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

from koers.core.models import User
from koers.participants.models import Participant

pytestmark = pytest.mark.django_db(transaction=False)

ROLES = ["regisseur", "begeleider", "taaldocent", "bruggenbouwer", "jobcoach", "accountmanager", "projectleider",
         "beheerder", "onderzoeker"]

#: URL names that are not fuzzed: logging out ends the session the crawl needs, the health check has no forms.
SKIP_NAMES = {"logout", "healthz"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/")
#: Three groups of roles, one test each (they run in parallel under pytest-xdist); each group fuzzes in full the
#: forms its roles reach first. A group takes about half a minute on a quiet machine (printed at the end).
ROLE_GROUPS = [ROLES[0:3], ROLES[3:6], ROLES[6:9]]
DOWNLOADS = ("pdf", "xlsx", "csv")
#: The first three roles request each URL name at most this often (e.g. the plan page of two participants: one
#: may have a concept with its edit forms, the other not); the other roles once.
VISITS_PER_NAME = 2
CASE_JOURNEYS = ["Nahom", "Heba", "Ammar", "Nabil"]

LONG = "x" * 100_000
HUGE = "99999999999999999999"
TEXT_VALUES = {
    "long": LONG,
    "hostile_text": ('=HYPERLINK("https://evil.example","klik")<script>alert(1)</script>'
                     ' a\x00b \u202egnp.exe \U0001f600'),
}
#: One POST per profile; each profile replaces the fields of the listed kinds and keeps the form's own values
#: elsewhere (so a hostile date reaches the code behind an otherwise valid form).
CHOICE_KINDS = frozenset({"select", "radio", "checkbox", "hidden"})
PROFILES = {
    "max_dates": {**dict.fromkeys(("date", "month", "week"), "9999-12-31"), "datetime-local": "9999-12-31T23:59",
                  "time": "23:59:59.999999"},
    "min_dates": {**dict.fromkeys(("date", "month", "week"), "0001-01-01"), "datetime-local": "0001-01-01T00:00",
                  "time": "25:99"},
    "huge_ids_and_numbers": {**dict.fromkeys(CHOICE_KINDS, HUGE), "number": HUGE, "range": HUGE},
    "minus_one": {**dict.fromkeys(CHOICE_KINDS, "-1"), "number": "-1", "range": "-1"},
}
#: The baseline is posted with each of these (the first is not a URL: redirect() would read it as a view name).
NEXT_VALUES = {"next_not_url": "deelnemers:detail", "next_external": "//evil.example/pad"}
QUERY_EDGES = {
    "next": "not-a-url", "week": "9999-12-31", "page": HUGE, "pagina": HUGE, "participant": HUGE,
    "deelnemer": HUGE, "datum": "0001-01-01", "vanaf": "9999-12-31", "tot": "0001-01-01", "van": HUGE,
    "naar": HUGE, "groep": HUGE, "jaar": HUGE, "maand": "13",
}

TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", "textarea", "color"}
DATE_TYPES = {"date", "month", "week"}


class Field:
    def __init__(self, name, kind, value="", options=(), multiple=False, checked=False):
        self.name, self.kind, self.value = name, kind, value
        self.options, self.multiple, self.checked = list(options), multiple, checked


class Form:
    def __init__(self, method, action):
        self.method, self.action, self.fields = method, action, []


class PageParser(HTMLParser):
    """Links, and forms with their fields (inputs, selects with their options, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form((a.get("method") or "get").lower(), a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                if "selected" in a:
                    self._select.value = a.get("value", "")
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image"}:
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value", ""), checked="checked" in a))
        elif tag == "select":
            self._select = Field(a["name"], "select", None, multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea", "")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._select.value is None:
                non_empty = [o for o in self._select.options if o]
                self._select.value = non_empty[0] if non_empty else ""
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _baseline(form: Form) -> dict[str, list[str]]:
    """The form as a user would send it without changing anything (required empty fields filled in)."""
    data: dict[str, list[str]] = {}
    for f in form.fields:
        if f.kind in {"checkbox", "radio"}:
            if f.checked or (f.kind == "radio" and f.name not in data):
                data[f.name] = [f.value or "on"] if f.kind == "radio" else data.get(f.name, []) + [f.value or "on"]
            continue
        if f.kind == "file":
            continue
        value = f.value or ""
        if not value:
            value = {"date": "2026-03-02", "datetime-local": "2026-03-02T10:00", "time": "10:00", "number": "1",
                     "email": "test@example.nl", "url": "https://example.nl"}.get(f.kind, "" if f.kind in
                                                                                  {"hidden", "select"} else "Test")
        data.setdefault(f.name, []).append(value)
    return data


def _hostile_payloads(form: Form, full: bool):
    """(label, data) pairs: the baseline with next variants, and one hostile value per field type at a time."""
    base = _baseline(form)
    if not full:  # another role posts a form already fuzzed: its own values with a non-URL next
        yield "next_not_url", {**base, "next": [NEXT_VALUES["next_not_url"]]}
        return
    for label, nxt in NEXT_VALUES.items():
        yield label, {**base, "next": [nxt]}
    yield "empty", {name: [""] for name in base} | {k: v for k, v in base.items() if k == "csrfmiddlewaretoken"}
    yield "lists", {name: (values + ["1", HUGE]) for name, values in base.items()}

    for label, value in TEXT_VALUES.items():
        data = _replaced(form, base, dict.fromkeys(TEXT_TYPES, value))
        if data is not None:
            yield label, data
    for label, values in PROFILES.items():
        data = _replaced(form, base, values)
        if data is not None:
            yield label, data


def _replaced(form: Form, base: dict, values: dict) -> dict | None:
    """The baseline with the fields of the given kinds set to the given values (None: no such field)."""
    data = {k: list(v) for k, v in base.items()}
    touched = False
    for f in form.fields:
        if f.kind in values and f.name != "csrfmiddlewaretoken":
            data[f.name] = [values[f.kind]]
            touched = True
    return data if touched else None


def _url_patterns():
    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{ns}:{p.name}" if ns else p.name), prefix + str(p.pattern), p.pattern.converters
    return list(walk(get_resolver().url_patterns))


def _internal(url: str, base: str) -> str | None:
    if not url or url.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, url))
    if parts.netloc and parts.netloc not in {"testserver"}:
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _name_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


class Fuzzer:
    def __init__(self):
        self.failures: list[str] = []
        self.requests = 0
        self.timings: list[tuple] = []
        self.fuzzed_forms: set[tuple] = set()
        self.visited_names: set[str] = set()
        self.downloads: set[str] = set()
        self.posted: set[tuple] = set()
        self.started = time.perf_counter()

    def _check(self, client, user, role, method, url, payload, label):
        self.requests += 1
        began = time.perf_counter()
        try:
            with transaction.atomic():
                response = client.get(url, payload or {}) if method == "get" else client.post(url, payload)
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - every exception is a 5xx for the user
            tb = traceback.extract_tb(exc.__traceback__)
            where = next((f"{fr.filename.split('/src/')[-1]}:{fr.lineno}" for fr in reversed(tb)
                          if "/koers/" in fr.filename and "/tests/" not in fr.filename), "?")
            self.failures.append(f"{method.upper()} {url} as {role} [{label}] {payload_summary(payload)} -> "
                                 f"{type(exc).__name__}: {str(exc)[:160]} at {where}")
            return None
        self.timings.append((time.perf_counter() - began, method, url, label, role))
        if response.status_code in (301, 302) and response.get("Location", "").startswith(reverse("login")):
            client.force_login(user)  # a POST that ended or rotated the session (rolled back with the rest)
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} as {role} [{label}] {payload_summary(payload)} -> "
                                 f"{response.status_code}")
        location = response.get("Location", "") if response.status_code in (301, 302, 303, 307, 308) else ""
        if "evil.example" in location:
            self.failures.append(f"{method.upper()} {url} as {role} [{label}] redirects outside Koers: {location}")
        return response

    def crawl(self, role: str):
        user = User.objects.get(username=role)
        client = Client()
        client.force_login(user)
        queue: list[str] = []
        for name, route, converters in _url_patterns():
            if converters or name in SKIP_NAMES or route.startswith("admin/"):
                continue
            try:
                queue.append(reverse(name))
            except Exception:  # noqa: BLE001, S112 - a pattern that needs arguments after all
                continue
        # The four case journeys of the demo first: they have plans, placements, intakes and follow-ups.
        journeys = Participant.objects.filter(preferred_name__in=CASE_JOURNEYS).order_by("pk")
        queue[:0] = [reverse("participants:detail", kwargs={"pk": p.pk}) for p in journeys]
        seen_names: dict[str, int] = {}
        seen_urls: set[str] = set()
        while queue:
            url = queue.pop(0)
            name = _name_of(url)
            visits = VISITS_PER_NAME if role in ROLES[:3] else 1  # the roles with the most participant forms
            if name is None or name in SKIP_NAMES or seen_names.get(name, 0) >= visits or url in seen_urls:
                continue
            seen_urls.add(url)
            if urlsplit(url).path.rstrip("/").endswith(DOWNLOADS):
                if name in self.downloads:  # a PDF/XLSX/CSV is rendered once (the report PDF takes seconds)
                    continue
                self.downloads.add(name)
                seen_names[name] = seen_names.get(name, 0) + 1
                # Once, with the hostile query string (e.g. the week card PDF with ?week=9999-12-31).
                self._check(client, user, role, "get", urlsplit(url).path, QUERY_EDGES, "download-query-edges")
                continue
            seen_names[name] = seen_names.get(name, 0) + 1
            response = self._check(client, user, role, "get", url, None, "page")
            if response is None or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            first_visit = name not in self.visited_names
            self.visited_names.add(name)
            parser = PageParser()
            parser.feed(response.content.decode("utf-8", "replace"))
            for href in parser.links + [f.action for f in parser.forms if f.action]:
                target = _internal(href, url)
                if target and seen_names.get(_name_of(target), 0) < VISITS_PER_NAME and target not in seen_urls:
                    queue.append(target)
            if first_visit:  # hostile query strings once per page, by the first role that reaches it
                self._query_strings(client, user, role, url, parser)
            for form in parser.forms:
                if form.method == "post":
                    self._post(client, user, role, url, form)

    def _query_strings(self, client, user, role, url, parser):
        path = urlsplit(url).path
        self._check(client, user, role, "get", path, QUERY_EDGES, "query-edges")
        for form in parser.forms:
            if form.method != "get" or not form.fields:
                continue
            data = _baseline(form)
            for f in form.fields:
                if f.kind in DATE_TYPES:
                    data[f.name] = ["9999-12-31"]
                elif f.kind in {"select", "hidden", "number", "radio", "checkbox"}:
                    data[f.name] = [HUGE]
                elif f.kind in TEXT_TYPES:
                    data[f.name] = [LONG]
            target = _internal(form.action, url) or path
            self._check(client, user, role, "get", urlsplit(target).path, data, "get-form-edges")

    def _post(self, client, user, role, page_url, form):
        target = _internal(form.action, page_url) if form.action else urlsplit(page_url).path
        name = _name_of(target or "")
        if target is None or name is None or name in SKIP_NAMES:
            return
        key = (name, tuple(sorted({f.name for f in form.fields})))
        if (role, key) in self.posted:  # this role posted this form already (e.g. for another participant)
            return
        self.posted.add((role, key))
        full = key not in self.fuzzed_forms
        self.fuzzed_forms.add(key)
        for label, data in _hostile_payloads(form, full):
            data.pop("csrfmiddlewaretoken", None)
            self._check(client, user, role, "post", target, data, label)


def payload_summary(payload) -> str:
    if not payload:
        return ""
    shown = {k: (v if len(str(v)) < 60 else f"{str(v)[:40]}…({len(str(v))} chars)") for k, v in payload.items()}
    return str(shown)[:400]


@pytest.mark.parametrize("roles", ROLE_GROUPS, ids=["-".join(g) for g in ROLE_GROUPS])
def test_no_form_or_page_answers_with_a_server_error(roles, request):
    only = [r for r in os.environ.get("KOERS_FUZZ_ROLES", "").split(",") if r]
    roles = [r for r in roles if r in only] if only else roles
    if not roles:
        pytest.skip("KOERS_FUZZ_ROLES names no role of this group")
    request.getfixturevalue("demo_data")  # koers demo --force, loaded once per worker (koers/conftest.py)
    fuzzer = Fuzzer()
    for role in roles:
        fuzzer.crawl(role)
        print(f"{role}: {fuzzer.requests} requests, {time.perf_counter() - fuzzer.started:.1f} s")
    for t in sorted(fuzzer.timings, reverse=True)[:5]:  # the slowest requests (run with -s to see)
        print(f"{t[0]:.2f} s", *t[1:])
    per_name: dict[str, list[float]] = {}
    for seconds, _method, url, _label, _role in fuzzer.timings:
        per_name.setdefault(_name_of(urlsplit(url).path) or url, []).append(seconds)
    for name, spent in sorted(per_name.items(), key=lambda item: -sum(item[1]))[:10]:  # where the time goes
        print(f"{sum(spent):6.1f} s in {len(spent):4d} requests  {name}")
    names = {name for name, route, _ in _url_patterns() if not route.startswith("admin/")} - SKIP_NAMES
    unvisited = sorted(names - fuzzer.visited_names - fuzzer.downloads - {k[0] for k in fuzzer.fuzzed_forms})
    print(f"not reached by any role (POST-only endpoints are reached through their forms): {', '.join(unvisited)}")
    seconds = time.perf_counter() - fuzzer.started
    print(f"\nfuzzer: {fuzzer.requests} requests, {len(fuzzer.fuzzed_forms)} distinct forms, {seconds:.1f} s")
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server errors:\n" + "\n".join(fuzzer.failures[:60])
