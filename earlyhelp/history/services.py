"""Importing a history bundle: checked whole, then stored in one transaction with one audit event, or not
at all. docs/history-import.md describes the bundle and what each row becomes.

History is not lived through the journey's state machines (their transitions happen now, by a person):
each record is written as it ended up, with its own dates, straight into the models the indicators
read. What the previous system's practitioners did is recorded against one inactive account per
agency, "Previous system (agency)", which can never sign in.
"""

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, User
from earlyhelp.assessments.models import Assessment, AssessmentStatus, AssessmentVersion, MemberSection
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import Household, Involvement, InvolvementRole, MemberRole, Membership, Person
from earlyhelp.families.rules import name_search_key
from earlyhelp.imports.bundles import BundleFile, BundleReport, validate_bundle
from earlyhelp.imports.layouts import Check
from earlyhelp.imports.progress import STORING, Progress
from earlyhelp.imports.validation import Problem, Row
from earlyhelp.journey.models import (
    ClosureNeedOutcome,
    Episode,
    EpisodeClosure,
    EpisodeStatus,
    FeedbackInvitation,
    LevelOfNeed,
    RequestSource,
    StepDown,
    StepUp,
    SupportRequest,
)
from earlyhelp.journey.rules import new_reference
from earlyhelp.measures import feed

from . import bundle as b
from . import rules
from .models import ImportedRow

LOCALITY_UNKNOWN = "No locality of this name: it must be one of the localities set up in the system"
AGENCY_UNKNOWN = "No agency of this name: it must be one of the agencies set up in the system"
CHANGED = "This row was imported before with different values; a change is not applied: correct it in the system"
NO_SOCIAL_CARE_TEAM = (
    "Step ups and step downs need a team of a children's social care agency in the system: set one up first"
)
UPN_TAKEN = "Someone already in the register has this Unique Pupil Number"
REFUSED_BY_DATABASE = "The bundle breaks a rule of the database ({problem}); nothing was stored"
RULE_CHANGED = "changed_since_import"
RULE_LOCALITY = "unknown_locality"
RULE_AGENCY = "unknown_agency"
RULE_DATABASE = "database"

# What the previous system's records say in place of text it did not send.
IMPORTED_TEXT = "Recorded in the previous system"
PREVIOUS_SYSTEM = "Previous system"
# A history's event is placed at midday, so it stays on its own day in any time zone the reports use.
MIDDAY = time(12, 0)
STEP_DOWN_DAYS_TO_ACCEPT = 5
BATCH = 1000


@dataclass
class HistoryOutcome:
    """What an import did: the report (refused when it has problems), and the rows stored or already held."""

    report: BundleReport
    stored: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    linked_persons: int = 0

    @property
    def ok(self) -> bool:
        return self.report.ok


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, MIDDAY))


def _named(model: type[Locality] | type[Agency], message: str, rule: str) -> Check:
    # The names are read once: a bundle names the same few localities and agencies on every row.
    names = {name.casefold() for name in model._default_manager.values_list("name", flat=True)}
    return Check(rule=rule, message=message, passes=lambda name: name.casefold() in names)


def _files() -> tuple[BundleFile, ...]:
    """The bundle's files, with the checks that need the database (localities and agencies set up here)."""
    locality = [_named(Locality, LOCALITY_UNKNOWN, RULE_LOCALITY)]
    agency = [_named(Agency, AGENCY_UNKNOWN, RULE_AGENCY)]
    checks: dict[str, dict[str, list[Check]]] = {
        b.FAMILIES: {"locality": locality},
        b.EPISODES: {"lead_agency": agency},
        b.REQUESTS: {"source_agency": agency},
    }
    return tuple(replace(f, checks=checks[f.name]) if f.name in checks else f for f in b.FILES)


def _held_ids(file_name: str, ids: set[Any]) -> set[Any]:
    held = set(
        ImportedRow.objects.filter(file=b.stem(file_name), source_id__in=ids).values_list("source_id", flat=True)
    )
    if file_name == b.SOCIAL_CARE:
        held |= feed.social_care_held_ids(ids)
    return held


