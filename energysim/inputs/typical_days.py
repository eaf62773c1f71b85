"""Representative days: pick typical days with tsam, measure their fidelity before the solve, and read the
reduced model's answer back onto every hour of the year.

The typical days are real days of the year (k-means medoids, seeded), plus the days of peak demand and of the
highest and lowest residual load when ``keep_extremes``. The reduced input Dataset holds their hours, each
weighted by the number of days its typical day stands for (``time_weight``), and ``day_period`` maps each day
of the year to its typical day, so storage and LNG tanks carry their level through the year
(:mod:`energysim.model.power`, :mod:`energysim.model.gas`). After the solve, every day of the year takes the
values of its typical day (:mod:`energysim.solver.expand`), and the usual results are computed on all 8,760
hours: the results contract does not change, and totals equal the reduced objective.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from energysim.errors import Problem, ScenarioError

DAY = 24
CLUSTERING_THREADS = 1
"""Threads of scikit-learn's k-means inside tsam (OpenMP, and BLAS). Unbounded, it starts one per core and spins
while waiting: 12 days of the plan's year took 81-98 s with the machine's two cores otherwise busy, against
3.0-4.3 s on one thread, with the same days (2.0 s of CPU, so about 2 s with a core free). tsam's other options
measured (one thread, five seeds): 30 or 50 k-means restarts instead of 100 take 0.7 or 1.1 s of CPU but fit the
residual-load duration curve worse (3.0 % of the peak against 2.7 %); Ward clustering 0.15 s, 4.2 %
(benchmarks/README.md)."""


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
        from threadpoolctl import threadpool_limits  # scikit-learn's own dependency
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
    with threadpool_limits(limits=CLUSTERING_THREADS):
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
