from django.apps import AppConfig

# What closure is told while the episode's assessment is still being written or checked.
ASSESSMENT_STILL_OPEN = (
    "The early help assessment (version {number}) is {status}: it must be approved before the episode closes"
)


def _closure_blockers(episode) -> list[str]:
    """The episode's assessment version that is not yet approved, as a sentence closure shows."""
    from .models import OPEN_STATUSES, AssessmentVersion

    versions = AssessmentVersion.objects.filter(episode=episode, status__in=OPEN_STATUSES).order_by("number")
    return [
        ASSESSMENT_STILL_OPEN.format(number=version.number, status=version.get_status_display().lower())
        for version in versions
    ]


class AssessmentsConfig(AppConfig):
    name = "earlyhelp.assessments"
    label = "assessments"
    verbose_name = "Early Help Assessment"

    def ready(self) -> None:
        # The journey asks what a family's assessment says (journey/casework.py); this app answers.
        from earlyhelp.journey import casework

        from . import selectors

        casework.answer_assessment_summary(selectors.assessment_summary)
        casework.answer_assessed_needs(selectors.assessed_needs)
        casework.answer_approved_assessment(lambda household: selectors.latest_approved_version(household) is not None)
        casework.answer_closure_blockers(self.label, _closure_blockers)
