"""The practitioner confidence survey: answered once in each survey period, by those who work with
families; its results (K19) worked out by hand, by agency type and locality, suppressed below 5."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.measures import rules, selectors, services
from earlyhelp.measures.models import ConfidenceAnswer
from earlyhelp.measures.selectors import Period
from earlyhelp.measures.suppression import SUPPRESSED
from earlyhelp.workflow import RefusedError
from tests.factories import LocalityFactory, TeamFactory, UserFactory

from .factories import at

pytestmark = pytest.mark.django_db

SCORES = {"identifying_need": 4, "using_levels": 3, "leading_assessment": 5}


@pytest.mark.parametrize(
    ("day", "months", "period"),
    [
        (date(2026, 12, 7), 6, (date(2026, 10, 1), date(2027, 3, 31))),
        (date(2026, 9, 30), 6, (date(2026, 4, 1), date(2026, 9, 30))),
        (date(2027, 1, 5), 3, (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2026, 3, 31), 12, (date(2025, 4, 1), date(2026, 3, 31))),
        (date(2028, 2, 29), 1, (date(2028, 2, 1), date(2028, 2, 29))),
    ],
)
def test_survey_periods_are_counted_from_1_april(day, months, period):
    assert rules.confidence_period(day, months) == period


def test_a_period_that_does_not_divide_the_year_is_refused():
    with pytest.raises(ValueError, match="not 5"):
        rules.confidence_period(date(2026, 1, 1), 5)


def test_a_practitioner_answers_once_a_period_with_their_agency_and_locality_kept():
    team = TeamFactory(locality=LocalityFactory(name="Kirkby"))
    practitioner = UserFactory(team=team, agency=team.agency)

    answer = services.confidence_answer_record(actor=practitioner, **SCORES)

    start, _end = services.confidence_period_now()
    assert (answer.period_start, answer.agency, answer.locality.name) == (start, team.agency, "Kirkby")
    with pytest.raises(RefusedError, match="already answered"):
        services.confidence_answer_record(actor=practitioner, **SCORES)
    assert ConfidenceAnswer.objects.count() == 1
    event = AuditEvent.objects.filter(object_type__icontains="confidence").get()
    assert "identifying_need" not in str(event.details)


def test_an_answer_in_an_earlier_period_does_not_stop_this_period_s(settings):
    practitioner = UserFactory()
    start, _end = services.confidence_period_now()
    ConfidenceAnswer.objects.create(
        practitioner=practitioner,
        period_start=rules.confidence_period(
            start - timedelta(days=1), settings.EARLY_HELP.measures.confidence_survey_months
        )[0],
        answered_at=timezone.now() - timedelta(days=200),
        **SCORES,
    )
    services.confidence_answer_record(actor=practitioner, **SCORES)
    assert ConfidenceAnswer.objects.count() == 2


def test_the_configured_period_decides_what_once_means(settings):
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP,
        measures=dataclasses.replace(settings.EARLY_HELP.measures, confidence_survey_months=12),
    )
    answer = services.confidence_answer_record(actor=UserFactory(), **SCORES)
    assert answer.period_start == rules.confidence_period(timezone.localdate(), 12)[0]


def test_each_score_must_be_from_1_to_5():
    with pytest.raises(ValidationError) as error:
        services.confidence_answer_record(
            actor=UserFactory(), identifying_need=0, using_levels=None, leading_assessment=5
        )
    assert error.value.message_dict == {
        "identifying_need": [services.CONFIDENCE_SCORE_REQUIRED],
        "using_levels": [services.CONFIDENCE_SCORE_REQUIRED],
    }
    assert not ConfidenceAnswer.objects.exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SOCIAL_CARE, Role.DPO, Role.ADMIN])
def test_people_who_do_not_lead_early_help_are_not_asked(role):
    with pytest.raises(RefusedError):
        services.confidence_answer_record(actor=UserFactory(role=role), **SCORES)


def _answered(day: date, identifying: int, *, agency=None, locality=None, hour: int = 12) -> ConfidenceAnswer:
    return ConfidenceAnswer.objects.create(
        practitioner=UserFactory(),
        period_start=rules.confidence_period(day, 6)[0],
        agency=agency,
        locality=locality,
        identifying_need=identifying,
        using_levels=3,
        leading_assessment=5,
        answered_at=at(day, hour),
    )


YEAR = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))


def test_k19_is_the_share_confident_and_the_mean_score_of_answers_given_in_the_period():
    school = TeamFactory(agency__kind="education").agency
    police = TeamFactory(agency__kind="police").agency
    kirkby = LocalityFactory(name="Kirkby")
    # Six school answers in Kirkby, two police answers with no locality; on the first day just after local
    # midnight and the last just before it.
    for day, score in [(date(2025, 4, 1), 5), (date(2025, 5, 1), 4), (date(2025, 6, 1), 4), (date(2025, 7, 1), 2)]:
        _answered(day, score, agency=school, locality=kirkby, hour=0)
    _answered(date(2026, 3, 31), 3, agency=school, locality=kirkby, hour=23)
    _answered(date(2026, 1, 1), 5, agency=school, locality=kirkby)
    _answered(date(2025, 8, 1), 1, agency=police)
    _answered(date(2025, 9, 1), 4, agency=police)
    # Outside the period.
    _answered(date(2025, 3, 31), 5, agency=school, locality=kirkby, hour=23)
    _answered(date(2026, 4, 1), 5, agency=school, locality=kirkby, hour=0)

    k19 = selectors.k19_practitioner_confidence(YEAR)

    # Scores 5, 4, 4, 2, 3, 5, 1, 4: five of eight are 4 or 5; the mean is 28 / 8.
    assert k19["figures"]["identifying_need"] == {"numerator": 5, "denominator": 8, "share": 0.625, "mean": 3.5}
    assert k19["figures"]["leading_assessment"] == {"numerator": 8, "denominator": 8, "share": 1.0, "mean": 5.0}
    by = k19["breakdowns"]["identifying_need"]
    # School: 5, 4, 4, 2, 3, 5: four of six, mean 23 / 6.
    assert by["agency_type"]["education"] == {"numerator": 4, "denominator": 6, "share": 0.6667, "mean": 3.83}
    assert by["agency_type"]["police"] == {"numerator": 1, "denominator": 2, "share": 0.5, "mean": 2.5}
    assert by["locality"]["Kirkby"] == by["agency_type"]["education"]
    assert by["locality"]["unknown"] == by["agency_type"]["police"]

    published = rules.indicator_published(k19)["breakdowns"]["identifying_need"]
    # Fewer than 5 answered, or fewer than 5 confident: the figures that give them away are hidden.
    assert published["agency_type"]["police"] == {
        "numerator": SUPPRESSED,
        "denominator": SUPPRESSED,
        "share": SUPPRESSED,
        "mean": SUPPRESSED,
    }
    assert published["agency_type"]["education"] == {
        "numerator": SUPPRESSED,
        "denominator": 6,
        "share": SUPPRESSED,
        "mean": SUPPRESSED,
    }
    assert rules.indicator_published(k19)["figures"]["identifying_need"]["mean"] == 3.5
