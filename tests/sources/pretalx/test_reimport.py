"""Re-running the import against a real pretalx after both sides changed: the same ids, the organiser's edits kept,
and a summary of the proposals new, withdrawn and edited."""

from __future__ import annotations

import csv
from pathlib import Path

from planner.io.folder import load_folder
from planner.sources.commands import import_pretalx
from tests.sources.pretalx.conftest import Server

CHANGE_PRETALX = """
from pretalx.event.models import Event
from pretalx.person.models import SpeakerProfile, User
from pretalx.schedule.models import Room
from pretalx.submission.models import Submission

event = Event.objects.get(slug="testcon")
Submission.objects.get(event=event, title="Pandas tricks").withdraw(force=True)
edited = Submission.objects.get(event=event, title="Scaling Django")
edited.title = "Scaling Django to millions"
edited.save()
user = User.objects.create_user(email="fay@example.org", password=None, name="Fay Fox", locale="en")
SpeakerProfile.objects.create(user=user, event=event)
late = Submission.objects.create(
    event=event, title="A late talk", submission_type=event.cfp.default_type, abstract="Late.", content_locale="en"
)
late.speakers.add(user)
late.accept(force=True)
late.confirm(force=True)
Room.objects.create(event=event, name="Foyer", capacity=40, position=3)
"""


def rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_a_second_import_keeps_ids_and_edits_and_says_what_changed(pretalx: Server, tmp_path: Path) -> None:
    folder = tmp_path / "testcon"
    import_pretalx(pretalx.url, pretalx.event, pretalx.token_file, folder, lambda line: None)
    first = rows(folder / "sessions.csv")
    codes = {row["title"]: code for code, row in first.items()}

    # The organiser's own edits: conference.yaml (a comment, a name, a block moved), a session's audience and pin,
    # a typo fixed in a title pretalx will not change, a person's daily maximum.
    conference = folder / "conference.yaml"
    text = conference.read_text().replace("name: TestCon 2027", "name: TestCon 2027 (Berlin)  # our name")
    text = text.replace("{id: d2-4, start: '15:00', end: '16:30'", "{id: d2-4, start: '15:15', end: '16:45'")
    conference.write_text("# kept: the organiser's note\n" + text)
    sessions = (folder / "sessions.csv").read_text()
    hands_on = codes["Hands-on Rust"]
    sessions = sessions.replace("Hands-on Rust,workshop,90,web,,", "Hands-on Rust!,workshop,90,web,,")
    sessions = sessions.replace(
        f"{codes['Data pipelines 101']},Data pipelines 101,workshop,90,data,,erin-evans,,",
        f"{codes['Data pipelines 101']},Data pipelines 101,workshop,90,data,,erin-evans,80,",
    )
    (folder / "sessions.csv").write_text(sessions)
    people = (folder / "people.csv").read_text().replace("dave-dunn,Dave Dunn,,,,", "dave-dunn,Dave Dunn,,,,1")
    (folder / "people.csv").write_text(people)

    pretalx.shell(CHANGE_PRETALX)
    said: list[str] = []
    import_pretalx(pretalx.url, pretalx.event, pretalx.token_file, folder, said.append)

    assert "1 new, 1 withdrawn, 1 edited, 5 unchanged" in said
    assert f"  withdrawn: {codes['Pandas tricks']} 'Pandas tricks' (removed from sessions.csv)" in said
    assert f"  edited: {codes['Scaling Django']} 'Scaling Django to millions': title" in said
    assert "note: added room foyer to conference.yaml" in said
    second = rows(folder / "sessions.csv")
    assert set(second) == set(first) - {codes["Pandas tricks"]} | {c for c in second if c not in first}
    late = next(code for code, row in second.items() if row["title"] == "A late talk")
    assert late not in first and second[late]["speakers"] == "fay-fox"
    assert second[hands_on]["title"] == "Hands-on Rust!"  # the organiser's fix stays: pretalx did not change it
    assert second[codes["Data pipelines 101"]]["expected_audience"] == "80"
    assert second[codes["Scaling Django"]]["title"] == "Scaling Django to millions"
    text = conference.read_text()
    assert text.startswith("# kept: the organiser's note\n")
    assert "name: TestCon 2027 (Berlin)  # our name" in text
    assert "{id: d2-4, start: '15:15', end: '16:45'" in text
    assert "  - {id: foyer, name: Foyer, capacity: 40}" in text
    assert rows(folder / "people.csv")["dave-dunn"]["max_sessions_per_day"] == "1"
    loaded = load_folder(folder)
    assert len(loaded.sessions) == 7 and "foyer" in {r.id for r in loaded.conference.rooms}

    said.clear()
    import_pretalx(pretalx.url, pretalx.event, pretalx.token_file, folder, said.append)
    assert "0 new, 0 withdrawn, 0 edited, 7 unchanged" in said
