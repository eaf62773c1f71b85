"""The power sector: capacity, dispatch, storage, unit commitment (:mod:`energysim.model.commitment`), ramping, links
and the hourly balance.

Symbols (all per hour, Δt = 1 h): p[g,t] generation MW, c[g,t] consumption MW, K[g] capacity MW
(= existing K0·s[t,g] + new N[g]), a[t,g] availability 1, s[t,g] in-service share of existing capacity 1,
e[g,t] storage level MWh, u[r,t] unserved MW, f⁺/f⁻[l,t] link flow forward/backward MW, D[t,r] demand MW.
Fixed capacities go into variable bounds, not rows, so the LP stays lean. Every block is built as arrays over
(tech, hour) through :class:`energysim.model.lp.LPBuilder`; no Python loop runs over hours.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.commitment import add_commitment
from energysim.model.lp import INF, LPBuilder, Rows, lp_of
from energysim.model.sets import (
    TechArrays,
    aggregated,
    column,
    hour_weights,
    period_hours,
    positions,
    previous_hour,
    subset,
    techs_where,
)
from energysim.scenario.technologies import POWER_KINDS


class PowerData(TechArrays):
    """The power inputs as arrays aligned with ``inputs.tech`` (per tech, or tech × hour)."""

    def __init__(self, inputs: xr.Dataset) -> None:
        super().__init__(inputs)
        self.cap0 = inputs.capacity_existing.values
        self.avail = column(inputs, "availability", ("tech", "time"))
        self.in_service = column(inputs, "in_service", ("tech", "time"))
        self.existing = self.cap0[:, None] * self.in_service  # K0·s, MW
        self.existing_available = self.avail * self.existing  # a·K0·s, MW
        self.expandable = inputs.max_new_capacity.values > 0


def add_power(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """Add ``m.power``: capacity, dispatch, storage, commitment, ramping and links (the balance comes after the
    other sectors, in :func:`add_power_balance`, because electric boilers and heat pumps draw from it)."""
    d = PowerData(inputs)
    lp = lp_of(m)
    b = m.power = pyo.Block()
    kind = d.kind
    b.POWER = subset(m.TECH, techs_where(inputs, np.isin(kind, POWER_KINDS)))
    b.EXPAND = subset(m.TECH, techs_where(inputs, d.expandable))
    b.STORAGE = subset(m.TECH, techs_where(inputs, kind == "storage"))
    exporter = (kind == "grid") & (inputs.export_capacity.values > 0)
    b.CONSUMER = subset(m.TECH, techs_where(inputs, (kind == "storage") | (kind == "demand_shift") | exporter))
    lp.var(b, "new_capacity", [b.EXPAND], upper=d.pick("max_new_capacity", list(b.EXPAND)))
    _add_generation(m, b, d, lp)
    _add_storage(m, b, d, lp)
    add_commitment(m, b, d, lp)
    _add_ramping(m, b, d, lp)
    _add_links(m, b, inputs, lp)
    _add_demand_response(m, b, d, lp)


def _add_generation(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, lp: LPBuilder) -> None:
    r"""Generation limits: a·K_min ≤ p ≤ a·K.

    .. math:: p_{g,t} \le a_{t,g} (K^0_g s_{t,g} + N_g), \quad
              p_{g,t} \ge \mu_g a_{t,g} (K^0_g s_{t,g} + N_g) \ (\text{must-run; grid: its minimum import})

    Techs without expansion get both as variable bounds; expandable techs get rows ``available``
    and ``must_run``. Storage output is limited in :func:`_add_storage`; grid imports by their capacity, and
    from below by ``min_import_fraction`` (μ of a grid tech: a priority or take-or-pay schedule).
    """
    power = list(b.POWER)
    expandable = d.pick(d.expandable, power, hourly=True)
    storage = d.pick(d.kind == "storage", power, hourly=True)
    upper = np.where(storage, d.pick(d.existing, power), d.pick(d.existing_available, power))
    must_run = d.pick(np.isin(d.kind, ("must_run", "grid")), power, hourly=True)
    lower = np.where(must_run & ~expandable, d.pick("min_stable_fraction", power, hourly=True) * upper, 0.0)
    lp.var(b, "generation", [b.POWER, m.T], lower=lower, upper=np.where(expandable, INF, upper))

    grown = d.members(b.EXPAND, d.kind != "storage")
    rows = Rows(len(grown), len(m.T))
    rows.add(lp.cols(b.generation, grown)).add(lp.cols(b.new_capacity, grown)[:, None], -d.pick(d.avail, grown))
    lp.rows(b, "available", rows, upper=d.pick(d.existing_available, grown))

    forced = d.members(b.EXPAND, d.kind == "must_run")
    mu = d.pick("min_stable_fraction", forced, hourly=True)
    rows = Rows(len(forced), len(m.T))
    rows.add(lp.cols(b.generation, forced)).add(lp.cols(b.new_capacity, forced)[:, None], -mu * d.pick(d.avail, forced))
    lp.rows(b, "must_run", rows, lower=mu * d.pick(d.existing_available, forced))


def _add_storage(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, lp: LPBuilder) -> None:
    r"""Storage: charge c and discharge p within power K, level e within K·h, cyclic over the horizon.

    .. math:: e_{g,t} = (1-\sigma_g) e_{g,t-1} + \eta^c_g c_{g,t} - p_{g,t}/\eta^d_g,
              \quad e_{g,-1} \equiv e_{g,N-1}

    σ self-discharge 1/h, ηᶜ/ηᵈ charge/discharge efficiency, h duration hours. Grid exports are the other
    consumers: c ≤ export capacity (bound).
    """
    consumers = list(b.CONSUMER)
    kind = d.pick(d.kind, consumers, hourly=True)
    upper = np.where(
        kind == "grid",
        d.pick("export_capacity", consumers, hourly=True) * d.pick(d.in_service, consumers),
        np.where(kind == "demand_shift", d.pick(d.existing_available, consumers), d.pick(d.existing, consumers)),
    )
    upper = np.where(d.pick(d.expandable, consumers, hourly=True) & (kind == "storage"), INF, upper)
    lp.var(b, "consumption", [b.CONSUMER, m.T], upper=upper)

    if aggregated(d.inputs):
        _add_linked_storage(m, b, d, lp)
        return
    storage = list(b.STORAGE)
    hours = d.pick("duration_hours", storage, hourly=True)
    expandable = d.pick(d.expandable, storage, hourly=True)
    level = lp.var(
        b, "storage_level", [b.STORAGE, m.T], upper=np.where(expandable, INF, d.pick(d.existing, storage) * hours)
    )
    rows = Rows(len(storage), len(m.T))
    rows.add(level).add(previous_hour(level), d.pick("self_discharge", storage, hourly=True) - 1.0)
    rows.add(lp.cols(b.consumption, storage), -d.pick("efficiency_charge", storage, hourly=True))
    rows.add(lp.cols(b.generation, storage), 1.0 / d.pick("efficiency_discharge", storage, hourly=True))
    lp.rows(b, "storage_balance", rows, lower=0.0, upper=0.0)

    grown = d.members(b.STORAGE, d.expandable)
    new = lp.cols(b.new_capacity, grown)[:, None]
    existing = d.pick(d.existing, grown)
    for name, var in (("discharge_limit", b.generation), ("charge_limit", b.consumption)):
        rows = Rows(len(grown), len(m.T))
        rows.add(lp.cols(var, grown)).add(new, -1.0)
        lp.rows(b, name, rows, upper=existing)
    hours = d.pick("duration_hours", grown, hourly=True)
    rows = Rows(len(grown), len(m.T))
    rows.add(lp.cols(b.storage_level, grown)).add(new, -hours)
    lp.rows(b, "energy_limit", rows, upper=hours * existing)


def _add_linked_storage(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, lp: LPBuilder) -> None:
    r"""Storage on typical days, with its state linked across the days of the year (Kotzur et al. 2018,
    with the simplified bounds).

    .. math:: e_{g,t} = (1-\sigma_g) e_{g,t-1} + \eta^c_g c_{g,t} - p_{g,t}/\eta^d_g \ (e \equiv 0 \text{ before a
              typical day}), \quad E_{g,d+1} = (1-\sigma_g)^{24} E_{g,d} + e_{g,\text{end of } k(d)},
    .. math:: \underline e_{g,k} \le e_{g,t} \le \bar e_{g,k}\ (t \in k), \quad
              0 \le E_{g,d} + \underline e_{g,k(d)}, \quad E_{g,d} + \bar e_{g,k(d)} \le h_g K_g

    e level within a typical day relative to its start MWh (``storage_level``), E level at the start of each day
    of the year MWh (``storage_day_level``), k(d) the typical day standing for day d, ē/e̲ the highest and lowest
    level within typical day k. The bounds are exact without self-discharge.
    """
    inputs = d.inputs
    storage = list(b.STORAGE)
    period = period_hours(inputs)
    n_periods = len(m.T) // period
    day_period = inputs.day_period.values.astype(int)
    level = lp.var(b, "storage_level", [b.STORAGE, m.T], lower=-INF)
    rows = Rows(len(storage), len(m.T)).add(level)
    before = previous_hour(level, period)
    starts = np.arange(len(m.T)) % period == 0
    sigma = d.pick("self_discharge", storage, hourly=True)
    rows.add(before[:, ~starts], (sigma - 1.0), rows=rows.ids[:, ~starts])
    rows.add(lp.cols(b.consumption, storage), -d.pick("efficiency_charge", storage, hourly=True))
    rows.add(lp.cols(b.generation, storage), 1.0 / d.pick("efficiency_discharge", storage, hourly=True))
    lp.rows(b, "storage_balance", rows, lower=0.0, upper=0.0)

    b.PERIOD = pyo.RangeSet(0, n_periods - 1)
    b.DAY = pyo.RangeSet(0, len(day_period) - 1)
    high = lp.var(b, "storage_period_max", [b.STORAGE, b.PERIOD], lower=-INF)
    low = lp.var(b, "storage_period_min", [b.STORAGE, b.PERIOD], lower=-INF)
    of_hour = np.arange(len(m.T)) // period
    lp.rows(b, "storage_below_max", Rows(len(storage), len(m.T)).add(level).add(high[:, of_hour], -1.0), upper=0.0)
    lp.rows(b, "storage_above_min", Rows(len(storage), len(m.T)).add(level).add(low[:, of_hour], -1.0), lower=0.0)
    day = lp.var(b, "storage_day_level", [b.STORAGE, b.DAY])
    ends = level[:, day_period * period + period - 1]
    rows = Rows(len(storage), len(day_period)).add(np.roll(day, -1, axis=1)).add(day, -((1 - sigma) ** period))
    lp.rows(b, "storage_day_link", rows.add(ends, -1.0), lower=0.0, upper=0.0)
    lp.rows(b, "storage_day_min", Rows(len(storage), len(day_period)).add(day).add(low[:, day_period]), lower=0.0)
    hours = d.pick("duration_hours", storage, hourly=True)
    first_hour = d.pick(d.existing, storage)[:, day_period * period]
    rows = Rows(len(storage), len(day_period)).add(day).add(high[:, day_period])
    grown = np.flatnonzero(d.pick(d.expandable, storage))
    new = lp.cols(b.new_capacity, [storage[i] for i in grown])[:, None]
    rows.add(new, -hours[grown], rows=rows.ids[grown])
    lp.rows(b, "storage_day_max", rows, upper=hours * first_hour)

    grown_names = [storage[i] for i in grown]
    existing = d.pick(d.existing, grown_names)
    for name, var in (("discharge_limit", b.generation), ("charge_limit", b.consumption)):
        rows = Rows(len(grown_names), len(m.T))
        rows.add(lp.cols(var, grown_names)).add(new, -1.0)
        lp.rows(b, name, rows, upper=existing)


def _add_ramping(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, lp: LPBuilder) -> None:
    r"""Ramp limits for thermal plant, between consecutive hours of the horizon (not across its ends).

    .. math:: -\rho_g K'_{g,t} \le p_{g,t} - p_{g,t-1} \le \rho_g K'_{g,t}, \quad t \ge 1

    ρ ramp share of capacity per hour; K' = K0·max(s_t, s_(t−1)) + N, so commissioning or retirement
    does not ramp-lock a unit. Added only where ρ < 1 (otherwise it cannot bind). Rows are (tech, hour 1…N−1),
    without the first hour of each typical day when aggregated.
    """
    inputs = d.inputs
    b.RAMP = subset(m.TECH, techs_where(inputs, (d.kind == "thermal") & (inputs.ramp_fraction.values < 1)))
    ramp = list(b.RAMP)
    rho = d.pick("ramp_fraction", ramp, hourly=True)
    hours = np.flatnonzero(np.arange(len(m.T)) % period_hours(inputs) != 0)  # not across period starts
    service = d.pick(d.in_service, ramp)
    limit = rho * d.pick("capacity_existing", ramp, hourly=True) * np.maximum(service[:, hours], service[:, hours - 1])
    gen = lp.cols(b.generation, ramp)
    grown = np.flatnonzero(d.pick(d.expandable, ramp))
    new = lp.cols(b.new_capacity, [ramp[i] for i in grown])[:, None]
    for name, sign in (("ramp_up", 1.0), ("ramp_down", -1.0)):
        rows = Rows(len(ramp), len(hours))
        rows.add(gen[:, hours], sign).add(gen[:, hours - 1], -sign)
        rows.add(new, -rho[grown], rows=rows.ids[grown])
        lp.rows(b, name, rows, upper=limit)


def _add_demand_response(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, lp: LPBuilder) -> None:
    r"""Virtual power plant: shiftable load returns within its window; curtailable load within its yearly energy.

    .. math:: \sum_{t \in w} (p_{g,t} - c_{g,t}) = 0 \ \forall w, \qquad
              \sum_t p_{g,t} \le K_g \min(H_g, \max(E_g, H_g y))

    p load moved down (or curtailed) MW, c load moved up MW, w consecutive windows of the shift window's length
    from the horizon (or typical day) start, the last may be shorter; H full-capacity hours per year, E hours of
    one call, y year fraction (a partial year keeps at least one whole call: a call cannot be prorated); the sum
    over t is weighted by the hours each model hour stands for.
    Rows: one per (tech, window), tech-major.
    """
    inputs = d.inputs
    n = len(m.T)
    b.SHIFT = subset(m.TECH, techs_where(inputs, d.kind == "demand_shift"))
    shift = list(b.SHIFT)
    window = np.maximum(d.pick("shift_window", shift).astype(int), 1)
    period = period_hours(inputs)  # windows restart with each typical day when aggregated
    per_period = -(-period // window)
    windows = per_period * (n // period)
    first_row = np.concatenate([[0], np.cumsum(windows)[:-1]]).astype(int)
    hour = np.arange(n)
    row_of = first_row[:, None] + (hour // period) * per_period[:, None] + (hour % period)[None, :] // window[:, None]
    rows = Rows(int(windows.sum()))
    rows.add(lp.cols(b.generation, shift), 1.0, rows=row_of).add(lp.cols(b.consumption, shift), -1.0, rows=row_of)
    lp.rows(b, "shift_balance", rows, lower=0.0, upper=0.0)

    b.CURTAIL = subset(m.TECH, techs_where(inputs, d.kind == "demand_curtail"))
    curtail = list(b.CURTAIL)
    energy = curtail_energy_hours(inputs, d.pick("curtail_hours", curtail), d.pick("curtail_event_hours", curtail))
    energy = energy * d.pick("capacity_existing", curtail)
    rows = Rows(len(curtail))
    rows.add(lp.cols(b.generation, curtail), hour_weights(inputs), rows=np.repeat(rows.ids[:, None], n, axis=1))
    lp.rows(b, "curtail_energy", rows, upper=energy)


def curtail_energy_hours(inputs: xr.Dataset, hours: np.ndarray, event_hours: np.ndarray) -> np.ndarray:
    """Full-capacity hours of curtailable load allowed over the horizon, h: the year's H prorated by the year
    fraction y, but never less than one call E (calls are indivisible) nor more than H: min(H, max(E, H·y))."""
    return np.minimum(hours, np.maximum(event_hours, hours * float(inputs.attrs["year_fraction"])))


def _add_links(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset, lp: LPBuilder) -> None:
    """Link flows f⁺ (from→to) and f⁻ (to→from), each within the link capacity (bounds)."""
    cap = inputs.link_capacity.values[:, None]
    lp.var(b, "flow_forward", [m.LINK, m.T], upper=cap)
    lp.var(b, "flow_backward", [m.LINK, m.T], upper=cap)


def add_power_balance(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    r"""Hourly electricity balance per region; its dual is the price (CNY/MWh).

    .. math:: \sum_{g \in r} p_{g,t} - \sum_{g \in r} c_{g,t} - \sum_{h \in r} e_h q_{h,t} + u_{r,t}
              + \sum_{l \to r} (1-\lambda_l) f^+_{l,t} + \sum_{l \leftarrow r} (1-\lambda_l) f^-_{l,t}
              - \sum_{l \leftarrow r} f^+_{l,t} - \sum_{l \to r} f^-_{l,t} = D_{t,r}

    λ loss share; ``l → r`` links ending in r, ``l ← r`` links starting in r; q steam output (t/h) of electric
    boilers and heat pumps h, e their electricity use (MWh/t). With ``elastic`` a penalised surplus slack is
    added (diagnosis of infeasible scenarios).
    """
    b, lp = m.power, lp_of(m)
    regions = [str(r) for r in inputs.region.values]
    region_of = {r: i for i, r in enumerate(regions)}
    tech_region = dict(zip(inputs.tech.values.astype(str), inputs.tech_region.values.astype(str), strict=True))
    rows = Rows(len(regions), len(m.T))

    def add(var: pyo.Var, members: list[str], coef: float | np.ndarray) -> None:
        at = np.array([region_of[tech_region[g]] for g in members], dtype=int)
        rows.add(lp.cols(var, members), coef, rows=rows.ids[at])

    add(b.generation, list(b.POWER), 1.0)
    add(b.consumption, list(b.CONSUMER), -1.0)
    electric = list(m.steam.ELECTRIC)
    use = inputs.steam_power_use.values[positions(inputs, electric)][:, None]
    add(m.steam.output, electric, -use)
    start = np.array([region_of[r] for r in inputs.link_from.values.astype(str)], dtype=int)
    end = np.array([region_of[r] for r in inputs.link_to.values.astype(str)], dtype=int)
    keep = (1.0 - inputs.link_loss.values)[:, None]
    forward, backward = lp.cols(b.flow_forward), lp.cols(b.flow_backward)
    rows.add(forward, keep, rows=rows.ids[end]).add(backward, -1.0, rows=rows.ids[end])
    rows.add(backward, keep, rows=rows.ids[start]).add(forward, -1.0, rows=rows.ids[start])
    rows.add(lp.var(b, "unserved", [m.REGION, m.T]), 1.0)
    if elastic:
        rows.add(lp.var(b, "surplus", [m.REGION, m.T]), -1.0)
    demand = column(inputs, "demand", ("region", "time"))
    lp.rows(b, "balance", rows, lower=demand, upper=demand)
