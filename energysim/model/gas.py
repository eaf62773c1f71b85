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
from energysim.model.lp import INF, LPBuilder, Rows, lp_of
from energysim.model.sets import aggregated, hour_weights, period_hours, positions, previous_hour


def gas_steps(inputs: xr.Dataset) -> np.ndarray:
    """Gas step of each hour: the day (counted from the first; on typical days, the typical day) for a daily
    balance, else the hour itself."""
    n = inputs.sizes["time"]
    if inputs.attrs.get("gas_balance") != "daily":
        return np.arange(n)
    if aggregated(inputs):
        return np.arange(n) // period_hours(inputs)
    days = pd.DatetimeIndex(inputs.time.values).normalize()
    return np.asarray((days - days[0]).days, dtype=int)


def step_weights(inputs: xr.Dataset) -> np.ndarray:
    """How many times each gas step counts in the year: 1, or the days a typical day stands for."""
    steps = gas_steps(inputs)
    return np.bincount(steps, weights=hour_weights(inputs)) / np.bincount(steps)


def _nan_to_inf(values: np.ndarray) -> np.ndarray:
    """A missing limit (NaN) is no limit."""
    return np.where(np.isnan(values), INF, values)


def add_gas(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    """Add ``m.gas`` (empty when the scenario has no gas pool)."""
    b = m.gas = pyo.Block()
    lp = lp_of(m)
    active = inputs.attrs.get("gas_balance", "none") != "none"
    sources = [str(s) for s in inputs.gas_source.values] if active else []
    steps = gas_steps(inputs)
    hours = np.bincount(steps)
    days = hours / 24.0
    b.SOURCE = pyo.Set(initialize=sources, ordered=True)
    b.STEP = pyo.RangeSet(0, len(hours) - 1) if active else pyo.Set(initialize=[])
    n_steps = len(b.STEP)
    yf = float(inputs.attrs["year_fraction"])
    volume = inputs.gas_tier_volume.sel(gas_source=sources).values
    tiers = [(s, k) for i, s in enumerate(sources) for k in range(volume.shape[1]) if not np.isnan(volume[i, k])]
    b.TIER = pyo.Set(initialize=tiers, dimen=2)
    lp.var(b, "tier", [b.TIER], upper=np.array([volume[sources.index(s), k] * yf for s, k in tiers]))
    daily = inputs.gas_max_daily.sel(gas_source=sources).values
    share = np.array(
        [np.bincount(steps, weights=inputs.gas_availability.sel(gas_source=s).values) / hours for s in sources]
    ).reshape(len(sources), len(hours))[:, :n_steps]
    # 0 ≤ g ≤ daily maximum × days × available share; an open source is only closed by a zero share
    open_upper = np.where(share == 0, 0.0, INF)
    upper = np.where(np.isnan(daily)[:, None], open_upper, daily[:, None] * days[None, :n_steps] * share)
    lp.var(b, "supply", [b.SOURCE, b.STEP], upper=upper)
    _add_contracts(b, inputs, sources, yf, lp)
    _add_interconnections(b, inputs, sources, days[:n_steps], lp)
    _add_lng_tanks(b, inputs, days[:n_steps], lp)
    if active:
        _add_balance(m, b, inputs, steps, lp, elastic=elastic)


def _add_contracts(b: pyo.Block, inputs: xr.Dataset, sources: list[str], yf: float, lp: LPBuilder) -> None:
    r"""Tiers add up to the supply; annual maximum; take-or-pay as a soft floor.

    .. math:: \sum_n \omega_n g_{s,n} = \sum_k y_{s,k}, \quad \sum_n \omega_n g_{s,n} \le \bar G_s y_f, \quad
              \sum_n \omega_n g_{s,n} + w_s \ge \underline G_s y_f

    ω_n how many times step n counts in the year (1; the days a typical day stands for when aggregated).
    """
    supply = lp.cols(b.supply)
    w = step_weights(inputs)[: len(b.STEP)]
    every_step = np.repeat(np.arange(len(sources))[:, None], len(b.STEP), axis=1)
    rows = Rows(len(sources)).add(supply, w, rows=every_step)
    source_of = {s: i for i, s in enumerate(sources)}
    rows.add(lp.cols(b.tier), -1.0, rows=np.array([source_of[s] for s, _ in b.TIER], dtype=int))
    lp.rows(b, "tier_total", rows, lower=0.0, upper=0.0)

    annual = inputs.gas_max_annual.sel(gas_source=sources).values
    capped = [s for s, x in zip(sources, annual, strict=True) if not np.isnan(x)]
    b.CAPPED = pyo.Set(initialize=capped)
    picked = np.array([source_of[s] for s in capped], dtype=int)
    rows = Rows(len(capped)).add(supply[picked], w, rows=np.repeat(np.arange(len(capped))[:, None], len(b.STEP), 1))
    lp.rows(b, "annual_max", rows, upper=annual[picked] * yf)

    floor = inputs.gas_take_or_pay.sel(gas_source=sources).values
    bound = [s for s, x in zip(sources, floor, strict=True) if x > 0]
    b.TAKE_OR_PAY = pyo.Set(initialize=bound)
    picked = np.array([source_of[s] for s in bound], dtype=int)
    shortfall = lp.var(b, "shortfall", [b.TAKE_OR_PAY])
    rows = Rows(len(bound)).add(supply[picked], w, rows=np.repeat(np.arange(len(bound))[:, None], len(b.STEP), 1))
    rows.add(shortfall)
    lp.rows(b, "take_or_pay", rows, lower=floor[picked] * yf)


def _add_interconnections(
    b: pyo.Block, inputs: xr.Dataset, sources: list[str], days: np.ndarray, lp: LPBuilder
) -> None:
    r"""Sources routed through one interconnection share its capacity: Σ_{s via i} g_{s,n} ≤ cap_i · Δ_n."""
    via = inputs.gas_source_via.sel(gas_source=sources).values.astype(str)
    names = [str(i) for i in inputs.interconnection.values]
    used = [i for i in names if (via == i).any()] if sources else []
    b.INTERCONNECTION = pyo.Set(initialize=used)
    used_of = {i: k for k, i in enumerate(used)}
    routed = [k for k, v in enumerate(via) if v in used_of]
    rows = Rows(len(used), len(b.STEP))
    rows.add(lp.cols(b.supply)[routed], rows=rows.ids[[used_of[via[k]] for k in routed]])
    cap = inputs.interconnection_capacity.values[[names.index(i) for i in used]]
    lp.rows(b, "interconnection", rows, upper=cap[:, None] * days[None, :])


def _add_lng_tanks(b: pyo.Block, inputs: xr.Dataset, days: np.ndarray, lp: LPBuilder) -> None:
    r"""LNG tanks, filled only from their LNG source, cyclic over the horizon.

    .. math:: v_{k,n} = (1-\phi_k \Delta_n) v_{k,n-1} + x_{k,n} - o_{k,n}, \quad
              \sum_{k \leftarrow s} x_{k,n} \le g_{s,n}, \quad o_{k,n} \le \bar o_k \Delta_n

    φ boil-off per day. On typical days with a daily balance the level runs through every day d of the year,
    charged and sent out as its typical day k(d): v_{k,d} = (1−φ) v_{k,d−1} + x_{k,k(d)} − o_{k,k(d)}.
    """
    tanks = [str(k) for k in inputs.lng_tank.values] if len(b.SOURCE) else []
    source = inputs.lng_tank_source.values.astype(str)[: len(tanks)]
    b.TANK = pyo.Set(initialize=tanks, ordered=True)
    charge = lp.var(b, "tank_charge", [b.TANK, b.STEP])
    send_out = lp.var(
        b, "tank_send_out", [b.TANK, b.STEP], upper=inputs.lng_tank_send_out.values[: len(tanks), None] * days
    )
    capacity = inputs.lng_tank_capacity.values[: len(tanks), None]
    boil = inputs.lng_tank_boil_off.values[: len(tanks), None]
    if aggregated(inputs) and inputs.attrs.get("gas_balance") == "daily":  # level through every day of the year
        day_step = inputs.day_period.values.astype(int)
        b.DAY = pyo.RangeSet(0, len(day_step) - 1)
        level = lp.var(b, "tank_level", [b.TANK, b.DAY], upper=capacity)
        rows = Rows(len(tanks), len(day_step)).add(level).add(np.roll(level, 1, axis=1), boil - 1.0)
        rows.add(charge[:, day_step], -1.0).add(send_out[:, day_step], 1.0)
    else:
        level = lp.var(b, "tank_level", [b.TANK, b.STEP], upper=capacity)
        before = previous_hour(level, period_hours(inputs) if len(b.STEP) == inputs.sizes["time"] else None)
        rows = Rows(len(tanks), len(b.STEP)).add(level).add(before, boil * days - 1.0)
        rows.add(charge, -1.0).add(send_out, 1.0)
    lp.rows(b, "tank_balance", rows, lower=0.0, upper=0.0)

    filled = sorted(set(source.tolist()))
    b.FILLED_BY = pyo.Set(initialize=filled)
    filled_of = {s: i for i, s in enumerate(filled)}
    rows = Rows(len(filled), len(b.STEP))
    rows.add(charge, rows=rows.ids[[filled_of[s] for s in source]])
    rows.add(lp.cols(b.supply, filled), -1.0)
    lp.rows(b, "tank_fill", rows, upper=0.0)


def _add_balance(
    m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset, steps: np.ndarray, lp: LPBuilder, *, elastic: bool
) -> None:
    r"""Gas balance per step (MWh); its dual is the gas price, CNY/MWh.

    .. math:: \sum_s g_{s,n} - \sum_k x_{k,n} + \sum_k o_{k,n} + z_n = C_n + F_n, \quad
              F_n = \sum_{t \in n} \Big(\sum_{g} \tfrac{h_g}{3.6} p_{g,t} + \sum_{h} \tfrac{r_h}{3.6} q_{h,t}
              + \sum_{g} \tfrac{f_g S_g}{3.6} y_{g,t}\Big)

    h heat rate GJ/MWh of pooled-gas power plants (CHP: of P + β·q), r fuel per tonne of steam GJ/t of pooled-gas
    boilers, f start-up fuel GJ/MW, S unit size MW, y units started; 3.6 GJ/MWh. z ≤ C: only city gas can go
    unsupplied.
    """
    pooled = inputs.pooled_fuel.values > 0
    techs = inputs.tech.values.astype(str)
    burns_power = dict(zip(techs, pooled & (inputs.heat_rate.values > 0), strict=True))
    burns_steam = dict(zip(techs, pooled & (inputs.steam_fuel_rate.values > 0), strict=True))
    power = [g for g in m.power.POWER if burns_power[g]]
    steam = [g for g in m.steam.STEAM if burns_steam[g]]
    city = np.bincount(steps, weights=inputs.city_gas_demand.values)
    rows = Rows(len(b.STEP))
    every_source = np.broadcast_to(rows.ids[None, :], (len(b.SOURCE), len(b.STEP)))
    rows.add(lp.cols(b.supply), rows=every_source)
    every_tank = np.broadcast_to(rows.ids[None, :], (len(b.TANK), len(b.STEP)))
    rows.add(lp.cols(b.tank_charge), -1.0, rows=every_tank).add(lp.cols(b.tank_send_out), 1.0, rows=every_tank)
    heat = inputs.heat_rate.values[positions(inputs, power)][:, None] * u.MWH_PER_GJ
    rows.add(lp.cols(m.power.generation, power), -heat, rows=np.broadcast_to(steps, (len(power), len(steps))))
    fuel = inputs.steam_fuel_rate.values[positions(inputs, steam)][:, None] * u.MWH_PER_GJ
    rows.add(lp.cols(m.steam.output, steam), -fuel, rows=np.broadcast_to(steps, (len(steam), len(steps))))
    starts = [g for g in m.power.COMMIT if bool(pooled[positions(inputs, [g])[0]])]
    per_start = (inputs.startup_fuel * inputs.unit_mw).values[positions(inputs, starts)][:, None] * u.MWH_PER_GJ
    rows.add(lp.cols(m.power.startup, starts), -per_start, rows=np.broadcast_to(steps, (len(starts), len(steps))))
    rows.add(lp.var(b, "unserved", [b.STEP], upper=city))
    if elastic:
        rows.add(lp.var(b, "surplus", [b.STEP]), -1.0)
    lp.rows(b, "balance", rows, lower=city, upper=city)
