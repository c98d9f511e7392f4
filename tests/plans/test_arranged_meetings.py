"""Meetings arranged ahead: scheduled with invitees from the TAF, sent as calendar invitations through
the outbox, rearranged and cancelled, answered, and recorded from the arrangement."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications.models import Notification, NotificationKind, OutboundEmail
from earlyhelp.notifications.services import outbox_send
from earlyhelp.plans import ics, services
from earlyhelp.plans.models import InvitationResponse, MeetingKind, ScheduledMeeting, ScheduledMeetingStatus
from earlyhelp.web.errors import RefusedError
from tests.factories import InvolvementFactory, UserFactory

from .factories import MeetingInvitationFactory, PastScheduledMeetingFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _calendar(text: str) -> Calendar:
    return Calendar.from_ical(text)


def _event(text: str):
    [event] = _calendar(text).events
    return event


def _next_week() -> date:
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def member(plan):
    """A practitioner of another agency in the family's TAF."""
    return InvolvementFactory(household=plan.household, role="taf").practitioner


def _schedule(plan, lead, member, **changes):
    arrangement = {
        "kind": MeetingKind.TAF,
        "meeting_day": _next_week(),
        "start_time": time(10, 0),
        "duration_minutes": 60,
        "place": "Meeting room 2, Northgate Children's Centre",
        "practitioners": [lead, member],
    } | changes
    return services.meeting_schedule(actor=lead, plan=plan, **arrangement)


# --- The calendar invitation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2027, 3, 26), 10), (date(2027, 3, 29), 9)],
    ids=["greenwich-mean-time", "british-summer-time"],
)
def test_the_invitation_starts_at_ten_in_london_either_side_of_the_clock_change(day, utc_hour):
    starts = datetime.combine(day, time(10, 0), tzinfo=LONDON)
    text = ics.invitation(
        uid="abc",
        sequence=0,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(hours=1)).astimezone(UTC),
        place="Northgate Children's Centre",
        online_link="",
        organiser=ics.Invitee("Pat Lead", "lead@example.org"),
        invitees=[ics.Invitee("Sam School", "sam@example.org", "accepted")],
        url="https://earlyhelp.example/plans/x/",
    )
    calendar = _calendar(text)
    assert str(calendar["METHOD"]) == "REQUEST"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    event = _event(text)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert (event["DTEND"].dt - event["DTSTART"].dt) == timedelta(hours=1)
    assert str(event["UID"]) == "abc@earlyhelp.invalid"
    assert str(event["SUMMARY"]) == ics.SUMMARY
    assert str(event["ORGANIZER"]) == "mailto:lead@example.org"
    [attendee] = [event["ATTENDEE"]]
    assert str(attendee) == "mailto:sam@example.org"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"


# --- Arranging, and the invitation by email ---------------------------------------------------------------


def test_arranging_a_meeting_invites_each_practitioner_by_notice_and_an_email_with_the_calendar_attached(
    plan, lead, member, mail_server
):
    with transaction.atomic():
        scheduled = _schedule(plan, lead, member)
    # The organiser, who invited themselves, is not told of their own arrangement.
    [notice] = Notification.objects.filter(kind=NotificationKind.MEETING_INVITATION)
    assert notice.recipient == member
    assert notice.link == reverse("plans:scheduled-meeting", args=[plan.household_id, plan.pk, scheduled.pk])
    assert outbox_send()["sent"] == 1

    [message] = mail_server.messages
    assert message["To"] == member.email
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    event = _event(attachment.get_content())
    assert str(event["UID"]) == ics.meeting_uid(scheduled.uid)
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].dt.astimezone(LONDON).time() == time(10, 0)
    attendees = {str(each) for each in event["ATTENDEE"]}
    assert attendees == {f"mailto:{lead.email}", f"mailto:{member.email}"}
    # No case details: the family's name and its members' names are nowhere in the email or the invitation.
    names = [plan.household.name, *(m.person.given_name for m in plan.household.memberships.all())]
    everything = message["Subject"] + message.get_body(("plain",)).get_content() + attachment.get_content()
    for name in names:
        assert name not in everything
    assert str(event["SUMMARY"]) == "Early help meeting"


