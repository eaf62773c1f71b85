"""Plan targets evaluated on a results Dataset: value, threshold, met or not, margin, and the implied cost of
the targets the model enforced."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from energysim.report.accounting import co2_accounts, intensities
from energysim.report.sectors import gas_kpis, steam_kpis
from energysim.scenario.targets import Target, TargetRegistry

NEED_BASE = {
    "energy_intensity_change_pct",
    "co2_intensity_change_pct",
    "gas_price_change_pct",
    "steam_price_change_pct",
}


def _techs(ds: xr.Dataset, target: Target) -> list[str]:
    return [t for t in target.techs if t in ds.tech.values]


def _new_capacity(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    techs = _techs(ds, target)
    added = (ds.capacity_existing * ds.commissioned_in_year).sel(tech=techs).sum()
    return float(added + ds.new_capacity.sel(tech=techs).sum())


def _in_service(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    techs = _techs(ds, target)
    times = pd.DatetimeIndex(ds.time.values)
    hour = int(np.searchsorted(times, pd.Timestamp(target.on))) if target.on else len(times) - 1
    hour = min(hour, len(times) - 1)
    existing = (ds.capacity_existing * ds.in_service.isel(time=hour)).sel(tech=techs).sum()
    return float(existing + ds.new_capacity.sel(tech=techs).sum())


def _small_boiler_steam(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    """Steam (t) raised in the last 30 days of the horizon by coal boilers of at most the size class."""
    size = ds.unit_size.fillna(ds.steam_capacity_existing)
    small = (ds.tech_kind == "boiler") & (ds.fuel == "coal") & (size <= target.max_unit_size_t_per_h)
    return float(ds.steam_output.isel(time=slice(-24 * 30, None)).where(small, 0).sum())


def _peak_unserved(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    season = ds.peak_season > 0 if float(ds.peak_season.sum()) else ds.time.dt.month.isin([7, 8, 12, 1])
    return float(ds.unserved.where(season, 0).sum())


def _change(now: float, then: float) -> float:
    return 100 * (now / then - 1) if then else float("nan")


METRICS: dict[str, Callable[[xr.Dataset, Target, xr.Dataset | None], float]] = {
    "new_capacity_mw": _new_capacity,
    "capacity_in_service_mw": _in_service,
    "phased_out_boiler_steam_t": _small_boiler_steam,
    "peak_season_unserved_mwh": _peak_unserved,
    "peak_reserve_shortfall_mw": lambda ds, t, b: float(ds.reserve_shortfall.max()),
    "co2_territorial_t": lambda ds, t, b: co2_accounts(ds)["territorial"],
    "co2_consumption_t": lambda ds, t, b: co2_accounts(ds)["consumption"],
    "energy_intensity_change_pct": lambda ds, t, b: _change(
        intensities(ds)["energy_tce_per_1e4cny"], intensities(b)["energy_tce_per_1e4cny"]
    ),
    "co2_intensity_change_pct": lambda ds, t, b: _change(
        intensities(ds)["co2_territorial_t_per_1e4cny"], intensities(b)["co2_territorial_t_per_1e4cny"]
    ),
    "gas_price_change_pct": lambda ds, t, b: _change(
        gas_kpis(ds)["gas_pool_average_cost_CNY_per_m3"], gas_kpis(b)["gas_pool_average_cost_CNY_per_m3"]
    ),
    "steam_price_change_pct": lambda ds, t, b: _change(
        steam_kpis(ds)["average_steam_price_CNY_per_t"], steam_kpis(b)["average_steam_price_CNY_per_t"]
    ),
}


def evaluate_targets(ds: xr.Dataset, registry: TargetRegistry, base: xr.Dataset | None = None) -> pd.DataFrame:
    """One row per target: value, threshold, met (``yes``/``no``/``n/a``), margin (in the target's unit, positive
    when met) and, for constraint targets, the implied cost (the constraint's dual, CNY per unit)."""
    rows = []
    for target in registry.targets:
        value = float("nan")
        if target.metric not in NEED_BASE or base is not None:
            value = METRICS[target.metric](ds, target, base)
        margin = value - target.threshold if target.comparison == ">=" else target.threshold - value
        met = "n/a" if np.isnan(value) else ("yes" if margin >= -1e-6 * max(1.0, abs(target.threshold)) else "no")
        implied = float("nan")
        if target.kind == "constraint" and "target" in ds.coords and target.id in ds.target.values:
            implied = float(ds.target_shadow_price.sel(target=target.id))
        rows.append(
            {
                "target": target.id,
                "clause": target.clause,
                "metric": target.metric,
                "basis": target.basis,
                "kind": target.kind,
                "value": value,
                "comparison": target.comparison,
                "threshold": target.threshold,
                "unit": target.unit,
                "met": met,
                "margin": margin,
                "implied_cost": implied,
            }
        )
    return pd.DataFrame(rows).set_index("target")


def format_targets(table: pd.DataFrame) -> str:
    """The table planners read: target, clause, value against threshold, verdict, margin, implied cost."""
    show = table[["clause", "value", "comparison", "threshold", "unit", "met", "margin", "implied_cost", "kind"]]
    return show.to_string(float_format=lambda x: f"{x:,.2f}", na_rep="-")
