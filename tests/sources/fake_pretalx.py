"""A stand-in pretalx answering API v1 from a small event held in memory (two rooms, three confirmed submissions with
work-in-progress slots that PATCH moves), for the faults a real pretalx cannot be made to show: a test adds rules
before `serve()` to misbehave where it wants."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.sources.standin import Answer, Seen, StandIn

TOKEN = "fake-pretalx-token-" + "k" * 40


def _page(results: list[Any]) -> Answer:
    return Answer(200, {"count": len(results), "next": None, "previous": None, "results": results})


@dataclass
class FakePretalx:
    server: StandIn
    slots: dict[int, dict[str, Any]] = field(default_factory=dict)
    versions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.slots = {
            n: {"id": n, "room": None, "start": None, "end": None, "submission": code, "schedule": 5, "duration": 30}
            for n, code in enumerate(("AAA111", "BBB222", "CCC333"), start=1)
        }

    @property
    def base(self) -> str:
        return "/api/events/fakecon/"

    def serve(self) -> FakePretalx:
        s, base = self.server, self.base
        s.on("GET", "/api/events/fakecon/", self._get)
        s.on("GET", "/api/events/", Answer(200, [{"slug": "fakecon", "name": {"en": "FakeCon"}}]))
        s.on("PATCH", base + "slots/", self._patch)
        s.on("POST", base + "schedules/release/", self._release)
        return self

    def _get(self, seen: Seen) -> Answer:
        path = seen.path.split("?")[0].removeprefix(self.base)
        answers = {
            "": Answer(200, self.event()),
            "rooms/": _page(self.rooms()),
            "submission-types/": _page([{"id": 1, "name": {"en": "Talk"}, "default_duration": 30}]),
            "tracks/": _page([]),
            "schedules/wip/": Answer(200, {"id": 5, "version": "wip", "slots": list(self.slots)}),
            "schedules/": _page([{"id": 5, "version": "wip", "published": None}, *self._released()]),
            "slots/": _page(list(self.slots.values())),
        }
        if path == "submissions/":
            running = "state=accepted" in seen.path
            return _page(self.submissions() if running else [])
        return answers.get(path, Answer(404, {"detail": "Not found."}))

    def event(self) -> dict[str, Any]:
        return {
            "name": {"en": "FakeCon"},
            "slug": "fakecon",
            "date_from": "2031-05-05",
            "date_to": "2031-05-05",
            "timezone": "Europe/Vienna",
            "locale": "en",
        }

    def rooms(self) -> list[dict[str, Any]]:
        return [
            {"id": 10, "name": {"en": "Hall"}, "capacity": 100, "position": 0, "availabilities": []},
            {"id": 11, "name": {"en": "Side"}, "capacity": 20, "position": 1, "availabilities": []},
        ]

    def submissions(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "title": title,
                "submission_type": 1,
                "track": None,
                "duration": 30,
                "abstract": "",
                "state": "confirmed",
                "speakers": [{"code": f"P{n}", "name": f"Person {n}", "availabilities": []}],
            }
            for n, (code, title) in enumerate((("AAA111", "First"), ("BBB222", "Second"), ("CCC333", "Third")))
        ]

    def _released(self) -> list[dict[str, Any]]:
        return [{"id": 6 + n, "version": v, "published": "2031-01-01T00:00:00Z"} for n, v in enumerate(self.versions)]

    def _patch(self, seen: Seen) -> Answer:
        number = int(seen.path.rstrip("/").split("/")[-1])
        body = json.loads(seen.body)
        self.slots[number] |= {"room": body["room"], "start": body["start"]}
        return Answer(200, self.slots[number])

    def _release(self, seen: Seen) -> Answer:
        version = json.loads(seen.body)["version"]
        if version in self.versions:
            return Answer(400, {"version": [f"A schedule with the version '{version}' already exists."]})
        self.versions.append(version)
        return Answer(201, {"id": 9, "version": version})

    def patches(self) -> list[Seen]:
        return [seen for seen in self.server.seen if seen.method == "PATCH"]
