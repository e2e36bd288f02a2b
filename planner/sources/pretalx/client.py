"""A connection to one event of a pretalx server: its API v1 address, the organiser's token, and the version header
that keeps every answer in API v1 whatever version the token was made for."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import Collector, InputProblems, Problem
from planner.sources.http import Api, NetworkFailure, api_root, read_token, shown_url

API_PATH = "/api"
VERSION = {"Pretalx-Version": "v1"}
"""pretalx reads the API version from this header before the token's own (pretalx/api/versions.py)."""
PAGE_SIZE = 100
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")


@dataclass
class Event:
    """One event's part of the API: `path('rooms/')` is '/events/<slug>/rooms/'."""

    api: Api
    slug: str
    url: str
    """The server's address as messages and files show it (`shown_url`)."""

    def path(self, rest: str = "") -> str:
        return f"/events/{urllib.parse.quote(self.slug)}/{rest}"

    def get(self, rest: str = "", query: dict[str, Any] | None = None) -> Any:
        return self.api.get(self.path(rest), query)

    def every(self, rest: str, query: dict[str, Any] | None = None) -> list[Any]:
        """Every item of a list endpoint, page by page."""
        return list(self.api.pages(self.path(rest), {"page_size": PAGE_SIZE, **(query or {})}))

    def check(self) -> None:
        """Make sure the server has the event and the token may see it (asked of the events list, which answers in
        JSON even where pretalx would answer an unknown event with an HTML error page); raises InputProblems."""
        listed = self.api.get("/events/")
        events = listed.get("results") if isinstance(listed, dict) else listed
        if not isinstance(events, list):
            raise NetworkFailure(f"{self.api.label}: /events/ did not answer with a list of events; is it pretalx?")
        slugs = sorted(str(e.get("slug")) for e in events if isinstance(e, dict) and e.get("slug"))
        if self.slug not in slugs:
            seen = f"the token can see: {', '.join(slugs)}" if slugs else "the token can see none"
            raise InputProblems(
                [Problem(self.api.label, field="--event", message=f"no event '{self.slug}' here ({seen})")]
            )

    @property
    def origin(self) -> str:
        return f"{self.url.rstrip('/')}, event {self.slug}"


def connect(url: str, slug: str, token_file: Path, problems: Collector, **settings: Any) -> Event | None:
    """The event at `url` with the token in `token_file`, or None with every problem of the three added (nothing
    is sent yet). `url` is the server's address; the event's own page ('https://pretalx.example.org/democon/'),
    pasted from a browser, is taken for the server's. `settings` go to the `Api` (timeout, attempts, backoff,
    sleep)."""
    url = _server(url, slug)
    label = f"pretalx {shown_url(url)}"
    root = api_root(url, API_PATH, label, problems)
    if not _SLUG.match(slug):
        problems.add(
            label, field="--event", message=f"'{slug}' is not an event's short name (letters, digits, '-', '_')"
        )
    token = read_token(token_file, str(token_file), problems)
    if root is None or token is None or not _SLUG.match(slug):
        return None
    return Event(Api(root, token, label, headers=dict(VERSION), **settings), slug, shown_url(url))


def _server(url: str, slug: str) -> str:
    """The server's address, were `url` the event's own page (its path ending in the event's short name)."""
    parts = urllib.parse.urlsplit(url.strip())
    path = parts.path.rstrip("/")
    if slug and path.rsplit("/", 1)[-1] == slug:
        return urllib.parse.urlunsplit(parts._replace(path=path[: -len(slug)]))
    return url
