"""The family plan on the household page."""

from django import template
from django.utils import timezone

from earlyhelp.plans import selectors

register = template.Library()


@register.inclusion_tag("plans/_household_panel.html")
def plan_panel(household):
    """The family's latest plan, for a household page already opened."""
    return {"household": household, "plan": selectors.latest_plan(household), "today": timezone.localdate()}
