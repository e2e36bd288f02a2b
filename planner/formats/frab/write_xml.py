"""schedule.xml: the programme in frab's XML, as the c3voc schema (https://c3voc.de/schedule/schema.xsd; the copy the
tests validate against, with where it came from, is in tests/formats/data/) defines it, for the apps and recording
tools that read XML rather than JSON.

It is made from the very document schedule.frab.json holds (`write.frab_document`), so both always say the same:
the same version, days, rooms, guids, ids, titles, times and people. What the XML leaves out, as its schema has no
place for it or would refuse it: an event's `end` (its `date` and `duration` say it), a URL that is not http(s) (ours
is the guid as a URN), a slug that is not the schema's `acronym-name` form (the JSON keeps it), a person's `name`
twice (the XML has one text), and empty optional fields. An event gets the `code` attribute when its session id is a
pretalx code (six capitals or digits), so a programme imported from pretalx names its submissions.

Characters XML 1.0 cannot hold are dropped; the same schedule always gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from planner.domain import Schedule
from planner.filenames import slug
from planner.formats.frab.write import event_ids, frab_document

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_VOC_SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
_PRETALX_CODE = re.compile(r"[0-9A-Z]{6}")
_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")


def _text(value: Any) -> str:
    return "" if value is None else _NOT_XML.sub("", str(value))


def _add(parent: ET.Element, tag: str, value: Any = None, **attributes: Any) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items() if v not in (None, "")})
    if value is not None:
        element.text = _text(value)
    return element


def _conference(parent: ET.Element, conference: dict[str, Any]) -> None:
    about = _add(parent, "conference")
    for key in ("title", "acronym", "start", "end"):
        _add(about, key, conference[key])
    _add(about, "days", conference["daysCount"])
    _add(about, "timeslot_duration", conference["timeslot_duration"])
    _add(about, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        name = slug(track["name"])
        _add(
            about,
            "track",
            name=track["name"],
            color=track.get("color"),
            slug=name if _TRACK_SLUG.fullmatch(name) else None,
        )


def _event(room: ET.Element, event: dict[str, Any], session_id: str) -> None:
    attributes = {"id": event["id"], "guid": event["guid"]}
    if _PRETALX_CODE.fullmatch(session_id):
        attributes["code"] = session_id
    element = _add(room, "event", **attributes)
    for key in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract"):
        if key != "subtitle" or event[key]:
            _add(element, key, event[key])
    if _VOC_SLUG.fullmatch(event["slug"]):
        _add(element, "slug", event["slug"])
    _add(element, "track", event["track"])
    persons = _add(element, "persons")
    for person in event["persons"]:
        _add(persons, "person", person["name"], guid=person["guid"])
    if event["language"]:
        _add(element, "language", event["language"])
    if event["description"]:
        _add(element, "description", event["description"])
    recording = _add(element, "recording")
    _add(recording, "license", event["recording_license"])
    _add(recording, "optout", "true" if event["do_not_record"] else "false")
    _add(element, "links")
    _add(element, "attachments")


def frab_schedule_xml(schedule: Schedule) -> str:
    """The whole document as text (UTF-8 when written), ending in a newline; equal schedules give equal text."""
    document = frab_document(schedule)
    conference = document["schedule"]["conference"]
    session_of = {number: session_id for session_id, number in event_ids(schedule).items()}
    root = ET.Element("schedule")
    _add(root, "generator", name=document["generator"]["name"])
    _add(root, "version", document["schedule"]["version"])
    _conference(root, conference)
    for day in conference["days"]:
        element = _add(root, "day", index=day["index"], date=day["date"], start=day["day_start"], end=day["day_end"])
        guids = {r["name"]: r["guid"] for r in conference["rooms"]}
        for room_name, events in day["rooms"].items():
            room = _add(element, "room", name=room_name, guid=guids.get(room_name))
            for event in events:
                _event(room, event, session_of[event["id"]])
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
