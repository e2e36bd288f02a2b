"""A CoSPLib workbook's tracks, penalties and weights as a paper conference (planner.domain.Paper and the paper
terms' weights): what folder.py writes under `paper:` and `weights:` in conference.yaml, and each talk's track,
order, time zone and place costs in sessions.csv.

CoSPLib names each penalty on its parameters sheet; WEIGHTS maps those names to planner's terms
(planner/solve/paper_terms.py), which count what CoSPLib's checker counts.
"""

from __future__ import annotations

from collections.abc import Callable

from planner.sources.cosplib.workbook import CosplibWorkbook, Submission

WEIGHTS = {
    "Tracks_Sessions|Penalty": "track_period",
    "Tracks_Rooms|Penalty": "track_room",
    "Sessions_Rooms|Penalty": "period_room",
    "Similar Tracks": "similar_tracks",
    "Number of Rooms per Track": "track_rooms",
    "Parallel Tracks": "track_parallel",
    "Consecutive Tracks": "track_split",
    "Submissions_Timezones": "talk_time_zone",
    "Submissions Order": "talk_order",
    "Submissions_Sessions|Penalty": "talk_period",
    "Submissions_Rooms|Penalty": "talk_room",
    "Presenters Conflicts": "presenter_conflict",
    "Attendees Conflicts": "attendee_period_conflict",
    "Chairs Conflicts": "chair_conflict",
    "Presenters Conflicts Timeslot Level": "presenter_slot_conflict",
    "Attendees Conflicts Timeslot Level": "attendee_slot_conflict",
}
"""CoSPLib's name for a penalty's weight (its parameters sheet, without the colon) -> planner's term."""


def weights(book: CosplibWorkbook) -> dict[str, int]:
    """The paper terms' weights, every one given (0 where the workbook gives none)."""
    found = {term: 0 for term in WEIGHTS.values()}
    for name, weight in book.weights.items():
        if name in WEIGHTS:
            found[WEIGHTS[name]] = weight
    return found


def paper_section(
    book: CosplibWorkbook,
    track_id: Callable[[str], str],
    room_id: Callable[[str], str],
    period_id: dict[str, str],
    person_id: Callable[[str], str],
    closed: set[tuple[str, str]],
) -> dict:
    """conference.yaml's `paper:` (tracks with their chairs and costs, the period-room costs, suitable hours)."""
    similar = book.matrices.get("similar tracks", {})
    order = {t.name: i for i, t in enumerate(book.tracks)}
    tracks = []
    for track in book.tracks:
        entry: dict = {"id": track_id(track.name), "label": track.name}
        if track.chairs:
            entry["chairs"] = [person_id(c) for c in track.chairs]
        periods = {
            period_id[p]: v
            for (t, p), v in book.matrices.get("tracks_sessions|penalty", {}).items()
            if t == track.name and p in period_id
        }
        rooms = {
            room_id(r): v for (t, r), v in book.matrices.get("tracks_rooms|penalty", {}).items() if t == track.name
        }
        # CoSPLib reads a pair's similarity from the row of the track listed first (the upper triangle).
        alike = {}
        for other in book.tracks:
            if other.name == track.name:
                continue
            first, second = sorted((track.name, other.name), key=lambda name: order[name])
            if value := similar.get((first, second), 0):
                alike[track_id(other.name)] = value
        entry.update({k: v for k, v in (("periods", periods), ("rooms", rooms), ("similar", alike)) if v})
        tracks.append(entry)
    period_rooms: dict[str, dict[str, int]] = {}
    for (period, room), value in book.matrices.get("sessions_rooms|penalty", {}).items():
        if period in period_id and (period, room) not in closed:
            period_rooms.setdefault(period_id[period], {})[room_id(room)] = value
    section: dict = {"tracks": tracks}
    if period_rooms:
        section["period_rooms"] = period_rooms
    times, penalties = book.hours
    if len(times) >= 4 and len(penalties) >= 2:
        section["hours"] = {
            "start": f"{times[0]:%H:%M}",
            "end": f"{times[1]:%H:%M}",
            "fringe_start": f"{times[2]:%H:%M}",
            "fringe_end": f"{times[3]:%H:%M}",
            "fringe_cost": penalties[0],
            "outside_cost": penalties[1],
        }
    return section


def place_costs(submission: Submission, period_id: dict[str, str], room_id: Callable[[str], str]) -> str:
    """sessions.csv's place_costs cell: 'mon1=100;room-a=1' (period and room ids with the talk's penalties)."""
    costs = [f"{period_id[p]}={v}" for p, v in submission.session_penalties.items() if p in period_id]
    costs += [f"{room_id(r)}={v}" for r, v in submission.room_penalties.items()]
    return ";".join(costs)
