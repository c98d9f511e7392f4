"""What the casework apps above the journey tell it about a family.

The journey compiles a family's history for a step up and asks, at closure, which assessed needs
were met; the answers live in the assessment, which stands on the floor above the journey (an
assessment belongs to an episode). So the journey names the questions here and the assessments app
answers them, registering its selectors when it starts (`AssessmentsConfig.ready`). Without it the
answers are empty: no assessment summary, no assessed needs.
"""

from collections.abc import Callable
from typing import Any

from earlyhelp.families.models import Household

Summary = Callable[[Household], dict[str, Any]]
Needs = Callable[[Household], list[dict[str, str]]]

_answers: dict[str, Callable[[Household], Any]] = {}


def answer_assessment_summary(selector: Summary) -> None:
    """Register the selector that summarises a family's latest assessment."""
    _answers["assessment_summary"] = selector


def answer_assessed_needs(selector: Needs) -> None:
    """Register the selector that lists the needs of a family's latest approved assessment."""
    _answers["assessed_needs"] = selector


def assessment_summary(household: Household) -> dict[str, Any]:
    """The family's latest assessment version, as a step up carries it; empty where none."""
    selector = _answers.get("assessment_summary")
    return selector(household) if selector else {}


def assessed_needs(household: Household) -> list[dict[str, str]]:
    """The needs of the family's latest approved assessment, to be marked met or not at closure."""
    selector = _answers.get("assessed_needs")
    return selector(household) if selector else []
