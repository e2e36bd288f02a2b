"""Safe YAML reading that remembers line numbers, so every problem can name its line.

Two YAML 1.1 surprises are switched off: "9:30" is read as text (PyYAML would read the base-60 integer 570), and
a key given twice is an error rather than a silent overwrite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from planner.errors import Problem

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""No conference file is this large; a larger one is refused before it is read."""

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class LineDict(dict):
    """A YAML mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT, re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$"), list("-+.0123456789")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise ConstructorError(None, None, "a mapping key must be plain text", key_node.start_mark)
        key = str(key)
        if key in mapping:
            raise ConstructorError(None, None, f"key '{key}' is given twice in one mapping", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def too_large(path: Path, label: str) -> Problem | None:
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        return Problem(label, "", "", f"file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,} bytes")
    return None


def read_yaml(path: Path, label: str) -> tuple[Any, list[Problem]]:
    """The document in `path` (None when unreadable) and the problems met; `label` names the file in messages."""
    if problem := too_large(path, label):
        return None, [problem]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(label, "", "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else ""
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "is not valid YAML"
        return None, [Problem(label, where, "", f"not valid YAML: {message}")]
    except yaml.YAMLError as exc:
        return None, [Problem(label, "", "", f"not valid YAML: {exc}")]
    if data is None:
        return None, [Problem(label, "", "", "is empty; expected a YAML mapping")]
    return data, []


def line_of(document: Any, path: tuple[str | int, ...]) -> int:
    """The best-known line for a location inside a document (the deepest mapping key on the path)."""
    line, node = 0, document
    for step in path:
        if isinstance(node, LineDict):
            line = node.key_lines.get(str(step), node.line) if isinstance(step, str) else node.line
            node = node.get(step) if isinstance(step, str) else None
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line
