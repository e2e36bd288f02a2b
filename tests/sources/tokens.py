"""The token never printed, logged or written: every line said and every file written, searched for it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def assert_token_nowhere(token: str, lines: Iterable[str], places: Iterable[Path]) -> None:
    """No line, and no file in `places` (files, and folders searched whole), holds the token or a long part of it;
    files named '*token' (the token file itself) aside."""
    assert len(token) >= 16
    pieces = {token, token[:16], token[-16:]}
    for line in lines:
        assert not any(piece in line for piece in pieces), line
    for place in places:
        for path in place.rglob("*") if place.is_dir() else [place]:
            if path.is_file() and not path.name.endswith("token"):
                data = path.read_bytes()
                assert not any(piece.encode() in data for piece in pieces), path
