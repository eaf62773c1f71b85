"""Typical days against the full year: re-run the year at full resolution with the capacities the typical days
built, and show how each KPI moved."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from energysim.inputs.fleet import fix_fleet
from energysim.pipeline import run_inputs
from energysim.results import total_cost

KPIS = {
    "total cost": ("MCNY", lambda ds: total_cost(ds) / 1e6),
    "territorial CO2": ("Mt", lambda ds: float(ds.emissions.where(ds.tech_kind != "grid", 0).sum()) / 1e6),
    "unserved electricity": ("MWh", lambda ds: float(ds.unserved.sum())),
    "unserved steam": ("t", lambda ds: float(ds.steam_unserved.sum())),
}


def check_against_full_year(inputs: xr.Dataset, reduced_results: xr.Dataset) -> pd.DataFrame:
    """Re-run the full year at full resolution with the capacities the typical-day model built, and show how
    each KPI moved (cost includes the annualised investment of those capacities)."""
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
