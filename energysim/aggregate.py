"""Representative days: pick typical days with tsam, measure their fidelity before the solve, and read the
reduced model's answer back onto every hour of the year.

The typical days are real days of the year (k-means medoids, seeded), plus the days of peak demand and of the
highest and lowest residual load when ``keep_extremes``. The reduced input Dataset holds their hours, each
weighted by the number of days its typical day stands for (``time_weight``), and ``day_period`` maps each day
of the year to its typical day, so storage and LNG tanks carry their level through the year
(:mod:`energysim.model.power`, :mod:`energysim.model.gas`). After the solve, every day of the year takes the
values of its typical day (storage: its linked level), and the usual results are computed on all 8,760 hours:
the results contract does not change, and totals equal the reduced objective.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import xarray as xr

from energysim.errors import Problem, ScenarioError
from energysim.handoff import compile_lp
from energysim.model import build_model
from energysim.model.gas import step_weights
from energysim.model.lp import lp_of
from energysim.model.sets import hour_weights
from energysim.solve import SolveResult

DAY = 24


@dataclass
class Aggregation:
    """Which typical day stands for each day of the year, and what each typical day is."""

    day_period: np.ndarray  # (days,) typical day of each day of the year
    rep_day: np.ndarray  # (periods,) day of the year each typical day is
    weight: np.ndarray  # (periods,) days it stands for
    extreme: np.ndarray  # (periods,) bool: kept as an extreme day
    seed: int

    def hour_map(self, n_hours: int) -> np.ndarray:
        """For each hour of the year, the hour of the reduced horizon standing for it."""
        t = np.arange(n_hours)
        return self.day_period[t // DAY] * DAY + t % DAY

    def to_json(self) -> str:
        return json.dumps(
            {
                "method": "typical_days",
                "seed": self.seed,
                "typical_days": [str(d) for d in self.rep_day.tolist()],
                "weights_days": self.weight.tolist(),
                "extreme": self.extreme.tolist(),
                "day_period": self.day_period.tolist(),
            }
        )


def features(inputs: xr.Dataset) -> pd.DataFrame:
    """The hourly series the days are clustered on: demands, total demand, residual load (demand − variable
    output at existing capacity), availability of variable plant, grid prices, city gas, and in-service and
    peak-season flags (so days of different fleets or seasons are told apart)."""
    time = pd.DatetimeIndex(inputs.time.values)
    columns: dict[str, np.ndarray] = {}
    for r in map(str, inputs.region.values):
        columns[f"demand_{r}"] = inputs.demand.sel(region=r).values
        if inputs.steam_demand.sel(region=r).max() > 0:
            columns[f"steam_{r}"] = inputs.steam_demand.sel(region=r).values
    columns["demand_total"] = inputs.demand.sum("region").values
    variable = inputs.tech_kind.values == "variable"
    output = (inputs.availability * inputs.capacity_existing).isel(tech=np.flatnonzero(variable)).sum("tech")
    columns["residual_load"] = columns["demand_total"] - output.values
    for name in ("availability", "import_price", "export_price", "in_service"):
        values = inputs[name].transpose("time", "tech").values
        for j, tech in enumerate(map(str, inputs.tech.values)):
            if np.ptp(values[:, j]) > 0:
                columns[f"{name}_{tech}"] = values[:, j]
    if "city_gas_demand" in inputs and np.ptp(inputs.city_gas_demand.values) > 0:
        columns["city_gas"] = inputs.city_gas_demand.values
    if np.ptp(inputs.peak_season.values) > 0:
        columns["peak_season"] = inputs.peak_season.values
    return pd.DataFrame(columns, index=time)


def typical_days(inputs: xr.Dataset, days: int, *, seed: int = 0, keep_extremes: bool = True) -> Aggregation:
    """Pick ``days`` typical days (k-means medoids, seeded) plus, if asked, the extreme days."""
    try:
        import tsam
        from tsam import ClusterConfig, ExtremeConfig, KMeans
    except ImportError as exc:
        problem = Problem(
            file=str(inputs.attrs.get("scenario_name", "scenario")),
            key_path="time.aggregate",
            expected="tsam installed (typical days are picked with it)",
            found="no tsam in this environment",
            hint="pip install 'energysim[aggregate]', or remove `time.aggregate` to solve every hour",
        )
        raise ScenarioError([problem]) from exc
    n = inputs.sizes["time"]
    if n % DAY or n < 2 * DAY:
        raise ValueError(f"typical days need whole days of hours; the horizon has {n} hours")
    data = features(inputs)
    extremes = (
        ExtremeConfig(method="append", max_value=["demand_total", "residual_load"], min_value=["residual_load"])
        if keep_extremes
        else None
    )
    result = tsam.aggregate(
        data,
        days,
        period_duration=DAY,
        cluster=ClusterConfig(method=KMeans(random_state=seed), representation="medoid"),
        extremes=extremes,
        preserve_column_means=False,
        numerical_tolerance=1e-6,  # medoids are real days: only float noise can exceed the input range
    )
    assignments = np.asarray(result.cluster_assignments, dtype=int)
    centers = np.asarray(result.clustering.cluster_centers, dtype=int)
    counts = np.bincount(assignments, minlength=len(centers)).astype(float)
    extreme = np.zeros(len(centers), bool)
    extreme[list(result.clustering.extreme_cluster_indices or ())] = True
    order = np.argsort(centers, kind="stable")  # typical days in calendar order
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return Aggregation(
        day_period=rank[assignments],
        rep_day=centers[order],
        weight=counts[order],
        extreme=extreme[order],
        seed=seed,
    )


def reduce_inputs(inputs: xr.Dataset, agg: Aggregation) -> xr.Dataset:
    """The inputs on the typical days' hours, with ``time_weight`` and ``day_period``."""
    hours = (agg.rep_day[:, None] * DAY + np.arange(DAY)[None, :]).ravel()
    reduced = inputs.isel(time=hours)
    reduced["time_weight"] = xr.DataArray(
        np.repeat(agg.weight, DAY),
        dims="time",
        attrs={"units": "h/h", "long_name": "hours of the year each model hour stands for"},
    )
    reduced["day_period"] = xr.DataArray(
        agg.day_period, dims="day", attrs={"units": "1", "long_name": "typical day standing for each day of the year"}
    )
    reduced.attrs["period_hours"] = DAY
    reduced.attrs["aggregation"] = agg.to_json()
    return reduced


