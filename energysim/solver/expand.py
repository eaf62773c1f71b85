"""Typical-day answers read onto the whole year: every day takes its typical day's values, storage its linked
level, prices the reduced duals per hour they stand for (see :mod:`energysim.inputs.typical_days`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.inputs.typical_days import DAY, Aggregation
from energysim.model import build_model
from energysim.model.gas import step_weights
from energysim.model.lp import lp_of
from energysim.model.sets import hour_weights
from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.highs import SolveResult


@dataclass
class _Maps:
    """Where each hour, gas step and peak hour of the year is found in the reduced model (−1: nowhere)."""

    hour: np.ndarray
    step: np.ndarray
    peak: np.ndarray
    by_set: dict[int, np.ndarray]


def _maps(full: pyo.ConcreteModel, reduced: pyo.ConcreteModel, agg: Aggregation, inputs: xr.Dataset) -> _Maps:
    hour = agg.hour_map(inputs.sizes["time"])
    step = agg.day_period if inputs.attrs.get("gas_balance") == "daily" else hour
    red_peak = {t: i for i, t in enumerate(reduced.policy.PEAK)}
    peak = np.array([red_peak.get(int(hour[t]), -1) for t in full.policy.PEAK], dtype=int)
    return _Maps(hour, step, peak, {id(full.T): hour, id(full.gas.STEP): step, id(full.policy.PEAK): peak})


def _expand_primal(full: pyo.ConcreteModel, reduced: pyo.ConcreteModel, values: np.ndarray, maps: _Maps) -> np.ndarray:
    """Column values of the full-year model from the reduced answer."""
    full_lp, red_lp = lp_of(full), lp_of(reduced)
    n = len(maps.hour)
    primal = np.zeros(full_lp.ncols)
    for name, cols in full_lp.columns.items():
        red_cols = red_lp.columns.get(name)
        if red_cols is None or cols.size == 0:
            continue
        if name == "power.storage_level":  # level at the day's start + level within its typical day
            day_level = values[red_lp.columns["power.storage_day_level"]]
            primal[cols] = day_level[:, np.arange(n) // DAY] + values[red_cols][:, maps.hour]
            continue
        if name == "gas.tank_level" and red_cols.shape == cols.shape:  # already through every day
            primal[cols] = values[red_cols]
            continue
        index = [maps.by_set.get(id(s), np.arange(k)) for s, k in zip(full_lp.var_sets[name], cols.shape, strict=True)]
        chosen = red_cols[np.ix_(*index)] if index else red_cols
        missing = np.zeros(chosen.shape, bool)
        for axis, ix in enumerate(index):
            missing |= np.expand_dims(ix < 0, [a for a in range(len(index)) if a != axis])
        primal[cols] = np.where(missing, 0.0, values[np.where(missing, 0, chosen)])
    return primal


def _expand_duals(
    full: pyo.ConcreteModel, program: object, solution: SolveResult, reduced_inputs: xr.Dataset, maps: _Maps
) -> np.ndarray:
    """Row duals of the full-year model: balance and reserve prices per hour of the year (the reduced dual over
    the hours it stands for); annual rows as they are."""
    duals = np.zeros(program.a.shape[0])  # type: ignore[attr-defined]
    if not len(solution.row_dual):
        return duals
    red_blocks = {c.name: s for c, s in solution.lp.row_components if hasattr(c, "name")}  # type: ignore[union-attr]
    w, ws = hour_weights(reduced_inputs), step_weights(reduced_inputs)
    for component, rows in program.row_components:  # type: ignore[attr-defined]
        name = getattr(component, "name", "")
        if name not in red_blocks:
            continue
        red = solution.row_dual[red_blocks[name]]
        if name in ("power.balance", "steam.balance"):
            duals[rows] = (red.reshape(-1, len(w))[:, maps.hour] / w[maps.hour]).ravel()
        elif name == "gas.balance":
            duals[rows] = red[maps.step] / ws[maps.step]
        elif name == "policy.reserve":
            hours = maps.hour[list(full.policy.PEAK)]
            duals[rows] = np.where(maps.peak >= 0, red[np.maximum(maps.peak, 0)], 0.0) / w[hours]
        elif red.shape[0] == rows.stop - rows.start:
            duals[rows] = red
    return duals


LAYOUT_ATTRS = (
    "commitment",
    "commitment_block_hours",
    "gas_balance",
    "constraint_targets",
    "renewable_min_share",
    "certificate_max_mwh_per_year",
)
"""Settings that shape the model (also seen in the days' model's sets and rows; in the key to be plain)."""
LAYOUT_COLUMNS = ("shift_window", "min_up_hours", "min_down_hours")
"""Per-technology values that set how many rows the year has where the days' model caps or rounds them per day
(a shift window's rows per day, minimum up and down times capped at the day)."""


def layout_key(reduced: pyo.ConcreteModel, reduced_lp: LinearProgram, full_inputs: xr.Dataset) -> tuple:
    """What fixes the full-year model's layout (its sets, its columns and its rows, not their numbers): the typical
    days' model's sets (each with its members) and rows per block, which follow from the same per-technology
    data, kinds and settings as the year's; the year's own hours and peak season; and what the days' model cannot
    show: the shaping settings (:data:`LAYOUT_ATTRS`) and the per-technology values whose rows the days cap or
    round per day (:data:`LAYOUT_COLUMNS`). Not the other attrs: they hold the resolved scenario, whose prices
    differ in every variant.

    A variant that changes only numbers (prices, demand, heat rates, in-service dates, weather) keeps the key;
    one that adds or drops a technology's variables, a target or a gas tier, or another commitment setting, does
    not. The year's model is read for its layout alone: its cost rates are recomputed for the variant's inputs
    (``results._rates``) and every value comes from the expanded solution."""
    sets = tuple((s.name, tuple(s)) for s in reduced.component_objects((pyo.Set, pyo.RangeSet), descend_into=True))
    rows = tuple((getattr(c, "name", ""), r.stop - r.start) for c, r in reduced_lp.row_components)
    v = full_inputs.variables
    peak = v["peak_season"].values if "peak_season" in v else np.zeros(0)
    columns = tuple(v[name].values.tobytes() if name in v else b"" for name in LAYOUT_COLUMNS)
    attrs = tuple(str(full_inputs.attrs.get(name)) for name in LAYOUT_ATTRS)
    return (
        sets,
        rows,
        reduced_lp.a.shape,
        v["time"].values.tobytes(),
        np.flatnonzero(peak > 0).tobytes(),
        columns,
        attrs,
    )


def year_layout(
    full_inputs: xr.Dataset, key: tuple | None = None, kept: dict | None = None
) -> tuple[pyo.ConcreteModel, LinearProgram]:
    """The full-year model (arrays only) and its LP: the one ``kept`` holds under ``key``, else built (and kept
    there in place of any other)."""
    if kept is not None and key is not None and key in kept:
        return kept[key]
    full = build_model(full_inputs, arrays_only=True)
    layout = (full, compile_lp(full))
    if kept is not None and key is not None:
        kept.clear()
        kept[key] = layout
    return layout


def expand_solution(
    full_inputs: xr.Dataset,
    reduced_inputs: xr.Dataset,
    reduced_model: pyo.ConcreteModel,
    solution: SolveResult,
    agg: Aggregation,
    *,
    kept: dict | None = None,
) -> tuple[pyo.ConcreteModel, SolveResult]:
    """The full-year model (arrays only) with the reduced answer read onto every hour: each day takes its
    typical day's values, storage its linked level, prices the reduced duals per hour they stand for.

    ``kept``: where the last full-year model is kept (a persistent solver's), to be taken again when
    :func:`layout_key` says its layout is this one's (variants of one study: 0.5 s a variant on the plan)."""
    key = layout_key(reduced_model, solution.lp, full_inputs) if kept is not None and solution.lp is not None else None
    full, program = year_layout(full_inputs, key, kept)
    maps = _maps(full, reduced_model, agg, full_inputs)
    primal = _expand_primal(full, reduced_model, solution.primal, maps) if len(solution.primal) else np.zeros(0)
    expanded = dataclasses.replace(
        solution, primal=primal, row_dual=_expand_duals(full, program, solution, reduced_inputs, maps), lp=program
    )
    return full, expanded
