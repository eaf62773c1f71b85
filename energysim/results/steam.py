"""Steam-sector results: steam output, accumulators, unserved steam, steam prices and steam capacity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.results.common import by_tech, result_da, spread
from energysim.solver import SolveResult


@dataclass
class SteamFlows:
    """(tech, time) and (tech,) arrays the costs, fuel and emissions need."""

    output: xr.DataArray  # t/h
    new_capacity: xr.DataArray  # t/h
    power_draw: xr.DataArray  # MW drawn by electric boilers and heat pumps


def steam_flows(m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult) -> SteamFlows:
    b = m.steam
    output = by_tech(inputs, list(b.STEAM), solution.values(b.output))
    return SteamFlows(
        output=output,
        new_capacity=by_tech(inputs, list(b.EXPAND), solution.values(b.new_capacity), hourly=False),
        power_draw=output * inputs.steam_power_use,
    )


def steam_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, flows: SteamFlows
) -> dict[str, xr.DataArray]:
    """``steam_output``, ``steam_demand``, ``steam_unserved``, ``steam_price`` and friends (t/h, CNY/t)."""
    b = m.steam
    n_time, regions = inputs.sizes["time"], [str(r) for r in inputs.region.values]
    charge = by_tech(inputs, list(b.STORE), solution.values(b.charge))
    level = by_tech(inputs, list(b.STORE), solution.values(b.level))
    zones = list(b.ZONE)
    unserved = np.zeros((n_time, len(regions)))
    price = np.zeros((n_time, len(regions)))
    if zones:
        cols = [regions.index(r) for r in zones]
        unserved[:, cols] = solution.values(b.unserved).reshape(len(zones), n_time).T
        price[:, cols] = solution.duals(b.balance).reshape(len(zones), n_time).T
    capacity = (inputs.steam_capacity_existing * inputs.in_service + flows.new_capacity).max("time")
    vols = float(inputs.attrs["value_of_lost_steam_cny_per_t"])
    hourly = ("time", "region", "tech")
    return {
        "steam_capacity": result_da(
            spread(inputs, capacity),
            ("region", "tech"),
            u.T_PER_H,
            "steam capacity (most in service at any hour of the horizon)",
        ),
        "new_steam_capacity": result_da(
            spread(inputs, flows.new_capacity), ("region", "tech"), u.T_PER_H, "new steam capacity built"
        ),
        "steam_output": result_da(
            spread(inputs, flows.output.T), hourly, u.T_PER_H, "steam supplied (incl. accumulator discharge)"
        ),
        "steam_charge": result_da(spread(inputs, charge.T), hourly, u.T_PER_H, "steam taken into accumulators"),
        "steam_storage_level": result_da(spread(inputs, level.T), hourly, "t", "steam stored at the end of the hour"),
        "steam_demand": inputs.steam_demand,
        "steam_unserved": result_da(unserved, ("time", "region"), u.T_PER_H, "steam demand not supplied"),
        "steam_unserved_cost": result_da(unserved.sum(axis=0) * vols, ("region",), u.CNY, "cost of steam not supplied"),
        "steam_price": result_da(price, ("time", "region"), u.CNY_PER_T, "steam price (dual of the steam balance)"),
    }
