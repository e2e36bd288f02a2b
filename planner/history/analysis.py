"""What past programmes tell the next one: kinds per edition, day shapes, parallelism, theme trends, people.

Pure functions from the history frames to small frames, ready to print, write or derive a template from. The
recaps cover editions unevenly (SOC21 and SOC22 are Day 1 only), so theme trends use shares, not counts.
"""

from __future__ import annotations

import pandas as pd

from planner.identity import display_name

ARROW = " → "
TREND_THRESHOLD = 0.02
"""A theme whose share of sessions changes by more than this per year is rising or falling."""


def editions_in_order(sessions: pd.DataFrame) -> list[str]:
    """The editions the sessions come from, oldest first."""
    return list(sessions.drop_duplicates("edition").sort_values("year")["edition"])


def edition_sizes(sessions: pd.DataFrame) -> pd.Series:
    """Sessions the recaps name per edition, oldest first: the denominator of every theme share."""
    return sessions.groupby("edition").size().reindex(editions_in_order(sessions))


def sessions_per_kind(sessions: pd.DataFrame) -> pd.DataFrame:
    """Kinds down, editions across (oldest first), session counts, with a total column; no columns-axis name, so
    the editions do not sit under an 'edition' header when the table is printed."""
    table = pd.crosstab(sessions["kind"], sessions["edition"]).rename_axis(columns=None)
    table = table.reindex(columns=editions_in_order(sessions), fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.sort_values(["total", "kind"], ascending=[False, True])


def slots(sessions: pd.DataFrame) -> pd.DataFrame:
    """One row per slot of each day: its kinds and how many sessions ran side by side."""
    grouped = sessions.groupby(["edition", "year", "day", "order"], sort=True)
    frame = grouped.agg(
        kinds=("kind", lambda k: tuple(dict.fromkeys(k))),
        parallel=("session", "size"),
        concurrency=("concurrency", "first"),
    ).reset_index()
    return frame.sort_values(["year", "day", "order"], ignore_index=True)


def _slot_label(kinds: tuple[str, ...], parallel: int, concurrency: str) -> str:
    label = "+".join(kinds) + (f"×{parallel}" if parallel > 1 else "")
    return label + ("?" if concurrency == "unclear" and parallel > 1 else "")


def day_shapes(sessions: pd.DataFrame) -> pd.DataFrame:
    """Each recorded day as a sequence of slots ("roundtable×3 → keynote → deep_dive×3"; '?' marks concurrency the
    recap leaves unclear), with its number of slots and sessions and its widest parallelism."""
    rows = []
    for (edition, year, day), group in slots(sessions).groupby(["edition", "year", "day"], sort=False):
        rows.append(
            {
                "edition": edition,
                "year": year,
                "day": day,
                "slots": len(group),
                "sessions": int(group["parallel"].sum()),
                "widest": int(group["parallel"].max()),
                "shape": ARROW.join(
                    _slot_label(k, p, c)
                    for k, p, c in zip(group["kinds"], group["parallel"], group["concurrency"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def parallelism(sessions: pd.DataFrame) -> pd.DataFrame:
    """Per kind: how many sessions of it ran side by side, at most and typically (the median slot)."""
    table = slots(sessions)
    table = table[table["kinds"].map(len) == 1].assign(kind=lambda t: t["kinds"].map(lambda k: k[0]))
    parallel = table.groupby("kind")["parallel"]
    frame = pd.DataFrame(
        {"slots": parallel.size(), "widest": parallel.max(), "typical": parallel.median().astype(int)}
    ).rename_axis(index="kind")
    return frame.sort_values(["widest", "slots"], ascending=False)


def theme_counts(sessions: pd.DataFrame) -> pd.DataFrame:
    """Themes (ids) down, editions across (oldest first): how many sessions carried each theme."""
    tagged = sessions[["edition", "year", "themes"]].explode("themes").dropna(subset=["themes"])
    table = pd.crosstab(tagged["themes"], tagged["edition"]).rename_axis(index="theme", columns=None)
    return table.reindex(columns=editions_in_order(sessions), fill_value=0)


def theme_trend(sessions: pd.DataFrame) -> pd.DataFrame:
    """Each theme's share of its edition's sessions (a fraction, 0.407 for 11 of 27), the least-squares change in
    share per year (a fraction too), a word for it, and its sessions over all editions."""
    import numpy as np

    counts = theme_counts(sessions)
    totals = edition_sizes(sessions).reindex(counts.columns)
    years = sessions.drop_duplicates("edition").set_index("edition")["year"].reindex(counts.columns).to_numpy()
    shares = counts.div(totals, axis=1)
    slopes = [float(np.polyfit(years, row.to_numpy(), 1)[0]) if len(years) > 1 else 0.0 for _, row in shares.iterrows()]
    trend = shares.round(3)
    trend["per_year"] = np.round(slopes, 3)
    trend["trend"] = [
        "rising" if s > TREND_THRESHOLD else "falling" if s < -TREND_THRESHOLD else "steady" for s in slopes
    ]
    trend["sessions"] = counts.sum(axis=1)
    return trend.sort_values(["per_year", "sessions"], ascending=[False, False])


def recurring_people(appearances: pd.DataFrame, min_editions: int = 2) -> pd.DataFrame:
    """People in at least `min_editions` editions: editions, roles per edition, and the spellings the recaps used."""
    rows = []
    for person, group in appearances.sort_values(["year", "day"]).groupby("person", sort=False):
        editions = list(dict.fromkeys(group["edition"]))
        if len(editions) < min_editions:
            continue
        roles = "; ".join(
            f"{edition}: {', '.join(dict.fromkeys(part['role']))}"
            for edition, part in group.groupby("edition", sort=False)
        )
        rows.append(
            {
                "person": person,
                "name": display_name(group["name"].iloc[-1]),
                "editions": ", ".join(editions),
                "count": len(editions),
                "roles": roles,
                "spellings": " / ".join(dict.fromkeys(group["name"])),
                "organisations": " / ".join(dict.fromkeys(group["organisation"].dropna())),
            }
        )
    columns = ["person", "name", "editions", "count", "roles", "spellings", "organisations"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["count", "name"], ascending=[False, True], ignore_index=True)
