"""Stress cases replayed at full hourly resolution against the fleet a scenario run has built.

:func:`energysim.inputs.fleet.fix_fleet` turns the built capacity into existing capacity; ``apply_stress``
changes the inputs in the stress period; ``stress_report`` says what failed and what carried the peak.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim import units as u
from energysim.errors import Problem, ScenarioError
from energysim.inputs.fleet import fix_fleet
from energysim.pipeline import run_inputs
from energysim.results import total_cost
from energysim.scenario.stress import StressCase
from energysim.scenario.technologies import POWER_KINDS, STEAM_KINDS


def stress_hours(inputs: xr.Dataset, case: StressCase, file: str = "<stress case>") -> xr.DataArray:
    """Boolean (time) mask of the stress period; an error if it misses the horizon entirely."""
    if case.period is None:
        return xr.ones_like(inputs.time, dtype=bool)
    days = inputs.time.dt.floor("D")
    mask = (days >= np.datetime64(case.period.start)) & (days <= np.datetime64(case.period.end))
    if not bool(mask.any()):
        span = f"{pd.Timestamp(inputs.time.values[0]):%Y-%m-%d} to {pd.Timestamp(inputs.time.values[-1]):%Y-%m-%d}"
        raise ScenarioError(
            [
                Problem(
                    file,
                    "period",
                    f"days within the scenario horizon ({span})",
                    f"{case.period.start} to {case.period.end}",
                    "move the period or the horizon",
                )
            ]
        )
    return mask


def apply_stress(inputs: xr.Dataset, case: StressCase, file: str = "<stress case>") -> xr.Dataset:
    """The inputs with the case's changes applied in its period (vectorised over hours)."""
    known = set(map(str, inputs.tech.values)) | set(POWER_KINDS) | set(STEAM_KINDS)  # a kind may be absent
    unknown = [k for k in [*case.availability_scale, *case.outage_mw] if k not in known]
    unknown += [k for k in case.gas_supply_scale if k not in inputs.gas_source.values]
    if unknown:
        raise ScenarioError(
            [
                Problem(
                    file,
                    "availability_scale/outage_mw/gas_supply_scale",
                    "names of technologies, kinds or gas sources in the scenario",
                    ", ".join(map(repr, unknown)),
                )
            ]
        )
    hours = stress_hours(inputs, case, file)
    out = inputs.copy()
    out["demand"] = inputs.demand * xr.where(hours, case.demand_scale, 1.0)
    scale = xr.ones_like(inputs.capacity_existing)
    for key, factor in case.availability_scale.items():
        scale = xr.where((inputs.tech == key) | (inputs.tech_kind == key), scale * factor, scale)
    scale = xr.where(inputs.tech_kind == "grid", scale * case.import_capacity_scale, scale)
    out["availability"] = inputs.availability * xr.where(hours, scale, 1.0)
    for tech, mw in case.outage_mw.items():
        cap = float(inputs.capacity_existing.sel(tech=tech)) or 1.0
        cut = xr.where(hours & (inputs.tech == tech), mw / cap, 0.0)
        out["in_service"] = (out.in_service - cut).clip(min=0.0)
    for source, factor in case.gas_supply_scale.items():
        out["gas_availability"] = xr.where(
            hours & (inputs.gas_source == source), out.gas_availability * factor, out.gas_availability
        )
    for name in ("demand", "availability", "in_service", "gas_availability"):
        out[name] = out[name].transpose(*inputs[name].dims).assign_attrs(inputs[name].attrs)
    out.attrs = {**inputs.attrs, "stress_case": case.name}
    return out


def run_stress(inputs: xr.Dataset, built: xr.Dataset, case: StressCase, file: str = "<stress case>") -> xr.Dataset:
    """Replay ``case`` against the fleet of ``built`` (a results Dataset of the same inputs)."""
    return run_inputs(apply_stress(fix_fleet(inputs, built), case, file), allow_non_optimal=True)


def operating_cost(results: xr.Dataset) -> float:
    """Total cost less investment, CNY: what a replay of the same fleet costs when nothing goes wrong."""
    return total_cost(results) - float(results.cost.sel(cost_component="capex").sum())


def _reserve_penalty(results: xr.Dataset) -> float:
    """The reserve shortfall's penalty in the objective, CNY (a price on missing margin, not money spent)."""
    return float(results.reserve_shortfall_cost.sum()) if "reserve_shortfall_cost" in results else 0.0


def stress_report(base: xr.Dataset, stressed: xr.Dataset, case: StressCase, lang: str = "en") -> dict[str, object]:
    """Unserved energy (MWh, hours, worst hour), reserve shortfall, steam and gas not supplied, the cost change
    against the unstressed operating cost (the fleet is already built, so investment is left out) and how much of
    it is the reserve shortfall's penalty (a price on missing margin, not money spent), and the resources that
    carried the peak hour of the stress period; the case and the resources named in ``lang``."""
    hours = stress_hours(stressed, case)
    unserved = stressed.unserved.sum("region")
    worst = int(np.argmax(unserved.values))
    demand = stressed.demand.sum("region").where(hours)
    peak = int(np.argmax(demand.fillna(-1).values))
    carried = stressed.generation.isel(time=peak).sum("region")
    top = carried.sortby(carried, ascending=False)
    names = stressed.display_name_zh if lang == "zh" and "display_name_zh" in stressed else stressed.display_name
    supply = ", ".join(
        f"{names.sel(tech=t).values!s} {float(top.sel(tech=t)):,.0f}"
        for t in top.tech.values[:5]
        if float(top.sel(tech=t)) > 0.5
    )
    return {
        "case": case.name_in(lang),
        "unserved_MWh": float(unserved.sum()),
        "unserved_hours": int((unserved > 1e-6).sum()),
        "worst_hour": f"{pd.Timestamp(stressed.time.values[worst]):%Y-%m-%d %H:00}"
        if float(unserved.max()) > 0
        else "-",
        "worst_MW": float(unserved.max()),
        "reserve_shortfall_MW": float(stressed.reserve_shortfall.max()),
        "steam_unserved_t": float(stressed.steam_unserved.sum()),
        "gas_unserved_1e4m3": float(stressed.gas_unserved.sum()) / u.GAS_MWH_PER_1E4M3,
        "extra_cost_MCNY": (total_cost(stressed) - operating_cost(base)) / 1e6,
        "of_which_reserve_penalty_MCNY": (_reserve_penalty(stressed) - _reserve_penalty(base)) / 1e6,
        "peak_hour": f"{pd.Timestamp(stressed.time.values[peak]):%Y-%m-%d %H:00}",
        "peak_MW": float(demand.max()),
        "carried_by_MW": supply,
    }