def represented_year(inputs: xr.Dataset, reduced: xr.Dataset, agg: Aggregation) -> xr.Dataset:
    """The year as the typical days represent it: every day's hourly inputs replaced by its typical day's.

    Results of an aggregated run are read on these inputs, so every hourly balance closes and the costs add
    up to the objective; :func:`fidelity` says how far they are from the real year.
    """
    year = reduced.drop_vars(["time_weight", "day_period"]).isel(time=agg.hour_map(inputs.sizes["time"]))
    year = year.assign_coords(time=inputs.time)
    year.attrs = dict(inputs.attrs)
    return year


def fidelity(inputs: xr.Dataset, agg: Aggregation) -> pd.DataFrame:
    """How well the typical days reproduce the year, computed before any solve.

    Each day of the year replaced by its typical day, against the year itself: annual energy, peak, the
    residual-load duration curve (RMSE over the sorted curve, % of the peak) and the hour-to-hour ramps
    (1st and 99th percentiles of the residual load's change).
    """
    hour_map = agg.hour_map(inputs.sizes["time"])
    hours = (agg.rep_day[:, None] * DAY + np.arange(DAY)[None, :]).ravel()
    data = features(inputs)
    year = data[["demand_total", "residual_load"]].to_numpy()
    typical = year[hours][hour_map]
    rows = []

    def add(metric: str, unit: str, full: float, reduced: float) -> None:
        change = (reduced - full) / abs(full) if full else float("nan")
        rows.append({"metric": metric, "unit": unit, "year": full, "typical days": reduced, "difference": change})

    add("electricity demand", "TWh", year[:, 0].sum() / 1e6, typical[:, 0].sum() / 1e6)
    steam = inputs.steam_demand.sum("region").values
    if steam.max() > 0:
        add("steam demand", "Mt", steam.sum() / 1e6, steam[hours][hour_map].sum() / 1e6)
    add("peak demand", "MW", year[:, 0].max(), typical[:, 0].max())
    add("peak residual load", "MW", year[:, 1].max(), typical[:, 1].max())
    add("lowest residual load", "MW", year[:, 1].min(), typical[:, 1].min())
    curve, curve_typical = np.sort(year[:, 1])[::-1], np.sort(typical[:, 1])[::-1]
    rmse = float(np.sqrt(np.mean((curve - curve_typical) ** 2)))
    rows.append(
        {
            "metric": "residual-load duration curve RMSE",
            "unit": "% of peak",
            "year": 0.0,
            "typical days": 100 * rmse / year[:, 1].max(),
            "difference": float("nan"),
        }
    )
    for q in (1, 99):
        add(f"residual-load ramp, {q}th percentile", "MW/h", np.percentile(np.diff(year[:, 1]), q),
            np.percentile(np.diff(typical[:, 1]), q))  # fmt: skip
    return pd.DataFrame(rows).set_index("metric")


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


