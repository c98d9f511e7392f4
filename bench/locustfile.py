"""The users of bench/locust_day.py. Runs inside Locust's own environment (var/load-venv): no Django here.

LOAD_PLAN names a JSON file made by locust_day: signed-in session cookies per role, the families each
lead professional leads, their assessment drafts, and surnames to search for. Each request is named
"read: ..." or "write: ..." so the benchmark reports the two apart. A page that answers anything but
200 (a sign-in page, an error, a form shown again with errors) is a failure.
"""

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
# A user's pause between steps: on average LOAD_PAUSE seconds, from half of it to half as much again.
PAUSE = float(os.environ.get("LOAD_PAUSE", "2"))
_practitioner_slots = itertools.count()


class _FormFields(HTMLParser):
    """The fields of the page's form with `action` ending in `ending` (or its first POST form), as sent."""

    def __init__(self, ending: str) -> None:
        super().__init__()
        self.ending = ending
        self.fields: dict[str, str] = {}
        self.textareas: list[str] = []
        self._inside = self._done = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self._done and (attributes.get("method") or "").lower() == "post":
            # A form without an action posts back to the page it is on.
            action = attributes.get("action") or ""
            self._inside = not action or action.endswith(self.ending)
        elif self._inside and tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
            self.fields.setdefault(self._select, "")
        elif self._inside and tag == "option" and self._select and "selected" in attributes:
            self.fields[self._select] = attributes.get("value") or ""
        elif self._inside and tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in attributes:
                self.fields[attributes["name"]] = attributes.get("value") or ""
        elif self._inside and tag == "textarea" and attributes.get("name"):
            self._textarea = name = attributes["name"] or ""
            self.fields[name] = ""
            self.textareas.append(name)

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def _form(html: str, ending: str = "") -> _FormFields:
    parser = _FormFields(ending)
    parser.feed(html)
    return parser


class _Signed(HttpUser):
    abstract = True
    wait_time = between(PAUSE / 2, PAUSE * 1.5)
    cookie = ""

    def on_start(self):
        self.client.cookies.set("sessionid", self.cookie, domain="127.0.0.1")

    def read(self, url: str, name: str) -> str:
        with self.client.get(url, name=f"read: {name}", catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
            return response.text

    def post(self, url: str, data: dict, name: str) -> None:
        headers = {"Referer": f"{self.host}{url}"}
        with self.client.post(
            url, data=data, headers=headers, name=f"write: {name}", catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}, not a redirect to the saved record")


class LeadProfessional(_Signed):
    weight = 6

    def on_start(self):
        slot = next(_practitioner_slots)
        practitioners = PLAN["practitioners"]
        mine = practitioners[slot % len(practitioners)]
        self.cookie, self.families = mine["cookie"], mine["families"]
        # Users sharing one account split its drafts, so no two edit the same assessment at once.
        sharers = -(-PLAN["users"] // len(practitioners))
        self.drafts = mine["drafts"][slot // len(practitioners) :: sharers]
        super().on_start()

    @task(3)
    def search(self):
        self.read(f"/families/search/?q={random.choice(PLAN['surnames'])}", "search")

    @task(3)
    def family(self):
        self.read(f"/families/{random.choice(self.families)}/", "family page")

    @task(2)
    def chronology(self):
        self.read(f"/journey/families/{random.choice(self.families)}/chronology/", "chronology")

    @task(1)
    def work_lists(self):
        self.read("/", "work lists")

    @task(1)
    def case_note(self):
        household = random.choice(self.families)
        page = self.read(f"/notes/{household}/", "case notes")
        fields = _form(page).fields
        if "csrfmiddlewaretoken" not in fields:
            return
        fields["text"] = "Visited the family; spoke with both parents about school mornings."
        fields.pop("confidential", None)
        self.post(f"/notes/{household}/", fields, "case note")

    @task(1)
    def assessment_section(self):
        if not self.drafts:
            return
        household, number = random.choice(self.drafts)
        url = f"/assessments/{household}/versions/{number}/edit/"
        page = self.read(url, "assessment section")
        form = _form(page, "/edit/")
        if "csrfmiddlewaretoken" not in form.fields or not form.textareas:
            return
        form.fields[form.textareas[0]] = re.sub(r"\s+", " ", form.fields[form.textareas[0]]).strip()[:3000] + " Seen."
        self.post(url, form.fields, "assessment section")


class Coordinator(_Signed):
    weight = 2

    def on_start(self):
        self.cookie = random.choice(PLAN["coordinators"])["cookie"]
        super().on_start()

    @task(2)
    def requests(self):
        self.read("/journey/requests/", "requests list")

    @task(1)
    def step_ups(self):
        self.read("/journey/step-ups/", "step-ups list")

    @task(1)
    def work_lists(self):
        self.read("/", "work lists")

    @task(2)
    def family(self):
        self.read(f"/families/{random.choice(PLAN['families'])}/", "family page")


class Manager(_Signed):
    weight = 1

    def on_start(self):
        self.cookie = random.choice(PLAN["managers"])["cookie"]
        super().on_start()

    @task
    def insights(self):
        self.read("/insights/", "insights")

    @task
    def work_lists(self):
        self.read("/", "work lists")


class Public(HttpUser):
    weight = 1
    wait_time = between(PAUSE / 2, PAUSE * 1.5)

    @task
    def directory(self):
        term = random.choice(["parenting", "housing", "youth", "debt", "health visiting", "speech"])
        with self.client.get(
            f"/find-help/services/?q={term}", name="read: directory search", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"directory search answered {response.status_code}")
