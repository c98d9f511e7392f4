"""The family's feedback survey in a real browser: reached by its link with no sign-in, answered with the
keyboard-reachable radios and the character count, thanked, then refused kindly on a second visit; axe-core
clean at every step."""

import pytest

from earlyhelp.journey import services
from tests.browser_support import assert_accessible
from tests.journey.factories import EpisodeFactory, lead_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_family_answers_the_survey_once_through_its_link(page):
    episode = EpisodeFactory(household__name="The Quinlan family")
    link = services.episode_close(actor=lead_for(episode), episode=episode, reason="moved_away").feedback
    url = f"/help/feedback/{link.token}/"

    page.goto(url)
    page.get_by_role("heading", level=1, name="Tell us how the support went").wait_for()
    assert page.get_by_text("Quinlan").count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)

    page.get_by_role("group", name="Does your family feel better supported than before?").get_by_label("Yes").check()
    page.get_by_role("group", name="Do you know where to go for help if you need it again?").get_by_label(
        "Partly"
    ).check()
    page.get_by_label("Is there anything else you would like to tell us? (optional)").fill("It helped a lot")
    page.get_by_text("You have 985 characters remaining").wait_for()
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", level=1, name="Thank you").wait_for()
    assert_accessible(page)

    page.goto(url)
    page.get_by_text(services.FEEDBACK_ALREADY_GIVEN).wait_for()
    assert_accessible(page)
