"""Cross-sector policy constraints: the annual CO2 cap."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.expr.numeric_expr import LinearExpression

from energysim.costs import co2_cap_for_horizon, co2_counted


def add_policy(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    r"""Add ``m.policy`` with the CO2 cap, if the scenario has one.

    .. math:: \sum_{g \in G_{CO2}} \sum_t \varepsilon_g\, p_{g,t} \le \bar E \cdot y

    ε CO2 intensity tCO2/MWh, Ē annual cap tCO2, y year fraction; G_CO2 are the techs the basis counts.
    Its dual is the CO2 shadow price (CNY/tCO2). With ``elastic`` an excess slack relaxes the cap.
    """
    b = m.policy = pyo.Block()
    cap = co2_cap_for_horizon(inputs)
    if cap is None:
        return
    intensity = (inputs.co2_intensity * co2_counted(inputs)).values
    coefs = np.repeat(intensity, inputs.sizes["time"])  # generation is indexed tech-major
    gen = list(m.power.generation.values())
    keep = coefs > 0
    terms = [v for v, k in zip(gen, keep, strict=True) if k]
    if elastic:
        b.co2_excess = pyo.Var(bounds=(0.0, None))
    body = LinearExpression(constant=0.0, linear_coefs=coefs[keep].tolist(), linear_vars=terms)
    if elastic:
        body = body - b.co2_excess
    b.co2_cap = pyo.Constraint(expr=body <= cap)
