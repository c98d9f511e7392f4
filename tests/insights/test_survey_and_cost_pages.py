"""The confidence survey's form and results, and the cost of demand estimate, as pages: each read audited,
results suppressed below 5, the estimate labelled as one with its assumptions."""

from datetime import date

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.insights import survey_forms, survey_views
from earlyhelp.measures import costs, services
from earlyhelp.measures.models import ConfidenceAnswer
from earlyhelp.measures.suppression import SUPPRESSED
from tests.factories import UserFactory
from tests.measures.factories import ReferralFactory

pytestmark = pytest.mark.django_db

SCORES = {"identifying_need": "4", "using_levels": "2", "leading_assessment": "5"}


def test_a_practitioner_answers_the_survey_and_is_then_thanked_not_asked_again(client):
    practitioner = UserFactory(role=Role.PRACTITIONER)
    client.force_login(practitioner)
    assert "How confident are you in leading an early help assessment?" in client.get("/insights/confidence/").text

    sent = client.post("/insights/confidence/", SCORES, follow=True)

    assert survey_views.CONFIDENCE_THANKS in sent.text
    assert "You have answered the survey" in sent.text
    answer = ConfidenceAnswer.objects.get(practitioner=practitioner)
    assert (answer.identifying_need, answer.using_levels, answer.leading_assessment) == (4, 2, 5)


def test_a_score_left_out_is_named_and_nothing_is_saved(client):
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    response = client.post("/insights/confidence/", {"identifying_need": "4"})
    assert set(response.context["form"].errors) == {"using_levels", "leading_assessment"}
    assert not ConfidenceAnswer.objects.exists()


def test_the_results_page_shows_suppressed_aggregates_and_audits_the_view(client):
    for _ in range(6):
        services.confidence_answer_record(
            actor=UserFactory(role=Role.PRACTITIONER), identifying_need=5, using_levels=1, leading_assessment=4
        )
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)

    page = client.get("/insights/confidence/results/")

    assert page.status_code == 200
    everyone = page.context["tables"][0]["rows"][0]
    assert everyone == ("Everyone", {"numerator": 6, "denominator": 6, "share": 1.0, "mean": 5.0})
    levels = page.context["tables"][1]["rows"][0][1]
    assert levels["share"] == 0.0
    assert "100.0%" in page.text
    assert AuditEvent.objects.filter(actor=manager, action=Action.VIEW, object_type="confidence_results").exists()


def test_a_backwards_period_is_named_and_nothing_is_read(client):
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    page = client.get("/insights/confidence/results/", {"start": "2026-03-31", "end": "2025-04-01"})
    assert page.context["form"].errors == {"end": [survey_forms.PERIOD_BACKWARDS]}
    assert page.context["tables"] is None
    assert not AuditEvent.objects.filter(object_type="confidence_results").exists()


def test_the_cost_page_is_an_estimate_with_its_assumptions_and_suppressed_small_counts(client):
    for day in range(1, 4):
        ReferralFactory(referred_on=date(2025, 5, day))
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)

    page = client.get(
        "/insights/cost-of-demand/",
        {
            "baseline_start": "2024-04-01",
            "baseline_end": "2025-03-31",
            "comparison_start": "2025-04-01",
            "comparison_end": "2026-03-31",
        },
    )

    assert page.status_code == 200
    assert "This is an estimate" in page.text
    for assumption in costs.ASSUMPTIONS:
        assert assumption in page.text.replace("&#x27;", "'")
    assert "EARLY_HELP_UNIT_COST_YEAR_LOOKED_AFTER" in page.text
    referral = page.context["estimate"]["lines"][0]
    assert referral["comparison"] == SUPPRESSED
    assert page.context["estimate"]["net_change"] == SUPPRESSED
    assert AuditEvent.objects.filter(actor=analyst, action=Action.VIEW, object_type="cost_of_demand").exists()


def test_the_cost_page_opens_on_the_last_two_council_years(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    page = client.get("/insights/cost-of-demand/")
    assert page.context["estimate"]["comparison"]["to"].endswith("-03-31")
    assert page.context["estimate"]["baseline"]["from"].endswith("-04-01")
