"""BENCHMARKS.md is written by two scripts: `python -m benchmarks` rewrites the tables, benchmarks/audience.py its own
section between markers. Rewriting the tables keeps that section."""

from __future__ import annotations

from benchmarks.audience import END, START
from benchmarks.report import document, kept_section


def test_rewriting_the_tables_keeps_the_audience_section():
    section = f"{START}\n## The audience\n\n| a | b |\n{END}\n"
    earlier = f"# Benchmarks\n\nold tables\n\n{section}"
    written = document(["### S\n\nnew table\n"], "settings", kept_section(earlier, START, END))
    assert "new table" in written and "old tables" not in written
    assert written.endswith("\n\n" + section)


def test_a_report_without_the_section_gets_none():
    assert kept_section("# Benchmarks\n\ntables\n", START, END) == ""
    assert document(["t\n"], "s", "") == document(["t\n"], "s")
