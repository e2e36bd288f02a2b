"""BENCHMARKS.md is written by two scripts: `python -m benchmarks` rewrites the tables, benchmarks/audience.py its own
section between markers. Rewriting the tables keeps that section."""

from __future__ import annotations

from benchmarks.audience import END, START
from benchmarks.report import document, kept_section, replace_section


def test_rewriting_the_tables_keeps_the_audience_section():
    section = f"{START}\n## The audience\n\n| a | b |\n{END}\n"
    earlier = f"# Benchmarks\n\nold tables\n\n{section}"
    written = document(["### S\n\nnew table\n"], "settings", kept_section(earlier, START, END))
    assert "new table" in written and "old tables" not in written
    assert written.endswith("\n\n" + section)


def test_a_report_without_the_section_gets_none():
    assert kept_section("# Benchmarks\n\ntables\n", START, END) == ""
    assert document(["t\n"], "s", "") == document(["t\n"], "s")


def test_a_bench_replaces_only_its_own_section(tmp_path):
    """The audience bench rewrites its section in place and leaves the tables and the other sections; a report
    without the section gets it at the end."""
    report = tmp_path / "BENCHMARKS.md"
    report.write_text(f"# Tables\n\n{START}\nold numbers\n{END}\n\n<!-- cosplib:start -->\nx\n<!-- cosplib:end -->\n")
    replace_section(report, f"{START}\nnew numbers\n{END}\n", START, END)
    text = report.read_text(encoding="utf-8")
    assert "new numbers" in text and "old numbers" not in text
    assert text.startswith("# Tables\n") and text.endswith("<!-- cosplib:start -->\nx\n<!-- cosplib:end -->\n")
    fresh = tmp_path / "empty.md"
    fresh.write_text("# Tables\n")
    replace_section(fresh, f"{START}\nnumbers\n{END}\n", START, END)
    assert fresh.read_text(encoding="utf-8") == f"# Tables\n\n{START}\nnumbers\n{END}\n"
