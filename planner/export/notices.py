"""Notices after a re-plan: one ready-to-send message per person affected (speaker or chair), naming their sessions
before and after, each move, room change, cancellation, and each session they joined or left; as plain text and as
an RFC 5322 e-mail draft, with an index of who gets what. Nothing is sent.

People whose sessions did not change get none (planner.changes.people_affected says who is affected). Every piece of
an organiser's text (names, titles, rooms, the conference's name) is put on one line before it goes into a message,
so no name can start a header or a line of its own; the e-mail's headers are built by the standard library, which
encodes what is not ASCII (RFC 2047) and refuses a line break. A person has no e-mail address in our data, so the
draft's To names them as an empty group ('Ana Ruiz:;', RFC 5322 3.4): a mail client opens it as a draft to address.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from email import policy
from email.headerregistry import Group
from email.message import EmailMessage
from pathlib import Path

from planner.changes import (
    Affected,
    How,
    PersonChange,
    change_summary,
    people_affected,
    role,
    room_names,
    where,
)
from planner.clock import day_time_span, publication_stamp
from planner.domain import Assignment, Schedule
from planner.filenames import safe_names
from planner.formats.markdown import markdown_table

FOLDER = "notices"
INDEX = f"{FOLDER}/index.md"
DRAFT_HEADER = "X-Unsent"
"""'1' marks an .eml as a draft that Outlook opens for editing and sending; other clients ignore it."""
PERSON_HEADER = "X-Planner-Person"
"""The person's id: which person a draft is for, for the organiser's own tools."""


def one_line(text: str) -> str:
    """Text on one line: every run of whitespace (line breaks, tabs, U+2028) one space, control characters gone."""
    return " ".join("".join(c if c.isprintable() or c.isspace() else " " for c in text).split())


class _Words:
    """The places and sessions of both programmes in the words a notice uses."""

    def __init__(self, previous: Schedule, current: Schedule) -> None:
        self.rooms = {room: one_line(name) for room, name in room_names(previous, current).items()}
        self.zone: tzinfo = current.conference.zone

    def where(self, assignment: Assignment | None) -> str:
        return where(assignment, self.rooms, self.zone)

    def room(self, assignment: Assignment) -> str:
        return self.rooms.get(assignment.room, one_line(assignment.room))

    def session(self, change: PersonChange) -> str:
        return f"'{one_line(change.title)}' ({change.session})"

    def change(self, change: PersonChange) -> str:
        """One change, as a sentence addressed to the person."""
        session, before, after = self.session(change), self.where(change.before), self.where(change.after)
        if change.how is How.MOVED:
            return f"{session} has moved: it was {before}, and is now {after}."
        if change.how is How.ROOM:
            assert change.before is not None and change.after is not None
            when = day_time_span(change.after.start, change.after.end, self.zone)
            return (
                f"{session} is in another room: {self.room(change.after)} instead of {self.room(change.before)}, "
                f"at the same time ({when})."
            )
        if change.how is How.CANCELLED:
            return f"{session} is cancelled: it was {before}, and is no longer in the programme."
        if change.how is How.WITHDRAWN:
            return f"{session} is withdrawn: it was {before}, and will not take place."
        if change.how is How.ADDED:
            new = "" if change.before else " (new in the programme)"
            return f"You are now {change.role} in {session}{new}: {after}."
        still = f"; it goes ahead {after} without you" if change.after else f" (it was {before})"
        return f"You are no longer {change.role} in {session}{still}."

    def itinerary(self, sessions: tuple[Assignment, ...], person: str) -> list[str]:
        if not sessions:
            return ["- none"]
        return [
            f"- {self.where(a)}: '{one_line(a.session.title)}' ({a.session.id}), {role(a, person)}" for a in sessions
        ]


def subject(current: Schedule) -> str:
    return f"{one_line(current.conference.name)}: changes to your sessions"


def letter(affected: Affected, words: _Words, current: Schedule) -> str:
    """The message's body: the changes, then the person's sessions before and now."""
    conference = one_line(current.conference.name)
    lines = [
        f"Dear {one_line(affected.name)},",
        "",
        f"The programme of {conference} has changed. What changed for you:",
        "",
        *(f"- {words.change(change)}" for change in affected.changes),
        "",
        "Your sessions before:",
        *words.itinerary(affected.before, affected.person),
        "",
        "Your sessions now:",
        *words.itinerary(affected.after, affected.person),
        "",
        f"All times are local to the conference ({current.conference.timezone}).",
        "",
    ]
    return "\n".join(lines)


def plain_text(affected: Affected, body: str, current: Schedule) -> str:
    """The message as plain text, with who it is for and its subject first."""
    return f"To: {one_line(affected.name)}\nSubject: {subject(current)}\n\n{body}"


def email_draft(affected: Affected, body: str, current: Schedule, stamp: datetime) -> bytes:
    """An RFC 5322 message (CRLF lines, UTF-8 body, non-ASCII headers encoded), marked as an unsent draft."""
    message = EmailMessage(policy=policy.SMTP)
    message["To"] = Group(display_name=one_line(affected.name) or affected.person)
    message["Subject"] = subject(current)
    message["Date"] = stamp
    message[DRAFT_HEADER] = "1"
    message[PERSON_HEADER] = affected.person
    message.set_content(body, charset="utf-8")
    return message.as_bytes()


def index(affected: list[Affected], files: dict[str, str]) -> str:
    """notices/index.md: who gets a notice, what changed for them, and their two files."""
    text = "# Notices\n\n"
    if not affected:
        return text + "No one's sessions changed, so there are no notices.\n"
    text += (
        f"{len(affected)} {'person is' if len(affected) == 1 else 'people are'} affected by the changes. Each has a "
        "plain-text message (.txt) and an e-mail draft (.eml) to address and send; nothing has been sent.\n\n"
    )
    rows = [
        (
            one_line(a.name),
            "; ".join(change_summary(c) for c in a.changes),
            f"{files[a.person]}.txt",
            f"{files[a.person]}.eml",
        )
        for a in affected
    ]
    return text + markdown_table(["person", "what changed", "message", "e-mail draft"], rows) + "\n"


def notices(previous: Schedule, current: Schedule, stamp: datetime | None = None) -> dict[str, str | bytes]:
    """Relative path -> content: notices/index.md, and notices/<name>.txt and .eml for each person affected.

    `stamp` is the drafts' Date (planner.clock.publication_stamp when not given: SOURCE_DATE_EPOCH for reproducible
    output); equal inputs and stamp give equal bytes. File names come from people's names (planner.filenames).
    """
    affected = people_affected(previous, current)
    when = stamp if stamp is not None else publication_stamp()
    words = _Words(previous, current)
    files = safe_names({a.person: a.name for a in affected})
    documents: dict[str, str | bytes] = {INDEX: index(affected, files)}
    for person in affected:
        body = letter(person, words, current)
        documents[f"{FOLDER}/{files[person.person]}.txt"] = plain_text(person, body, current)
        documents[f"{FOLDER}/{files[person.person]}.eml"] = email_draft(person, body, current, when)
    return documents


def stale_notices(out_dir: Path, keep: Iterable[str]) -> list[Path]:
    """The notices an earlier run wrote under `out_dir` that `keep` (paths relative to `out_dir`) does not name: for
    people this re-plan does not affect, or every one of them when this run writes no notices (no --previous)."""
    kept = {out_dir / relative for relative in keep}
    folder = out_dir / FOLDER
    found = [*folder.glob("*.txt"), *folder.glob("*.eml"), folder / "index.md"]
    return sorted(path for path in found if path.is_file() and path not in kept)
