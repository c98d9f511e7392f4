"""`{% if user|may:"can_triage" %}`: templates ask the capability checks, never a role."""

from django import template

from earlyhelp.accounts import capabilities

register = template.Library()


@register.filter
def may(user, name: str) -> bool:
    """Whether the named check in `capabilities` allows this user; an unknown name is an error."""
    return capabilities.CAPABILITIES[name](user)
