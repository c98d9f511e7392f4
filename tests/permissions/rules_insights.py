"""Access rules of the aggregates: analysts and managers only, about no one record."""

from earlyhelp.accounts.models import Role

from .matrix import Rule, no_kwargs, only

INSIGHTS = only(Role.ANALYST, Role.MANAGER)

RULES = {
    "insights:report": Rule(no_kwargs, INSIGHTS),
    "insights:export": Rule(no_kwargs, INSIGHTS),
    "insights:dashboard": Rule(no_kwargs, only(Role.ANALYST, Role.MANAGER)),
    "insights:dashboard-download": Rule(
        lambda world, relation: {"file_format": "xlsx"}, only(Role.ANALYST, Role.MANAGER)
    ),
}
