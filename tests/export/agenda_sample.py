"""Schedules for the agenda tests: a tiny hand-built one (golden files), a hostile copy of it, and the SOC25 draft."""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.domain import (
    Assignment,
    Block,
    Conference,
    Day,
    Person,
    Room,
    Schedule,
    Session,
    SessionKind,
    Theme,
    Unscheduled,
)

REPO = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Europe/London")
HOSTILE_TITLE = "<script>alert(1)</script></script>"
HOSTILE_NAME = "\"'&<>"
GOLDEN = Path(__file__).parent / "golden"


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=ZONE)


def tiny() -> Schedule:
    """Two days: a plenary keynote, two parallel blocks around lunch, a workshop over two blocks, a day-2 plenary,
    one session left out and one cancelled."""
    d1, d2 = date(2030, 3, 28), date(2030, 3, 29)

    def block(day: date, block_id: str, start: str, end: str, kind: str, **more) -> Block:
        return Block(id=block_id, type=kind, start=at(day, start), end=at(day, end), **more)

    both = ("hall", "side")
    first = (
        block(d1, "open", "09:00", "10:00", "plenary", rooms=("hall",), kinds=("keynote",)),
        block(d1, "am", "10:00", "11:30", "parallel", rooms=both, kinds=("talk",)),
        block(d1, "lunch", "11:30", "12:30", "break", name="Lunch"),
        block(d1, "pm1", "12:30", "13:30", "parallel", rooms=both, kinds=("talk", "workshop")),
        block(d1, "pm2", "13:30", "14:30", "parallel", rooms=("side",), kinds=("workshop",)),
    )
    second = (block(d2, "close", "09:30", "10:30", "plenary", rooms=("hall",), kinds=("keynote",)),)
    conference = Conference(
        name="Mini Conference 2030",
        edition="MINI30",
        timezone="Europe/London",
        venue="Test Hall",
        rooms=(Room(id="hall", name="Main Hall", capacity=120), Room(id="side", name="Side Room", capacity=30)),
        kinds=(
            SessionKind(id="keynote", label="Keynote", colour="#1f3a93"),
            SessionKind(id="talk", label="Talk", colour="#f5b041"),
            SessionKind(id="workshop", label="Workshop"),
        ),
        themes=(Theme(id="health", label="Health"), Theme(id="data", label="Data")),
        days=(Day(id="d1", date=d1, name="Day 1", blocks=first), Day(id="d2", date=d2, name="Day 2", blocks=second)),
    )
    people = (
        Person(id="ana", name="Ana Ruiz"),
        Person(id="bo", name="Bo Li"),
        Person(id="cem", name="Cem Aydin"),
        Person(id="dee", name="Dee Moss"),
    )

    def session(session_id: str, title: str, kind: str, minutes: int, **more) -> Session:
        return Session(id=session_id, title=title, kind=kind, duration=minutes, **more)

    def placed(item: Session, room: str, day: date, start: str, end: str, day_id: str, *blocks: str) -> Assignment:
        return Assignment(session=item, room=room, start=at(day, start), end=at(day, end), day=day_id, blocks=blocks)

    keynote = session("open", "Opening keynote", "keynote", 60, themes=("health",), chair="bo", speakers=("ana",))
    data = session("dd-data", "Data for decisions", "talk", 90, themes=("data",), chair="bo", speakers=("ana", "cem"))
    nhs = session("dd-nhs", "NHS partnerships", "talk", 90, themes=("health", "data"), speakers=("dee",))
    lab = session("ws-lab", "Contract design lab", "workshop", 120, chair="cem", speakers=("dee",))
    late = session("late", "Late-breaking results", "talk", 60, themes=("data",), speakers=("cem",))
    close = session("close", "Closing plenary", "keynote", 60, chair="ana")
    dropped = session("dropped", "Measuring what matters", "talk", 60, speakers=("dee",), optional=True)
    withdrawn = session("gone", "Withdrawn panel", "talk", 90, themes=("health",), chair="ana")
    return Schedule(
        conference=conference,
        people=people,
        assignments=(
            placed(keynote, "hall", d1, "09:00", "10:00", "d1", "open"),
            placed(data, "hall", d1, "10:00", "11:30", "d1", "am"),
            placed(nhs, "side", d1, "10:00", "11:30", "d1", "am"),
            placed(late, "hall", d1, "12:30", "13:30", "d1", "pm1"),
            placed(lab, "side", d1, "12:30", "14:30", "d1", "pm1", "pm2"),
            placed(close, "hall", d2, "09:30", "10:30", "d2", "close"),
        ),
        unscheduled=(
            Unscheduled(session=dropped, reason="No room-slot left for an optional talk."),
            Unscheduled(
                session=withdrawn,
                reason="Withdrawn by the speakers.",
                was=placed(withdrawn, "side", d1, "12:30", "13:30", "d1", "pm1"),
            ),
        ),
    )


def hostile(schedule: Schedule, title: str = HOSTILE_TITLE, name: str = HOSTILE_NAME) -> Schedule:
    """Every piece of user text in `schedule` made hostile: session titles, names, labels, reasons."""

    def retitle(item: Session) -> Session:
        return item.model_copy(update={"title": f"{title} {item.id}", "abstract": title})

    conference = schedule.conference
    return schedule.model_copy(
        update={
            "conference": conference.model_copy(
                update={
                    "name": f"{title} conference",
                    "venue": name,
                    "rooms": tuple(r.model_copy(update={"name": f"{name} {r.id}"}) for r in conference.rooms),
                    "kinds": tuple(k.model_copy(update={"label": f"{name} {k.id}"}) for k in conference.kinds),
                    "themes": tuple(t.model_copy(update={"label": f"{title} {t.id}"}) for t in conference.themes),
                }
            ),
            "people": tuple(p.model_copy(update={"name": f"{name} {p.id}"}) for p in schedule.people),
            "assignments": tuple(a.model_copy(update={"session": retitle(a.session)}) for a in schedule.assignments),
            "unscheduled": tuple(
                u.model_copy(update={"session": retitle(u.session), "reason": f"{title} {name}"})
                for u in schedule.unscheduled
            ),
        }
    )


@functools.cache
def soc2025() -> Schedule:
    """The example conference drafted by the solver (about a second)."""
    from planner.io.folder import load_folder
    from planner.solve.run import Settings, draft

    return draft(load_folder(REPO / "examples" / "soc2025"), settings=Settings(workers=1)).schedule


def check_golden(
    name: str, text: str, regenerate_env: str = "PLANNER_REGENERATE_GOLDEN", folder: Path = GOLDEN
) -> None:
    """Compare with NAME in `folder` (tests/export/golden); with PLANNER_REGENERATE_GOLDEN=1 set, rewrite it instead
    (then review the diff before committing)."""
    import os

    path = folder / name
    if os.environ.get(regenerate_env) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path}; run with {regenerate_env}=1 once and review it"
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"
