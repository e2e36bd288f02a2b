"""Names to person ids: one identity per person, whatever title, case, accents or recorded alias a text uses.

Matching is exact after normalisation, plus explicit aliases: no fuzzy matching, because a false merge of two
people is worse than a missed one (a missed one is visible; a false merge silently invents clashes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

TITLES = frozenset(
    [
        "prof",
        "professor",
        "assoc",
        "associate",
        "dr",
        "doctor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "sir",
        "dame",
        "lord",
        "lady",
        "baroness",
        "baron",
        "rev",
        "revd",
        "mayor",
        "cllr",
        "councillor",
        "hon",
        "rt",
    ]
)
"""Words dropped from the start of a name."""

POSTNOMINALS = frozenset(["mp", "mep", "msp", "obe", "mbe", "cbe", "kbe", "dbe", "frs", "fba", "phd", "md", "jr", "sr"])
"""Words dropped from the end of a name."""

_APOSTROPHES = re.compile(r"['’`]")
_SEPARATORS = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """The comparison key of a name: no titles or post-nominals, no accents, case-folded, single-spaced.

    "Prof. Ole Helby Petersen" and "ole helby petersen" share a key; "Michael People" and "Michael Peoples" do not
    (that takes an alias).
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.casefold())
    words = [w for w in _SEPARATORS.sub(" ", text).split() if w]
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words.pop()
    return " ".join(words)


def display_name(name: str) -> str:
    """A name as written, less leading titles and trailing post-nominals ("Prof. Ole Petersen MP" -> "Ole Petersen")."""
    words = name.split()
    while len(words) > 1 and _bare(words[0]) in TITLES:
        words.pop(0)
    while len(words) > 1 and _bare(words[-1]) in POSTNOMINALS:
        words.pop()
    return " ".join(words).strip(" ,")


def _bare(word: str) -> str:
    return _SEPARATORS.sub("", word.casefold())


def slug(name: str) -> str:
    """A file- and URL-safe id made from a name ("Dr Eleanor Carter" -> "eleanor-carter")."""
    return name_key(name).replace(" ", "-").replace("_", "-") or "unnamed"


@dataclass
class Identities:
    """Maps every known spelling of a person to one id, and refuses to map one spelling to two people."""

    _ids: dict[str, str] = field(default_factory=dict)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    """(spelling, id already holding it, id that also claimed it)."""

    def add(self, person_id: str, names: Iterable[str]) -> None:
        for spelling in names:
            key = name_key(spelling)
            if not key:
                continue
            held = self._ids.setdefault(key, person_id)
            if held != person_id:
                self.conflicts.append((spelling, held, person_id))

    def resolve(self, name: str) -> str | None:
        """The person id for a name, an alias or an id itself; None when nobody answers to it."""
        return self._ids.get(name_key(name))

    def spellings(self) -> list[str]:
        return sorted(self._ids)
