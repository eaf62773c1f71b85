"""The industrial steam sector: boilers (coal, gas, electric), heat pumps, steam accumulators and CHP, with an
hourly steam balance (t/h) per region that has steam demand.

Symbols (per hour): q[h,t] steam output t/h, Q capacity t/h (= Q0·s + N), a availability 1, μ minimum share 1,
P[g,t] CHP power MW, K CHP electric capacity MW, β power loss MW per t/h, c back-pressure ratio MW per t/h,
x[h,t] accumulator charge t/h, v[h,t] stored steam t, D[t,r] steam demand t/h.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.sets import balance_row, column, row, subset, techs_where


class SteamData:
    """Per-tech lists of the steam inputs (fast per-index access in rules)."""

    def __init__(self, inputs: xr.Dataset) -> None:
        self.techs = [str(t) for t in inputs.tech.values]
        per_tech = lambda name: dict(zip(self.techs, inputs[name].values.tolist(), strict=True))  # noqa: E731
        self.kind = per_tech("tech_kind")
        self.region = per_tech("tech_region")
        self.cap0 = per_tech("steam_capacity_existing")
        self.max_new = per_tech("max_new_steam_capacity")
        self.min_stable = per_tech("min_stable_fraction")
        self.power_loss = per_tech("chp_power_loss")
        self.min_power = per_tech("chp_min_power")
        self.back_pressure = per_tech("chp_back_pressure")
        self.hours = per_tech("steam_storage_hours")
        self.loss = per_tech("steam_loss")
        self.elec_cap0 = per_tech("capacity_existing")
        avail = column(inputs, "availability", ("tech", "time"))
        service = column(inputs, "in_service", ("tech", "time"))
        self.avail = dict(zip(self.techs, avail.tolist(), strict=True))
        self.service = dict(zip(self.techs, service.tolist(), strict=True))
        self.expandable = {g for g in self.techs if self.max_new[g] > 0 and self.kind[g] != "chp"}


def add_steam(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    """Add ``m.steam`` (empty sets when the scenario has no steam technologies)."""
    d = SteamData(inputs)
    kind = np.asarray(inputs.tech_kind.values, dtype=str)
    b = m.steam = pyo.Block()
    b.STEAM = subset(m.TECH, techs_where(inputs, np.isin(kind, ("chp", "boiler", "heat_pump", "steam_storage"))))
    b.ELECTRIC = subset(m.TECH, techs_where(inputs, inputs.steam_power_use.values > 0))
    b.CHP = subset(m.TECH, techs_where(inputs, kind == "chp"))
    b.STORE = subset(m.TECH, techs_where(inputs, kind == "steam_storage"))
    b.EXPAND = subset(m.TECH, sorted(d.expandable, key=d.techs.index))
    b.new_capacity = pyo.Var(b.EXPAND, bounds=lambda _, g: (0.0, d.max_new[g]))
    _add_output(m, b, d)
    _add_accumulators(m, b, d)
    _add_chp(m, b, d)
    _add_balance(m, b, d, inputs, elastic=elastic)


def _available(d: SteamData, g: str, t: int) -> float:
    """a·Q0·s: existing steam capacity available in hour t, t/h (storage: no availability factor)."""
    share = 1.0 if d.kind[g] == "steam_storage" else d.avail[g][t]
    return share * d.cap0[g] * d.service[g][t]


def _add_output(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData) -> None:
    r"""Steam output limits: μ·a·Q ≤ q ≤ a·Q (bounds where Q is fixed, rows ``available``/``min_output`` where
    it can be expanded). CHP steam is also bound by its power in :func:`_add_chp`."""

    def bounds(_: pyo.Block, g: str, t: int) -> tuple[float, float | None]:
        if g in d.expandable:
            return (0.0, None)
        hi = _available(d, g, t)
        return (d.min_stable[g] * hi if d.kind[g] == "boiler" else 0.0, hi)

    b.output = pyo.Var(b.STEAM, m.T, bounds=bounds)
    b.EXP_T = pyo.Set(initialize=[(g, t) for g in b.EXPAND for t in m.T], dimen=2)

    def share(g: str, t: int) -> float:
        return 1.0 if d.kind[g] == "steam_storage" else d.avail[g][t]

    b.available = pyo.Constraint(
        b.EXP_T,
        rule=lambda b, g, t: row([1.0, -share(g, t)], [b.output[g, t], b.new_capacity[g]], upper=_available(d, g, t)),
    )
    b.MIN_T = pyo.Set(initialize=[(g, t) for g, t in b.EXP_T if d.min_stable[g] > 0 and d.kind[g] == "boiler"], dimen=2)
    b.min_output = pyo.Constraint(
        b.MIN_T,
        rule=lambda b, g, t: row(
            [1.0, -d.min_stable[g] * share(g, t)],
            [b.output[g, t], b.new_capacity[g]],
            lower=d.min_stable[g] * _available(d, g, t),
        ),
    )


def _add_accumulators(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData) -> None:
    r"""Steam accumulators: charge x ≤ Q, stored v ≤ h·Q, and a cyclic balance.

    .. math:: v_{h,t} = (1-\ell_h) v_{h,t-1} + x_{h,t} - q_{h,t}

    ℓ loss per hour 1/h, h storage hours; discharge is the output q.
    """

    def cap(g: str, t: int) -> float | None:
        return None if g in d.expandable else d.cap0[g] * d.service[g][t]

    b.charge = pyo.Var(b.STORE, m.T, bounds=lambda _, g, t: (0.0, cap(g, t)))
    b.level = pyo.Var(b.STORE, m.T, bounds=lambda _, g, t: (0.0, None if cap(g, t) is None else cap(g, t) * d.hours[g]))
    last = len(m.T) - 1
    b.storage_balance = pyo.Constraint(
        b.STORE,
        m.T,
        rule=lambda b, g, t: row(
            [1.0, d.loss[g] - 1.0, -1.0, 1.0],
            [b.level[g, t], b.level[g, t - 1 if t else last], b.charge[g, t], b.output[g, t]],
            lower=0.0,
            upper=0.0,
        ),
    )
    b.EXP_STORE = pyo.Set(initialize=[(g, t) for g in b.STORE if g in d.expandable for t in m.T], dimen=2)
    b.charge_limit = pyo.Constraint(
        b.EXP_STORE,
        rule=lambda b, g, t: row([1.0, -1.0], [b.charge[g, t], b.new_capacity[g]], upper=d.cap0[g] * d.service[g][t]),
    )
    b.level_limit = pyo.Constraint(
        b.EXP_STORE,
        rule=lambda b, g, t: row(
            [1.0, -d.hours[g]], [b.level[g, t], b.new_capacity[g]], upper=d.hours[g] * d.cap0[g] * d.service[g][t]
        ),
    )


def _add_chp(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData) -> None:
    r"""CHP operating region in (P, q), linear:

    .. math:: P_{g,t} + \beta_g q_{g,t} \le a_{t,g} K_g s_{t,g}, \quad P_{g,t} \ge c_g q_{g,t}
              \ (= \text{for back-pressure units}), \quad P_{g,t} + \beta_g q_{g,t} \ge \mu_g a_{t,g} K_g s_{t,g}

    The last (minimum load) only where μ > 0. Fuel is heat rate × (P + β·q), charged in the cost rates.
    """
    power = m.power.generation

    def elec(g: str, t: int) -> float:
        return d.avail[g][t] * d.elec_cap0[g] * d.service[g][t]

    b.chp_capacity = pyo.Constraint(
        b.CHP, m.T, rule=lambda b, g, t: row([1.0, d.power_loss[g]], [power[g, t], b.output[g, t]], upper=elec(g, t))
    )
    b.chp_back_pressure = pyo.Constraint(
        b.CHP,
        m.T,
        rule=lambda b, g, t: row(
            [1.0, -d.min_power[g]], [power[g, t], b.output[g, t]], lower=0.0, upper=0.0 if d.back_pressure[g] else None
        ),
    )
    b.CHP_MIN = pyo.Set(initialize=[(g, t) for g in b.CHP if d.min_stable[g] > 0 for t in m.T], dimen=2)
    b.chp_min_load = pyo.Constraint(
        b.CHP_MIN,
        rule=lambda b, g, t: row(
            [1.0, d.power_loss[g]], [power[g, t], b.output[g, t]], lower=d.min_stable[g] * elec(g, t)
        ),
    )


def _add_balance(m: pyo.ConcreteModel, b: pyo.Block, d: SteamData, inputs: xr.Dataset, *, elastic: bool) -> None:
    r"""Hourly steam balance per steam zone (a region with steam demand or steam technologies); dual = steam
    price, CNY/t.

    .. math:: \sum_{h \in r} q_{h,t} - \sum_{h \in r} x_{h,t} + u_{r,t} = D_{t,r}
    """
    demand = dict(
        zip(map(str, inputs.region.values), column(inputs, "steam_demand", ("region", "time")).tolist(), strict=True)
    )
    suppliers = {r: [g for g in b.STEAM if d.region[g] == r] for r in m.REGION}
    zones = [r for r in m.REGION if suppliers[r] or max(demand[r]) > 0]
    b.ZONE = subset(m.REGION, zones)
    b.unserved = pyo.Var(b.ZONE, m.T, bounds=lambda _, r, t: (0.0, demand[r][t]))
    if elastic:
        b.surplus = pyo.Var(b.ZONE, m.T, bounds=(0.0, None))

    def rule(b: pyo.Block, r: str, t: int) -> object:
        coefs = [1.0] * len(suppliers[r])
        terms = [b.output[g, t] for g in suppliers[r]]
        for g in suppliers[r]:
            if g in b.STORE:
                coefs.append(-1.0)
                terms.append(b.charge[g, t])
        surplus = b.surplus[r, t] if elastic else None
        return balance_row(coefs, terms, unserved=b.unserved[r, t], surplus=surplus, need=demand[r][t])

    b.balance = pyo.Constraint(b.ZONE, m.T, rule=rule)
