"""Data protection panels other pages include: alerts on the home page, access history on a record."""

from django import template

from earlyhelp.dataprotection.selectors import alerts_shown, household_break_glass_history

register = template.Library()


@register.inclusion_tag("dataprotection/_alerts.html", takes_context=True)
def alerts(context):
    user = context["request"].user
    return {"alerts": alerts_shown(user) if user.is_authenticated else [], "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("dataprotection/_access_history.html")
def access_history(household):
    return {"household": household, "grants": household_break_glass_history(household)}
