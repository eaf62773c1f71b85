"""Reading scenario YAML safely: a resource policy (size, nesting, alias expansion), plain-Python values whose
mappings know their keys' lines, and every failure as a :class:`ScenarioError` with the file and line.

The policy exists because YAML aliases let a few hundred bytes stand for billions of nodes ("billion laughs"):
the nodes are counted as they would be expanded *before* anything is built from them.
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from energysim.errors import Problem, ScenarioError

MAX_BYTES = 1_000_000
"""Largest YAML file read, bytes (the shipped scenarios are about 12 kB)."""
MAX_NODES = 500_000
"""Most values (scalars, lists, mappings) a file may stand for once its aliases are expanded."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings (a scenario needs about 6)."""

_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class _KeyLines:
    """Where a mapping's keys were written: ``key(k)`` → (line, column), 0-based, as ruamel's round-trip ``lc``."""

    def __init__(self, lines: dict[Any, tuple[int, int]], default: tuple[int, int]) -> None:
        self._lines, self._default = lines, default

    def key(self, key: Any) -> tuple[int, int]:
        return self._lines.get(key, self._default)


class LinedMap(dict):
    """A parsed YAML mapping (a plain dict) that remembers its keys' lines in ``lc``."""

    lc: _KeyLines


class _Constructor(SafeConstructor):
    """The safe constructor, with every failure to build a value marked with its line, and an impossible date
    (``2025-13-45``) kept as the text it is, so the schema reports it at its key."""

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
            raise ConstructorError(None, None, f"a value its tag cannot hold ({exc})", node.start_mark) from None

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except (ValueError, OverflowError):
            return str(node.value)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def read_yaml(path: Path) -> Any:
    """Parse a YAML 1.2 file into plain Python whose mappings know their keys' lines (:class:`LinedMap`).

    Every problem (unreadable, too large, not UTF-8, syntax, too deep, too many expanded aliases) raises a
    :class:`ScenarioError` naming the file and, where there is one, the line. Uses ruamel's C parser
    (``ruamel.yaml.clib``) when installed: the plan scenario parses in 5 ms instead of the round-trip loader's 30 ms.
    """
    return parse_text(_read_text(path), str(path))


def parse_text(text: str, source: str) -> Any:
    """Parse YAML text read from ``source`` (a file name, or ``--set`` …) under the resource policy."""
    node = _compose(text, source)
    if node is None:
        return None
    _check_size(node, source)
    try:
        data = _yaml(pure=False).constructor.construct_document(node)
    except MarkedYAMLError as exc:
        raise _syntax_problem(exc, source) from None
    return _with_lines(data, node)


def _problem(source: str, expected: str, found: str, hint: str = "", line: int | None = None) -> ScenarioError:
    return ScenarioError([Problem(source, "", expected, found, hint, line)])


