"""Cross-sector policy constraints: the annual CO2 cap."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.costs import co2_cap_for_horizon, co2_counted, steam_co2_rate
from energysim.model.sets import linear_sum, rates_for


def add_policy(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    r"""Add ``m.policy`` with the CO2 cap, if the scenario has one.

    .. math:: \sum_{g \in G_{CO2}} \sum_t (\varepsilon_g\, p_{g,t} + \sigma_g\, q_{g,t}) \le \bar E \cdot y

    ε CO2 per MWh of power tCO2/MWh, σ CO2 per tonne of steam tCO2/t, Ē annual cap tCO2, y year fraction;
    G_CO2 are the techs the basis counts.
    Its dual is the CO2 shadow price (CNY/tCO2). With ``elastic`` an excess slack relaxes the cap.
    """
    b = m.policy = pyo.Block()
    cap = co2_cap_for_horizon(inputs)
    if cap is None:
        return
    counted = co2_counted(inputs)
    n_time = inputs.sizes["time"]
    power, steam = list(m.power.POWER), list(m.steam.STEAM)
    power_rate = np.repeat(rates_for(inputs.co2_intensity * counted, power), n_time)
    steam_rate = np.repeat(rates_for(steam_co2_rate(inputs) * counted, steam), n_time)
    body = linear_sum(
        np.concatenate([power_rate, steam_rate]), [*m.power.generation.values(), *m.steam.output.values()]
    )
    if elastic:
        b.co2_excess = pyo.Var(bounds=(0.0, None))
        body = body - b.co2_excess
    b.co2_cap = pyo.Constraint(expr=body <= cap)