def expand_solution(
    full_inputs: xr.Dataset,
    reduced_inputs: xr.Dataset,
    reduced_model: pyo.ConcreteModel,
    solution: SolveResult,
    agg: Aggregation,
) -> tuple[pyo.ConcreteModel, SolveResult]:
    """The full-year model (arrays only) with the reduced answer read onto every hour: each day takes its
    typical day's values, storage its linked level, prices the reduced duals per hour they stand for."""
    full = build_model(full_inputs, arrays_only=True)
    program = compile_lp(full)
    maps = _maps(full, reduced_model, agg, full_inputs)
    primal = _expand_primal(full, reduced_model, solution.primal, maps) if len(solution.primal) else np.zeros(0)
    expanded = dataclasses.replace(
        solution, primal=primal, row_dual=_expand_duals(full, program, solution, reduced_inputs, maps), lp=program
    )
    return full, expanded


KPIS = {
    "total cost": ("MCNY", lambda ds: _total(ds) / 1e6),
    "territorial CO2": ("Mt", lambda ds: float(ds.emissions.where(ds.tech_kind != "grid", 0).sum()) / 1e6),
    "unserved electricity": ("MWh", lambda ds: float(ds.unserved.sum())),
    "unserved steam": ("t", lambda ds: float(ds.steam_unserved.sum())),
}


def _total(ds: xr.Dataset) -> float:
    from energysim.results import total_cost

    return total_cost(ds)


def check_against_full_year(inputs: xr.Dataset, reduced_results: xr.Dataset) -> pd.DataFrame:
    """Re-run the full year at full resolution with the capacities the typical-day model built, and show how
    each KPI moved (cost includes the annualised investment of those capacities)."""
    from energysim.pipeline import run_inputs
    from energysim.stress import fix_fleet

    fixed = fix_fleet(inputs, reduced_results)
    fixed.attrs = {k: v for k, v in inputs.attrs.items() if k != "aggregate"}
    full = run_inputs(fixed, allow_non_optimal=True)
    invested = float(reduced_results.cost.sel(cost_component="capex").sum())
    rows = []
    for kpi, (unit, measure) in KPIS.items():
        typical, year = measure(reduced_results), measure(full)
        if kpi == "total cost":
            year += invested / 1e6
        rows.append({"kpi": kpi, "unit": unit, "typical days": typical, "full year": year, "moved": year - typical})
    return pd.DataFrame(rows).set_index("kpi")
