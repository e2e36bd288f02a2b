"""Safe YAML reading that remembers line numbers, so every problem can name its line.

Two YAML 1.1 surprises are switched off: "9:30" is read as text (PyYAML would read the base-60 integer 570), and
a key given twice is an error rather than a silent overwrite. Nothing is built from tags (`!!python/object` is
refused, never run), aliases may not expand beyond MAX_YAML_NODES values (a "billion laughs") or contain
themselves, and text may not hold control characters (no spreadsheet or calendar could write them out).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from planner.errors import Collector, Where

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""No conference file is this large; a larger one is refused before it is read."""
MAX_YAML_NODES = 1_000_000
"""Values in one YAML document once its aliases are expanded; far beyond any conference, far below a bomb."""
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Characters XML (so .xlsx, and frab XML) cannot hold; tab, newline and carriage return are text."""

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class LineDict(dict):
    """A YAML mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


def control_character_problem(text: str) -> str:
    """Why text is refused ('' when it holds no control character)."""
    found = CONTROL_CHARACTERS.search(text)
    return f"contains the control character U+{ord(found[0]):04X}; remove it" if found else ""


class _Loader(yaml.SafeLoader):
    def compose_document(self) -> yaml.Node | None:
        node = super().compose_document()
        if node is not None and _expanded_size(node, {}, set()) > MAX_YAML_NODES:
            raise ComposerError(
                None, None, f"its aliases expand to more than {MAX_YAML_NODES:,} values", node.start_mark
            )
        return node

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, AttributeError, TypeError, IndexError) as exc:  # an explicit tag it cannot take
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise ConstructorError(None, None, f"this value cannot be read as {tag} ({exc})", node.start_mark) from None

    def construct_scalar(self, node: yaml.ScalarNode | yaml.MappingNode) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str) and (why := control_character_problem(value)):
            raise ConstructorError(None, None, why, node.start_mark)
        return value


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    """How many values the node stands for once aliases are copied out; an alias inside itself is refused."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise ComposerError(None, None, "an alias refers to a mapping or list that contains it", node.start_mark)
    open_nodes.add(key)
    children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
    size = 1 + (0 if isinstance(node, yaml.ScalarNode) else sum(_expanded_size(c, sizes, open_nodes) for c in children))
    open_nodes.discard(key)
    sizes[key] = size
    return size


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


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # a day past the month's end; or not a date at all, under an explicit tag
        raise ConstructorError(
            None, None, f"'{node.value}' is not a real date; expected YYYY-MM-DD", node.start_mark
        ) from None


def _refuse_tag(loader: _Loader, node: yaml.Node) -> Any:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise ConstructorError(
        None,
        None,
        f"the tag '{tag}' is not allowed: planner reads plain YAML (mappings, lists, "
        "text, numbers, dates) and builds nothing from tags",
        node.start_mark,
    )


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor(None, _refuse_tag)
for _kind in ("binary", "omap", "pairs", "set"):  # safe, but nothing a conference file needs; they read as noise
    _Loader.add_constructor(f"tag:yaml.org,2002:{_kind}", _refuse_tag)


def too_large(path: Path, label: str, problems: Collector) -> bool:
    """Whether the file cannot be read at all (missing, not a file, over the size limit); if so, says why."""
    try:
        size = path.stat().st_size
    except OSError as error:
        problems.add(label, message=f"cannot be read ({error.strerror or error}); expected an existing file")
        return True
    if not path.is_file():
        problems.add(label, message="is not a file; expected a file")
        return True
    if size > MAX_INPUT_BYTES:
        problems.add(label, message=f"file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,} bytes")
        return True
    return False


def read_yaml(path: Path, label: str, problems: Collector) -> Any:
    """The document in `path`, or None when it cannot be read (and why is added to `problems`); `label` names the
    file in messages."""
    if too_large(path, label, problems):
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(label, message=f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return None
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "is not valid YAML"
        problems.add(label, Where.of(line=mark.line + 1) if mark else Where(), "", f"not valid YAML: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problems.add(
            label,
            Where.of(line=line),
            "",
            f"not valid YAML: character U+{exc.character:04X} is not allowed in YAML text",
        )
        return None
    except yaml.YAMLError as exc:
        problems.add(label, message=f"not valid YAML: {exc}")
        return None
    except RecursionError:
        problems.add(label, message="is nested too deeply to be a conference file")
        return None
    if data is None:
        problems.add(label, message="is empty; expected a YAML mapping")
    return data


def line_at(document: Any, path: tuple[str | int, ...]) -> Where:
    """The place of a location inside a document: 'line N' (see `line_of`)."""
    return Where.of(line=line_of(document, path))


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
