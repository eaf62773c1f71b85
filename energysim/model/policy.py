"""Cross-sector policy constraints: the peak-season reserve (:mod:`energysim.model.reserve`), plan targets,
the renewable share and the annual CO2 cap."""

from __future__ import annotations

import json

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.costs import co2_cap_for_horizon, co2_counted, steam_co2_rate
from energysim.model.lp import INF, Rows, lp_of
from energysim.model.reserve import add_peak_reserve
from energysim.model.sets import hour_weights, rates_for


def add_policy(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    r"""Add ``m.policy`` with the CO2 cap, if the scenario has one.

    .. math:: \sum_{g \in G_{CO2}} \sum_t (\varepsilon_g\, p_{g,t} + \sigma_g\, q_{g,t} + \varsigma_g\, y_{g,t})
              \le \bar E \cdot y

    ε CO2 per MWh of power tCO2/MWh, σ CO2 per tonne of steam tCO2/t, ς CO2 per unit started (start-up fuel ×
    unit size × tCO2/GJ), Ē annual cap tCO2, y year fraction;
    G_CO2 are the techs the basis counts.
    Its dual is the CO2 shadow price (CNY/tCO2). With ``elastic`` an excess slack relaxes the cap.
    """
    b = m.policy = pyo.Block()
    lp = lp_of(m)
    add_peak_reserve(m, b, inputs)
    _add_targets(m, b, inputs, elastic=elastic)
    _add_renewable_share(m, b, inputs)
    cap = co2_cap_for_horizon(inputs)
    if cap is None:
        return
    counted = co2_counted(inputs)
    rows = Rows(1)
    power, steam = list(m.power.POWER), list(m.steam.STEAM)
    every_hour = np.zeros((len(power), len(m.T)), dtype=int)
    w = hour_weights(inputs)
    power_rate = rates_for(inputs.co2_intensity * counted, power)[:, None] * w
    rows.add(lp.cols(m.power.generation), power_rate, rows=every_hour)
    every_hour = np.zeros((len(steam), len(m.T)), dtype=int)
    steam_rate = rates_for(steam_co2_rate(inputs) * counted, steam)[:, None] * w
    rows.add(lp.cols(m.steam.output), steam_rate, rows=every_hour)
    commit = list(m.power.COMMIT)
    start_rate = rates_for(inputs.startup_fuel * inputs.unit_mw * inputs.fuel_co2 * counted, commit)[:, None] * w
    rows.add(lp.cols(m.power.startup), start_rate, rows=np.zeros((len(commit), len(m.T)), dtype=int))
    if elastic:
        rows.add(lp.var(b, "co2_excess", []), -1.0)
    lp.rows(b, "co2_cap", rows, upper=cap)


def _add_targets(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset, *, elastic: bool) -> None:
    r"""Plan targets enforced as constraints: new capacity of a group of technologies at least a threshold.

    .. math:: \sum_{g \in G} N_g \ge T - \sum_{g \in G} K^{\text{added}}_g

    K^added existing capacity entering service in the scenario's year (planned additions), MW. Its dual is the
    target's implied cost, CNY/MW. With ``elastic`` a shortfall slack shows by how much a target is missed.
    """
    targets = json.loads(inputs.attrs.get("constraint_targets", "[]"))
    techs = [str(t) for t in inputs.tech.values]
    planned = dict(zip(techs, (inputs.capacity_existing * inputs.commissioned_in_year).values.tolist(), strict=True))
    rows = {}
    for target in targets:
        group = [g for g in target["techs"] if g in techs]
        rows[target["id"]] = (
            [g for g in group if g in m.power.EXPAND],
            target["threshold"] - sum(planned[g] for g in group),
        )
    b.TARGET = pyo.Set(initialize=[k for k, (build, need) in rows.items() if need > 0 or build], ordered=True)
    lp = lp_of(m)
    short = lp.var(b, "target_short", [list(b.TARGET) if elastic else []])
    built = Rows(len(b.TARGET))
    for i, k in enumerate(b.TARGET):
        built.add(lp.cols(m.power.new_capacity, rows[k][0]), rows=np.full(len(rows[k][0]), i))
    if elastic:
        built.add(short)
    lp.rows(b, "target", built, lower=np.array([rows[k][1] for k in b.TARGET]))


def _add_renewable_share(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset) -> None:
    r"""Renewable share of consumption, met by counted technologies, green imports and certificates.

    .. math:: \sum_{g \in G_{RE}} \sum_t p_{g,t} + z \ge \sigma \sum_{t,r} D_{t,r}, \quad 0 \le z \le \bar z\, y

    z certificates bought MWh (at their price), σ minimum share 1. Dual: renewable price, CNY/MWh.
    """
    share = float(inputs.attrs.get("renewable_min_share", 0.0))
    b.RENEWABLE = pyo.Set(initialize=["share"] if share > 0 else [])
    limit = float(inputs.attrs.get("certificate_max_mwh_per_year", 0.0))
    price = float(inputs.attrs.get("certificate_price_cny_per_mwh", 0.0))
    yf = float(inputs.attrs["year_fraction"])
    has_certificates = share > 0 and (limit != 0.0 or price > 0)
    lp = lp_of(m)
    upper = INF if limit < 0 else limit * yf
    certificates = lp.var(b, "certificates", [["z"] if has_certificates else []], upper=upper)
    counted = [g for g in m.power.POWER if float(inputs.renewable.sel(tech=g)) > 0]
    w = hour_weights(inputs)
    need = share * float((inputs.demand.sum("region") * w).sum())
    rows = Rows(len(b.RENEWABLE))
    if len(b.RENEWABLE):
        rows.add(lp.cols(m.power.generation, counted), w, rows=np.zeros((len(counted), len(m.T)), dtype=int))
        rows.add(certificates, rows=np.zeros(len(certificates), dtype=int))
    lp.rows(b, "renewable_share", rows, lower=need)