def history_import(*, actor: User, directory: Path, progress: Progress | None = None) -> HistoryOutcome:
    """Check the whole bundle, then store every row not already imported, in one transaction audited once;
    a bundle with any problem stores nothing. A row imported before is left as it is; a changed one refuses
    the bundle."""
    files = _files()
    report = validate_bundle(directory, files, known_ids=_held_ids, progress=progress)
    outcome = HistoryOutcome(report=report)
    if not report.ok:
        return outcome
    for file_name, found in rules.bundle_problems(report.rows, today=timezone.localdate()):
        report.add(file_name, found)
    if not report.ok:
        return outcome
    new_rows = _new_rows(report, outcome)
    if not report.ok or not any(new_rows.values()):
        return outcome
    _check_register(report, new_rows)
    if not report.ok:
        return outcome
    try:
        with transaction.atomic():
            _Store(actor, report, new_rows, outcome, progress).run()
    except feed.FeedRefusedError as refusal:
        for problem in refusal.problems:
            report.add(b.SOCIAL_CARE, problem)
    except _BundleRefusedError as refusal:
        report.add(refusal.file, refusal.problem)
    except IntegrityError as error:
        report.add("", Problem(rule=RULE_DATABASE, message=REFUSED_BY_DATABASE.format(problem=str(error)[:200])))
    if not report.ok:
        outcome.stored = {}
        outcome.linked_persons = 0
    return outcome


def _new_rows(report: BundleReport, outcome: HistoryOutcome) -> dict[str, list[Row]]:
    """Each file's rows not imported before; a row imported before with other values is a problem."""
    new: dict[str, list[Row]] = {}
    for bundle_file in b.FILES:
        rows = report.rows[bundle_file.name]
        source_id = bundle_file.layout.source_id or ""
        names = [column.name for column in bundle_file.layout.columns]
        held = dict(
            ImportedRow.objects.filter(
                file=b.stem(bundle_file.name), source_id__in=[row.values[source_id] for row in rows]
            ).values_list("source_id", "fingerprint")
        )
        if bundle_file.name == b.SOCIAL_CARE:
            # Records the social care feed already delivered are held as they are (docs/social-care-feed.md).
            fed = feed.social_care_held_ids({row.values[source_id] for row in rows}) - set(held)
            held |= dict.fromkeys(fed, "")
        new[bundle_file.name] = []
        for row in rows:
            fingerprint = held.get(row.values[source_id])
            if fingerprint is None:
                new[bundle_file.name].append(row)
            elif fingerprint in ("", rules.row_fingerprint(row, names)):
                outcome.unchanged += 1
            else:
                value = str(row.values[source_id])
                report.add(
                    bundle_file.name,
                    Problem(rule=RULE_CHANGED, message=CHANGED, row=row.number, column=source_id, value=value),
                )
    return new


def _check_register(report: BundleReport, new_rows: dict[str, list[Row]]) -> None:
    """A new person's UPN must be free in the register (an NHS number already there names that person)."""
    persons = new_rows[b.PERSONS]
    linked = _linked_by_nhs_number(persons)
    upns = {row.values["upn"] for row in persons if row.values["upn"]}
    taken = dict(Person.objects.filter(upn__in=upns).values_list("upn", "pk"))
    for row in persons:
        owner = taken.get(row.values["upn"])
        if owner is not None and linked.get(row.values["nhs_number"]) != owner:
            report.add(b.PERSONS, Problem(rule="upn_taken", message=UPN_TAKEN, row=row.number, column="upn"))


def _linked_by_nhs_number(rows: Iterable[Row]) -> dict[str, Any]:
    numbers = {row.values["nhs_number"] for row in rows if row.values["nhs_number"]}
    return {
        str(number): pk for number, pk in Person.objects.filter(nhs_number__in=numbers).values_list("nhs_number", "pk")
    }


