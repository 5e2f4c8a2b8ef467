"""Hostile text in every form of a seeded seeded_world, for every role: script is shown as text and never runs, and odd
characters (NUL, control characters, 10,000 characters) give a message, never a server error (SECURITY.md 48).

The forms are found by walking every page of the role × URL matrix, so a new form is covered without listing it.
"""

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from koers.trajectories.models import ProgressReport
from tests import factories
from tests.access import test_url_matrix
from tests.access.test_url_matrix import MATRIX
from tests.helpers import captured_pdf_html, laid_out_text

pytestmark = pytest.mark.django_db

seeded_world = test_url_matrix.world  # the matrix's world: a client, runs, links, ... for every role

PAYLOAD = "<script>alert({n})</script>\"'><img src=x onerror=alert({n})>"
RAW_MARKERS = ("<script>alert(", "<img src=x onerror")
ESCAPED = re.compile(r"&lt;script&gt;alert\((\d+)\)&lt;/script&gt;")
# Text inputs whose format is checked (a payload there only proves the form refuses it): a valid value instead.
FORMAT_VALUES = {
    "bsn": factories._valid_bsn(900),
    "phone": "0612345678",
    "email": "iemand@example.org",
    "postal_code": "1234 AB",
    "skip_dates": "",
}
NOT_PAGES = ("v1:", "api", "health", "admin:", "accounts:", "set_language")
SKIPPED_ACTIONS = ("/i18n/setlang/", "/account/uitloggen/")
# Forms that close what other forms need (a run, a referral, a trajectory): submitted last.
CLOSING = ("annuleren", "intrekken", "afwijzen", "terugdraaien", "afsluiten", "overdragen")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_FORMS = 28  # distinct forms with free text sent in the seeded world when this test was written (29)
MIN_SHOWN = 14  # of which the saved payload is shown back on some page


@dataclass
class Form:
    action: str
    method: str = "post"
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → values as a browser sends them unchanged
    text_fields: list[str] = field(default_factory=list)  # text inputs and textareas
    dates: list[str] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)  # select or radio group → its values
    submit: tuple[str, str] | None = None  # the first named submit button, which some views read


