from django.apps import AppConfig


class JourneyConfig(AppConfig):
    name = "earlyhelp.journey"
    label = "journey"
    verbose_name = "Early help journey"

    def ready(self) -> None:
        # A duplicate merged on the register (families/merging.py) goes into both people's chronology.
        from earlyhelp.families import merging

        from .chronology import merge_recorded

        merging.answer_merge_recorded(self.label, merge_recorded)
