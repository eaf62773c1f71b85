"""Sweeps: a grid of scenario variants (every combination of the given values), solved one after another and
returned as one Dataset with a ``scenario`` dimension."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr

from energysim.inputs import build_inputs
from energysim.pipeline import run_inputs
from energysim.scenario import load_scenario
from energysim.solver.resolve import PersistentSolver


def variants(params: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the parameter values, in order (the first key varies slowest)."""
    keys = list(params)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(params[k] for k in keys))]


def variant_name(variant: Mapping[str, Any]) -> str:
    """``key=value`` pairs joined by commas (the label on the ``scenario`` dimension)."""
    return ",".join(f"{k}={v}" for k, v in variant.items())


def run_sweep(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    *,
    hours: int | None = None,
    sets: Sequence[str] = (),
    progress: Callable[[int, int, str], None] = lambda i, n, name: None,
    persistent: bool = True,
) -> xr.Dataset:
    """Solve every variant of the scenario at ``path`` and stack the results along ``scenario``.

    Each variant is the scenario with ``--set key=value`` for its values, so every key must exist in the scenario
    (the override rules apply). The objective of each variant is in ``objective_cny`` (scenario), CNY.
    ``persistent`` re-solves the variants in one HiGHS instance, warm-started, sending only what changed
    (:mod:`energysim.solver.resolve`); otherwise each variant is built and solved from scratch.
    """
    grid = variants(params)
    runs = []
    solver: PersistentSolver | None = None
    for i, variant in enumerate(grid, start=1):
        name = variant_name(variant)
        progress(i, len(grid), name)
        scenario = load_scenario(path, sets=sets, sweep_sets=[f"{k}={v}" for k, v in variant.items()])
        inputs = build_inputs(scenario.in_view(), hours=hours)
        options = json.loads(inputs.attrs["solver_options"])
        if persistent and (solver is None or solver.solver_options != options):
            solver = PersistentSolver(options)
        ds = run_inputs(inputs, persistent=solver)
        ds["objective_cny"] = xr.DataArray(ds.attrs["objective_cny"], attrs={"units": "CNY", "long_name": "objective"})
        runs.append(ds.expand_dims(scenario=[name]))
    stacked = xr.concat(runs, dim="scenario", data_vars="all", coords="minimal", compat="override",
                        combine_attrs="drop_conflicts", join="outer")  # fmt: skip
    for key in params:
        stacked = stacked.assign_coords({f"sweep.{key}": ("scenario", [v[key] for v in grid])})
    return stacked
