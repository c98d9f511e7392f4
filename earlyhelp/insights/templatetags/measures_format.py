"""Figures as the survey and cost pages print them; the small-number marker passes through unchanged."""

from django import template

register = template.Library()


@register.filter
def pounds(value: object) -> object:
    """Whole pounds with a sign for a fall: "£12,000", "−£3,500"."""
    if not isinstance(value, int | float):
        return value
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(round(value)):,}"


@register.filter
def amount(value: object) -> object:
    """A quantity with thousands separated and no needless decimals: "1,204", "36.5"."""
    if not isinstance(value, int | float):
        return value
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


@register.filter
def percent(value: object) -> object:
    """A share as a percentage to one decimal place; a dash where there is nothing to divide."""
    if value is None:
        return "–"
    if not isinstance(value, int | float):
        return value
    return f"{value * 100:.1f}%"
