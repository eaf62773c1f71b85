"""The industrial steam sector: boilers (coal, gas, electric), heat pumps, steam accumulators and CHP, with an
hourly steam balance (t/h) per region that has steam demand.

Symbols (per hour): q[h,t] steam output t/h, Q capacity t/h (= Q0·s + N), a availability 1, μ minimum share 1,
P[g,t] CHP power MW, K CHP electric capacity MW, h heat per tonne of steam MWh/t, β power loss MWe/MWth,
c back-pressure ratio MWe/MWth (the inputs hold β·h and c·h, MW per t/h),
x[h,t] accumulator charge t/h, v[h,t] stored steam t, D[t,r] steam demand t/h.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.lp import INF, LPBuilder, Rows, lp_of
from energysim.model.sets import TechArrays, column, period_hours, previous_hour, subset, techs_where


class SteamData(TechArrays):
    """The steam inputs as arrays aligned with ``inputs.tech`` (per tech, or tech × hour)."""

    def __init__(self, inputs: xr.Dataset) -> None:
        super().__init__(inputs)
        avail = column(inputs, "availability", ("tech", "time"))
        self.service = column(inputs, "in_service", ("tech", "time"))
        self.existing = inputs.steam_capacity_existing.values[:, None] * self.service  # Q0·s, t/h
        self.share = np.where((self.kind == "steam_storage")[:, None], 1.0, avail)  # storage: no availability
        self.available = self.share * self.existing  # a·Q0·s, t/h
        self.electric = avail * inputs.capacity_existing.values[:, None] * self.service  # a·K·s, MW (CHP)
        self.expandable = (inputs.max_new_steam_capacity.values > 0) & (self.kind != "chp")


def add_steam(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    """Add ``m.steam`` (empty sets when the scenario has no steam technologies)."""
    d = SteamData(inputs)
    lp = lp_of(m)
    kind = d.kind
    b = m.steam = pyo.Block()
    b.STEAM = subset(m.TECH, techs_where(inputs, np.isin(kind, ("chp", "boiler", "heat_pump", "steam_storage"))))
    b.ELECTRIC = subset(m.TECH, techs_where(inputs, inputs.steam_power_use.values > 0))
    b.CHP = subset(m.TECH, techs_where(inputs, kind == "chp"))
    b.STORE = subset(m.TECH, techs_where(inputs, kind == "steam_storage"))
    b.EXPAND = subset(m.TECH, techs_where(inputs, d.expandable))
    lp.var(b, "new_capacity", [b.EXPAND], upper=d.pick("max_new_steam_capacity", list(b.EXPAND)))
    _add_output(m, b, d, lp)
    _add_accumulators(m, b, d, lp)
    _add_chp(m, b, d, lp)
    _add_balance(m, b, d, lp, elastic=elastic)


def _add_output(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData, lp: LPBuilder) -> None:
    r"""Steam output limits: μ·a·Q ≤ q ≤ a·Q (bounds where Q is fixed, rows ``available``/``min_output`` where
    it can be expanded). CHP steam is also bound by its power in :func:`_add_chp`."""
    steam = list(b.STEAM)
    expandable = d.pick(d.expandable, steam, hourly=True)
    upper = d.pick(d.available, steam)
    boiler = d.pick(d.kind == "boiler", steam, hourly=True)
    lower = np.where(boiler & ~expandable, d.pick("min_stable_fraction", steam, hourly=True) * upper, 0.0)
    lp.var(b, "output", [b.STEAM, m.T], lower=lower, upper=np.where(expandable, INF, upper))

    grown = list(b.EXPAND)
    new = lp.cols(b.new_capacity, grown)[:, None]
    rows = Rows(len(grown), len(m.T)).add(lp.cols(b.output, grown)).add(new, -d.pick(d.share, grown))
    lp.rows(b, "available", rows, upper=d.pick(d.available, grown))
    mu = d.inputs.min_stable_fraction.values
    floor = d.members(b.EXPAND, (mu > 0) & (d.kind == "boiler"))
    mu = d.pick(mu, floor, hourly=True)
    rows = Rows(len(floor), len(m.T))
    rows.add(lp.cols(b.output, floor)).add(lp.cols(b.new_capacity, floor)[:, None], -mu * d.pick(d.share, floor))
    lp.rows(b, "min_output", rows, lower=mu * d.pick(d.available, floor))


def _add_accumulators(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData, lp: LPBuilder) -> None:
    r"""Steam accumulators: charge x ≤ Q, stored v ≤ h·Q, and a cyclic balance.

    .. math:: v_{h,t} = (1-\ell_h) v_{h,t-1} + x_{h,t} - q_{h,t}

    ℓ loss per hour 1/h, h storage hours; discharge is the output q.
    """
    store = list(b.STORE)
    cap = np.where(d.pick(d.expandable, store, hourly=True), INF, d.pick(d.existing, store))
    hours = d.pick("steam_storage_hours", store, hourly=True)
    charge = lp.var(b, "charge", [b.STORE, m.T], upper=cap)
    level = lp.var(b, "level", [b.STORE, m.T], upper=cap * hours)
    before = previous_hour(level, period_hours(d.inputs))  # cyclic within each typical day when aggregated
    rows = Rows(len(store), len(m.T)).add(level).add(before, d.pick("steam_loss", store, hourly=True) - 1)
    rows.add(charge, -1.0).add(lp.cols(b.output, store), 1.0)
    lp.rows(b, "storage_balance", rows, lower=0.0, upper=0.0)

    grown = d.members(b.STORE, d.expandable)
    new = lp.cols(b.new_capacity, grown)[:, None]
    existing = d.pick(d.existing, grown)
    lp.rows(b, "charge_limit", Rows(len(grown), len(m.T)).add(lp.cols(b.charge, grown)).add(new, -1.0), upper=existing)
    hours = d.pick("steam_storage_hours", grown, hourly=True)
    rows = Rows(len(grown), len(m.T)).add(lp.cols(b.level, grown)).add(new, -hours)
    lp.rows(b, "level_limit", rows, upper=hours * existing)


def _add_chp(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData, lp: LPBuilder) -> None:
    r"""CHP operating region in (P MW, q t/h), with heat H = h·q MWth (h MWh/t, the steam condition of
    :data:`energysim.units.STEAM_MWH_PER_T`) and fuel F MW substituted out (it is linear in P and q):

    .. math:: P_{g,t} + \beta_g h q_{g,t} \le a_{t,g} K_g s_{t,g}, \quad
              P_{g,t} \ge c_g h q_{g,t}\ (= \text{for back-pressure units}), \quad
              P_{g,t} + \beta_g h q_{g,t} \ge \mu_g a_{t,g} K_g s_{t,g}

    Extraction units: the first row is F ≤ a·K/η_e on the iso-fuel line P + β·H = η_e·F, the third the minimum
    fuel μ (only where μ > 0); fuel F = (P + β·H)/η_e, charged through the heat rate (P) and the steam fuel rate
    (q). Back-pressure units (β = 0): P = c·H, P ≤ a·K, fuel F = (P + H)/η_tot. The scenario schema refuses
    parameters for which P + H > η_tot·F anywhere in this region (:class:`energysim.scenario.technologies.Chp`).
    """
    chp = list(b.CHP)
    power, steam = lp.cols(m.power.generation, chp), lp.cols(b.output, chp)
    beta = d.pick("chp_power_loss", chp, hourly=True)
    rows = Rows(len(chp), len(m.T)).add(power).add(steam, beta)
    lp.rows(b, "chp_capacity", rows, upper=d.pick(d.electric, chp))
    back_pressure = d.pick("chp_back_pressure", chp, hourly=True) > 0
    rows = Rows(len(chp), len(m.T)).add(power).add(steam, -d.pick("chp_min_power", chp, hourly=True))
    lp.rows(b, "chp_back_pressure", rows, lower=0.0, upper=np.where(back_pressure, 0.0, INF))
    loaded = d.members(b.CHP, d.inputs.min_stable_fraction.values > 0)
    rows = Rows(len(loaded), len(m.T)).add(lp.cols(m.power.generation, loaded))
    rows.add(lp.cols(b.output, loaded), d.pick("chp_power_loss", loaded, hourly=True))
    lp.rows(
        b,
        "chp_min_load",
        rows,
        lower=d.pick("min_stable_fraction", loaded, hourly=True) * d.pick(d.electric, loaded),
    )


def _add_balance(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData, lp: LPBuilder, *, elastic: bool) -> None:
    r"""Hourly steam balance per steam zone (a region with steam demand or steam technologies); dual = steam
    price, CNY/t.

    .. math:: \sum_{h \in r} q_{h,t} - \sum_{h \in r} x_{h,t} + u_{r,t} = D_{t,r}
    """
    inputs = d.inputs
    regions = [str(r) for r in inputs.region.values]
    demand = column(inputs, "steam_demand", ("region", "time"))
    tech_region = d.pick("tech_region", list(b.STEAM)).astype(str)
    zones = [r for i, r in enumerate(regions) if (tech_region == r).any() or demand[i].max() > 0]
    b.ZONE = subset(m.REGION, zones)
    zone_of = {r: i for i, r in enumerate(zones)}
    need = demand[[regions.index(r) for r in zones]]
    rows = Rows(len(zones), len(m.T))
    rows.add(lp.cols(b.output), rows=rows.ids[[zone_of[r] for r in tech_region]])
    store_region = d.pick("tech_region", list(b.STORE)).astype(str)
    rows.add(lp.cols(b.charge), -1.0, rows=rows.ids[[zone_of[r] for r in store_region]])
    rows.add(lp.var(b, "unserved", [b.ZONE, m.T], upper=need))
    if elastic:
        rows.add(lp.var(b, "surplus", [b.ZONE, m.T]), -1.0)
    lp.rows(b, "balance", rows, lower=need, upper=need)
