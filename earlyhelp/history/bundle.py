"""The history bundle: its files, each file's columns, and which columns name rows of other files.

docs/history-import.md describes every file and column; a test checks that it names each one here.
"""

from typing import Any

from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.families.models import Ethnicity, MemberRole, Sex
from earlyhelp.imports.bundles import BundleFile
from earlyhelp.imports.layouts import Layout, layout_from_dict
from earlyhelp.journey.models import ClosureReason, HarmReason, Level, NeedOutcome, RequestSource
from earlyhelp.measures import feed

PERSONS = "persons.csv"
FAMILIES = "families.csv"
MEMBERSHIPS = "memberships.csv"
EPISODES = "episodes.csv"
REQUESTS = "requests.csv"
ASSESSMENTS = "assessments.csv"
CLOSURES = "closures.csv"
NEED_OUTCOMES = "need_outcomes.csv"
STEP_UPS = "step_ups.csv"
STEP_DOWNS = "step_downs.csv"
FEEDBACK = "feedback.csv"
SOCIAL_CARE = "social_care.csv"

# What triage decided, as the bundle says it (a request still awaiting triage is not history).
REQUEST_OUTCOMES = ["advice", "universal", "assessment", "mash"]
RATINGS = ["approved", "returned"]
STEP_UP_STATUSES = ["declined", "accepted", "nfa"]
STEP_UP_OUTCOMES = ["single_assessment", "child_in_need", "child_protection"]
STEP_DOWN_STATUSES = ["accepted", "declined"]
LEVELS = [str(level) for level in Level.values]
RATING_VALUES = ["1", "2", "3", "4", "5"]
ID_LENGTH = 100


def _id(name: str, *, required: bool = True) -> dict[str, Any]:
    return {"name": name, "type": "text", "role": "fact", "required": required, "max_length": ID_LENGTH}


def _date(name: str, *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "type": "date", "role": "fact", "required": required}


def _choice(name: str, choices: list[str], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "type": "choice", "role": "fact", "required": required, "choices": choices}


def _text(name: str, max_length: int, *, required: bool = False, role: str = "identifying") -> dict[str, Any]:
    # Free text may name a person, so it is identifying unless it only names an agency or a place.
    return {"name": name, "type": "text", "role": role, "required": required, "max_length": max_length}


def _layout(name: str, source_id: str, description: str, columns: list[dict[str, Any]]) -> Layout:
    return layout_from_dict(
        {
            "name": f"history_{name}",
            "version": 1,
            "description": description,
            "source_id": source_id,
            "columns": [_id(source_id), *columns],
        }
    )


PERSONS_LAYOUT = _layout(
    "persons",
    "person_id",
    "Everyone the history mentions: children, parents, carers and other adults",
    [
        _text("given_name", 100, required=True),
        _text("family_name", 100, required=True),
        {"name": "date_of_birth", "type": "date", "role": "identifying"},
        _choice("sex", Sex.values),
        _choice("ethnicity", Ethnicity.values),
        {"name": "nhs_number", "type": "nhs_number", "role": "identifying"},
        {"name": "upn", "type": "upn", "role": "identifying"},
        _text("address_line_1", 200),
        {"name": "postcode", "type": "postcode", "role": "identifying"},
    ],
)

FAMILIES_LAYOUT = _layout(
    "families",
    "family_id",
    "Households, where they lived and in which locality",
    [
        _text("name", 200, required=True),
        _text("address_line_1", 200),
        _text("town", 100, role="fact"),
        {"name": "postcode", "type": "postcode", "role": "identifying"},
        _text("locality", 100, required=True, role="fact"),
    ],
)

MEMBERSHIPS_LAYOUT = _layout(
    "memberships",
    "membership_id",
    "Who lived in which family, in which role, from when until when",
    [
        _id("family_id"),
        _id("person_id"),
        _choice("role", MemberRole.values, required=True),
        _date("started_on", required=True),
        _date("ended_on"),
    ],
)

EPISODES_LAYOUT = _layout(
    "episodes",
    "episode_id",
    "Episodes of early help: when each opened, at which level of need, led by which agency",
    [
        _id("family_id"),
        _date("opened_on", required=True),
        _choice("level", LEVELS, required=True),
        _text("lead_agency", 200, required=True, role="fact"),
    ],
)

REQUESTS_LAYOUT = _layout(
    "requests",
    "request_id",
    "Requests for early help and what triage decided",
    [
        _id("family_id"),
        _id("child_id"),
        _date("received_on", required=True),
        _choice("source", RequestSource.values, required=True),
        _text("source_agency", 200, role="fact"),
        _choice("outcome", REQUEST_OUTCOMES, required=True),
        _date("triaged_on"),
        _id("episode_id", required=False),
        _text("concerns", 5000),
    ],
)

