"""Atomic file writes: a reader sees the old file or the new one, never half of one, even if we are killed.

`write_atomic` writes the whole content to a temporary file beside the target, named
'.<target name>.<process id>.<random>.tmp' (hidden, and never taken for an output), flushes it to disk, renames it
over the target (atomic on POSIX file systems) and then flushes the folder, so the rename itself survives a power cut.
A writer killed before the rename (SIGKILL, power cut) leaves the target as it was, and its temporary file behind:
`remove_leftovers` deletes those of writers that no longer run, and `write_outputs` calls it on every folder it writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

_LEFTOVER = re.compile(r"\..+\.(?P<pid>[0-9]+)\.[a-z0-9_]+\.tmp")
"""The name `write_atomic` gives a temporary file (mkstemp's random part is lowercase letters, digits and '_')."""


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, rename it over `path`, flush the folder."""
    _replace(path, data)
    _sync_folder(path.parent)
    return path


def write_all_atomic(files: Mapping[Path, str | bytes]) -> list[Path]:
    """Write each file as `write_atomic` does, in order, and flush each folder once after its files are renamed
    rather than after each file: a programme's 230 calendars in three folders took 0.9 s of folder flushes."""
    written = [_replace(path, data) for path, data in files.items()]
    for folder in dict.fromkeys(path.parent for path in written):
        _sync_folder(folder)
    return written


def _replace(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, flush it to disk and rename it over `path` (the folder not flushed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o644)  # mkstemp's 0600 would make outputs private to us
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; nothing where a folder cannot be opened or synced (Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _running(pid: int) -> bool:
    """Whether a process may still be writing: true unless POSIX says there is no such process."""
    if pid == os.getpid() or os.name != "posix":
        return True
    if pid <= 0:  # 0 would probe our own process group
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files `write_atomic` calls left in `folder` when they were killed before their rename
    (those of processes no longer running; a writer still at work keeps its own) and return them, sorted."""
    try:
        entries = sorted(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    removed = []
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name)
        if found and not _running(int(found["pid"])) and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed
