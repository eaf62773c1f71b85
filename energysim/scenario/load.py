"""YAML file → validated :class:`Scenario`; every problem of the file reported at once with its line."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from energysim.errors import Problem, ScenarioError
from energysim.scenario.checks import check_references
from energysim.scenario.compose import Layer, Leaves, Origin, flatten, layers_of, merge, parse_set, unflatten
from energysim.scenario.schema import Scenario
from energysim.scenario.technologies import Technology
from energysim.scenario.yamlio import read_yaml

M = TypeVar("M", bound=BaseModel)

_TECH_CLASSES: dict[str, type[BaseModel]] = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in Technology.__origin__.__args__  # type: ignore[attr-defined]
}


def load_scenario(
    path: str | Path, *, overrides: Sequence[str] = (), sets: Sequence[str] = (), sweep_sets: Sequence[str] = ()
) -> Scenario:
    """Read, compose and validate a scenario.

    ``extends`` parents are merged first, then the file, then named override sets (``overrides:`` in the file,
    then ``overrides`` here; a name is ``overrides/<name>.yaml`` beside the scenario, or a path), then ``sets``
    (``key.path=value``). Raises :class:`ScenarioError` listing every problem (file, line, key path, expected,
    found, hint). The scenario remembers its file (profile paths resolve relative to it) and where each value
    came from (:attr:`Scenario.provenance`).
    """
    path = Path(path)
    layers, names = layers_of(path, read_yaml)
    leaves = Leaves()
    problems = []
    for layer in layers:
        problems += merge(leaves, layer, strict=False)
    for name in [*names, *overrides]:
        file = Path(name) if name.endswith((".yaml", ".yml")) else path.parent / "overrides" / f"{name}.yaml"
        raw = read_yaml(file)
        leaves_of = flatten(raw, file.resolve(), path.resolve().parent) if isinstance(raw, dict) else {}
        problems += merge(leaves, Layer(f"override `{name}`", leaves_of), strict=True)
    for text in sets:
        problems += merge(leaves, parse_set(text), strict=True)
    for text in sweep_sets:  # a sweep's grid may include the current value
        problems += merge(leaves, parse_set(text), strict=True, allow_unchanged=True)
    if problems:
        raise ScenarioError(problems)
    provenance = {key: origin for key, (_, origin) in leaves.items()}
    return validate_scenario(unflatten(leaves), path, provenance)


def load_yaml_model(path: str | Path, model: type[M]) -> M:
    """Read a YAML file into a pydantic model (stress cases, target registries); every problem of the file is
    reported at once, with its line and key path."""
    path = Path(path)
    raw = read_yaml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, raw, path)) from None


def validate_scenario(
    raw: dict[str, Any], path: Path, provenance: dict[tuple[str, ...], Origin] | None = None
) -> Scenario:
    """Validate a composed mapping; ``provenance`` (key path → file and line) places each problem."""
    provenance = provenance or {}

    locate = _Locator(provenance, path)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, raw, path, locate)) from None
    problems = []
    for p in check_references(scenario, str(path)):
        file, line = locate(p.key_path.split("."))
        problems.append(replace(p, file=file, line=line))
    if problems:
        raise ScenarioError(problems)
    scenario._source = path.resolve()
    scenario._provenance = provenance
    return scenario


class _Locator:
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


def _problems(exc: ValidationError, raw: dict[str, Any], path: Path, locate: Any = None) -> list[Problem]:
    """One problem per key path: a value that fits no member of a union (a number or a profile …) is one problem
    whose expectations are joined by "or"."""
    merged: dict[tuple[str, int | None], Problem] = {}
    for err in exc.errors()[:MAX_REPORTED]:
        p = _to_problem(err, raw, path, locate)
        known = merged.get((p.key_path, p.line))
        if known is None:
            merged[(p.key_path, p.line)] = p
        elif p.expected not in known.expected:
            merged[(p.key_path, p.line)] = replace(known, expected=f"{known.expected} or {p.expected}")
    return list(merged.values())


MAX_REPORTED = 1000
"""Schema errors turned into problems (a generated file can have far more; the first ones tell the story)."""


def _to_problem(err: Any, raw: dict[str, Any], path: Path, locate: Any = None) -> Problem:
    loc = _strip_tags(list(err["loc"]), raw)
    problem = _problem_at(err, loc, raw, path)
    if locate is None:
        return problem
    file, line = locate(loc if err["type"] != "missing" else loc[:-1])
    return replace(problem, file=file, line=line)


def _problem_at(err: Any, loc: list[Any], raw: dict[str, Any], path: Path) -> Problem:
    key_path = ".".join(str(x) for x in loc)
    kind, found = err["type"], err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], raw)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(allowed)}"
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


def _allowed_keys(loc: list[Any], raw: dict[str, Any]) -> list[str]:
    model: Any = Scenario
    for i, key in enumerate(loc):
        if loc[:1] == ["technologies"] and i == 1:
            model = _TECH_CLASSES.get(str(_get(raw, [*loc[:2], "kind"])))
            continue
        field = model.model_fields.get(key) if model else None
        ann = field.annotation if field else None
        model = _model_in(ann)
    if model is None:
        return []
    return sorted(f.alias or name for name, f in model.model_fields.items())


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
