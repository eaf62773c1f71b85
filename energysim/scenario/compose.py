"""Composable scenarios: ``extends:`` parents, named override sets and ``--set`` values, merged with provenance.

Merge rule (documented in ``scenarios/README.md``):
- maps merge key by key, recursively; any other value (number, string, list) replaces the one below it;
- a key written ``name+`` appends its list to the list below it instead of replacing it;
- parents are merged first, in the order listed, then the file itself; then the named override sets in
  order, then ``--set`` values;
- an override set or ``--set`` may only change keys that exist below it, and must change their value.

Every leaf value remembers where it came from (file and line, or ``--set``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from energysim.errors import Problem, ScenarioError, did_you_mean

KeyPath = tuple[str, ...]
RELATIVE_PATH_KEYS = ("file", "targets", "base_results")
"""Leaves holding paths relative to the file that wrote them; rebased when a parent lives elsewhere."""


@dataclass(frozen=True)
class Origin:
    """Where a value was written: a file and line, or the command line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Layer:
    """The leaves one source contributes: key path → (value, origin)."""

    name: str
    leaves: dict[KeyPath, tuple[Any, Origin]]


def _plain(value: Any) -> Any:
    """ruamel round-trip containers → plain Python (leaves only hold plain values)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def flatten(
    node: dict[str, Any], file: Path, target_dir: Path, prefix: KeyPath = (), skip: tuple[str, ...] = ()
) -> dict[KeyPath, tuple]:
    """Leaves of a parsed YAML mapping with their file and line; relative paths rebased to ``target_dir``;
    top-level keys in ``skip`` are left out."""
    out: dict[KeyPath, tuple[Any, Origin]] = {}
    lc = getattr(node, "lc", None)
    for key, value in node.items():
        if not prefix and key in skip:
            continue
        path = (*prefix, str(key))
        line = lc.key(key)[0] + 1 if lc is not None else None
        if isinstance(value, dict) and value:
            out |= flatten(value, file, target_dir, path)
            continue
        value = _plain(value)
        if str(key) in RELATIVE_PATH_KEYS and isinstance(value, str) and file.parent != target_dir:
            value = os.path.relpath(file.parent / value, target_dir)
        out[path] = (value, Origin(str(file), line))
    return out


class Leaves(dict):
    """Composed leaves, key path → (value, origin), indexed by prefix so that merging is linear in the number of
    keys (finding the leaves under a key or its siblings was a scan of every leaf: 20,000 keys took 12 s).

    Change it through :meth:`put` and :meth:`drop` only (they keep the index)."""

    def __init__(self) -> None:
        super().__init__()
        self._under: dict[KeyPath, dict[KeyPath, None]] = {}  # prefix → leaves strictly below it (ordered)
        self._kids: dict[KeyPath, dict[str, int]] = {}  # prefix → names one level down → leaves through them

    def put(self, key: KeyPath, item: tuple[Any, Origin]) -> None:
        if key not in self:
            for n in range(len(key)):
                self._under.setdefault(key[:n], {})[key] = None
                kids = self._kids.setdefault(key[:n], {})
                kids[key[n]] = kids.get(key[n], 0) + 1
        self[key] = item

    def drop(self, key: KeyPath) -> None:
        if self.pop(key, None) is None:
            return
        for n in range(len(key)):
            self._under[key[:n]].pop(key, None)
            kids = self._kids[key[:n]]
            kids[key[n]] -= 1
            if not kids[key[n]]:
                del kids[key[n]]

    def below(self, key: KeyPath) -> list[KeyPath]:
        """Leaves strictly under ``key``."""
        return list(self._under.get(key, ()))

    def names_under(self, key: KeyPath) -> list[str]:
        """Names one level under ``key`` (the siblings of ``key + (name,)``)."""
        return sorted(self._kids.get(key, ()))


def written(leaves: Mapping[KeyPath, Any], key: KeyPath) -> bool:
    """Whether the composed ``leaves`` (or a scenario's ``provenance``, keyed alike) write ``key``: a leaf, or a
    map with leaves below it. Only such a key may an override set, a sweep's value or a robustness variant change
    (:func:`merge` with ``strict``); a default the schema fills in is not written."""
    if key in leaves:
        return True
    if isinstance(leaves, Leaves):
        return bool(leaves.below(key))
    return any(k[: len(key)] == key for k in leaves)


SUGGEST_AMONG = 2000
"""Suggest a close key only among this many siblings (difflib is slow on more)."""


def merge(
    base: Leaves,
    layer: Layer,
    *,
    strict: bool,
    allow_unchanged: bool = False,
    schema: Callable[[KeyPath], tuple[int, list[str]] | None] | None = None,
) -> list[Problem]:
    """Lay ``layer`` over ``base`` in place; with ``strict`` (override sets, ``--set``) only existing keys may
    change, and each must change (unless ``allow_unchanged``, for sweeps whose grid includes the base value).
    With ``schema`` (``--set``; see :func:`energysim.scenario.keys.schema_check`), a key the scenario below leaves
    at its default may be given too, if the schema defines it. Returns the problems found (nothing is merged for
    a problem)."""
    problems = []
    for path, (value, origin) in layer.leaves.items():
        append = path[-1].endswith("+")
        key = (*path[:-1], path[-1].rstrip("+")) if append else path
        if strict and not written(base, key):
            unknown = schema(key) if schema is not None else (len(key) - 1, None)
            if unknown is not None:
                problems.append(_new_key_problem(base, key, origin, layer.name, *unknown))
                continue
        if append:
            previous = base.get(key, ([], origin))[0]
            if not isinstance(previous, list) or not isinstance(value, list):
                problems.append(
                    Problem(
                        origin.file,
                        ".".join(path),
                        "a list to append to a list",
                        f"{type(value).__name__} onto {type(previous).__name__}",
                        "",
                        origin.line,
                    )
                )
                continue
            value = [*previous, *value]
        if strict and not allow_unchanged and key in base and base[key][0] == value:
            shown = repr(value) if len(repr(value)) <= 60 else "value"
            problems.append(
                Problem(
                    origin.file,
                    ".".join(key),
                    f"a value other than the current {shown}",
                    f"the same value in {layer.name}",
                    "remove the override or change it",
                    origin.line,
                )
            )
            continue
        for p in base.below(key):  # a map replaced by a value
            base.drop(p)
        for n in range(1, len(key)):  # a value replaced by a map
            base.drop(key[:n])
        base.put(key, (value, origin))
    return problems


def _new_key_problem(
    base: Leaves, key: KeyPath, origin: Origin, layer: str, depth: int, schema_names: list[str] | None
) -> Problem:
    """A key an override set may not add; with ``schema_names`` (``--set``), one the schema does not define
    either: its first unknown part is ``key[depth]``, the closest of the names known there is suggested."""
    if schema_names is not None:
        wrong = key[depth]
        shown = ", ".join(schema_names[:12]) + (" …" if len(schema_names) > 12 else "")
        among = schema_names if len(schema_names) <= SUGGEST_AMONG else []
        hint = did_you_mean(wrong, among, f"known here: {shown}" if schema_names else "")
        expected = "a key of the scenario schema, in an entry the scenario has"
        return Problem(origin.file, ".".join(key), expected, f"`{wrong}` in {layer}", hint, origin.line)
    siblings = base.names_under(key[:-1])
    among = siblings if len(siblings) <= SUGGEST_AMONG else []
    hint = did_you_mean(key[-1], among, "overrides change values; add new keys in a scenario that `extends` the base")
    return Problem(
        origin.file, ".".join(key), "a key the scenario below already has", f"a new key in {layer}", hint, origin.line
    )


def unflatten(leaves: dict[KeyPath, tuple]) -> dict[str, Any]:
    """Nested plain mapping from leaves (values only)."""
    root: dict[str, Any] = {}
    for path, (value, _) in leaves.items():
        node = root
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return root


def parse_set(text: str) -> Layer:
    """``key.path=value`` from the command line; the value is read as YAML (numbers, booleans, lists)."""
    if "=" not in text or not text.split("=", 1)[0].strip():
        raise ScenarioError(
            [Problem("--set", text, "key.path=value", repr(text), "e.g. --set policy.co2_price_cny_per_t=100")]
        )
    key, raw = text.split("=", 1)
    value = parse_value(raw, "--set", key.strip())
    return Layer(f"--set {text}", {tuple(key.strip().split(".")): (value, Origin("--set"))})


def parse_value(text: str, source: str, key: str) -> Any:
    """A command-line value read as YAML (numbers, booleans, lists) under the YAML resource policy; a syntax
    error is a :class:`ScenarioError` naming ``source`` (``--set``, ``--param``) and the key."""
    from energysim.scenario.yamlio import parse_text

    if not text.strip():
        return ""
    try:
        return _plain(parse_text(text, source))
    except ScenarioError as exc:
        p = exc.problems[0]
        raise ScenarioError(
            [
                Problem(
                    source,
                    key,
                    p.expected.replace("valid YAML", "a YAML value"),
                    f"{text!r}: {p.found}",
                    "quote text, and close every [ and {",
                )
            ]
        ) from None


def layers_of(
    path: Path, read: Any, roots: list[Path], target_dir: Path | None = None, seen: tuple[Path, ...] = ()
) -> tuple[list[Layer], list[tuple[str, Origin]]]:
    """The file's ``extends`` parents (recursively, parents first) and the file itself as layers, plus the override
    sets it asks for (name, where it was asked). Parents must lie inside ``roots`` (:mod:`.paths`)."""
    from energysim.scenario.paths import inside, outside_problem, path_trouble

    path = path.resolve()
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise ScenarioError([Problem(str(seen[-1]), "extends", "no cycle of parents", chain, "remove one `extends`")])
    raw = read(path)
    if not isinstance(raw, dict):
        found = "an empty file" if raw is None else f"a {type(raw).__name__}"
        raise ScenarioError([Problem(str(path), "", "a mapping of scenario keys", found, "write `key: value` lines")])
    target_dir = target_dir or path.parent
    problems: list[Problem] = []
    parents = _names_under(raw, "extends", path, problems)
    overrides = _names_under(raw, "overrides", path, problems)
    layers: list[Layer] = []
    for parent, origin in parents:
        file = path.parent / parent
        if path_trouble(parent):
            problems.append(Problem(str(path), "extends", "a file name", path_trouble(parent), "", origin.line))
        elif not inside(file, roots):
            problems.append(outside_problem(str(path), "extends", parent, roots, origin.line))
        elif not file.is_file():
            problems.append(
                Problem(
                    str(path),
                    "extends",
                    "an existing scenario file",
                    f"no file at {parent!r}",
                    "paths are relative to the file that names them",
                    origin.line,
                )
            )
        else:
            more, names = layers_of(file, read, roots, target_dir, (*seen, path))
            layers += more
            overrides = [*names, *overrides]
    if problems:
        raise ScenarioError(problems)
    layers.append(Layer(str(path), flatten(raw, path, target_dir, skip=("extends", "overrides"))))
    return layers, overrides


def _names_under(raw: dict[str, Any], key: str, path: Path, problems: list[Problem]) -> list[tuple[str, Origin]]:
    """The file names under ``extends`` or ``overrides`` (one, or a list), with where they were written."""
    if key not in raw or raw[key] is None:
        return []
    line = raw.lc.key(key)[0] + 1 if hasattr(raw, "lc") else None
    origin = Origin(str(path), line)
    value = raw[key]
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    what = "a file name" if key == "extends" else "an override set's name"
    if items is None:
        problems.append(Problem(str(path), key, f"{what}, or a list of them", _kind(value), "", line))
        return []
    names = []
    for i, item in enumerate(items):
        if isinstance(item, str) and item.strip():
            names.append((item, origin))
        else:
            problems.append(Problem(str(path), f"{key}.{i}", what, _kind(item), "", line))
    return names


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
