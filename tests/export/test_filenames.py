"""File names from people's and rooms' names stay inside their folder, never clash, and avoid Windows device names."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.filenames import MAX_STEM, WINDOWS_DEVICES, safe_names, slug

HOSTILE = st.sampled_from(
    [
        "..",
        ".",
        "/",
        "\\",
        "../../etc/passwd",
        "C:\\x",
        "CON",
        "nul",
        "Com1",
        "LPT9",
        " ",
        "\x00",
        ":",
        "*",
        "?",
        '"',
        "<",
        ">",
        "|",
        "Zoë",
        "张伟",
        "ß",
        "-",
        "_",
        "\u202e",
        "A" * 90,
    ]
)
NAMES = st.lists(st.one_of(st.text(max_size=40), HOSTILE), min_size=1, max_size=4).map("".join)


def assert_safe(names: dict[object, str], suffix: str = ".ics") -> None:
    values = list(names.values())
    assert len({v.casefold() for v in values}) == len(values), "two names equal ignoring case"
    for name in values:
        assert name.isascii() and name.endswith(suffix)
        stem = name.removesuffix(suffix)
        assert stem and stem not in {".", ".."} and len(stem) <= MAX_STEM
        assert stem.split(".")[0].casefold() not in WINDOWS_DEVICES
        assert PurePosixPath(name).name == name and PureWindowsPath(name).name == name
        assert not name.endswith((".", " "))


def test_a_path_in_a_name_becomes_a_plain_file_name():
    assert safe_names({"p": "../../etc/passwd", "q": "..\\..\\boot.ini"}, ".ics") == {
        "p": "etc-passwd.ics",
        "q": "boot-ini.ics",
    }


def test_names_are_readable_slugs():
    names = safe_names({"zoe": "Dr Zoë  O'Neill", "s": "Søren Straße"})
    assert names == {"zoe": "dr-zoe-o-neill", "s": "soren-strasse"}


def test_windows_device_names_are_avoided_with_any_case():
    names = safe_names({"a": "CON", "b": "nul", "c": "Com1", "d": "lpt9", "e": "Console"}, ".ics")
    assert_safe(names)
    assert names["e"] == "console.ics" and all(names[k].startswith(("con-", "nul-", "com1-", "lpt9-")) for k in "abcd")


def test_clashing_names_both_get_a_suffix_from_their_own_key_whatever_the_order():
    names = safe_names({"sam-lee": "Sam Lee", "sam-lee-2": "SAM  LEE", "ana": "Ana"}, ".ics")
    assert names["ana"] == "ana.ics"
    assert names["sam-lee"] != names["sam-lee-2"]
    assert all(names[k].startswith("sam-lee-") for k in ("sam-lee", "sam-lee-2"))
    assert safe_names({"ana": "Ana", "sam-lee-2": "SAM  LEE", "sam-lee": "Sam Lee"}, ".ics") == names


def test_a_name_without_latin_letters_falls_back_to_its_key():
    assert safe_names({"zhang-wei": "张伟", "": "—"}) == {"zhang-wei": "zhang-wei", "": "unnamed"}


def test_long_names_are_cut_at_a_word_boundary_character():
    (name,) = safe_names({"k": "word " * 40}).values()
    assert len(name) <= MAX_STEM and not name.endswith("-")


def test_a_suffix_that_could_escape_is_refused():
    for bad in ("/x", ".ICS", "..", ".a/b", "ics"):
        with pytest.raises(ValueError, match="suffix"):
            safe_names({"k": "x"}, bad)


def test_slug():
    assert slug("  Hello,   World!  ") == "hello-world" and slug("../..") == ""


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), NAMES, min_size=1, max_size=12))
def test_any_names_give_unique_single_components_that_stay_in_the_folder(names: dict[str, str]):
    chosen = safe_names(names, ".ics")
    assert chosen.keys() == names.keys()
    assert_safe(chosen)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        for name in chosen.values():
            target = root / name
            assert target.resolve().parent == root
            target.write_bytes(b"")
        assert len(list(root.iterdir())) == len(chosen)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12), NAMES, min_size=1, max_size=8), NAMES)
def test_order_does_not_matter_and_a_newcomer_with_another_slug_renames_nobody(names: dict[str, str], newcomer: str):
    chosen = safe_names(names)
    assert safe_names(dict(reversed(names.items()))) == chosen
    key = "newcomer-" + "x" * 13  # longer than any generated key, so new
    widened = safe_names({**names, key: newcomer})
    theirs = slug(newcomer) or slug(key)
    for existing, display in names.items():
        if (slug(display) or slug(existing) or "unnamed")[:MAX_STEM].rstrip("-") != theirs[:MAX_STEM].rstrip("-"):
            assert widened[existing] == chosen[existing]
