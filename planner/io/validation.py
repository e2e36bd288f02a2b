"""pydantic's validation errors as located problems: field, what came, what was expected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from planner.errors import Problem

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


def field_path(loc: Loc) -> str:
    """('days', 0, 'blocks', 2, 'end') -> 'days[1].blocks[3].end' (1-based positions, as people count)."""
    text = ""
    for step in loc:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def describe(error: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    given = error.get("input")
    if error["type"] == "missing":
        return "is required but missing"
    if error["type"] == "extra_forbidden":
        return "is not a known field here"
    if isinstance(given, str | int | float) and len(str(given)) <= 60 and str(given) not in message:
        message += f" (got '{given}')"
    return message


def validate(
    model: type[M], data: dict[str, Any], label: str, where: Callable[[Loc], str], problems: list[Problem]
) -> M | None:
    """The model, or None with every error appended to `problems`, each placed by `where(loc)`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "too_short" and any(
                len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors
            ):
                continue  # the list is short only because an item in it failed, which is reported itself
            problems.append(Problem(label, where(loc), field_path(loc), describe(error)))
        return None
