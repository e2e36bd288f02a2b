"""The Jinja environment every HTML page renders with: templates from planner/templates, autoescape always on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment


def page_environment() -> Environment:
    """A fresh environment that escapes every `{{ value }}` unless the value is marked `Markup`."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("planner"), autoescape=select_autoescape(default=True))


def script_json(value: object) -> str:
    """JSON safe to place inside `<script type="application/json">`: no `<`, `>` or `&` (so no `</script>` or
    `<!--`), and no U+2028/U+2029 line separators; key order sorted, so equal data gives equal bytes.

    Read it back with `JSON.parse(element.textContent)`; the escapes are plain JSON string escapes.
    """
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for character, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(character, escape)
    return text
