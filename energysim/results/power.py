"""Power-sector results: capacity, dispatch, storage, curtailment, links, unserved energy and prices."""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.results.common import by_tech, result_da, spread
from energysim.solver import SolveResult


@dataclass
class PowerFlows:
    """(tech, time) and (tech,) arrays other sectors' results and the costs need."""

    generation: xr.DataArray  # MW
    consumption: xr.DataArray  # MW, storage charging and exports (electric steam draw is added by the steam part)
    new_capacity: xr.DataArray  # MW
    startup: xr.DataArray  # MW started (units started × unit size)
    committed: xr.DataArray  # units committed
    deep: xr.DataArray  # MW below the normal minimum (deep peaking)


def power_flows(m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult) -> PowerFlows:
    b = m.power
    commit = list(b.COMMIT)
    return PowerFlows(
        generation=by_tech(inputs, list(b.POWER), solution.values(b.generation)),
        consumption=by_tech(inputs, list(b.CONSUMER), solution.values(b.consumption)),
        new_capacity=by_tech(inputs, list(b.EXPAND), solution.values(b.new_capacity), hourly=False),
        startup=by_tech(inputs, commit, solution.values(b.startup)) * inputs.unit_mw,
        committed=by_tech(inputs, commit, solution.values(b.committed)),
        deep=by_tech(inputs, list(b.DEEP), solution.values(b.deep)),
    )


def power_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, flows: PowerFlows
) -> dict[str, xr.DataArray]:
    """The power part of the results contract (``consumption`` is completed by the steam part)."""
    b = m.power
    n_time = inputs.sizes["time"]
    level = by_tech(inputs, list(b.STORAGE), solution.values(b.storage_level))
    capacity_t = inputs.capacity_existing * inputs.in_service + flows.new_capacity  # (time, tech) MW
    curtail = (inputs.availability * capacity_t - flows.generation).clip(min=0.0)
    curtail = curtail.where(inputs.tech_kind == "variable", 0.0)
    unserved = solution.values(b.unserved).reshape(len(inputs.region), n_time).T
    flow = (solution.values(b.flow_forward) - solution.values(b.flow_backward)).reshape(-1, n_time).T
    capacity = capacity_t.max("time")
    voll = float(inputs.attrs["value_of_lost_load_cny_per_mwh"])
    hourly = ("time", "region", "tech")
    return {
        "capacity": result_da(
            spread(inputs, capacity),
            ("region", "tech"),
            u.MW,
            "installed capacity (most in service at any hour of the horizon)",
        ),
        "new_capacity": result_da(spread(inputs, flows.new_capacity), ("region", "tech"), u.MW, "new capacity built"),
        "storage_capacity": result_da(
            spread(inputs, capacity * inputs.duration_hours), ("region", "tech"), u.MWH, "storage energy capacity"
        ),
        "generation": result_da(
            spread(inputs, flows.generation.T),
            hourly,
            u.MW,
            "electricity injected (incl. storage discharge and grid imports)",
        ),
        "storage_level": result_da(spread(inputs, level.T), hourly, u.MWH, "stored energy at the end of the hour"),
        "curtailment": result_da(
            spread(inputs, curtail.transpose("time", "tech")),
            hourly,
            u.MW,
            "variable renewable output available but not used",
        ),
        "demand": inputs.demand,
        "unserved": result_da(unserved, ("time", "region"), u.MW, "unserved demand"),
        "unserved_cost": result_da(
            unserved.sum(axis=0) * voll, ("region",), u.CNY, "cost of unserved energy at the value of lost load"
        ),
        "committed_units": result_da(
            spread(inputs, flows.committed.T), hourly, "units", "units committed (unit commitment; may be fractional)"
        ),
        "startups": result_da(
            spread(inputs, (flows.startup / inputs.unit_mw.where(inputs.unit_mw > 0, 1.0)).T),
            hourly,
            "units",
            "units started in the hour",
        ),
        "link_flow": result_da(flow, ("time", "link"), u.MW, "link flow from `link_from` to `link_to`, sent side"),
        "price": result_da(
            solution.duals(b.balance).reshape(len(inputs.region), n_time).T,
            ("time", "region"),
            u.CNY_PER_MWH,
            "electricity price (dual of the hourly balance)",
        ),
    }
