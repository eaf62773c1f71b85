"""Total cost: an explicit list of each sector's cost terms, built from the same rates the results use."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.costs import (
    capacity_cost_rates,
    consumption_cost_rates,
    existing_fixed_cost,
    generation_cost_rates,
    steam_capacity_cost_rates,
    steam_cost_rates,
)
from energysim.model.sets import linear_sum, rates_for

ELASTIC_PENALTY_CNY = 1e7
"""Penalty per unit of slack (MW, t/h, MWh or tCO2) in the diagnosis model: far above any real cost."""


def power_cost(m: pyo.ConcreteModel, inputs: xr.Dataset) -> object:
    """Power-sector cost over the horizon, CNY: capacity, energy, start-up and unserved energy."""
    b = m.power
    gen_rate = rates_for(sum(generation_cost_rates(inputs).values()), list(b.POWER))
    con_rate = rates_for(sum(consumption_cost_rates(inputs).values()), list(b.CONSUMER))
    cap_rate = rates_for(sum(capacity_cost_rates(inputs).values()), list(b.EXPAND))
    start = np.repeat(inputs.startup_cost.sel(tech=list(b.COMMIT)).values, len(m.T))
    voll = float(inputs.attrs["value_of_lost_load_cny_per_mwh"])
    return (
        linear_sum(gen_rate, list(b.generation.values()))
        + linear_sum(con_rate, list(b.consumption.values()))
        + linear_sum(cap_rate, list(b.new_capacity.values()))
        + linear_sum(start, list(b.startup.values()))
        + linear_sum(np.full(len(b.unserved), voll), list(b.unserved.values()))
        + float(existing_fixed_cost(inputs).sum())
    )


def steam_cost(m: pyo.ConcreteModel, inputs: xr.Dataset) -> object:
    """Steam-sector cost over the horizon, CNY: new boiler capacity, steam O&M, fuel and CO2 of the steam part,
    unserved steam (existing capacity's fixed O&M is in :func:`power_cost`)."""
    b = m.steam
    rate = rates_for(sum(steam_cost_rates(inputs).values()), list(b.STEAM))
    cap_rate = rates_for(sum(steam_capacity_cost_rates(inputs).values()), list(b.EXPAND))
    vols = float(inputs.attrs["value_of_lost_steam_cny_per_t"])
    return (
        linear_sum(rate, list(b.output.values()))
        + linear_sum(cap_rate, list(b.new_capacity.values()))
        + linear_sum(np.full(len(b.unserved), vols), list(b.unserved.values()))
    )


def gas_cost(m: pyo.ConcreteModel, inputs: xr.Dataset) -> object:
    """Gas-pool cost over the horizon, CNY: tiers bought, take-or-pay penalties, city gas not supplied."""
    b = m.gas
    if not len(b.SOURCE):
        return 0.0
    price = inputs.gas_tier_price
    tiers = np.array([float(price.sel(gas_source=s, gas_tier=k)) for s, k in b.TIER])
    penalty = inputs.gas_take_or_pay_penalty.sel(gas_source=list(b.TAKE_OR_PAY)).values
    volg = float(inputs.attrs["value_of_lost_gas_cny_per_mwh"])
    return (
        linear_sum(tiers, list(b.tier.values()))
        + linear_sum(penalty, list(b.shortfall.values()))
        + linear_sum(np.full(len(b.unserved), volg), list(b.unserved.values()))
    )


def policy_cost(m: pyo.ConcreteModel, inputs: xr.Dataset) -> object:
    """Penalty on peak-season reserve shortfall and green certificates bought, CNY."""
    b = m.policy
    penalty = float(inputs.attrs.get("reserve_shortfall_cost_cny_per_mw_h", 0.0))
    price = float(inputs.attrs.get("certificate_price_cny_per_mwh", 0.0))
    return linear_sum(np.full(len(b.reserve_shortfall), penalty), list(b.reserve_shortfall.values())) + linear_sum(
        np.full(len(b.certificates), price), list(b.certificates.values())
    )


def slack_penalty(m: pyo.ConcreteModel) -> object:
    """Penalty on the diagnosis model's slacks (0 in a normal run)."""
    slacks = [
        v
        for var in (
            getattr(m.power, "surplus", None),
            getattr(m.steam, "surplus", None),
            getattr(m.gas, "surplus", None),
            getattr(m.policy, "co2_excess", None),
            m.policy.target_short,
        )
        if var is not None
        for v in var.values()
    ]
    return linear_sum(np.full(len(slacks), ELASTIC_PENALTY_CNY), slacks) if slacks else 0.0


def add_objective(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """Minimise total cost, CNY = power + steam + gas pool + reserve shortfall (+ diagnosis slacks)."""
    m.total_cost = pyo.Objective(
        expr=power_cost(m, inputs)
        + steam_cost(m, inputs)
        + gas_cost(m, inputs)
        + policy_cost(m, inputs)
        + slack_penalty(m),
        sense=pyo.minimize,
    )
