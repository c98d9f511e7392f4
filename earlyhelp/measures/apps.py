from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "earlyhelp.measures"
    label = "measures"
    verbose_name = "Measuring success"

    def ready(self) -> None:
        # The journey tells whoever listens that social care answered a step up (journey/casework.py);
        # this app records the answer as social care activity.
        from earlyhelp.journey import casework

        from . import services

        casework.answer_step_up_answered(self.label, services.social_care_from_step_up)
