"""Total cost: an explicit list of each sector's cost terms."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.expr.numeric_expr import LinearExpression

from energysim.costs import (
    capacity_cost_rates,
    consumption_cost_rates,
    existing_fixed_cost,
    generation_cost_rates,
)

ELASTIC_PENALTY_CNY = 1e7
"""Penalty per MW (or tCO2) of slack in the diagnosis model: far above any real cost."""


def _linear(coefs: np.ndarray, variables: list[pyo.Var]) -> LinearExpression:
    keep = coefs != 0
    return LinearExpression(
        constant=0.0,
        linear_coefs=coefs[keep].tolist(),
        linear_vars=[v for v, k in zip(variables, keep, strict=True) if k],
    )


def power_cost(m: pyo.ConcreteModel, inputs: xr.Dataset) -> object:
    """Power-sector cost over the horizon, CNY: capacity, energy, start-up and unserved energy."""
    b = m.power
    techs = list(inputs.tech.values)
    gen_rate = sum(generation_cost_rates(inputs).values()).transpose("tech", "time").values
    terms = [_linear(gen_rate.ravel(), list(b.generation.values()))]
    if len(b.CONSUMER):
        rows = [techs.index(g) for g in b.CONSUMER]
        con_rate = sum(consumption_cost_rates(inputs).values()).transpose("tech", "time").values[rows]
        terms.append(_linear(con_rate.ravel(), list(b.consumption.values())))
    if len(b.EXPAND):
        cap_rate = sum(capacity_cost_rates(inputs).values()).sel(tech=list(b.EXPAND)).values
        terms.append(_linear(cap_rate, list(b.new_capacity.values())))
    if len(b.COMMIT):
        start = inputs.startup_cost.sel(tech=list(b.COMMIT)).values
        terms.append(_linear(np.repeat(start, len(m.T)), list(b.startup.values())))
    voll = float(inputs.attrs["value_of_lost_load_cny_per_mwh"])
    terms.append(_linear(np.full(len(b.unserved), voll), list(b.unserved.values())))
    return sum(terms) + float(existing_fixed_cost(inputs).sum())


def slack_penalty(m: pyo.ConcreteModel) -> object:
    """Penalty on the diagnosis model's slacks (0 in a normal run)."""
    slacks = [
        v
        for var in (getattr(m.power, "surplus", None), getattr(m.policy, "co2_excess", None))
        if var is not None
        for v in var.values()
    ]
    return _linear(np.full(len(slacks), ELASTIC_PENALTY_CNY), slacks) if slacks else 0.0


def add_objective(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """Minimise total cost, CNY = power sector + diagnosis slacks (later: gas and steam sectors)."""
    m.total_cost = pyo.Objective(expr=power_cost(m, inputs) + slack_penalty(m), sense=pyo.minimize)
