"""Room 3: the Pyomo formulation; ``build_model`` reads as its table of contents."""

from __future__ import annotations

import pyomo.environ as pyo
import xarray as xr

from energysim.model.gas import add_gas
from energysim.model.lp import new_builder
from energysim.model.objective import add_objective
from energysim.model.policy import add_policy
from energysim.model.power import add_power, add_power_balance
from energysim.model.sets import add_sets
from energysim.model.steam import add_steam


def build_model(inputs: xr.Dataset, *, elastic: bool = False, arrays_only: bool = False) -> pyo.ConcreteModel:
    """Build the capacity-and-dispatch LP from an input Dataset (see :func:`energysim.build_inputs`).

    Blocks: ``m.power`` (dispatch, storage, links, hourly balance), ``m.steam`` (boilers, CHP, accumulators,
    hourly steam balance), ``m.gas`` (gas pool, daily balance), ``m.policy`` (CO2 cap). ``elastic`` adds
    penalised slacks to the balances and the cap, so an infeasible scenario can be diagnosed. ``arrays_only``
    builds the LP arrays and the model's sets and components without Pyomo variable data or an objective
    expression: enough to solve and read results (re-solving sweep variants), not to use the model in Pyomo.
    """
    m = pyo.ConcreteModel(name=str(inputs.attrs.get("scenario_name", "energysim")))
    new_builder(m, arrays_only=arrays_only)
    add_sets(m, inputs)
    add_power(m, inputs)
    add_steam(m, inputs, elastic=elastic)
    add_power_balance(m, inputs, elastic=elastic)
    add_gas(m, inputs, elastic=elastic)
    add_policy(m, inputs, elastic=elastic)
    add_objective(m, inputs)
    return m


__all__ = ["build_model"]
