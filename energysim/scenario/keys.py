"""Key paths the scenario schema defines: ``--set`` may give any of them, also one the YAML leaves at its default
(``--set solver.method=ipm``), while a key the schema does not have is refused with the closest known name.

Entries of a named collection (``technologies.<name>``, ``regions.<name>``, ``gas.sources.<name>`` …) must exist
in the scenario below: ``--set`` changes a technology, it does not add one (that takes every required field, in
a scenario that ``extends`` the base). A technology's fields are those of its ``kind``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from energysim.scenario.compose import KeyPath, Leaves

Unknown = tuple[int, list[str]]
"""Where a key path leaves the schema: the index of its first unknown part, and the names known there."""


def schema_check(leaves: Leaves) -> Callable[[KeyPath], Unknown | None]:
    """``check(key)`` over the composed ``leaves``: None if the schema defines ``key``, else where it stops and the
    names known there (the schema's fields, or the entries of a collection the scenario has)."""
    from energysim.scenario.schema import Scenario

    def check(key: KeyPath) -> Unknown | None:
        annotation: Any = Scenario
        for depth, part in enumerate(key):
            here = key[:depth]
            models = _models(annotation, leaves, here)
            if models:
                fields = {f.alias or name: f.annotation for m in models for name, f in m.model_fields.items()}
                if part not in fields:
                    return depth, sorted({*fields, *leaves.names_under(here)})
                annotation = fields[part]
                continue
            entry = _mapping_value(annotation)
            if entry is None:  # a number, text, date or list: nothing below it
                return depth, []
            if _models(entry, leaves, (*here, part)) and part not in leaves.names_under(here):
                return depth, leaves.names_under(here)
            annotation = entry
        return None

    return check


def _plain(annotation: Any) -> list[Any]:
    """The members of an annotation without ``Annotated`` and ``None``: ``A | B | None`` → [A, B]."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for a in get_args(annotation) for m in _plain(a) if m is not type(None)]
    return [annotation]


def _models(annotation: Any, leaves: Leaves, at: KeyPath) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold at ``at``: for a union tagged by ``kind`` (technologies), the
    member of the ``kind`` written there (every member if none is)."""
    models = [m for m in _plain(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    if len(models) > 1 and all("kind" in m.model_fields for m in models):
        kind = leaves.get((*at, "kind"), (None,))[0]
        chosen = [m for m in models if kind in get_args(m.model_fields["kind"].annotation)]
        return chosen or models
    return models


def _mapping_value(annotation: Any) -> Any:
    """``V`` of a ``dict[str, V]`` annotation (possibly ``| None``), else None."""
    for member in _plain(annotation):
        if get_origin(member) is dict:
            return get_args(member)[1]
    return None
