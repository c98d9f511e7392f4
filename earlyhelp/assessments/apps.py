from django.apps import AppConfig


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
