"""The assessment's summary on the household page."""

from django import template

from earlyhelp.assessments.models import Assessment

register = template.Library()


@register.inclusion_tag("assessments/_household_panel.html")
def assessment_panel(household):
    """The latest version of the family's assessment, for a household page already opened."""
    assessment = Assessment.objects.filter(household=household).first()
    latest = assessment.versions.order_by("-number").first() if assessment else None
    return {"household": household, "latest": latest}
