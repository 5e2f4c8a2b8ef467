"""Locust task mix per role for the trust drill; run only as a subprocess (locust patches the process with gevent).

Settings come from the environment the harness sets: KOERS_TRUST_TARGETS (JSON with the ids each role opens),
KOERS_TRUST_WRITES (JSONL the load client appends every write attempt and acknowledgement to),
KOERS_TRUST_PASSWORD (the demo password) and KOERS_TRUST_RUN (a run id that makes every marker unique).
"""

import itertools
import json
import os
import random
import re
import threading
import time
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

TARGETS: dict[str, Any] = json.loads(Path(os.environ["KOERS_TRUST_TARGETS"]).read_text())
WRITES = Path(os.environ["KOERS_TRUST_WRITES"])
PASSWORD = os.environ["KOERS_TRUST_PASSWORD"]
RUN = os.environ.get("KOERS_TRUST_RUN", "run")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PARTICIPANT = re.compile(r"^p\d+$")  # attendance_forms.field_name
TRACEBACK = ("Traceback (most recent call last)", 'File "/')

_lock = threading.Lock()
_sequence = itertools.count(1)


def log_write(record: dict[str, Any]) -> None:
    """Append one line and flush at once: the harness counts what was attempted and acknowledged, even after a kill."""
    with _lock, WRITES.open("a") as out:
        out.write(json.dumps({**record, "t": time.time()}) + "\n")


class RadioInputs(HTMLParser):
    """The radio groups of a form and the value checked in each (None when nothing is checked)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag != "input" or values.get("type") != "radio" or not values.get("name"):
            return
        name = str(values["name"])
        self.groups.setdefault(name, None)
        if "checked" in values:
            self.groups[name] = values.get("value")


class KoersUser(HttpUser):
    abstract = True
    username = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        for attempt in range(10):
            page = self.client.get("/account/inloggen/", name="login form")
            token = CSRF.search(page.text)
            if token:
                done = self.client.post(
                    "/account/inloggen/",
                    {"csrfmiddlewaretoken": token.group(1), "username": self.username, "password": PASSWORD},
                    name="login",
                    allow_redirects=False,
                )
                if done.status_code == 302:
                    return
            time.sleep(1 + attempt)  # the database may be restarting under a fault; try again

    def page(self, url: str, name: str) -> Any:
        """GET a page; a server error is checked for a leaked traceback (never allowed, also during an outage)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            self._check(response)
            return response

    def _check(self, response: Any) -> None:
        if response.status_code >= 500:
            leaked = any(sign in (response.text or "") for sign in TRACEBACK)
            log_write({"kind": "server_error", "status": response.status_code, "traceback": leaked})
            response.failure(f"{response.status_code}{' with traceback' if leaked else ''}")
        elif response.status_code >= 400:
            response.failure(str(response.status_code))
        else:
            response.success()

    def post_form(self, url: str, name: str, data: dict[str, Any]) -> Any:
        form = self.page(url, f"{name} (form)")
        token = CSRF.search(form.text or "") if form.status_code == 200 else None
        if token is None:
            return None
        with self.client.post(
            url, {"csrfmiddlewaretoken": token.group(1), **data}, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                self._check(response)
                if response.status_code < 400:
                    response.failure(f"{response.status_code}: not saved")
            return response


class Consultant(KoersUser):
    weight = 6
    username = "demo-consulent"

    @task(2)
    def start_page(self) -> None:
        self.page("/", "start page")

    @task(3)
    def caseload(self) -> None:
        self.page("/caseload/", "caseload")

    @task(2)
    def client_list(self) -> None:
        self.page("/clienten/", "client list")

    @task(3)
    def client_detail(self) -> None:
        client_id, _trajectory_id = random.choice(TARGETS["consultant"])
        self.page(f"/clienten/{client_id}/", "client detail")

    @task(3)
    def trajectory(self) -> None:
        _client_id, trajectory_id = random.choice(TARGETS["consultant"])
        self.page(f"/trajecten/{trajectory_id}/", "trajectory")

    @task(2)
    def add_goal(self) -> None:
        """The tracked write: a goal whose text carries a marker unique to this run."""
        _client_id, trajectory_id = random.choice(TARGETS["consultant"])
        marker = f"trust-{RUN}-{next(_sequence)}"
        target = date.today() + timedelta(days=90)
        data = {"text": f"Load drill goal {marker}", "parent": "", "target_date": target.isoformat(), "status": "open"}
        log_write({"kind": "goal", "event": "attempt", "marker": marker})
        response = self.post_form(f"/trajecten/{trajectory_id}/doelen/nieuw/", "add goal", data)
        if (
            response is not None
            and response.status_code == 302
            and f"/trajecten/{trajectory_id}/" in str(response.headers.get("Location", ""))
        ):
            log_write({"kind": "goal", "event": "ack", "marker": marker})


class Trainer(KoersUser):
    weight = 2
    username = "demo-trainer"

    @task(2)
    def own_groups(self) -> None:
        self.page("/mijn-groepen/", "trainer: own groups")

    @task(2)
    def attendance_page(self) -> None:
        self.page(f"/sessies/{random.choice(TARGETS['sessions'])}/aanwezigheid/", "trainer: session attendance")

    @task(1)
    def register_attendance(self) -> None:
        """Everyone without a status becomes present; statuses already recorded are sent back unchanged."""
        url = f"/sessies/{random.choice(TARGETS['sessions'])}/aanwezigheid/"
        form = self.page(url, "trainer: register attendance (form)")
        token = CSRF.search(form.text or "") if form.status_code == 200 else None
        radios = RadioInputs()
        radios.feed(form.text or "")
        if token is None or not any(PARTICIPANT.match(name) for name in radios.groups):
            return
        data = {name: value or "present" for name, value in radios.groups.items() if PARTICIPANT.match(name)}
        log_write({"kind": "attendance", "event": "attempt", "rows": len(data)})
        with self.client.post(
            url,
            {"csrfmiddlewaretoken": token.group(1), **data},
            name="trainer: register attendance",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
                log_write({"kind": "attendance", "event": "ack", "rows": len(data)})
            else:
                self._check(response)


class Planner(KoersUser):
    weight = 2
    username = "demo-planner"

    @task(2)
    def runs(self) -> None:
        self.page("/groepen/", "planner: runs")

    @task(1)
    def run_detail(self) -> None:
        self.page(f"/groepen/{random.choice(TARGETS['runs'])}/", "planner: run detail")

    @task(2)
    def waiting_lists(self) -> None:
        self.page("/wachtlijsten/", "planner: waiting lists")

    @task(1)
    def waiting_list(self) -> None:
        self.page(f"/wachtlijsten/{random.choice(TARGETS['programmes'])}/", "planner: waiting list")

    @task(1)
    def rooms(self) -> None:
        self.page("/ruimtes/", "planner: rooms")
