"""The accessibility check every browser test leans on finds what it is there to find."""

import pytest

from tests.browser_support import assert_accessible, axe_violations

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html lang="en"><head><title>A broken page</title></head><body><main>
<h1>A broken page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<form><input type="text" name="surname"></form>
</main></body></html>"""

SOUND = """<!doctype html><html lang="en"><head><title>A sound page</title></head><body><main>
<h1>A sound page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<form><label for="surname">Surname</label><input type="text" id="surname" name="surname"></form>
</main></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_missing_text_alternative_and_an_unlabelled_field_are_each_reported_with_the_element(blank):
    blank.set_content(BROKEN)
    found = {violation["id"]: violation["nodes"] for violation in axe_violations(blank)}
    assert found["image-alt"] == [["img"]]
    assert found["label"] == [["input"]]
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(blank)


def test_the_same_page_mended_has_no_violation(blank):
    blank.set_content(SOUND)
    assert axe_violations(blank) == []
