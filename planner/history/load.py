"""history/ into pandas: one row per past session and one per appearance of a person, identities resolved."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from planner.errors import Collector
from planner.history.records import Edition, Variants
from planner.identity import Identities, slug
from planner.io.validation import Loc, field_path, validate
from planner.io.yamlfile import line_at, line_of, read_yaml
from planner.themes import bundled_taxonomy

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_HISTORY = Path(__file__).resolve().parents[2] / "history"
"""The repository's history/ folder (planner is installed in place with `pip install -e`)."""

VARIANTS_FILE = "people.yaml"

KINDS = frozenset(
    [
        "welcome",
        "keynote",
        "panel",
        "roundtable",
        "deep_dive",
        "big_picture",
        "launch",
        "public_talk",
        "breakfast",
        "share_and_learn",
        "workshop",
        "social",
    ]
)
"""The session kinds a past session may be recorded under; a typo would otherwise become a kind of its own."""


@dataclass(frozen=True)
class History:
    editions: tuple[Edition, ...]
    identities: Identities
    sessions: pd.DataFrame
    """edition, year, day, date, source, order, concurrency, parallel (sessions in the slot), session, kind, label,
    title, time, attendance, themes (tuple), people (count), uncertain."""
    appearances: pd.DataFrame
    """edition, year, day, session, kind, title, person (id), name (as written), organisation, role."""


def _read_variants(folder: Path, problems: Collector) -> Identities:
    identities = Identities()
    path = folder / VARIANTS_FILE
    if not path.is_file():
        return identities
    document = read_yaml(path, str(path), problems)
    if document is None:
        return identities
    variants = validate(Variants, document, str(path), lambda loc: line_at(document, loc), problems)
    for variant in variants.people if variants else ():
        identities.add(slug(variant.name), (variant.name, *variant.aliases))
    for spelling, held, other in identities.conflicts:
        problems.add(str(path), field="aliases", message=f"'{spelling}' is listed for both '{held}' and '{other}'")
    return identities


def _check_sessions(edition: Edition, document: dict, label: str, seen: dict[str, str], problems: Collector) -> None:
    """What the schema cannot see: a kind or theme id outside the known lists, a session id used twice."""
    themes = {theme.id for theme in bundled_taxonomy()}
    for d, day in enumerate(edition.days):
        for s, slot in enumerate(day.slots):
            for k, session in enumerate(slot.sessions):
                at: Loc = ("days", d, "slots", s, "sessions", k)

                def add(rest: Loc, message: str, at: Loc = at) -> None:
                    problems.add(label, line_at(document, at + rest), field_path(at + rest), message)

                if session.kind not in KINDS:
                    add(("kind",), f"'{session.kind}' is not a known kind; expected one of: {', '.join(sorted(KINDS))}")
                for t, theme in enumerate(session.themes):
                    if theme not in themes:
                        add(("themes", t), f"'{theme}' is not a theme id of the bundled taxonomy")
                if session.id in seen:
                    add(("id",), f"session id '{session.id}' is already used at {seen[session.id]}")
                else:
                    seen[session.id] = f"{label}, line {line_of(document, (*at, 'id'))}"


def read_editions(folder: Path) -> tuple[tuple[Edition, ...], Identities]:
    """Every edition file (all *.yaml but people.yaml) and the identity aliases; raises InputProblems."""
    problems = Collector()
    if not folder.is_dir():
        problems.add(str(folder), message="is not a folder; expected the history/ folder of past programmes")
        problems.raise_if_any()
    identities = _read_variants(folder, problems)
    editions: list[Edition] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == VARIANTS_FILE:
            continue
        document = read_yaml(path, str(path), problems)
        if document is None:
            continue
        edition = validate(Edition, document, str(path), partial(line_at, document), problems)
        if edition is not None:
            _check_sessions(edition, document, str(path), seen, problems)
            editions.append(edition)
    if not editions and not problems:
        problems.add(str(folder), message="holds no edition files (*.yaml)")
    problems.raise_if_any()
    return tuple(sorted(editions, key=lambda e: e.year)), identities


def person_id(name: str, identities: Identities) -> str:
    """The one id of a past speaker: their recorded variant's id, else their name's slug (titles dropped)."""
    return identities.resolve(name) or slug(name)


def load_history(folder: Path = DEFAULT_HISTORY) -> History:
    """History as data frames; raises InputProblems with every problem in the files."""
    editions, identities = read_editions(folder)
    return history_of(editions, identities)


def with_edition(history: History, edition: Edition) -> History:
    """History with one more edition (a drafted programme set beside the past ones), in year order."""
    return history_of(tuple(sorted((*history.editions, edition), key=lambda e: e.year)), history.identities)


def history_of(editions: tuple[Edition, ...], identities: Identities) -> History:
    """The editions as data frames: a row per session, a row per appearance of a person (identities resolved)."""
    import pandas as pd

    session_rows, appearance_rows = [], []
    for edition in editions:
        for day in edition.days:
            for slot in day.slots:
                for session in slot.sessions:
                    session_rows.append(
                        {
                            "edition": edition.edition,
                            "year": edition.year,
                            "day": day.day,
                            "date": day.date,
                            "source": day.source,
                            "order": slot.order,
                            "concurrency": slot.concurrency,
                            "parallel": len(slot.sessions),
                            "session": session.id,
                            "kind": session.kind,
                            "label": session.label,
                            "title": session.title,
                            "time": session.time,
                            "attendance": session.attendance,
                            "themes": session.themes,
                            "people": len(session.people),
                            "uncertain": session.uncertain,
                        }
                    )
                    for person in session.people:
                        appearance_rows.append(
                            {
                                "edition": edition.edition,
                                "year": edition.year,
                                "day": day.day,
                                "session": session.id,
                                "kind": session.kind,
                                "title": session.title,
                                "person": person_id(person.name, identities),
                                "name": person.name,
                                "organisation": person.organisation,
                                "role": person.role,
                            }
                        )
    return History(editions, identities, pd.DataFrame(session_rows), pd.DataFrame(appearance_rows))
