"""Seeds a real pretalx 2025.2.2 for the round-trip tests: piped into `python -m pretalx shell --unsafe-disable-scopes`
(Django's shell runs its stdin), so it runs inside pretalx with its models. Not a test module: pytest never imports it.

TestCon 2027 (slug testcon, Europe/Berlin, 10-11 June 2027): three rooms (the Lab open on the first morning only),
a talk type (30 minutes) and a workshop type (90), two tracks, speakers with availabilities (the call for papers asks
for them, so the API shows them), seven confirmed sessions, one submitted (not accepted) and one rejected, and an
organiser's API token limited to the event. The token comes from the environment (SEED_TOKEN), never from this file.
"""

import datetime as dt
import os
import zoneinfo

from django.db import transaction
from pretalx.event.models import Event, Organiser, Team
from pretalx.person.models import SpeakerProfile, User
from pretalx.person.models.auth_token import ENDPOINTS, WRITE_PERMISSIONS, UserApiToken
from pretalx.schedule.models import Availability, Room
from pretalx.submission.models import Submission, SubmissionType, Track

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
FIRST = dt.date(2027, 6, 10)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(FIRST + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=ZONE)


with transaction.atomic():
    organiser_user = User.objects.create_user(
        email="orga@example.org", password=None, name="Orga Admin", locale="en", timezone="Europe/Berlin"
    )
    organiser = Organiser.objects.create(name="Test Org", slug="testorg")
    team = Team.objects.create(
        organiser=organiser,
        name="Full access",
        all_events=True,
        can_create_events=True,
        can_change_teams=True,
        can_change_organiser_settings=True,
        can_change_event_settings=True,
        can_change_submissions=True,
        is_reviewer=True,
    )
    team.members.add(organiser_user)
    event = Event.objects.create(
        organiser=organiser,
        name="TestCon 2027",
        slug="testcon",
        is_public=True,
        date_from=FIRST,
        date_to=FIRST + dt.timedelta(days=1),
        timezone="Europe/Berlin",
        email="orga@example.org",
        locale_array="en",
        locale="en",
    )
    event.build_initial_data()
    event.cfp.fields["availabilities"] = {"visibility": "optional"}
    event.cfp.save()
    talk = event.cfp.default_type
    talk.default_duration = 30
    talk.save()
    workshop = SubmissionType.objects.create(event=event, name="Workshop", default_duration=90)
    tracks = {
        name: Track.objects.create(event=event, name=name, color=colour)
        for name, colour in (("Web", "#1f77b4"), ("Data", "#ff7f0e"))
    }

    rooms = {}
    for position, (name, capacity) in enumerate((("Main Hall", 300), ("Room B", 60), ("Lab", 25))):
        rooms[name] = Room.objects.create(event=event, name=name, capacity=capacity, position=position)
    for name in ("Main Hall", "Room B"):
        for day in (0, 1):
            Availability.objects.create(event=event, room=rooms[name], start=at(day, 9), end=at(day, 18))
    Availability.objects.create(event=event, room=rooms["Lab"], start=at(0, 9), end=at(0, 13))

    speakers = {}
    for handle, name, windows in (
        ("alice", "Alice Archer", [(0, 9, 18), (1, 9, 18)]),
        ("bob", "Bob Brandt", [(0, 13, 18)]),
        ("carol", "Carol Cruz", [(1, 9, 13)]),
        ("dave", "Dave Dunn", []),
        ("erin", "Erin Evans", [(0, 9, 12), (1, 14, 18)]),
    ):
        user = User.objects.create_user(
            email=f"{handle}@example.org", password=None, name=name, locale="en", timezone="Europe/Berlin"
        )
        profile = SpeakerProfile.objects.create(user=user, event=event, biography=f"{name} speaks.")
        for day, start, end in windows:
            Availability.objects.create(event=event, person=profile, start=at(day, start), end=at(day, end))
        speakers[handle] = user

    proposals = (
        ("Scaling Django", talk, "Web", ("alice",), "confirmed"),
        ("Pandas tricks", talk, "Data", ("bob",), "confirmed"),
        ("Hands-on Rust", workshop, "Web", ("carol",), "confirmed"),
        ("Type hints everywhere", talk, "Web", ("dave", "alice"), "confirmed"),
        ("Data pipelines 101", workshop, "Data", ("erin",), "confirmed"),
        ("Notebooks in production", talk, "Data", ("bob", "alice"), "confirmed"),
        ("Accessible front ends", talk, "Web", ("dave",), "confirmed"),
        ("A talk still under review", talk, "Web", ("carol",), "submitted"),
        ("A rejected talk", talk, "Data", ("dave",), "rejected"),
    )
    for title, kind, track, names, state in proposals:
        submission = Submission.objects.create(
            event=event,
            title=title,
            submission_type=kind,
            track=tracks[track],
            abstract=f"Abstract of {title}.",
            description="",
            content_locale="en",
        )
        for handle in names:
            submission.speakers.add(speakers[handle])
        if state in ("confirmed", "accepted"):
            submission.accept(force=True)
        if state == "confirmed":
            submission.confirm(force=True)
        if state == "rejected":
            submission.reject(force=True)

    token = UserApiToken.objects.create(
        name="planner tests",
        user=organiser_user,
        token=os.environ["SEED_TOKEN"],
        endpoints={endpoint: list(WRITE_PERMISSIONS) for endpoint in ENDPOINTS},
        version="v1",
    )
    token.events.add(event)
