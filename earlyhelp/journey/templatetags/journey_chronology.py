"""The chronology's kinds of entry in words, for templates."""

from django import template

from ..chronology import kind_label as _kind_label

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    return _kind_label(kind)
