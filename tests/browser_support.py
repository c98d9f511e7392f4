"""Shared pieces for browser tests: headless Debian chromium through Playwright, and axe-core.

Browser tests run against pytest-django's live server. Playwright's sync API runs an event loop
in the test thread, so Django's async-safety check is relaxed for these tests only.
"""

import functools
import os
import re
import shutil
from datetime import date
from importlib import import_module
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.2 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


# One Playwright and one chromium for the whole session, however many conftest files import the
# `browser` fixture: a second sync Playwright in the same thread fails ("inside the asyncio loop").
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not _shared["users"]:
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    _shared["users"] += 1
    yield _shared["browser"]
    _shared["users"] -= 1
    if not _shared["users"]:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


def _listen_for_errors(page, errors: list[str]) -> None:
    def on_console(message) -> None:
        # A page the test opens on purpose with an error status (403, 404, 429) is reported as a
        # resource that failed to load: that is the page itself, which the test asserts on.
        if message.type != "error" or message.location.get("url") == page.url:
            return
        errors.append(f"console error on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"script error on {page.url}: {error}"))


@pytest.fixture
def page(browser, live_server):
    """A page at 1280 px; any console or script error on any page it (or a page it opens) visits
    fails the test when it ends, unless the test forgave it with `forgive_console_errors`."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    context.on("page", lambda opened: _listen_for_errors(opened, errors))
    page = context.new_page()
    page.console_errors = errors
    page.live_server_url = live_server.url
    page.set_default_timeout(10_000)
    yield page
    context.close()
    if errors:
        pytest.fail("Errors in the browser console:\n" + "\n".join(errors), pytrace=False)


def forgive_console_errors(page, containing: str) -> list[str]:
    """Take the console errors a test caused on purpose (and asserts on) out of those that fail it."""
    forgiven = [error for error in page.console_errors if containing in error]
    page.console_errors[:] = [error for error in page.console_errors if containing not in error]
    return forgiven


def sign_in_with_the_form(page, username: str, password: str) -> None:
    """Sign in as a person does: the sign-in page, its two fields and its button."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)


def sign_in(page, username: str, password: str) -> None:
    """Sign a person in and leave the page on their home page, where the sign-in form leaves them.

    The form itself is driven by tests/browser/test_sign_in.py (`sign_in_with_the_form`, with axe) and the
    second factor by tests/accounts/test_two_factor_browser.py. The other browser tests sign in to reach
    their subject, so here the password is checked and the session begun on the server, through the service
    the form's view calls (`user_sign_in`: the session, its start and the audited sign-in), and the browser
    is handed the session's cookie: one page load instead of the sign-in page's load, the form's post and its
    redirect."""
    from django.conf import settings
    from django.contrib.auth.backends import ModelBackend
    from django.http import HttpRequest
    from django.urls import reverse

    from earlyhelp.accounts.services import user_sign_in

    user = ModelBackend().authenticate(None, username=username, password=password)
    assert user is not None, f"{username} cannot sign in with that password"
    user.backend = "django.contrib.auth.backends.ModelBackend"
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    user_sign_in(request=request, user=user)
    request.session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": request.session.session_key,
                "url": page.live_server_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    page.goto(reverse(settings.LOGIN_REDIRECT_URL))


def fill_date(page, legend: str, day: date) -> None:
    """Type a date into GOV.UK's date input, found by its legend, as a person would."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


# What Chromium says when the page under a script is replaced by the next one.
_NAVIGATED_AWAY = ("Execution context was destroyed", "reading 'documentElement'", "Cannot find context")


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now, WCAG 2.2 AA and best practice."""
    # Evaluated through the DevTools protocol rather than added as a <script>: the site's strict CSP
    # rightly refuses inline scripts, and the page keeps running under it.
    from playwright.sync_api import Error as PlaywrightError

    # A click on a link returns once the next page is on its way; axe waits for it to load, and a page
    # replaced while axe ran (its document gone mid-run) is checked again once the new one has loaded.
    for attempt in range(1, 4):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("typeof window.axe === 'object'"):
                page.evaluate(_axe_source())
            # resultTypes: axe still runs every rule of the tags, but gathers the elements of the violations
            # only (all this reads), not those of every check passed too: a third less time a page.
            result = page.evaluate(
                "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            break
        except PlaywrightError as error:
            if attempt == 3 or not any(sign in str(error) for sign in _NAVIGATED_AWAY):
                raise
    found = []
    for violation in result["violations"]:
        nodes = [node["target"] for node in violation["nodes"] if not _govuk_reveal_expanded(violation, node)]
        if nodes:
            found.append({"id": violation["id"], "help": violation["help"], "nodes": nodes})
    return found


def _govuk_reveal_expanded(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend marks a radio that reveals a conditional question with `aria-expanded`, which
    ARIA does not allow on a radio. GOV.UK keeps it on purpose, as screen readers announce it, and
    lists axe's complaint as a known issue (alphagov/govuk-frontend#979); only that complaint is let
    through, on only such a radio."""
    refused = set(re.findall(r"\b(aria-[a-z]+)=", node.get("failureSummary", "")))
    return (
        violation["id"] == "aria-allowed-attr"
        and refused == {"aria-expanded"}
        and 'class="govuk-radios__input"' in node.get("html", "")
        and 'aria-controls="conditional-' in node.get("html", "")
    )


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}: {violations}"
