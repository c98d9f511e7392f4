"""Access rules of the practitioner confidence survey and the cost of demand (see matrix.py)."""

from earlyhelp.accounts.models import Role

from .matrix import Rule, no_kwargs, only

MANAGERS_AND_ANALYSTS = only(Role.ANALYST, Role.MANAGER)

RULES = {
    "insights:confidence": Rule(no_kwargs, only(Role.PRACTITIONER, Role.COORDINATOR, Role.MANAGER)),
    "insights:confidence-results": Rule(no_kwargs, MANAGERS_AND_ANALYSTS),
    "insights:cost-of-demand": Rule(no_kwargs, MANAGERS_AND_ANALYSTS),
}
