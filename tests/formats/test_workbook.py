"""Workbook helpers: wrapped-line estimates that break between words as a spreadsheet does, and XML parts put in one
canonical spelling whichever writer made them."""

from __future__ import annotations

import pytest

from planner.formats.workbook import canonical_xml, wrapped_lines

THEMES = "public_sector_reform; wellbeing_public_value; collaborative_governance"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("", 10, 1),
        ("short", 10, 1),
        ("exactly ten", 11, 1),
        ("two\nlines", 10, 2),
        (THEMES, 36, 3),  # 70 characters, but no two of the three fit on one line of 36
        (THEMES, 46, 2),
        ("a" * 25, 10, 3),  # a word longer than a line is broken inside it
        ("ab " + "c" * 12, 10, 3),
    ],
)
def test_wrapped_lines_break_between_words(text: str, width: int, lines: int) -> None:
    assert wrapped_lines(text, width) == lines


LXML_SPELLING = (
    b'<workbook xmlns="urn:main"><sheets>'
    b'<sheet xmlns:r="urn:rel" name="A&#8211;B" r:id="rId1"/></sheets><t>a&#13;b</t></workbook>'
)
STANDARD_SPELLING = (
    b'<workbook xmlns:r="urn:rel" xmlns="urn:main"><sheets>'
    b'<sheet name="A\xe2\x80\x93B" r:id="rId1" /></sheets><t>a\rb</t></workbook>'
)


def test_canonical_xml_spells_both_writers_output_alike_and_keeps_a_carriage_return() -> None:
    canonical = canonical_xml(LXML_SPELLING)
    assert canonical == canonical_xml(STANDARD_SPELLING)
    assert canonical_xml(canonical) == canonical
    assert b"a&#xD;b" in canonical
