"""pydantic's validation errors as located problems: field, what came, what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from planner.errors import Collector, Where

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


def field_path(loc: Loc) -> str:
    """('days', 0, 'blocks', 2, 'end') -> 'days[1].blocks[3].end' (1-based positions, as people count)."""
    text = ""
    for step in loc:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def describe(error: ErrorDetails, model: type[BaseModel] | None = None) -> str:
    """What pydantic found, in plain words; an unknown key gets the nearest field name of `model` at its place."""
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    given = error.get("input")
    if error["type"] == "missing":
        return "is required but missing"
    if error["type"] == "extra_forbidden":
        hint = _nearest_field(model, tuple(error["loc"])) if model else None
        return "is not a known field here" + (f"; did you mean '{hint}'?" if hint else "")
    if isinstance(given, str | int | float) and len(str(given)) <= 60 and str(given) not in message:
        message += f" (got '{given}')"
    return message


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model that holds the value at `loc` (through nested models, tuples and optionals), or None."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue  # an item of a tuple: its model is found from the field's annotation below
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or step not in current.model_fields:
            return None
        models = [t for t in _types_in(current.model_fields[step].annotation) if issubclass(t, BaseModel)]
        if len(models) != 1:
            return None
        current = models[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _nearest_field(model: type[BaseModel], loc: Loc) -> str | None:
    """The field name of the model at an unknown key's place closest to that key, if one is close."""
    if not loc or not isinstance(loc[-1], str):
        return None
    holder = _model_at(model, loc[:-1])
    if holder is None:
        return None
    close = difflib.get_close_matches(loc[-1], list(holder.model_fields), n=1)
    return close[0] if close else None


def at(where: Where) -> Callable[[Loc], Where]:
    """A locator for `validate` that places every error of one record at the record's place (a row)."""
    return lambda loc: where


def validate(
    model: type[M], data: dict[str, Any], label: str, where: Callable[[Loc], Where], problems: Collector
) -> M | None:
    """The model, or None with every error added to `problems`, each placed by `where(loc)`."""
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
            problems.add(label, where(loc), field_path(loc), describe(error, model))
        return None


MAX_NUMBER = 1_000_000
"""No capacity, audience, weight, duration or daily maximum comes near a million; a larger one would only overflow
the solver's 64-bit arithmetic (a weight times a count, summed), so it is refused here with its place."""


def _types_in(annotation: Any) -> set[type]:
    """The classes a field's annotation can hold: through Annotated, unions, Optional and tuple[...]."""
    if get_origin(annotation) is Annotated:
        return _types_in(get_args(annotation)[0])
    if arguments := get_args(annotation):
        return set().union(*(_types_in(argument) for argument in arguments))
    return {annotation} if isinstance(annotation, type) else set()


@cache
def _fields_beyond_text(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that can hold more than text or None (numbers, times, models); found once per model."""
    return tuple(name for name, field in model.model_fields.items() if _types_in(field.annotation) - {str, type(None)})


def values_of(model: BaseModel, kind: type, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every value of `kind` inside a validated model, with its location, for checks pydantic's types do not make
    (a bound on every number, a range of years); fields that hold only text are not visited."""
    for name in _fields_beyond_text(type(model)):
        value = getattr(model, name)
        for index, item in enumerate(value) if isinstance(value, tuple) else ((None, value),):
            here = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, BaseModel):
                yield from values_of(item, kind, here)
            elif isinstance(item, kind) and not isinstance(item, bool):
                yield here, item


def numbers_too_large(model: BaseModel) -> Iterator[tuple[Loc, int]]:
    """Every whole number in a validated model above MAX_NUMBER, with its location in the model."""
    return ((loc, value) for loc, value in values_of(model, int) if value > MAX_NUMBER)


def check_numbers(model: BaseModel, label: str, where: Callable[[Loc], Where], problems: Collector) -> bool:
    """Whether the model holds a number above MAX_NUMBER; each one is added to `problems` at `where(loc)`."""
    found = False
    for loc, value in numbers_too_large(model):
        problems.add(label, where(loc), field_path(loc), f"{value:,} is too large; expected at most {MAX_NUMBER:,}")
        found = True
    return found
