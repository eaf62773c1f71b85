"""Schema errors → :class:`Problem`: one per key path, placed at the file and line the value came from, with what
was expected, what was found and a hint (the closest known key, the allowed keys, the technology kinds)."""

from __future__ import annotations

import types
from dataclasses import replace
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from energysim.errors import Problem, did_you_mean
from energysim.scenario.compose import Origin
from energysim.scenario.schema import Scenario
from energysim.scenario.technologies import Technology

_TECH_CLASSES: dict[str, type[BaseModel]] = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in Technology.__origin__.__args__  # type: ignore[attr-defined]
}


class Locator:
    """File and line of the value at a key path, or of the nearest thing written under or above it (an index of
    every prefix, built once: one scan of the leaves per problem made many problems quadratic)."""

    def __init__(self, provenance: dict[tuple[str, ...], Origin], path: Path) -> None:
        self.path = path
        main = str(path.resolve())
        self.best: dict[tuple[str, ...], Origin] = dict(provenance)
        for key, origin in provenance.items():
            for n in range(1, len(key)):
                known = self.best.get(key[:n])
                if known is None or _rank(origin, main) < _rank(known, main):
                    self.best[key[:n]] = origin

    def __call__(self, loc: list[Any]) -> tuple[str, int | None]:
        key = tuple(str(x) for x in loc)
        for n in range(len(key), 0, -1):
            if key[:n] in self.best:
                origin = self.best[key[:n]]
                return origin.file, origin.line
        return str(self.path), None


def _rank(origin: Origin, main: str) -> tuple[bool, int]:
    return (origin.file != main, origin.line or 0)


def problems_of(
    exc: ValidationError, raw: dict[str, Any], path: Path, locate: Any = None, root: type[BaseModel] = Scenario
) -> list[Problem]:
    """One problem per key path: a value that fits no member of a union (a number or a profile …) is one problem
    whose expectations are joined by "or"."""
    merged: dict[tuple[str, int | None], Problem] = {}
    for err in exc.errors()[:MAX_REPORTED]:
        p = _to_problem(err, raw, path, locate, root)
        known = merged.get((p.key_path, p.line))
        if known is None:
            merged[(p.key_path, p.line)] = p
        elif p.expected not in known.expected:
            merged[(p.key_path, p.line)] = replace(known, expected=f"{known.expected} or {p.expected}")
    return list(merged.values())


MAX_REPORTED = 1000
"""Schema errors turned into problems (a generated file can have far more; the first ones tell the story)."""


def _to_problem(err: Any, raw: dict[str, Any], path: Path, locate: Any, root: type[BaseModel]) -> Problem:
    loc = _strip_tags(list(err["loc"]), raw)
    problem = _problem_at(err, loc, raw, path, root)
    if locate is None:
        return problem
    file, line = locate(loc if err["type"] != "missing" else loc[:-1])
    return replace(problem, file=file, line=line)


SPLIT = " ¦ "
"""Separates expected, found and hint in a model validator's message (see :func:`rule_broken`)."""


def _problem_at(err: Any, loc: list[Any], raw: dict[str, Any], path: Path, root: type[BaseModel]) -> Problem:
    key_path = ".".join(str(x) for x in loc)
    kind, found = err["type"], err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], raw, root)
        hint = did_you_mean(str(loc[-1]), allowed, f"allowed keys: {', '.join(allowed)}" if allowed else "")
        return Problem(str(path), key_path, "a known key", f"unknown key `{loc[-1]}`", hint, _line_of(raw, loc))
    if kind == "missing":
        return Problem(str(path), key_path, "this key (required)", "nothing", "add it", _line_of(raw, loc[:-1]))
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        kinds = ", ".join(_TECH_CLASSES)
        return Problem(
            str(path),
            f"{key_path}.kind",
            f"`kind` one of {kinds}",
            repr(_get(raw, [*loc, "kind"])),
            "set `kind` to the technology type",
            _line_of(raw, loc),
        )
    expected = err["msg"].removeprefix("Value error, ").removeprefix("Input should be ")
    if SPLIT in expected:  # a cross-field rule that says what it expected, what it found and what to do
        expected, found_text, hint = [*expected.split(SPLIT), "", ""][:3]
        return Problem(str(path), key_path, expected, found_text, hint, _line_of(raw, loc))
    return Problem(str(path), key_path, expected, _show(found), "", _line_of(raw, loc))


def _strip_tags(loc: list[Any], raw: dict[str, Any]) -> list[Any]:
    """The location without pydantic's union tags (``technologies.<name>.<kind>.…``, ``….constrained-float``,
    ``….Profile``): only keys and indices found in the data are kept, and the last element (a missing key)."""
    kept: list[Any] = []
    node: Any = raw
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        elif i < len(loc) - 1 or _is_tag(part):
            continue
        kept.append(part)
    return kept


def _is_tag(part: Any) -> bool:
    """A union member's tag in a pydantic location (``constrained-float``, ``Profile``, ``function-after[…]``)."""
    return isinstance(part, str) and (
        part in _TECH_CLASSES or part in _PLAIN_TAGS or "-" in part or "[" in part or part[:1].isupper()
    )


_PLAIN_TAGS = frozenset({"bool", "int", "float", "str", "list", "dict", "date", "datetime"})


def _allowed_keys(loc: list[Any], raw: dict[str, Any], root: type[BaseModel]) -> list[str]:
    """The keys the model at ``loc`` allows; names under a mapping of items (``fuels.<name>``,
    ``gas.sources.<name>``, ``regions.<name>``) and list indices are stepped over, and a technology's model is
    the one of its ``kind``."""
    model: Any = root
    over_item = False  # the next element names an item of a mapping, or indexes a list
    for i, key in enumerate(loc):
        if model is None:
            return []
        if over_item:
            over_item = False
            if model is _TECHNOLOGY:
                model = _TECH_CLASSES.get(str(_get(raw, [*loc[: i + 1], "kind"])))
            continue
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        annotation = fields[key].annotation if key in fields else None
        over_item = _is_container(annotation)
        model = _TECHNOLOGY if key == "technologies" and model is Scenario else _model_in(annotation)
    if model is None or model is _TECHNOLOGY:
        return []
    return sorted(f.alias or name for name, f in model.model_fields.items())


_TECHNOLOGY = object()
"""Stands for the technology union while stepping over a technology's name."""


def _is_container(annotation: Any) -> bool:
    """Whether an annotation is a ``dict[...]`` or ``list[...]`` (possibly ``| None``)."""
    if get_origin(annotation) in (dict, list):
        return True
    return any(_is_container(a) for a in get_args(annotation) if get_origin(annotation) in (Union, types.UnionType))


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside an annotation like ``Model``, ``Model | None`` or ``dict[str, Model]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _get(raw: Any, loc: list[Any]) -> Any:
    """The value at ``loc`` in nested mappings, or None."""
    for key in loc:
        if not (isinstance(raw, dict) and key in raw):
            return None
        raw = raw[key]
    return raw


def _line_of(raw: Any, loc: list[Any]) -> int | None:
    """1-based line of the deepest key of ``loc`` found in a ruamel mapping."""
    line = None
    node = raw
    for key in loc:
        lc = getattr(node, "lc", None)
        if isinstance(node, dict) and key in node:
            if lc is not None:
                line = lc.key(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def _show(value: Any) -> str:
    text = repr(value)
    if isinstance(value, dict):
        text = "a mapping"
    elif isinstance(value, list):
        text = "a list"
    return text if len(text) <= 60 else text[:57] + "..."
