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
        raise ScenarioError([_to_problem(err, raw, path) for err in exc.errors()]) from None


def validate_scenario(
    raw: dict[str, Any], path: Path, provenance: dict[tuple[str, ...], Origin] | None = None
) -> Scenario:
    """Validate a composed mapping; ``provenance`` (key path → file and line) places each problem."""
    provenance = provenance or {}

    def locate(loc: list[Any]) -> tuple[str, int | None]:
        return _locate(provenance, tuple(str(x) for x in loc), path)

    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError([_to_problem(err, raw, path, locate) for err in exc.errors()]) from None
    problems = []
    for p in check_references(scenario, str(path)):
        file, line = locate(p.key_path.split("."))
        problems.append(replace(p, file=file, line=line))
    if problems:
        raise ScenarioError(problems)
    scenario._source = path.resolve()
    scenario._provenance = provenance
    return scenario


def _locate(provenance: dict[tuple[str, ...], Origin], loc: tuple[str, ...], path: Path) -> tuple[str, int | None]:
    """File and line of the value at ``loc``, or of the nearest thing written under or above it."""
    for n in range(len(loc), 0, -1):
        key = loc[:n]
        if key in provenance:
            return provenance[key].file, provenance[key].line
        under = [o for p, o in provenance.items() if p[:n] == key]
        if under:
            first = min(under, key=lambda o: (o.file != str(path.resolve()), o.line or 0))
            return first.file, first.line
    return str(path), None


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
    """Drop pydantic's union tag from ``technologies.<name>.<kind>.…`` locations."""
    if len(loc) >= 3 and loc[0] == "technologies" and loc[2] in _TECH_CLASSES:
        return loc[:2] + loc[3:]
    return loc


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
