"""What the casework apps above the journey tell it about a family.

The journey compiles a family's history for a step up and asks, at closure, which assessed needs
were met; the answers live in the assessment, which stands on the floor above the journey (an
assessment belongs to an episode). So the journey names the questions here and the assessments app
answers them, registering its selectors when it starts (`AssessmentsConfig.ready`). Without it the
answers are empty: no assessment summary, no assessed needs.

Closure asks every casework app what of an episode's work is still open (`closure_blockers`): each
app registers a function returning sentences that name what must be settled first (the assessments
app its unapproved version, the plans app its open actions).

When social care answers a step up, the journey says so (`step_up_answered`) to every app that
registered to hear it: the measures app records the answer as the children's social care activity.
"""

from collections.abc import Callable
from typing import Any

from earlyhelp.families.models import Household

from .models import Episode, StepUp

Summary = Callable[[Household], dict[str, Any]]
Needs = Callable[[Household], list[dict[str, str]]]
Approved = Callable[[Household], bool]
Blockers = Callable[[Episode], list[str]]
Answered = Callable[[Any, StepUp], None]

_answers: dict[str, Callable[[Household], Any]] = {}
_closure_blockers: dict[str, Blockers] = {}
_step_up_answered: dict[str, Answered] = {}


def answer_assessment_summary(selector: Summary) -> None:
    """Register the selector that summarises a family's latest assessment."""
    _answers["assessment_summary"] = selector


def answer_assessed_needs(selector: Needs) -> None:
    """Register the selector that lists the needs of a family's latest approved assessment."""
    _answers["assessed_needs"] = selector


def answer_approved_assessment(selector: Approved) -> None:
    """Register the selector that says whether a family has an approved assessment."""
    _answers["approved_assessment"] = selector


def answer_closure_blockers(app: str, selector: Blockers) -> None:
    """Register, under the app's name, the function naming an episode's open work in that app."""
    _closure_blockers[app] = selector


def answer_step_up_answered(app: str, listener: Answered) -> None:
    """Register, under the app's name, what to do (in the answer's transaction) when social care answers a step up."""
    _step_up_answered[app] = listener


def assessment_summary(household: Household) -> dict[str, Any]:
    """The family's latest assessment version, as a step up carries it; empty where none."""
    selector = _answers.get("assessment_summary")
    return selector(household) if selector else {}


def assessed_needs(household: Household) -> list[dict[str, str]]:
    """The needs of the family's latest approved assessment, to be marked met or not at closure."""
    selector = _answers.get("assessed_needs")
    return selector(household) if selector else []


def has_approved_assessment(household: Household) -> bool:
    """Whether the family has an approved assessment; False where no app answers."""
    selector = _answers.get("approved_assessment")
    return bool(selector(household)) if selector else False


def closure_blockers(episode: Episode) -> list[str]:
    """Sentences naming the episode's casework that must be settled before it closes, from every app."""
    return [sentence for selector in _closure_blockers.values() for sentence in selector(episode)]


def step_up_answered(*, actor: Any, step_up: StepUp) -> None:
    """Tell every registered app, inside the answer's transaction, that social care answered the step up."""
    for listener in _step_up_answered.values():
        listener(actor, step_up)
