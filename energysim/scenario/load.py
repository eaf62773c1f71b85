"""YAML file → validated :class:`Scenario`; every problem of the file reported at once with its line."""

from __future__ import annotations

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
from energysim.scenario.keys import schema_check
from energysim.scenario.noops import explain, noop_problems
from energysim.scenario.paths import allowed_roots, inside, outside_problem, path_trouble
from energysim.scenario.problems import Locator, problems_of
from energysim.scenario.schema import Scenario
from energysim.scenario.yamlio import read_yaml

M = TypeVar("M", bound=BaseModel)


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
    schema = schema_check(leaves)  # --set may give any key of the schema, also one left at its default
    for texts, unchanged in ((sets, False), (sweep_sets, True)):  # a sweep's grid may include the current value
        for text in texts:
            try:
                known = None if unchanged else schema
                problems += merge(leaves, parse_set(text), strict=True, allow_unchanged=unchanged, schema=known)
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
    if path_trouble(name):
        return [Problem(*where, "an override set's name or path", path_trouble(name), "", origin.line)]
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
        if path_trouble(value):
            problems.append(Problem(origin.file, dotted, "a file path", path_trouble(value), "", origin.line))
        elif not inside(file, roots):
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
        raise ScenarioError(problems_of(exc, raw, path, root=model)) from None


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
    """The scenario (None if the schema refuses it) and every problem: schema and cross-references together."""
    locate = Locator(provenance, path)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_of(exc, raw, path, locate)
        return None, problems + _references_despite(problems, raw, path, locate)
    problems = _located(check_references(scenario, str(path)), locate)
    scenario._source = path.resolve()
    scenario._provenance = provenance
    return scenario, problems


def _located(problems: list[Problem], locate: Any) -> list[Problem]:
    out = []
    for p in problems:
        file, line = locate(p.key_path.split("."))
        out.append(replace(p, file=file, line=line))
    return out


def _references_despite(found: list[Problem], raw: dict[str, Any], path: Path, locate: Any) -> list[Problem]:
    """Cross-reference problems of a scenario the schema refused, so that one round reports both: the keys at
    fault are left out (a technology whose ``kind`` or required key is missing, entirely) until the rest
    validates (a few tries), then its references are checked; problems on the things left out are not repeated."""
    removed: set[tuple[str, ...]] = set()
    pruned: Any = raw
    for _ in range(3):
        cut = {_cut_at(tuple(p.key_path.split(".")), p.expected) for p in found}
        removed |= cut
        pruned = _without(pruned, cut)
        try:
            scenario = Scenario.model_validate(pruned)
        except ValidationError as exc:
            found = problems_of(exc, pruned, path)
            continue
        more = check_references(scenario, str(path))
        return _located([p for p in more if not _touches(tuple(p.key_path.split(".")), removed)], locate)
    return []


def _cut_at(key: tuple[str, ...], expected: str) -> tuple[str, ...]:
    """What to leave out for a problem at ``key``: the key, or its whole item when the item cannot stand without
    it (a missing required key, a technology's kind)."""
    if "required" in expected or key[-1] == "kind":
        return key[:-1] if len(key) > 2 else key
    return key


def _without(raw: Any, keys: set[tuple[str, ...]]) -> Any:
    """A copy of the nested mapping without the given key paths (only the mappings along them are copied)."""
    out = dict(raw)
    for key in keys:
        node = out
        for part in key[:-1]:
            child = node.get(part) if isinstance(node, dict) else None
            if not isinstance(child, dict):
                break
            node[part] = node = dict(child)
        else:
            if isinstance(node, dict):
                node.pop(key[-1], None)
    return out


def _touches(key: tuple[str, ...], removed: set[tuple[str, ...]]) -> bool:
    """Whether a problem at ``key`` concerns something left out (the same item, above or below it)."""
    return any(key[: len(r)] == r or r[: len(key)] == key for r in removed)
