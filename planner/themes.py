"""The theme taxonomy and keyword tagging: suggestions for sessions that name no themes."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from planner.domain import ConferenceInput, Theme

MAX_SUGGESTIONS = 3


def bundled_taxonomy() -> tuple[Theme, ...]:
    """The taxonomy shipped with planner (planner/data/themes.yaml), derived from past SOC programmes."""
    text = resources.files("planner").joinpath("data/themes.yaml").read_text(encoding="utf-8")
    return tuple(Theme.model_validate(item) for item in yaml.safe_load(text)["themes"])


@cache
def _pattern(keyword: str) -> re.Pattern[str]:
    """Whole-word pattern: '*' at the end matches any ending; spaces and hyphens match each other.

    An all-capitals keyword (an acronym such as 'NHS' or 'SIB*') matches case-sensitively so that 'SIB*' does not
    match 'sibling'.
    """
    stem = keyword.rstrip("*")
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", stem) if part]
    body = r"[\s\-]+".join(parts) + (r"\w*" if keyword.endswith("*") else "")
    flags = 0 if stem.isupper() else re.IGNORECASE
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def keyword_hits(theme: Theme, text: str) -> int:
    return sum(len(_pattern(keyword).findall(text)) for keyword in theme.keywords)


def suggest_themes(text: str, taxonomy: tuple[Theme, ...], limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
    """Theme ids whose keywords occur in `text`, most hits first (ties in taxonomy order), at most `limit`."""
    scored = [(keyword_hits(theme, text), -index, theme.id) for index, theme in enumerate(taxonomy)]
    return tuple(theme_id for hits, _, theme_id in sorted(scored, reverse=True) if hits > 0)[:limit]


def with_suggested_themes(inputs: ConferenceInput) -> tuple[ConferenceInput, dict[str, tuple[str, ...]]]:
    """Sessions that name no themes take the suggested ones (so theme balancing sees them); returns what was added."""
    added: dict[str, tuple[str, ...]] = {}
    sessions = []
    for session in inputs.sessions:
        if not session.themes:
            suggested = suggest_themes(f"{session.title}\n{session.abstract}", inputs.conference.themes)
            if suggested:
                added[session.id] = suggested
                session = session.model_copy(update={"themes": suggested})
        sessions.append(session)
    return inputs.model_copy(update={"sessions": tuple(sessions)}), added