def test_a_meeting_arranged_is_audited_and_in_the_familys_chronology(plan, lead, member):
    scheduled = _schedule(plan, lead, member)
    event = AuditEvent.objects.get(object_type="scheduled_meeting", action="create", object_id=str(scheduled.pk))
    assert event.household_id == plan.household_id
    assert sorted(event.details["practitioners"]) == sorted([lead.pk, member.pk])
    assert plan.household.chronology.filter(kind="meeting", summary__contains="arranged").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"meeting_day": date(2020, 1, 6)}, "meeting_day", services.MEETING_NOT_IN_FUTURE),
        ({"meeting_day": None}, "meeting_day", services.MEETING_DAY_REQUIRED),
        ({"meeting_day": timezone.localdate() + timedelta(days=800)}, "meeting_day", services.MEETING_TOO_FAR_AHEAD),
        ({"start_time": None}, "start_time", services.START_TIME_REQUIRED),
        ({"duration_minutes": 10}, "duration_minutes", services.DURATION_OUT_OF_BOUNDS),
        ({"duration_minutes": 481}, "duration_minutes", services.DURATION_OUT_OF_BOUNDS),
        ({"place": "", "online_link": ""}, "place", services.PLACE_REQUIRED),
        ({"online_link": "http://meet.example/x"}, "online_link", services.ONLINE_LINK_INVALID),
        ({"online_link": "https://meet.example/" + "x" * 500}, "online_link", services.ONLINE_LINK_TOO_LONG),
        ({"practitioners": []}, "practitioners", services.INVITEES_REQUIRED),
        ({"kind": "party"}, "kind", services.MEETING_KIND_REQUIRED),
    ],
)
def test_a_meeting_arranged_wrongly_is_refused_naming_the_field_and_nothing_is_saved(
    plan, lead, member, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        _schedule(plan, lead, member, **changes)
    assert refused.value.message_dict[field] == [message]
    assert not ScheduledMeeting.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(object_type="scheduled_meeting").exists()


def test_only_practitioners_working_with_the_family_may_be_invited(plan, lead, member):
    stranger = UserFactory()
    with pytest.raises(ValidationError) as refused:
        _schedule(plan, lead, member, practitioners=[member, stranger])
    assert refused.value.message_dict["practitioners"] == [services.INVITEE_NOT_IN_TAF]
    assert not ScheduledMeeting.objects.exists()


# --- Rearranging and cancelling ------------------------------------------------------------------------


def test_rearranging_sends_the_same_meeting_with_its_sequence_raised_and_asks_for_answers_again(
    plan, lead, member, mail_server
):
    with transaction.atomic():
        scheduled = _schedule(plan, lead, member)
    services.meeting_invitation_respond(actor=member, scheduled=scheduled, response=InvitationResponse.ACCEPTED)
    with transaction.atomic():
        services.meeting_reschedule(
            actor=lead,
            scheduled=scheduled,
            meeting_day=_next_week() + timedelta(days=1),
            start_time=time(14, 30),
            duration_minutes=90,
            place=scheduled.place,
        )
    outbox_send()
    first, second = (_event(next(m.iter_attachments()).get_content()) for m in mail_server.messages)
    assert str(first["UID"]) == str(second["UID"])
    assert (int(first["SEQUENCE"]), int(second["SEQUENCE"])) == (0, 1)
    assert second["DTSTART"].dt.astimezone(LONDON).time() == time(14, 30)
    assert Notification.objects.filter(recipient=member, kind=NotificationKind.MEETING_CHANGED).count() == 1
    assert scheduled.invitations.get(practitioner=member).response == InvitationResponse.AWAITING
    assert AuditEvent.objects.filter(object_type="scheduled_meeting", action="change").count() == 1


def test_rearranging_to_the_same_time_and_place_changes_nothing(plan, lead, member):
    scheduled = _schedule(plan, lead, member)
    starts = timezone.localtime(scheduled.starts_at)
    with pytest.raises(ValidationError) as refused:
        services.meeting_reschedule(
            actor=lead,
            scheduled=scheduled,
            meeting_day=starts.date(),
            start_time=starts.time(),
            duration_minutes=60,
            place=scheduled.place,
        )
    assert services.NOTHING_CHANGED in refused.value.messages
    scheduled.refresh_from_db()
    assert scheduled.sequence == 0


def test_cancelling_sends_a_cancellation_and_the_meeting_can_no_longer_be_answered(plan, lead, member, mail_server):
    with transaction.atomic():
        scheduled = _schedule(plan, lead, member)
        services.meeting_cancel(actor=lead, scheduled=scheduled)
    outbox_send()
    cancellation = mail_server.messages[-1]
    attachment = next(cancellation.iter_attachments())
    assert attachment.get_param("method") == "CANCEL"
    calendar = _calendar(attachment.get_content())
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.events
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledMeetingStatus.CANCELLED
    with pytest.raises(RefusedError):
        services.meeting_invitation_respond(actor=member, scheduled=scheduled, response=InvitationResponse.ACCEPTED)
    cancelled = AuditEvent.objects.filter(object_type="scheduled_meeting", details__status=["scheduled", "cancelled"])
    assert cancelled.exists()


# --- Answers ----------------------------------------------------------------------------------------------


def test_an_invitee_answers_on_the_meeting_page_and_the_organiser_sees_the_answer(client, plan, lead, member):
    scheduled = _schedule(plan, lead, member)
    page = reverse("plans:scheduled-meeting", args=[plan.household_id, plan.pk, scheduled.pk])
    client.force_login(member)
    response = client.post(
        reverse("plans:scheduled-meeting-respond", args=[plan.household_id, plan.pk, scheduled.pk]),
        {"response": "tentative"},
    )
    assert response.status_code == 302
    invitation = scheduled.invitations.get(practitioner=member)
    assert invitation.response == InvitationResponse.TENTATIVE
    assert AuditEvent.objects.filter(object_type="meeting_invitation", object_id=str(invitation.pk)).exists()

    client.force_login(lead)
    shown = client.get(page).content.decode()
    row = shown[shown.index(member.display_name) :]
    assert "Tentative" in row[: row.index("</tr>")]


def test_someone_not_invited_cannot_answer_and_a_practitioner_cannot_answer_for_another(plan, lead, member):
    scheduled = _schedule(plan, lead, member)
    coordinator = UserFactory(role="coordinator")
    with pytest.raises(RefusedError) as refused:
        services.meeting_invitation_respond(actor=coordinator, scheduled=scheduled, response="accepted")
    assert refused.value.reason == services.NOT_INVITED
    theirs = scheduled.invitations.get(practitioner=member)
    with pytest.raises(RefusedError):
        services.meeting_invitation_respond(
            actor=lead, scheduled=scheduled, response="accepted", invitation_id=theirs.pk
        )
    with pytest.raises(ValidationError) as unknown:
        services.meeting_invitation_respond(actor=member, scheduled=scheduled, response="maybe later")
    assert unknown.value.message_dict["response"] == [services.RESPONSE_UNKNOWN]
    theirs.refresh_from_db()
    assert theirs.response == InvitationResponse.AWAITING


def test_someone_not_working_with_the_family_finds_no_meeting_to_see_or_answer(client, plan, lead, member):
    scheduled = _schedule(plan, lead, member)
    outsider = UserFactory()
    client.force_login(outsider)
    args = [plan.household_id, plan.pk, scheduled.pk]
    assert client.get(reverse("plans:scheduled-meeting", args=args)).status_code == 404
    assert client.get(reverse("plans:scheduled-meeting-ics", args=args)).status_code == 404
    answer = reverse("plans:scheduled-meeting-respond", args=args)
    assert client.post(answer, {"response": "accepted"}).status_code == 404
    api = reverse("plans-api:scheduled-meeting-respond", args=args)
    assert client.post(api, {"response": "accepted"}, content_type="application/json").status_code == 404


# --- Recording the meeting from its arrangement ----------------------------------------------------------


def test_the_meeting_is_recorded_from_its_arrangement_and_its_minutes_are_read_by_an_attendee(
    client, plan, lead, member
):
    other = InvolvementFactory(household=plan.household, role="taf").practitioner
    scheduled = PastScheduledMeetingFactory(plan=plan, organiser=lead, kind=MeetingKind.REVIEW)
    MeetingInvitationFactory(scheduled_meeting=scheduled, practitioner=member, response=InvitationResponse.ACCEPTED)
    MeetingInvitationFactory(scheduled_meeting=scheduled, practitioner=other, response=InvitationResponse.DECLINED)
    child = plan.household.memberships.first().person
    MeetingInvitationFactory(
        scheduled_meeting=scheduled, practitioner=None, person=child, response=InvitationResponse.ACCEPTED
    )
    client.force_login(lead)
    url = reverse("plans:meeting-add", args=[plan.household_id, plan.pk]) + f"?scheduled={scheduled.pk}"
    form = client.get(url).context["form"]
    assert form["kind"].value() == MeetingKind.REVIEW
    assert form["held_on"].value() == timezone.localtime(scheduled.starts_at).date()
    assert form["practitioners"].value() == [str(member.pk)]
    assert form["family_members"].value() == [str(child.pk)]

    held_on = timezone.localtime(scheduled.starts_at).date()
    response = client.post(
        url,
        {
            "kind": MeetingKind.REVIEW,
            "held_on": held_on.isoformat(),
            "practitioners": [str(member.pk), str(other.pk)],  # the recorder corrects: Sam came after all
            "family_members": [str(child.pk)],
            "decisions": "School to offer a breakfast club place.",
            "family_scale": 6,
            "practitioner_scale": 5,
            "next_review_on": (held_on + timedelta(weeks=6)).isoformat(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledMeetingStatus.RECORDED
    meeting = scheduled.meeting
    assert {a.practitioner for a in meeting.attendees.filter(practitioner__isnull=False)} == {member, other}
    assert AuditEvent.objects.get(object_type="meeting", object_id=str(meeting.pk)).details["scheduled_meeting"] == (
        scheduled.pk
    )

    client.force_login(member)
    minutes = client.get(reverse("plans:meeting", args=[plan.household_id, plan.pk, meeting.pk]))
    assert "School to offer a breakfast club place." in minutes.content.decode()
    # An arranged meeting is recorded once.
    with pytest.raises(ValidationError):
        services.meeting_record(
            actor=lead,
            plan=plan,
            kind=MeetingKind.REVIEW,
            held_on=held_on,
            decisions="Again",
            family_scale=5,
            practitioner_scale=5,
            next_review_on=held_on + timedelta(days=30),
            practitioners=[member],
            agencies=[member.agency],
            scheduled=scheduled,
        )


# --- The API ----------------------------------------------------------------------------------------------


def test_over_the_api_a_meeting_is_arranged_listed_answered_and_its_calendar_fetched(client, plan, lead, member):
    base = [plan.household_id, plan.pk]
    client.force_login(lead)
    day = _next_week()
    made = client.post(
        reverse("plans-api:scheduled-meetings", args=base),
        {
            "kind": "fgc",
            "meeting_day": day.isoformat(),
            "start_time": "09:30",
            "duration_minutes": 120,
            "online_link": "https://meet.example/abc",
            "practitioners": [member.pk],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    scheduled_id = made.json()["id"]
    listed = client.get(reverse("plans-api:scheduled-meetings", args=base)).json()
    assert [each["id"] for each in listed] == [scheduled_id]
    assert listed[0]["invitations"][0]["response"] == "awaiting"

    bad = client.post(
        reverse("plans-api:scheduled-meetings", args=base),
        {"kind": "taf", "meeting_day": "2020-01-06", "start_time": "10:00", "duration_minutes": 5, "place": "Hall"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["duration_minutes"] == [services.DURATION_OUT_OF_BOUNDS]
    assert bad.json()["meeting_day"] == [services.MEETING_NOT_IN_FUTURE]

    client.force_login(member)
    answered = client.post(
        reverse("plans-api:scheduled-meeting-respond", args=[*base, scheduled_id]),
        {"response": "accepted"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["invitations"][0]["response"] == "accepted"
    calendar = client.get(reverse("plans-api:scheduled-meeting-ics", args=[*base, scheduled_id]))
    assert calendar["Content-Type"].startswith("text/calendar")
    event = _event(calendar.content.decode())
    assert event["DTSTART"].dt.astimezone(LONDON).time() == time(9, 30)
    assert str(event["LOCATION"]) == "https://meet.example/abc"
    assert (
        next(iter(event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]])).params["PARTSTAT"]
        == "ACCEPTED"
    )

    client.force_login(lead)
    refused = client.post(
        reverse("plans-api:scheduled-meeting-respond", args=[*base, scheduled_id]),
        {"response": "accepted"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert OutboundEmail.objects.filter(to=member.email).exclude(ics="").exists()
