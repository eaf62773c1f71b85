"""Total cost: an explicit list of each sector's cost terms, built from the same rates the results use."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.costs import CostRates, cost_rates
from energysim.model.gas import step_weights
from energysim.model.lp import LPBuilder, lp_of
from energysim.model.sets import hour_weights, rates_for

ELASTIC_PENALTY_CNY = 1e7
"""Penalty per unit of slack (MW, t/h, MWh or tCO2) in the diagnosis model: far above any real cost."""


def power_cost(m: pyo.ConcreteModel, inputs: xr.Dataset, lp: LPBuilder, rates: CostRates) -> None:
    """Power-sector cost over the horizon, CNY: capacity, energy, start-ups (wear, fuel, carbon), deep peaking and
    unserved energy."""
    b, w = m.power, hour_weights(inputs)
    lp.cost(lp.cols(b.generation), rates_for(sum(rates.generation.values()), list(b.POWER)) * w)
    lp.cost(lp.cols(b.consumption), rates_for(sum(rates.consumption.values()), list(b.CONSUMER)) * w)
    lp.cost(lp.cols(b.new_capacity), rates_for(sum(rates.capacity.values()), list(b.EXPAND)))
    commit = list(b.COMMIT)
    per_start = rates_for(sum(rates.startup.values()), commit) * inputs.unit_mw.sel(tech=commit).values  # CNY/unit
    lp.cost(lp.cols(b.startup), per_start[:, None] * w)
    lp.cost(lp.cols(b.deep), inputs.deep_peaking_cost.sel(tech=list(b.DEEP)).values[:, None] * w)
    lp.cost(lp.cols(b.unserved), float(inputs.attrs["value_of_lost_load_cny_per_mwh"]) * w)
    lp.offset += float(rates.existing_fixed.sum())


def steam_cost(m: pyo.ConcreteModel, inputs: xr.Dataset, lp: LPBuilder, rates: CostRates) -> None:
    """Steam-sector cost over the horizon, CNY: new boiler capacity, steam O&M, fuel and CO2 of the steam part,
    unserved steam (existing capacity's fixed O&M is in :func:`power_cost`)."""
    b, w = m.steam, hour_weights(inputs)
    lp.cost(lp.cols(b.output), rates_for(sum(rates.steam.values()), list(b.STEAM)) * w)
    lp.cost(lp.cols(b.new_capacity), rates_for(sum(rates.steam_capacity.values()), list(b.EXPAND)))
    lp.cost(lp.cols(b.unserved), float(inputs.attrs["value_of_lost_steam_cny_per_t"]) * w)


def gas_cost(m: pyo.ConcreteModel, inputs: xr.Dataset, lp: LPBuilder) -> None:
    """Gas-pool cost over the horizon, CNY: tiers bought, take-or-pay penalties, city gas not supplied."""
    b = m.gas
    if not len(b.SOURCE):
        return
    price = inputs.gas_tier_price
    lp.cost(lp.cols(b.tier), np.array([float(price.sel(gas_source=s, gas_tier=k)) for s, k in b.TIER]))
    lp.cost(lp.cols(b.shortfall), inputs.gas_take_or_pay_penalty.sel(gas_source=list(b.TAKE_OR_PAY)).values)
    lp.cost(lp.cols(b.unserved), float(inputs.attrs["value_of_lost_gas_cny_per_mwh"]) * step_weights(inputs))


def policy_cost(m: pyo.ConcreteModel, inputs: xr.Dataset, lp: LPBuilder) -> None:
    """Penalty on peak-season reserve shortfall and green certificates bought, CNY."""
    b = m.policy
    penalty = float(inputs.attrs.get("reserve_shortfall_cost_cny_per_mw_h", 0.0))
    lp.cost(lp.cols(b.reserve_shortfall), penalty * hour_weights(inputs)[list(b.PEAK)])
    lp.cost(lp.cols(b.certificates), float(inputs.attrs.get("certificate_price_cny_per_mwh", 0.0)))


def slack_penalty(m: pyo.ConcreteModel, lp: LPBuilder) -> None:
    """Penalty on the diagnosis model's slacks (none in a normal run)."""
    for var in (
        getattr(m.power, "surplus", None),
        getattr(m.steam, "surplus", None),
        getattr(m.gas, "surplus", None),
        getattr(m.policy, "co2_excess", None),
        m.policy.target_short,
    ):
        if var is not None:
            lp.cost(lp.cols(var), ELASTIC_PENALTY_CNY)


def add_objective(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """Minimise total cost, CNY = power + steam + gas pool + reserve shortfall (+ diagnosis slacks)."""
    lp = lp_of(m)
    lp.rates = cost_rates(inputs)  # kept: the results read their costs with the same rates
    power_cost(m, inputs, lp, lp.rates)
    steam_cost(m, inputs, lp, lp.rates)
    for part in (gas_cost, policy_cost):
        part(m, inputs, lp)
    slack_penalty(m, lp)
    lp.add_objective(m, "total_cost")
