"""Room 3: the Pyomo formulation; ``build_model`` reads as its table of contents."""

from __future__ import annotations

import pyomo.environ as pyo
import xarray as xr

from energysim.model.objective import add_objective
from energysim.model.policy import add_policy
from energysim.model.power import add_power
from energysim.model.sets import add_sets


def build_model(inputs: xr.Dataset, *, elastic: bool = False) -> pyo.ConcreteModel:
    """Build the capacity-and-dispatch LP from an input Dataset (see :func:`energysim.build_inputs`).

    ``elastic`` adds penalised slacks to the balances and caps, so an infeasible scenario can be diagnosed.
    Sectors: power (``m.power``), policy (``m.policy``); gas and steam follow the same pattern.
    """
    m = pyo.ConcreteModel(name=str(inputs.attrs.get("scenario_name", "energysim")))
    add_sets(m, inputs)
    add_power(m, inputs, elastic=elastic)
    add_policy(m, inputs, elastic=elastic)
    add_objective(m, inputs)
    return m


__all__ = ["build_model"]
