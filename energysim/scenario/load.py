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
from energysim.scenario.compose import (
    RELATIVE_PATH_KEYS,
    Layer,
    Leaves,
    Origin,
    flatten,
    layers_of,
    merge,
    parse_set,
    unflatten,
)
from energysim.scenario.noops import explain, noop_problems
from energysim.scenario.paths import allowed_roots, inside, outside_problem
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
    found, hint): composition, paths, schema and cross-references in one round. Paths written in the files must
    stay inside the scenario's tree or a data root (:mod:`energysim.scenario.paths`). The scenario remembers its
    file (profile paths resolve relative to it) and where each value came from (:attr:`Scenario.provenance`).
    """
    path = Path(path)
    roots = allowed_roots(path)
    layers, named = layers_of(path, read_yaml, roots)
    leaves = Leaves()
    problems = []
    for layer in layers:
        problems += merge(leaves, layer, strict=False)
    for name, origin in [*named, *((n, Origin("--override")) for n in overrides)]:
        problems += _merge_override(leaves, name, origin, path, roots)
    for texts, unchanged in ((sets, False), (sweep_sets, True)):  # a sweep's grid may include the current value
        for text in texts:
            try:
                problems += merge(leaves, parse_set(text), strict=True, allow_unchanged=unchanged)
            except ScenarioError as exc:
                problems += exc.problems
    problems = explain(problems, leaves)  # a new key the gas pool would ignore: say so
    problems += noop_problems(leaves)
    problems += check_paths(leaves, path, roots)
    provenance = {key: origin for key, (_, origin) in leaves.items()}
    scenario, more = _validated(unflatten(leaves), path, provenance)
    problems += more
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def _merge_override(leaves: Leaves, name: str, origin: Origin, path: Path, roots: list[Path]) -> list[Problem]:
    """Lay an override set over the leaves: ``overrides/<name>.yaml`` beside the scenario, or a ``.yaml`` path
    (relative to the file naming it, or to the working folder for ``--override``)."""
    by_path = name.endswith((".yaml", ".yml"))
    if by_path:
        file = Path(name) if origin.file == "--override" else Path(origin.file).parent / name
    else:
        file = path.parent / "overrides" / f"{name}.yaml"
    where = ("--override", name) if origin.file == "--override" else (origin.file, "overrides")
    if origin.file != "--override" and not inside(file, roots):
        return [outside_problem(where[0], where[1], name, roots, origin.line)]
    if not file.is_file():
        known = sorted(f.stem for f in (path.parent / "overrides").glob("*.yaml"))
        return [
            Problem(
                *where,
                "an override set: overrides/<name>.yaml beside the scenario, or a path to a .yaml file",
                f"no file for {name!r}",
                f"known sets: {', '.join(known)}" if known else "there is no overrides/ folder beside the scenario",
                origin.line,
            )
        ]
    raw = read_yaml(file)
    if not isinstance(raw, dict) or not raw:
        found = "an empty file" if not raw else f"a {type(raw).__name__}"
        return [
            Problem(str(file), "", "a mapping of the values the set changes", found, "an empty set changes nothing")
        ]
    leaves_of = flatten(raw, file.resolve(), path.resolve().parent)
    return merge(leaves, Layer(f"override `{name}`", leaves_of), strict=True)


def check_paths(leaves: dict[tuple[str, ...], tuple], path: Path, roots: list[Path]) -> list[Problem]:
    """Every path written in the composed scenario (profile ``file``, ``targets``, ``base_results``) inside the
    allowed roots; the files that must exist now (profiles, the target registry) exist; ``base_results`` names a
    results file (it may not exist yet: the base year is run first)."""
    problems = []
    for key, (value, origin) in leaves.items():
        if key[-1] not in RELATIVE_PATH_KEYS or key[0] == "sweep" or not isinstance(value, str):
            continue
        dotted = ".".join(key)
        file = path.parent / value
        if not inside(file, roots):
            problems.append(outside_problem(origin.file, dotted, value, roots, origin.line))
        elif key[-1] == "base_results":
            if not value.endswith(".nc") or (file.exists() and not file.is_file()):
                problems.append(
                    Problem(
                        origin.file,
                        dotted,
                        "a results file (.nc)",
                        repr(value),
                        "run the base year with -o FILE.nc",
                        origin.line,
                    )
                )
        elif not file.is_file():
            what = "target registry (YAML)" if key[-1] == "targets" else "CSV file"
            found = f"no file at {value!r}" if not file.exists() else f"{value!r}, which is not a regular file"
            problems.append(
                Problem(
                    origin.file,
                    dotted,
                    f"an existing {what}",
                    found,
                    "paths are relative to the scenario file",
                    origin.line,
                )
            )
    return problems


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
    scenario, problems = _validated(raw, path, provenance or {})
    if problems or scenario is None:
        raise ScenarioError(problems)
    return scenario


def _validated(
    raw: dict[str, Any], path: Path, provenance: dict[tuple[str, ...], Origin]
) -> tuple[Scenario | None, list[Problem]]:
    """The scenario (None if the schema refuses it) and every problem: schema, then cross-references."""
    locate = _Locator(provenance, path)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        return None, _problems(exc, raw, path, locate)
    problems = []
    for p in check_references(scenario, str(path)):
        file, line = locate(p.key_path.split("."))
        problems.append(replace(p, file=file, line=line))
    scenario._source = path.resolve()
    scenario._provenance = provenance
    return scenario, problems


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
