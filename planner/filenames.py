"""File names made from people's and rooms' names: readable, unique, and safe on every file system.

A name comes from an organiser's spreadsheet and may be anything: '../../etc/passwd', 'CON', 'Zoë Ng', two people
called 'Sam Lee'. Whatever the names, a caller of `safe_names` may rely on each file name being

- one path component: ASCII letters, digits and '-' (then the suffix), never empty, '.' or '..', so `folder / name`
  stays inside `folder`;
- unique ignoring case, as Windows and macOS compare names;
- not a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9), which Windows refuses with any extension;
- at most MAX_STEM characters before the suffix;
- readable and stable: the slug of the display name (of the key when the name has no Latin letters or digits). Names
  that would clash, and device names, all get a short suffix taken from their own key, so a person's file name does
  not depend on the order of the list, and does not shift when an unrelated person is added.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

MAX_STEM = 64
"""Characters before the suffix: readable in a listing and far below every file system's limit."""
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)
DIGEST = 6
"""Hex digits of the key's hash in a suffix: one clash among 16 million pairs, and then a counter settles it."""

_LATIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_SUFFIX = re.compile(r"(\.[a-z0-9]+)*")


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single '-' ("Zoë  O'Neill" -> "zoe-o-neill"); may be empty."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LATIN))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _capped(stem: str, room: int = MAX_STEM) -> str:
    return stem[:room].rstrip("-")


def _with(stem: str, tail: str) -> str:
    return f"{_capped(stem, MAX_STEM - len(tail) - 1)}-{tail}"


def _digest(key: Hashable) -> str:
    return hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST]


def safe_names(names: Mapping[K, str], suffix: str = "") -> dict[K, str]:
    """A file name for each key, made from its display name (see the module docstring for the guarantees).

    `suffix` is appended as given (for example '.ics'); it must be empty or dot-separated lowercase letters and digits.
    """
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"suffix {suffix!r} must be empty or like '.ics' (lowercase letters and digits after a dot)")
    stems = {key: _capped(slug(display) or slug(str(key)) or "unnamed") for key, display in names.items()}
    shared = Counter(stems.values())
    wanted = {
        key: stem if shared[stem] == 1 and stem not in WINDOWS_DEVICES else _with(stem, _digest(key))
        for key, stem in stems.items()
    }
    # A digest can still meet another name (two keys with one str(), or someone called "sam-lee-1a2b3c"): settle
    # those in a fixed order with a counter, never taking a name that another key wanted.
    claimed, taken, chosen = set(wanted.values()), set(), {}
    for key in sorted(wanted, key=lambda k: (wanted[k], str(k), repr(k))):
        stem, number = wanted[key], 1
        while stem in taken or (number > 1 and stem in claimed):
            number += 1
            stem = _with(wanted[key], str(number))
        taken.add(stem)
        chosen[key] = stem + suffix
    return {key: chosen[key] for key in names}
