"""The assessment's summary on the household page."""

from django import template

from earlyhelp.assessments import selectors

register = template.Library()


@register.inclusion_tag("assessments/_household_panel.html")
def assessment_panel(household):
    """The latest version of the family's assessment, for a household page already opened."""
    assessment = selectors.assessment_of(household)
    latest = selectors.assessment_versions(assessment).first() if assessment else None
    return {"household": household, "latest": latest}
