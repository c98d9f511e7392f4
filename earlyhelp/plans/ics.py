"""An arranged meeting as an iCalendar invitation (RFC 5545, with the iTIP methods of RFC 5546):
REQUEST to invite or to say what changed, CANCEL to call it off. No database: the caller gives the
meeting, its practitioner invitees and the address of its page.

The invitation travels by email, outside the partnership's systems, so it says no more than a
calendar needs: "Early help meeting", when, where, who is invited, and the link to the meeting's
page, which says the rest to whoever may open the family's record."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODUCT_ID = "-//Early Help System//Meetings//EN"
SUMMARY = "Early help meeting"
UID_DOMAIN = "earlyhelp.invalid"
REQUEST = "REQUEST"
CANCEL = "CANCEL"

# An invitee's answer, as a calendar's participation status.
PARTSTAT = {
    "awaiting": "NEEDS-ACTION",
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
}


@dataclass(frozen=True)
class Invitee:
    """A practitioner invited, as a calendar names them."""

    name: str
    email: str
    response: str = "awaiting"


def meeting_uid(uid: object) -> str:
    """The calendar's name for an arranged meeting, the same at every change of it."""
    return f"{uid}@{UID_DOMAIN}"


def _address(name: str, email: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def invitation(
    *,
    uid: object,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    organiser: Invitee,
    invitees: list[Invitee],
    url: str,
    method: str = REQUEST,
) -> str:
    """The calendar text of one arranged meeting: times in the service's time zone (TZID, with its
    VTIMEZONE), the sequence of its changes, and the method (REQUEST or CANCEL)."""
    zone = timezone.get_default_timezone()
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(uid))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", SUMMARY)
    event.add("description", f"The meeting's details, for those who may see them: {url}")
    event.add("location", place or online_link)
    event.add("url", url)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", _address(organiser.name, organiser.email))
    for invitee in invitees:
        event.add(
            "attendee",
            _address(
                invitee.name,
                invitee.email,
                ROLE="REQ-PARTICIPANT",
                PARTSTAT=PARTSTAT.get(invitee.response, "NEEDS-ACTION"),
                RSVP="TRUE",
            ),
            encode=False,
        )
    calendar.add_component(event)
    # The zone's rules for the years the meeting falls in, not every year since 1970.
    calendar.add_missing_timezones(first_date=date(start.year, 1, 1), last_date=date(end.year + 1, 1, 1))
    return calendar.to_ical().decode()
