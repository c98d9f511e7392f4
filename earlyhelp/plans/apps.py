from django.apps import AppConfig
from django.utils.formats import date_format

# What closure is told of a plan action whose fate is not recorded.
ACTION_STILL_OPEN = 'The plan action "{what}" (due {due}) is {status}: mark it done or no longer needed first'


def _closure_blockers(episode) -> list[str]:
    """The episode's plan actions neither done nor cancelled, as sentences closure shows."""
    from .models import OPEN_ACTION_STATUSES, PlanAction

    actions = PlanAction.objects.filter(plan__episode=episode, status__in=OPEN_ACTION_STATUSES)
    return [
        ACTION_STILL_OPEN.format(
            what=action.what[:80], due=date_format(action.due_on, "j F Y"), status=action.get_status_display().lower()
        )
        for action in actions
    ]


class PlansConfig(AppConfig):
    name = "earlyhelp.plans"
    label = "plans"
    verbose_name = "Family plans and Team Around the Family"

    def ready(self) -> None:
        # The journey asks at closure what of the plan is still open (journey/casework.py); this app answers.
        from earlyhelp.journey import casework

        casework.answer_closure_blockers(self.label, _closure_blockers)
        # A referral held for consent is released when consent (or a confirmed lawful basis) covers it.
        from earlyhelp.consent import covered

        from .referral_services import referrals_release

        covered.when_sharing_may_be_covered(self.label, referrals_release)
