"""Gas-pool results: supply by source, use by consumer, LNG tanks, unserved city gas, gas price and pool cost.

Gas flows are shown as hourly averages in MW (thermal) on the hourly ``time`` axis, so they add up like power
(Σ over hours = MWh); with a daily balance each hour of a day shows the day's average.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.model.gas import gas_steps
from energysim.results.common import result_da
from energysim.solver import SolveResult

GAS_COST_COMPONENTS = ("purchase", "take_or_pay")


def gas_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, fuel_use_gj: xr.DataArray
) -> dict[str, xr.DataArray]:
    """Everything the gas pool reports; empty arrays on the ``gas_source`` dims when there is no pool."""
    b = m.gas
    steps = gas_steps(inputs)
    hours = np.bincount(steps).astype(float)
    n_steps = len(hours)
    sources, tanks = list(b.SOURCE), list(b.TANK)

    def hourly(per_step: np.ndarray) -> np.ndarray:  # (…, step) MWh per step → (time, …) MW
        return (np.asarray(per_step).reshape(-1, n_steps)[:, steps] / hours[steps]).T

    supply = solution.values(b.supply).reshape(len(sources), n_steps) if sources else np.zeros((0, n_steps))
    pooled = [str(t) for t in inputs.tech.values[inputs.pooled_fuel.values > 0]]
    plant_use = (fuel_use_gj.sel(tech=pooled).sum("region") * u.MWH_PER_GJ).transpose("time", "tech").values
    unserved = hourly(solution.values(b.unserved)).ravel() if sources else np.zeros(inputs.sizes["time"])
    city = inputs.city_gas_demand.values - unserved
    price = solution.duals(b.balance)[steps] if sources else np.zeros(inputs.sizes["time"])  # CNY/MWh per step
    purchase = np.zeros(len(sources))
    for (s, k), volume in zip(b.TIER, solution.values(b.tier), strict=True):
        purchase[sources.index(s)] += volume * float(inputs.gas_tier_price.sel(gas_source=s, gas_tier=k))
    penalty = np.zeros(len(sources))
    for s, short in zip(b.TAKE_OR_PAY, solution.values(b.shortfall), strict=True):
        penalty[sources.index(s)] = short * float(inputs.gas_take_or_pay_penalty.sel(gas_source=s))
    volg = float(inputs.attrs["value_of_lost_gas_cny_per_mwh"])
    tank_level = solution.values(b.tank_level).reshape(len(tanks), n_steps) if tanks else np.zeros((0, n_steps))
    send_out = solution.values(b.tank_send_out).reshape(len(tanks), n_steps) if tanks else np.zeros((0, n_steps))
    return {
        "gas_supply": result_da(
            hourly(supply),
            ("time", "gas_source"),
            u.MW,
            "gas supplied by source (thermal, hourly average of the gas step)",
        ),
        "gas_use": result_da(
            np.column_stack([plant_use, city]),
            ("time", "gas_consumer"),
            u.MW,
            "gas used by consumer (thermal): pooled-gas plants and city gas served",
        ),
        "gas_unserved": result_da(unserved, ("time",), u.MW, "city gas demand not supplied (thermal)"),
        "gas_price": result_da(price, ("time",), u.CNY_PER_MWH, "gas price (dual of the gas balance), per MWh thermal"),
        "lng_tank_level": result_da(
            tank_level[:, steps].T,
            ("time", "lng_tank"),
            u.MWH,
            "LNG in the tank at the end of the gas step (gas equivalent)",
        ),
        "lng_send_out": result_da(hourly(send_out), ("time", "lng_tank"), u.MW, "LNG tank send-out (thermal)"),
        "gas_cost": result_da(
            np.column_stack([purchase, penalty]).reshape(len(sources), 2),
            ("gas_source", "gas_cost_component"),
            u.CNY,
            "gas pool cost over the horizon: tiers bought and take-or-pay penalties",
        ),
        "gas_unserved_cost": result_da(float(unserved.sum()) * volg, (), u.CNY, "cost of city gas not supplied"),
    }


def gas_coords(inputs: xr.Dataset) -> dict[str, list[str]]:
    """Coordinates the gas results add."""
    pooled = [str(t) for t in inputs.tech.values[inputs.pooled_fuel.values > 0]]
    return {"gas_consumer": [*pooled, "city_gas"], "gas_cost_component": list(GAS_COST_COMPONENTS)}