class _BundleRefusedError(Exception):
    def __init__(self, file: str, problem: Problem) -> None:
        super().__init__(problem.message)
        self.file = file
        self.problem = problem


class _Store:
    """Writes the new rows of one bundle, file by file, and remembers which record each row became."""

    def __init__(
        self,
        actor: User,
        report: BundleReport,
        new_rows: dict[str, list[Row]],
        outcome: HistoryOutcome,
        progress: Progress | None,
    ) -> None:
        self.actor = actor
        self.report = report
        self.new = new_rows
        self.outcome = outcome
        self.progress = progress
        self.total = sum(len(rows) for rows in new_rows.values())
        self.done = 0
        # (file stem, source id) -> primary key of the record, for this bundle's rows and earlier imports'.
        self.ids: dict[tuple[str, Any], Any] = {}
        self.mapped: list[ImportedRow] = []
        self.previous: dict[int, User] = {}
        self.agencies = {agency.name.casefold(): agency for agency in Agency.objects.all()}
        self.localities = {locality.name.casefold(): locality.pk for locality in Locality.objects.all()}

    # --- plumbing ---------------------------------------------------------------------------------------

    def run(self) -> None:
        self._load_earlier_ids()
        for store in (
            self.persons,
            self.families,
            self.memberships,
            self.episodes,
            self.requests,
            self.assessments,
            self.closures,
            self.need_outcomes,
            self.step_ups,
            self.step_downs,
            self.feedback,
            self.social_care,
        ):
            store()
        ImportedRow.objects.bulk_create(self.mapped, batch_size=BATCH)
        self.outcome.stored = {b.stem(name): len(rows) for name, rows in self.new.items() if rows}
        audit_record(
            actor=self.actor,
            action=Action.CREATE,
            object_type="history_import",
            details={
                "stored": self.outcome.stored,
                "unchanged": self.outcome.unchanged,
                "linked_persons": self.outcome.linked_persons,
            },
        )

    def _load_earlier_ids(self) -> None:
        wanted: dict[str, set[Any]] = defaultdict(set)
        for bundle_file in b.FILES:
            for column, target in bundle_file.references.items():
                for row in self.new[bundle_file.name]:
                    if row.values[column] is not None:
                        wanted[b.stem(target)].add(row.values[column])
        for stem, ids in wanted.items():
            for source_id, record_id in ImportedRow.objects.filter(file=stem, source_id__in=ids).values_list(
                "source_id", "record_id"
            ):
                self.ids[(stem, source_id)] = record_id

    def _id(self, file_name: str, source_id: Any) -> Any:
        return None if source_id is None else self.ids[(b.stem(file_name), source_id)]

    def _created(self, file_name: str, pairs: list[tuple[Row, models.Model]]) -> None:
        """Write the records, then remember each row's record under its source id."""
        if pairs:
            model = type(pairs[0][1])
            model._default_manager.bulk_create([record for _, record in pairs], batch_size=BATCH)
        self._remember(file_name, [(row, record.pk) for row, record in pairs])

    def _remember(self, file_name: str, pairs: list[tuple[Row, Any]]) -> None:
        layout = next(f.layout for f in b.FILES if f.name == file_name)
        source_id = layout.source_id or ""
        names = [column.name for column in layout.columns]
        for row, record_id in pairs:
            self.ids[(b.stem(file_name), row.values[source_id])] = record_id
            self.mapped.append(
                ImportedRow(
                    file=b.stem(file_name),
                    source_id=row.values[source_id],
                    record_id=str(record_id),
                    fingerprint=rules.row_fingerprint(row, names),
                )
            )
        self.done += len(pairs)
        if self.progress is not None and pairs:
            self.progress(stage=STORING, done=self.done, total=self.total)

    def previous_system(self, agency: Agency) -> User:
        """The inactive account that stands for the previous system's practitioners at this agency."""
        if agency.pk not in self.previous:
            user, created = User.objects.get_or_create(
                username=f"previous-system-{agency.pk}",
                defaults={
                    "first_name": PREVIOUS_SYSTEM,
                    "last_name": f"({agency.name})"[:150],
                    "agency": agency,
                    "role": Role.PRACTITIONER,
                    "is_active": False,
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self.previous[agency.pk] = user
        return self.previous[agency.pk]

    def _agency(self, name: str) -> Agency:
        return self.agencies[name.casefold()]

    def _social_care(self) -> Team:
        team = Team.objects.filter(agency__kind=AgencyKind.SOCIAL_CARE).order_by("pk").first()
        if team is None:
            rows = self.new[b.STEP_UPS] or self.new[b.STEP_DOWNS]
            file_name = b.STEP_UPS if self.new[b.STEP_UPS] else b.STEP_DOWNS
            problem = Problem(rule="no_social_care_team", message=NO_SOCIAL_CARE_TEAM, row=rows[0].number)
            raise _BundleRefusedError(file_name, problem)
        return team

    def _episode_facts(self, episode_ids: Iterable[Any]) -> dict[str, tuple[Any, User]]:
        """Each episode's family, and the account its lead agency's work is recorded against."""
        levels = LevelOfNeed.objects.filter(episode_id__in=set(episode_ids)).select_related("recorded_by")
        return {str(level.episode_id): (level.household_id, level.recorded_by) for level in levels}

    # --- the files --------------------------------------------------------------------------------------

    def persons(self) -> None:
        rows = self.new[b.PERSONS]
        linked = _linked_by_nhs_number(rows)
        pairs: list[tuple[Row, models.Model]] = []
        known: list[tuple[Row, Any]] = []
        for row in rows:
            v = row.values
            if v["nhs_number"] in linked:
                known.append((row, linked[v["nhs_number"]]))
                continue
            pairs.append(
                (
                    row,
                    Person(
                        given_name=v["given_name"],
                        family_name=v["family_name"],
                        search_name=name_search_key(v["given_name"], v["family_name"]),
                        date_of_birth=v["date_of_birth"],
                        sex=v["sex"] or "U",
                        ethnicity=v["ethnicity"] or "",
                        nhs_number=v["nhs_number"],
                        upn=v["upn"],
                        address_line_1=v["address_line_1"] or "",
                        postcode=v["postcode"] or "",
                    ),
                )
            )
        self.outcome.linked_persons = len(known)
        self._created(b.PERSONS, pairs)
        self._remember(b.PERSONS, known)

    def families(self) -> None:
        pairs: list[tuple[Row, models.Model]] = []
        for row in self.new[b.FAMILIES]:
            v = row.values
            household = Household(
                name=v["name"],
                address_line_1=v["address_line_1"] or "",
                town=v["town"] or "",
                postcode=v["postcode"] or "",
                locality_id=self.localities[v["locality"].casefold()],
            )
            pairs.append((row, household))
        self._created(b.FAMILIES, pairs)

    def memberships(self) -> None:
        pairs: list[tuple[Row, models.Model]] = []
        for row in self.new[b.MEMBERSHIPS]:
            v = row.values
            membership = Membership(
                household_id=self._id(b.FAMILIES, v["family_id"]),
                person_id=self._id(b.PERSONS, v["person_id"]),
                role=v["role"],
                started_on=v["started_on"],
                ended_on=v["ended_on"],
            )
            pairs.append((row, membership))
        self._created(b.MEMBERSHIPS, pairs)

    def episodes(self) -> None:
        closed_on = {row.values["episode_id"]: row.values["closed_on"] for row in self.report.rows[b.CLOSURES]}
        pairs: list[tuple[Row, models.Model]] = []
        levels, leads = [], []
        for row in self.new[b.EPISODES]:
            v = row.values
            closed = closed_on.get(v["episode_id"])
            household_id = self._id(b.FAMILIES, v["family_id"])
            episode = Episode(
                household_id=household_id,
                status=EpisodeStatus.CLOSED if closed else EpisodeStatus.OPEN,
                opened_on=v["opened_on"],
                closed_on=closed,
            )
            pairs.append((row, episode))
            agency = self._agency(v["lead_agency"])
            lead = self.previous_system(agency)
            level = int(v["level"])
            levels.append(
                LevelOfNeed(
                    household_id=household_id,
                    episode=episode,
                    suggested_level=level,
                    level=level,
                    recorded_by=lead,
                    recorded_at=_moment(v["opened_on"]),
                )
            )
            leads.append(
                Involvement(
                    household_id=household_id,
                    agency=agency,
                    practitioner=lead,
                    role=InvolvementRole.LEAD_PROFESSIONAL,
                    started_on=v["opened_on"],
                    ended_on=closed,
                )
            )
        self._created(b.EPISODES, pairs)
        LevelOfNeed.objects.bulk_create(levels, batch_size=BATCH)
        Involvement.objects.bulk_create(leads, batch_size=BATCH)

    def requests(self) -> None:
        rows = self.new[b.REQUESTS]
        children = _by_text(Person.objects.in_bulk([self._id(b.PERSONS, row.values["child_id"]) for row in rows]))
        taken = set(SupportRequest.objects.values_list("reference", flat=True))
        pairs: list[tuple[Row, models.Model]] = []
        for row in rows:
            v = row.values
            child = children[str(self._id(b.PERSONS, v["child_id"]))]
            agency = self._agency(v["source_agency"]) if v["source"] == RequestSource.PRACTITIONER else None
            reference = new_reference()
            while reference in taken:
                reference = new_reference()
            taken.add(reference)
            received = _moment(v["received_on"])
            request = SupportRequest(
                reference=reference,
                source=v["source"],
                household_id=self._id(b.FAMILIES, v["family_id"]),
                requested_by=self.previous_system(agency) if agency is not None else None,
                requester_name=agency.name if agency is not None else "The family",
                child_given_name=child.given_name,
                child_family_name=child.family_name,
                child_date_of_birth=child.date_of_birth,
                concerns=v["concerns"] or IMPORTED_TEXT,
                family_consents=True,
                status=v["outcome"],
                received_at=received,
                triage_due_at=received + timedelta(days=1),
                triaged_at=_moment(v["triaged_on"] or v["received_on"]),
                episode_id=self._id(b.EPISODES, v["episode_id"]),
            )
            pairs.append((row, request))
        self._created(b.REQUESTS, pairs)

    def assessments(self) -> None:
        rows = sorted(self.new[b.ASSESSMENTS], key=lambda row: (row.values["reviewed_on"], row.number))
        facts = self._episode_facts(self._id(b.EPISODES, row.values["episode_id"]) for row in rows)
        households = {facts[str(self._id(b.EPISODES, row.values["episode_id"]))][0] for row in rows}
        existing = {a.household_id: a for a in Assessment.objects.filter(household_id__in=households)}
        missing = [Assessment(household_id=h) for h in households if h not in existing]
        Assessment.objects.bulk_create(missing, batch_size=BATCH)
        existing |= {a.household_id: a for a in missing}
        last = {
            version.assessment_id: version
            for version in AssessmentVersion.objects.filter(assessment__household_id__in=households).order_by("number")
        }
        children = self._children(households)
        pairs: list[tuple[Row, models.Model]] = []
        sections: list[MemberSection] = []
        for row in rows:
            v = row.values
            episode_id = self._id(b.EPISODES, v["episode_id"])
            household_id, lead = facts[str(episode_id)]
            assessment = existing[household_id]
            before = last.get(assessment.pk)
            reviewed = _moment(v["reviewed_on"])
            returned = v["rating"] == "returned"
            version = AssessmentVersion(
                assessment=assessment,
                number=(before.number if before is not None else 0) + 1,
                episode_id=episode_id,
                based_on=before,
                status=AssessmentStatus.RETURNED if returned else AssessmentStatus.APPROVED,
                created_by=lead,
                submitted_by=lead,
                submitted_at=_moment(v["submitted_on"] or v["reviewed_on"]),
                reviewed_by=lead,
                reviewed_at=reviewed,
                review_comments=v["comments"] or (IMPORTED_TEXT if returned else ""),
            )
            last[assessment.pk] = version
            pairs.append((row, version))
            sections += [
                MemberSection(version=version, person_id=person_id, is_child=True)
                for person_id, started, ended in children[household_id]
                if started <= v["reviewed_on"] and (ended is None or ended >= v["reviewed_on"])
            ]
        self._created(b.ASSESSMENTS, pairs)
        MemberSection.objects.bulk_create(_one_per_person(sections), batch_size=BATCH)

    def _current_families(self, people: Iterable[Person]) -> dict[Any, Household]:
        """Each person's family now: their latest current membership's (measures.services.family_of, at once)."""
        latest: dict[Any, Any] = {}
        for person_id, household_id in (
            Membership.objects.filter(person__in=list(people), ended_on__isnull=True)
            .order_by("started_on", "id")
            .values_list("person_id", "household_id")
        ):
            latest[person_id] = household_id
        households = Household.objects.in_bulk(set(latest.values()))
        return {person_id: households[household_id] for person_id, household_id in latest.items()}

    def _children(self, households: set[Any]) -> dict[Any, list[tuple[Any, date, date | None]]]:
        found: dict[Any, list[tuple[Any, date, date | None]]] = defaultdict(list)
        for household_id, person_id, started, ended in Membership.objects.filter(
            household_id__in=households, role=MemberRole.CHILD
        ).values_list("household_id", "person_id", "started_on", "ended_on"):
            found[household_id].append((person_id, started, ended))
        return found

    def closures(self) -> None:
        rows = self.new[b.CLOSURES]
        facts = self._episode_facts(self._id(b.EPISODES, row.values["episode_id"]) for row in rows)
        # Episodes of this bundle were made closed already (see episodes()).
        made_closed = {row.values["episode_id"] for row in self.new[b.EPISODES]}
        pairs: list[tuple[Row, models.Model]] = []
        for row in rows:
            v = row.values
            episode_id = self._id(b.EPISODES, v["episode_id"])
            household_id, lead = facts[str(episode_id)]
            closure = EpisodeClosure(
                episode_id=episode_id,
                reason=v["reason"],
                detail=v["detail"] or "",
                closed_by=lead,
                closed_at=_moment(v["closed_on"]),
            )
            pairs.append((row, closure))
            if v["episode_id"] in made_closed:
                continue
            # An episode imported open by an earlier bundle closes now, and its lead's involvement ends.
            Episode.objects.filter(pk=episode_id, closed_on__isnull=True).update(
                status=EpisodeStatus.CLOSED, closed_on=v["closed_on"]
            )
            Involvement.objects.filter(
                household_id=household_id, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL, ended_on=None
            ).update(ended_on=v["closed_on"])
        self._created(b.CLOSURES, pairs)

    def need_outcomes(self) -> None:
        pairs: list[tuple[Row, models.Model]] = []
        for row in self.new[b.NEED_OUTCOMES]:
            v = row.values
            outcome = ClosureNeedOutcome(
                closure_id=self._id(b.CLOSURES, v["closure_id"]),
                need_text=v["need"],
                outcome_area=v["outcome_area"] or "",
                outcome=v["outcome"],
            )
            pairs.append((row, outcome))
        self._created(b.NEED_OUTCOMES, pairs)

    def step_ups(self) -> None:
        rows = self.new[b.STEP_UPS]
        if not rows:
            return
        team = self._social_care()
        social_worker = self.previous_system(team.agency)
        facts = self._episode_facts(self._id(b.EPISODES, row.values["episode_id"]) for row in rows)
        request_ids = [self._id(b.REQUESTS, row.values["request_id"]) for row in rows]
        requesters = _by_text(dict(SupportRequest.objects.filter(pk__in=request_ids).values_list("pk", "requested_by")))
        users = User.objects.in_bulk([user for user in requesters.values() if user is not None])
        pairs: list[tuple[Row, models.Model]] = []
        for row in rows:
            v = row.values
            episode_id = self._id(b.EPISODES, v["episode_id"])
            request_id = self._id(b.REQUESTS, v["request_id"])
            if episode_id is not None:
                by = facts[str(episode_id)][1]
            else:
                by = users.get(requesters.get(str(request_id))) or social_worker
            answered = v["status"] != "declined"
            step_up = StepUp(
                household_id=self._id(b.FAMILIES, v["family_id"]),
                episode_id=episode_id,
                support_request_id=request_id,
                reasons=[v["reason"]],
                detail=IMPORTED_TEXT,
                to_team=team,
                status=v["status"],
                requested_by=by,
                requested_at=_moment(v["requested_on"]),
                decided_by=by,
                decided_at=_moment(v["decided_on"]),
                responded_by=social_worker if answered else None,
                responded_at=_moment(v["responded_on"]) if answered else None,
                outcome=v["outcome"] or "",
                offer=IMPORTED_TEXT if v["status"] == "nfa" else "",
            )
            pairs.append((row, step_up))
        self._created(b.STEP_UPS, pairs)

    def step_downs(self) -> None:
        rows = self.new[b.STEP_DOWNS]
        if not rows:
            return
        social_worker = self.previous_system(self._social_care().agency)
        pairs: list[tuple[Row, models.Model]] = []
        for row in rows:
            v = row.values
            requested = _moment(v["requested_on"])
            step_down = StepDown(
                household_id=self._id(b.FAMILIES, v["family_id"]),
                summary=IMPORTED_TEXT,
                reason=v["reason"] or IMPORTED_TEXT,
                status=v["status"],
                requested_by=social_worker,
                requested_at=requested,
                accept_by=requested + timedelta(days=STEP_DOWN_DAYS_TO_ACCEPT),
                decided_by=social_worker,
                decided_at=_moment(v["decided_on"]),
                episode_id=self._id(b.EPISODES, v["episode_id"]),
            )
            pairs.append((row, step_down))
        self._created(b.STEP_DOWNS, pairs)

    def feedback(self) -> None:
        pairs: list[tuple[Row, models.Model]] = []
        for row in self.new[b.FEEDBACK]:
            v = row.values
            invited = _moment(v["invited_on"])
            invitation = FeedbackInvitation(
                episode_id=self._id(b.EPISODES, v["episode_id"]),
                # A link nobody was sent (the family answered, or not, in the previous system): a hash of
                # nothing anyone holds, expired a day after it was made.
                token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                created_at=invited,
                expires_at=invited + timedelta(days=1),
                responded_at=_moment(v["responded_on"]) if v["responded_on"] else None,
                rating=int(v["rating"]) if v["rating"] else None,
                comments=v["comments"] or "",
            )
            pairs.append((row, invitation))
        self._created(b.FEEDBACK, pairs)

    def social_care(self) -> None:
        rows = self.new[b.SOCIAL_CARE]
        people = _by_text(Person.objects.in_bulk([self._id(b.PERSONS, row.values["person_id"]) for row in rows]))

        families = self._current_families(people.values())

        def person_of(row: Row) -> Person:
            return people[str(self._id(b.PERSONS, row.values["person_id"]))]

        def household_of(row: Row) -> Household | None:
            return families.get(person_of(row).pk)

        stored = feed.social_care_rows_store(
            actor=self.actor, rows=rows, person_of=person_of, household_of=household_of, audited=False
        )
        self._remember(b.SOCIAL_CARE, [(row, stored[row.number].pk) for row in rows])


def _by_text(found: dict[Any, Any]) -> dict[str, Any]:
    """The same dict keyed by each key's text: an earlier import keeps a record's key as text."""
    return {str(key): value for key, value in found.items()}


def _one_per_person(sections: list[MemberSection]) -> list[MemberSection]:
    seen: set[tuple[int, Any]] = set()
    kept = []
    for section in sections:
        key = (id(section.version), section.person_id)
        if key not in seen:
            seen.add(key)
            kept.append(section)
    return kept
