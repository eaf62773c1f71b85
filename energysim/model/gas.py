"""The gas resource pool: one gas balance (daily by default) shared by gas plants, gas CHP, gas boilers and
non-power city gas demand, supplied by pipeline contracts and LNG with price tiers, limits, take-or-pay and
LNG tanks.

Symbols: y[s,k] volume bought in tier k of source s over the horizon MWh, g[s,n] supply in gas step n MWh,
w[s] take-or-pay shortfall MWh, x/o/v[k,n] LNG tank charge, send-out, level MWh, z[n] city gas not supplied
MWh, F[n] fuel of pooled-gas plants in step n MWh, C[n] city demand MWh, Δ[n] days in step n, y_f year
fraction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.model.sets import balance_row, row


def gas_steps(inputs: xr.Dataset) -> np.ndarray:
    """Gas step of each hour: the day (counted from the first) for a daily balance, else the hour itself."""
    n = inputs.sizes["time"]
    if inputs.attrs.get("gas_balance") != "daily":
        return np.arange(n)
    days = pd.DatetimeIndex(inputs.time.values).normalize()
    return np.asarray((days - days[0]).days, dtype=int)


def add_gas(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    """Add ``m.gas`` (empty when the scenario has no gas pool)."""
    b = m.gas = pyo.Block()
    active = inputs.attrs.get("gas_balance", "none") != "none"
    sources = [str(s) for s in inputs.gas_source.values] if active else []
    steps = gas_steps(inputs)
    hours = np.bincount(steps)
    days = dict(enumerate((hours / 24.0).tolist()))
    b.SOURCE = pyo.Set(initialize=sources, ordered=True)
    b.STEP = pyo.RangeSet(0, len(hours) - 1) if active else pyo.Set(initialize=[])
    yf = float(inputs.attrs["year_fraction"])
    volume = inputs.gas_tier_volume.sel(gas_source=sources).values
    tiers = [(s, k) for i, s in enumerate(sources) for k in range(volume.shape[1]) if not np.isnan(volume[i, k])]
    b.TIER = pyo.Set(initialize=tiers, dimen=2)
    vol = {(s, k): volume[sources.index(s), k] * yf for s, k in tiers}
    b.tier = pyo.Var(b.TIER, bounds=lambda _, s, k: (0.0, None if np.isinf(vol[s, k]) else vol[s, k]))
    daily = dict(zip(sources, inputs.gas_max_daily.sel(gas_source=sources).values.tolist(), strict=True))
    share = {
        s: (np.bincount(steps, weights=inputs.gas_availability.sel(gas_source=s).values) / hours).tolist()
        for s in sources
    }

    def supply_bounds(_: pyo.Block, s: str, n: int) -> tuple[float, float | None]:
        """0 ≤ g ≤ daily maximum × days × available share; an open source is only closed by a zero share."""
        if np.isnan(daily[s]):
            return (0.0, 0.0 if share[s][n] == 0 else None)
        return (0.0, daily[s] * days[n] * share[s][n])

    b.supply = pyo.Var(b.SOURCE, b.STEP, bounds=supply_bounds)
    _add_contracts(b, inputs, sources, yf)
    _add_interconnections(b, inputs, sources, days)
    _add_lng_tanks(b, inputs, days)
    if active:
        _add_balance(m, b, inputs, steps, elastic=elastic)


def _add_contracts(b: pyo.Block, inputs: xr.Dataset, sources: list[str], yf: float) -> None:
    r"""Tiers add up to the supply; annual maximum; take-or-pay as a soft floor.

    .. math:: \sum_n g_{s,n} = \sum_k y_{s,k}, \quad \sum_n g_{s,n} \le \bar G_s y_f, \quad
              \sum_n g_{s,n} + w_s \ge \underline G_s y_f
    """
    b.tier_total = pyo.Constraint(
        b.SOURCE,
        rule=lambda b, s: row(
            [1.0] * len(b.STEP) + [-1.0] * sum(1 for x in b.TIER if x[0] == s),
            [b.supply[s, n] for n in b.STEP] + [b.tier[x] for x in b.TIER if x[0] == s],
            lower=0.0,
            upper=0.0,
        ),
    )
    annual = dict(zip(sources, inputs.gas_max_annual.sel(gas_source=sources).values.tolist(), strict=True))
    b.CAPPED = pyo.Set(initialize=[s for s in sources if not np.isnan(annual[s])])
    b.annual_max = pyo.Constraint(
        b.CAPPED, rule=lambda b, s: row([1.0] * len(b.STEP), [b.supply[s, n] for n in b.STEP], upper=annual[s] * yf)
    )
    floor = dict(zip(sources, inputs.gas_take_or_pay.sel(gas_source=sources).values.tolist(), strict=True))
    b.TAKE_OR_PAY = pyo.Set(initialize=[s for s in sources if floor[s] > 0])
    b.shortfall = pyo.Var(b.TAKE_OR_PAY, bounds=(0.0, None))
    b.take_or_pay = pyo.Constraint(
        b.TAKE_OR_PAY,
        rule=lambda b, s: row(
            [1.0] * (len(b.STEP) + 1), [*(b.supply[s, n] for n in b.STEP), b.shortfall[s]], lower=floor[s] * yf
        ),
    )


def _add_interconnections(b: pyo.Block, inputs: xr.Dataset, sources: list[str], days: dict[int, float]) -> None:
    r"""Sources routed through one interconnection share its capacity: Σ_{s via i} g_{s,n} ≤ cap_i · Δ_n."""
    via = dict(zip(sources, inputs.gas_source_via.sel(gas_source=sources).values.astype(str), strict=True))
    cap = dict(
        zip(map(str, inputs.interconnection.values), inputs.interconnection_capacity.values.tolist(), strict=True)
    )
    used = [i for i in cap if any(v == i for v in via.values())] if len(b.SOURCE) else []
    b.INTERCONNECTION = pyo.Set(initialize=used)
    b.interconnection = pyo.Constraint(
        b.INTERCONNECTION,
        b.STEP,
        rule=lambda b, i, n: row(
            [1.0] * sum(v == i for v in via.values()),
            [b.supply[s, n] for s in sources if via[s] == i],
            upper=cap[i] * days[n],
        ),
    )


def _add_lng_tanks(b: pyo.Block, inputs: xr.Dataset, days: dict[int, float]) -> None:
    r"""LNG tanks, filled only from their LNG source, cyclic over the horizon.

    .. math:: v_{k,n} = (1-\phi_k \Delta_n) v_{k,n-1} + x_{k,n} - o_{k,n}, \quad
              \sum_{k \leftarrow s} x_{k,n} \le g_{s,n}, \quad o_{k,n} \le \bar o_k \Delta_n

    φ boil-off per day.
    """
    tanks = [str(k) for k in inputs.lng_tank.values] if len(b.SOURCE) else []
    source = dict(zip(tanks, inputs.lng_tank_source.values.astype(str), strict=False))
    capacity = dict(zip(tanks, inputs.lng_tank_capacity.values.tolist(), strict=False))
    boil = dict(zip(tanks, inputs.lng_tank_boil_off.values.tolist(), strict=False))
    send = dict(zip(tanks, inputs.lng_tank_send_out.values.tolist(), strict=False))
    b.TANK = pyo.Set(initialize=tanks, ordered=True)
    b.tank_charge = pyo.Var(b.TANK, b.STEP, bounds=(0.0, None))
    b.tank_send_out = pyo.Var(b.TANK, b.STEP, bounds=lambda _, k, n: (0.0, send[k] * days[n]))
    b.tank_level = pyo.Var(b.TANK, b.STEP, bounds=lambda _, k, n: (0.0, capacity[k]))
    last = len(b.STEP) - 1
    b.tank_balance = pyo.Constraint(
        b.TANK,
        b.STEP,
        rule=lambda b, k, n: row(
            [1.0, boil[k] * days[n] - 1.0, -1.0, 1.0],
            [b.tank_level[k, n], b.tank_level[k, n - 1 if n else last], b.tank_charge[k, n], b.tank_send_out[k, n]],
            lower=0.0,
            upper=0.0,
        ),
    )
    filled = sorted(set(source.values()))
    b.FILLED_BY = pyo.Set(initialize=filled)
    b.tank_fill = pyo.Constraint(
        b.FILLED_BY,
        b.STEP,
        rule=lambda b, s, n: row(
            [*(1.0 for k in tanks if source[k] == s), -1.0],
            [*(b.tank_charge[k, n] for k in tanks if source[k] == s), b.supply[s, n]],
            upper=0.0,
        ),
    )


def _add_balance(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset, steps: np.ndarray, *, elastic: bool) -> None:
    r"""Gas balance per step (MWh); its dual is the gas price, CNY/MWh.

    .. math:: \sum_s g_{s,n} - \sum_k x_{k,n} + \sum_k o_{k,n} + z_n = C_n + F_n, \quad
              F_n = \sum_{t \in n} \Big(\sum_{g} \tfrac{h_g}{3.6} p_{g,t} + \sum_{h} \tfrac{r_h}{3.6} q_{h,t}\Big)

    h heat rate GJ/MWh of pooled-gas power plants (CHP: of P + β·q), r fuel per tonne of steam GJ/t of pooled-gas
    boilers; 3.6 GJ/MWh. z ≤ C: only city gas can go unsupplied.
    """
    pooled = inputs.pooled_fuel.values > 0
    techs = [str(t) for t in inputs.tech.values]
    heat = {
        g: hr * u.MWH_PER_GJ
        for g, hr, p in zip(techs, inputs.heat_rate.values, pooled, strict=True)
        if p and g in m.power.POWER and hr > 0
    }
    steam = {
        g: r * u.MWH_PER_GJ
        for g, r, p in zip(techs, inputs.steam_fuel_rate.values, pooled, strict=True)
        if p and g in m.steam.STEAM and r > 0
    }
    city = np.bincount(steps, weights=inputs.city_gas_demand.values)
    hours_of = [np.flatnonzero(steps == n).tolist() for n in range(len(city))]
    b.unserved = pyo.Var(b.STEP, bounds=lambda _, n: (0.0, float(city[n])))
    if elastic:
        b.surplus = pyo.Var(b.STEP, bounds=(0.0, None))
    tanks = list(b.TANK)

    def rule(b: pyo.Block, n: int) -> object:
        coefs = [1.0] * len(b.SOURCE) + [-1.0] * len(tanks) + [1.0] * len(tanks)
        terms = [
            *(b.supply[s, n] for s in b.SOURCE),
            *(b.tank_charge[k, n] for k in tanks),
            *(b.tank_send_out[k, n] for k in tanks),
        ]
        for t in hours_of[n]:
            for g, c in heat.items():
                coefs.append(-c)
                terms.append(m.power.generation[g, t])
            for g, c in steam.items():
                coefs.append(-c)
                terms.append(m.steam.output[g, t])
        surplus = b.surplus[n] if elastic else None
        return balance_row(coefs, terms, unserved=b.unserved[n], surplus=surplus, need=float(city[n]))

    b.balance = pyo.Constraint(b.STEP, rule=rule)