ASSESSMENTS_LAYOUT = _layout(
    "assessments",
    "assessment_id",
    "Early help assessments completed, each with its quality assurance",
    [
        _id("episode_id"),
        _date("submitted_on"),
        _date("reviewed_on", required=True),
        _choice("rating", RATINGS, required=True),
        _text("comments", 5000),
    ],
)

CLOSURES_LAYOUT = _layout(
    "closures",
    "closure_id",
    "Episodes closed: when and why",
    [
        _id("episode_id"),
        _date("closed_on", required=True),
        _choice("reason", ClosureReason.values, required=True),
        _text("detail", 5000),
    ],
)

NEED_OUTCOMES_LAYOUT = _layout(
    "need_outcomes",
    "need_outcome_id",
    "At closure, how far each assessed need was met, in its outcome area",
    [
        _id("closure_id"),
        _choice("outcome_area", OutcomeArea.values),
        _text("need", 500, required=True),
        _choice("outcome", NeedOutcome.values, required=True),
    ],
)

STEP_UPS_LAYOUT = _layout(
    "step_ups",
    "step_up_id",
    "Families stepped up from early help (or from the front door) to children's social care",
    [
        _id("family_id"),
        _id("episode_id", required=False),
        _id("request_id", required=False),
        _choice("reason", HarmReason.values, required=True),
        _date("requested_on", required=True),
        _date("decided_on", required=True),
        _choice("status", STEP_UP_STATUSES, required=True),
        _choice("outcome", STEP_UP_OUTCOMES),
        _date("responded_on"),
    ],
)

STEP_DOWNS_LAYOUT = _layout(
    "step_downs",
    "step_down_id",
    "Families stepped down from children's social care to early help",
    [
        _id("family_id"),
        _date("requested_on", required=True),
        _date("decided_on", required=True),
        _choice("status", STEP_DOWN_STATUSES, required=True),
        _id("episode_id", required=False),
        _text("reason", 5000),
    ],
)

FEEDBACK_LAYOUT = _layout(
    "feedback",
    "feedback_id",
    "What families said when their episode closed",
    [
        _id("episode_id"),
        _date("invited_on", required=True),
        _date("responded_on"),
        _choice("rating", RATING_VALUES),
        _text("comments", 5000),
    ],
)

# The social care system's feed (docs/social-care-feed.md), the child named by the bundle's person_id
# instead of an NHS number: history names children who may have none.
_FEED_COLUMNS = [column for column in feed.LAYOUT.columns if column.name not in {"record_id", "nhs_number"}]
SOCIAL_CARE_LAYOUT = Layout(
    name="history_social_care",
    version=1,
    description="Children's social care activity: referrals, single assessments, and episodes",
    source_id="record_id",
    columns=(
        *_layout("social_care", "record_id", "", [_id("person_id")]).columns,
        *_FEED_COLUMNS,
    ),
)

FILES = (
    BundleFile(PERSONS, PERSONS_LAYOUT),
    BundleFile(FAMILIES, FAMILIES_LAYOUT),
    BundleFile(MEMBERSHIPS, MEMBERSHIPS_LAYOUT, references={"family_id": FAMILIES, "person_id": PERSONS}),
    BundleFile(EPISODES, EPISODES_LAYOUT, references={"family_id": FAMILIES}),
    BundleFile(
        REQUESTS, REQUESTS_LAYOUT, references={"family_id": FAMILIES, "child_id": PERSONS, "episode_id": EPISODES}
    ),
    BundleFile(ASSESSMENTS, ASSESSMENTS_LAYOUT, references={"episode_id": EPISODES}),
    BundleFile(CLOSURES, CLOSURES_LAYOUT, references={"episode_id": EPISODES}),
    BundleFile(NEED_OUTCOMES, NEED_OUTCOMES_LAYOUT, references={"closure_id": CLOSURES}),
    BundleFile(
        STEP_UPS, STEP_UPS_LAYOUT, references={"family_id": FAMILIES, "episode_id": EPISODES, "request_id": REQUESTS}
    ),
    BundleFile(STEP_DOWNS, STEP_DOWNS_LAYOUT, references={"family_id": FAMILIES, "episode_id": EPISODES}),
    BundleFile(FEEDBACK, FEEDBACK_LAYOUT, references={"episode_id": EPISODES}),
    BundleFile(SOCIAL_CARE, SOCIAL_CARE_LAYOUT, references={"person_id": PERSONS}),
)


def stem(file_name: str) -> str:
    """The name a file's rows are kept under (`persons` for persons.csv)."""
    return file_name.removesuffix(".csv")