def _read_text(path: Path) -> str:
    """The file's text, refusing what is not a regular file, too large, or not UTF-8 (say what it is instead)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise _problem(str(path), "a YAML file", kind, "give the path of a scenario file")
        if info.st_size > MAX_BYTES:
            raise _problem(
                str(path), f"a YAML file of at most {MAX_BYTES:,} bytes", f"{info.st_size:,} bytes", "split it up"
            )
        data = path.read_bytes()
    except OSError as exc:
        found = "no such file" if isinstance(exc, FileNotFoundError) else type(exc).__name__
        raise _problem(str(path), "a readable YAML file", found, str(exc.strerror or "")) from None
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise _problem(str(path), "UTF-8 text", f"{name} text", "save the file as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _problem(
            str(path), "UTF-8 text", f"bytes that are not UTF-8 (byte {exc.start})", "save the file as UTF-8", line
        ) from None


def _yaml(*, pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Constructor = _Constructor
    return yaml


def _compose(text: str, source: str) -> Node | None:
    """The node graph (aliases not expanded): the C parser first, then the YAML 1.2 one if libyaml (YAML 1.1)
    refuses, e.g. a `:` inside a flow-style plain value."""
    try:
        return _yaml(pure=False).compose(text)
    except (MarkedYAMLError, RecursionError):
        pass
    except YAMLError as exc:
        raise _syntax_problem(exc, source, text) from None
    try:
        return _yaml(pure=True).compose(text)
    except RecursionError:
        raise _problem(
            source, f"nesting at most {MAX_DEPTH} levels deep", "deeper nesting", "flatten the structure"
        ) from None
    except YAMLError as exc:
        raise _syntax_problem(exc, source, text) from None


def _syntax_problem(exc: YAMLError, source: str, text: str = "") -> ScenarioError:
    if isinstance(exc, ReaderError):  # a character YAML does not allow, e.g. a NUL byte
        line = text.count("\n", 0, exc.position) + 1 if text else None
        found = f"the control character U+{exc.character:04X}" if isinstance(exc.character, int) else "a bad character"
        return _problem(source, "printable text", found, "remove it (is this a text file?)", line)
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        hint = "check indentation and colons"
        if isinstance(exc, DuplicateKeyError):
            hint = "write each key once in a mapping"
        elif isinstance(exc, ConstructorError):
            hint = "scenarios hold plain values: fix the value or remove its `!!` tag"
        return _problem(source, "valid YAML", str(exc.problem or exc.context), hint, line)
    return _problem(source, "valid YAML", type(exc).__name__, "check indentation and colons")


def _check_size(root: Node, source: str) -> None:
    """Refuse a node graph nested deeper than :data:`MAX_DEPTH`, expanding to more than :data:`MAX_NODES` values,
    or containing itself. Each node is measured once (size and height are memoised, so an alias costs nothing
    more), which makes this linear in the file; the recursion stops at :data:`MAX_DEPTH`."""
    measured: dict[int, tuple[int, int]] = {}  # id → (values once expanded, levels)
    on_path: set[int] = set()

    def line(node: Node) -> int:
        return node.start_mark.line + 1

    def measure(node: Node, depth: int) -> tuple[int, int]:
        if id(node) in on_path:
            raise _problem(source, "no alias inside its own anchor", "an alias that contains itself", "", line(node))
        known = measured.get(id(node))
        if known is None:
            if depth > MAX_DEPTH:
                raise _problem(
                    source, f"nesting at most {MAX_DEPTH} levels deep", "deeper nesting", "flatten it", line(node)
                )
            on_path.add(id(node))
            size, height = 1, 1
            for child in _children(node):
                child_size, child_height = measure(child, depth + 1)
                size, height = size + child_size, max(height, child_height + 1)
            on_path.discard(id(node))
            known = measured[id(node)] = (size, height)
        if depth + known[1] - 1 > MAX_DEPTH:
            raise _problem(
                source, f"nesting at most {MAX_DEPTH} levels deep", "deeper nesting (through aliases)", "", line(node)
            )
        if known[0] > MAX_NODES:
            raise _problem(
                source,
                f"at most {MAX_NODES:,} values once aliases are expanded",
                f"more than {MAX_NODES:,}",
                "write the values out, or use fewer nested aliases (`*name`)",
                line(node),
            )
        return known

    measure(root, 1)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _with_lines(data: Any, node: Node) -> Any:
    """``data`` (constructed from ``node``) with every mapping a :class:`LinedMap` (depth and size are bounded
    by :func:`_check_size`)."""
    if isinstance(data, dict) and isinstance(node, MappingNode):
        pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
        out = LinedMap()
        lines = {}
        for key, value in data.items():
            key_node, value_node = pairs.get(str(key), (None, None))
            if key_node is not None:
                lines[key] = (key_node.start_mark.line, key_node.start_mark.column)
            out[key] = _with_lines(value, value_node)
        out.lc = _KeyLines(lines, (node.start_mark.line, node.start_mark.column))
        return out
    if isinstance(data, list) and isinstance(node, SequenceNode) and len(node.value) == len(data):
        return [_with_lines(item, item_node) for item, item_node in zip(data, node.value, strict=True)]
    return data