class FormParser(HTMLParser):
    """The POST forms of a page."""

    TEXT_TYPES = {"text", "search", "email", "tel", "url"}

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name", "")
        if form is None or "disabled" in a:
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.setdefault(name, []).append(a.get("value", "on"))
                if kind == "radio":
                    form.choices.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "submit":
                form.submit = form.submit or (name, a.get("value", ""))
            elif kind not in ("button", "reset", "file", "image"):
                form.fields.setdefault(name, []).append(a.get("value", ""))
                if kind in self.TEXT_TYPES and "readonly" not in a:
                    form.text_fields.append(name)
                elif kind == "date":
                    form.dates.append(name)
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.submit = form.submit or (name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
            form.choices[name] = []
        elif tag == "option" and self._select and a.get("value") is not None:
            form.choices[self._select].append(a["value"])
            if "selected" in a:
                form.fields.setdefault(self._select, []).append(a["value"])

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields[self._textarea] = ["".join(self._text).removeprefix("\n")]
            self._form.text_fields.append(self._textarea)
            self._textarea = None
        elif tag == "select":
            self._select = None


def post_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post" and not form.action.startswith(SKIPPED_ACTIONS)]


def query_names(html: str) -> set[str]:
    """The parameters the page's search and filter forms send."""
    parser = FormParser()
    parser.feed(html)
    return {name for form in parser.forms if form.method == "get" for name in [*form.fields, *form.choices]}


def filled(form: Form, text: Callable[[str], str], choose: bool = False) -> dict[str, Any]:
    """The form as a browser sends it when its first submit button is pressed, with ``text(name)`` in every
    free-text field; an empty date gets a day after every date already filled in, and with ``choose`` an empty
    choice gets its first real option, so that the form can be saved."""
    data: dict[str, Any] = {name: list(values) for name, values in form.fields.items()}
    if form.submit:
        data[form.submit[0]] = [form.submit[1]]
    for name, options in form.choices.items():
        if choose and not any(data.get(name, [])):
            data[name] = [next((option for option in options if option), "")]
        elif name not in data and options:
            data[name] = [options[0]]
    given = [datetime.date.fromisoformat(data[name][0]) for name in form.dates if ISO_DATE.match(data[name][0])]
    day = max([datetime.date.today(), *given])
    for name in form.dates:
        if not any(data.get(name, [])):
            day += datetime.timedelta(days=1)
            data[name] = [day.isoformat()]
    for name in form.text_fields:
        key = name.rsplit("-", 1)[-1]
        if key in FORMAT_VALUES:
            data[name] = data[name] if any(data.get(name, [])) else [FORMAT_VALUES[key]]
        else:
            data[name] = [text(name)]
    return data


@dataclass
class Target:
    role: str
    page: str
    action: str
    text_fields: tuple[str, ...]


def pages(world_ids: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(role, url) of every HTML page in the matrix that the role may open."""
    for key, (kwargs_name, expected) in sorted(MATRIX.items()):
        if key.startswith(NOT_PAGES):
            continue
        url = reverse(key.split("#")[0], kwargs=world_ids[kwargs_name] if kwargs_name else None)
        for role, status in expected.items():
            if status == 200:
                yield role, url


def is_html(response: Any) -> bool:
    return response.status_code == 200 and "text/html" in response.get("Content-Type", "")


def discover(world_ids: dict[str, Any], sessions: dict[str, HttpClient]) -> list[Target]:
    """Every distinct POST form with free text, found on the pages each role can open; closing forms last."""
    targets: dict[tuple[str, tuple[str, ...]], Target] = {}
    for role, url in pages(world_ids):
        response = sessions[role].get(url)
        if not is_html(response):
            continue
        for form in post_forms(response.content.decode()):
            action = form.action or url
            key = (re.sub(r"/vragenlijst/[^/]+/|/m/[^/]+/", "/token/", action), tuple(form.text_fields))
            free_text = [name for name in form.text_fields if name.rsplit("-", 1)[-1] not in FORMAT_VALUES]
            if free_text and key not in targets:
                targets[key] = Target(role, url, action, tuple(form.text_fields))
    return sorted(targets.values(), key=lambda target: any(word in target.action for word in CLOSING))


def submit(http: HttpClient, target: Target, text: Callable[[str], str]) -> Any:
    """Open the page again (fresh versions and choices), then send its form with ``text`` in the free-text fields;
    sent back with errors, once more with a real option in every empty choice."""
    response = None
    for choose in (False, True):
        page = http.get(target.page)
        form = next(
            (
                form
                for form in post_forms(page.content.decode())
                if (form.action or target.page) == target.action and tuple(form.text_fields) == target.text_fields
            ),
            None,
        )
        if form is None:
            return response  # an earlier form closed this one (e.g. the link was answered)
        response = http.post(target.action, filled(form, text, choose))
        if response.status_code != 200:
            break
    return response


ERROR = re.compile(r'id="(\w+)_error">(.*?)</div></div>|koers-alert--error" role="alert">\s*<p[^>]*>(.*?)</p>', re.S)


def form_errors(response: Any) -> str:
    """The messages of a form sent back with errors, for the list of forms covered."""
    if response.status_code != 200:
        return ""
    found = ERROR.findall(response.content.decode())
    return "; ".join(f"{name}: {re.sub('<[^>]+>', ' ', text)}" if name else alert for name, text, alert in found)


@pytest.fixture
def sessions(role_users, login) -> dict[str, HttpClient]:
    return {role: login(user) for role, user in role_users.items()}


def assert_escaped(sessions: dict[str, HttpClient], visited: list[tuple[str, str]]) -> set[int]:
    """No page shows a payload raw; returns the numbers of the payloads seen escaped."""
    shown: set[int] = set()
    for role, url in visited:
        response = sessions[role].get(url)
        if not is_html(response):
            continue
        body = response.content.decode()
        assert not any(marker in body for marker in RAW_MARKERS), f"unescaped payload on {url} for {role}"
        shown.update(int(n) for n in ESCAPED.findall(body))
    return shown


def test_script_in_every_free_text_field_is_shown_as_text_and_never_runs(seeded_world, sessions) -> None:
    targets = discover(seeded_world, sessions)
    covered: dict[int, str] = {}
    visited: list[tuple[str, str]] = list(pages(seeded_world))
    shown: set[int] = set()
    closing_started = False
    for number, target in enumerate(targets, start=1):
        if not closing_started and any(word in target.action for word in CLOSING):
            shown |= assert_escaped(sessions, visited)  # before the closing forms make pages go away
            closing_started = True
        response = submit(sessions[target.role], target, lambda _name, n=number: PAYLOAD.format(n=n))
        if response is None:
            continue
        covered[number] = f"{target.action} {target.role} {response.status_code} {form_errors(response)}".rstrip()
        assert response.status_code in (200, 302), covered[number]
        body = response.content.decode()
        assert not any(marker in body for marker in RAW_MARKERS), f"unescaped on the answer of {covered[number]}"
        if response.status_code == 302:
            visited.append((target.role, response["Location"]))
    shown |= assert_escaped(sessions, visited)
    print("forms covered:", *covered.values(), sep="\n  ")
    print("payloads shown back escaped:", *sorted(covered[n] for n in shown), sep="\n  ")
    assert len(covered) >= MIN_FORMS, f"only {len(covered)} forms covered: {covered}"
    assert len(shown) >= MIN_SHOWN, f"only {len(shown)} saved payloads were seen again: {sorted(shown)}"


def test_script_in_the_pdfs_is_printed_as_text(seeded_world, sessions, role_users, monkeypatch) -> None:
    """The progress report and the attendance list carry free text and names; the PDF prints them literally."""
    report = ProgressReport.objects.get(pk=seeded_world["report"]["pk"])
    report.summary = PAYLOAD.format(n=1)
    report.save(update_fields=["summary"])
    client = report.trajectory.client
    client.first_name = PAYLOAD.format(n=2)[:100]
    client.save(update_fields=["first_name"])
    captured = captured_pdf_html(monkeypatch)
    documents = {
        "progress report": sessions["consultant"].get(reverse("progress:report_pdf", kwargs=seeded_world["report"])),
        "attendance list": sessions["trainer"].get(
            reverse("groupwork:session_attendance_pdf", kwargs=seeded_world["session"])
        ),
    }
    for name, response in documents.items():
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/pdf", name
    assert len(captured) == len(documents)
    for html in captured:
        assert not any(marker in html for marker in RAW_MARKERS)
    assert "<script>alert(1)</script>" in laid_out_text(captured[0])
    assert "<script>alert(2)</script>" in laid_out_text(captured[1])


# Odd input a browser, a script or a copy-paste can send (SECURITY.md 46): each must give a message or a 4xx.
ODD_TEXT = {
    "NUL byte": "voor\x00na",
    "control characters": "a\x01\x02\x1b[31m\x7f\x85b",
    "10,000 characters": "lang " * 2_000,
    "RTL override and zero-width": "\u202egnp.exe\u200b\ufeff",
}
ODD_QUERY = {
    **{name: quote(value) for name, value in ODD_TEXT.items()},
    "not UTF-8": "%FF%FE%C3",
    "huge number": "9" * 40,
    "superscript digit": quote("²"),
    "negative": "-1",
}
COMMON_PARAMETERS = (
    "q",
    "pagina",
    "page",
    "klant",
    "client",
    "programme",
    "run",
    "sort",
    "status",
    "gemeente",
    "periode",
)


def test_odd_characters_in_every_form_field_give_a_message_not_an_error(seeded_world, sessions) -> None:
    failures, sent = [], 0
    for target in discover(seeded_world, sessions):
        for case, value in ODD_TEXT.items():
            try:
                response = submit(sessions[target.role], target, lambda _name, v=value: v)
            except Exception as error:  # the test client re-raises what the view raised
                failures.append(f"{target.action} {case}: {type(error).__name__}: {error}")
                continue
            if response is not None:
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{target.action} {case}: {response.status_code}")
    print(f"{sent} submissions of odd text")
    assert sent >= MIN_FORMS * 2
    assert not failures, "\n".join(failures)


def wrong_dates(url: str, http: HttpClient) -> list[str]:
    response = http.get(url)
    if not is_html(response):
        return []
    return [
        f"{url} {name}={form.fields[name][0]}"
        for form in post_forms(response.content.decode())
        for name in form.dates
        if form.fields.get(name, [""])[0] and not ISO_DATE.match(form.fields[name][0])
    ]


def test_every_date_field_holds_a_date_the_browser_can_show(seeded_world, sessions) -> None:
    """A date field's value must be YYYY-MM-DD; anything else the browser drops, and the form is sent without it."""
    wrong = [text for role, url in pages(seeded_world) for text in wrong_dates(url, sessions[role])]
    assert not wrong, wrong
