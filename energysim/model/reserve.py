r"""Peak-season adequacy (迎峰度夏/迎峰度冬): firm capacity against demand plus a margin, hour by hour.

Firm capacity in hour t counts only what can deliver then (one rule, used by the model and the results):

.. math:: F_t = \sum_g \phi_{t,g} (K^0_g s_{t,g} + N_g)
              - \sum_{g \in \text{EC}} \kappa_g \beta_g h\, q_{g,t} + \sum_{g \in \text{BP}} \kappa_g c_g h\, q_{g,t}

with the firm rate φ (MW firm per MW of capacity) by kind:

=====================  ===================================================================================
thermal, must-run,     κ · a_t (availability in the hour: derates, outages and stress cases count)
grid import            κ · a_t on the import limit; κ is an explicit input (default 0: a tie counts only
                       what the scenario declares firm)
variable renewables    κ · a_t (a_t = the hour's capacity factor of the modelled weather year), κ default 1:
                       PV counts at a summer afternoon peak, not at a winter evening one
storage                κ · a_t, κ default min(1, duration / W): energy for a W-hour peak window
shiftable load         κ · a_t, κ default min(1, window / 2W): it must put the load back within its window
curtailable load       κ · a_t in the H·y peak-season hours where the reserve is tightest without it (its
                       call budget: events × hours per event, prorated by the year fraction y but at least one
                       call), else 0
extraction CHP         κ · a_t on K, less β·h·q: the power its steam obligation in that hour takes away
back-pressure CHP      none on K; κ · c·h·q: its power follows its steam
=====================  ===================================================================================

κ the firm credit (``firm_capacity_credit``, default 1 unless stated), s in-service share, K⁰ existing and N
new capacity MW, q steam t/h, h MWh of heat per tonne, β/c the CHP's power-loss and back-pressure ratios,
W the peak window (``policy.peak_reserve.window_hours``, default 4 h).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.lp import Rows, lp_of
from energysim.model.sets import active, column, positions

STEAM_DEPENDENT = ("chp",)


@dataclass(frozen=True)
class FirmRates:
    """Firm MW per MW of capacity (time, tech) and per t/h of CHP steam (tech), for every technology."""

    per_mw: np.ndarray  # (tech, time) φ, 1
    per_steam: np.ndarray  # (tech,) firm MW per t/h of steam: −κβh (extraction CHP), +κch (back-pressure), else 0
    existing: np.ndarray  # (time,) Σ φ K⁰ s over active technologies, MW


def requirement(inputs: xr.Dataset) -> np.ndarray:
    """(time) Firm capacity the reserve asks for, MW: (1 + margin) × system demand."""
    return (1 + float(inputs.attrs.get("reserve_margin", 0.0))) * column(inputs, "demand", ("time", "region")).sum(1)


def curtail_budget_hours(inputs: xr.Dataset, tech: int, tightness: np.ndarray) -> np.ndarray:
    """Hours (bool, time) in which curtailable load ``tech`` (position) counts as firm: the peak-season hours where
    the reserve is tightest (``tightness``: requirement − the other existing firm capacity, MW), as many as its call
    budget allows over the horizon."""
    from energysim.model.power import curtail_energy_hours

    v = inputs.variables
    budget = curtail_energy_hours(inputs, v["curtail_hours"].values[[tech]], v["curtail_event_hours"].values[[tech]])
    n = int(np.floor(float(budget[0]) + 1e-9))
    season = inputs.variables["peak_season"].values > 0
    chosen = np.zeros(len(season), bool)
    if n > 0:
        order = np.argsort(-np.where(season, tightness, -np.inf), kind="stable")[: min(n, int(season.sum()))]
        chosen[order] = True
    return chosen


def firm_rates(inputs: xr.Dataset) -> FirmRates:
    """The firm rates of every technology (see the module docstring)."""
    v = inputs.variables
    kind = v["tech_kind"].values.astype(str)
    credit = v["firm_credit"].values
    avail = column(inputs, "availability", ("tech", "time"))
    per_mw = credit[:, None] * avail
    per_mw[kind == "chp"] *= (v["chp_back_pressure"].values[kind == "chp"] == 0)[:, None]
    per_mw[~np.isin(kind, _FIRM_KINDS)] = 0.0
    back_pressure = v["chp_back_pressure"].values > 0
    per_steam = np.where(
        kind == "chp",
        credit * np.where(back_pressure, v["chp_min_power"].values, -v["chp_power_loss"].values),
        0.0,
    )
    on = active(inputs)
    per_mw[~on] = 0.0
    per_steam[~on] = 0.0
    capacity = v["capacity_existing"].values[:, None] * column(inputs, "in_service", ("tech", "time"))
    curtail = kind == "demand_curtail"
    tightness = requirement(inputs) - (per_mw * capacity)[~curtail].sum(axis=0)
    for g in np.flatnonzero(curtail):
        per_mw[g] *= curtail_budget_hours(inputs, int(g), tightness)
    return FirmRates(per_mw=per_mw, per_steam=per_steam, existing=(per_mw * capacity).sum(axis=0))


_FIRM_KINDS = ("thermal", "must_run", "variable", "storage", "grid", "chp", "demand_shift", "demand_curtail")


def add_peak_reserve(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset) -> None:
    r"""Peak-season reserve: in every peak-season hour, firm capacity covers demand plus a margin.

    .. math:: F_t + r_t \ge (1 + m) \sum_r D_{t,r} \quad t \in \text{peak season}

    F_t firm capacity (module docstring), m margin 1, r shortfall MW (penalised in the objective); system-wide
    over regions. Existing firm capacity goes to the right-hand side; new capacity and CHP steam are variables.
    Its dual is the reserve price, CNY per MW for that hour.
    """
    hours = np.flatnonzero(inputs.variables["peak_season"].values > 0)
    b.PEAK = pyo.Set(initialize=[int(t) for t in hours], ordered=True)
    lp = lp_of(m)
    rates = firm_rates(inputs)
    shortfall = lp.var(b, "reserve_shortfall", [b.PEAK])
    need = requirement(inputs)
    rows = Rows(len(hours)).add(shortfall)
    expand = list(m.power.EXPAND)
    if expand:
        phi = rates.per_mw[positions(inputs, expand)][:, hours].T  # (peak hour, expandable tech)
        cols = np.broadcast_to(lp.cols(m.power.new_capacity, expand)[None, :], phi.shape)
        rows.add(cols, phi, rows=np.broadcast_to(rows.ids[:, None], phi.shape))
    chp = list(m.steam.CHP)
    if chp:
        per_steam = rates.per_steam[positions(inputs, chp)][:, None]
        every_chp = np.broadcast_to(rows.ids, (len(chp), len(hours)))
        rows.add(lp.cols(m.steam.output, chp)[:, hours], per_steam, rows=every_chp)
    lp.rows(b, "reserve", rows, lower=(need - rates.existing)[hours])


def firm_capacity(inputs: xr.Dataset, new_capacity: xr.DataArray, steam_output: xr.DataArray) -> xr.DataArray:
    """Firm capacity F_t, MW (time), from the built capacity (tech) and the steam output (tech, time)."""
    rates = firm_rates(inputs)
    new = new_capacity.transpose("tech").values[:, None]
    steam = steam_output.transpose("tech", "time").values
    firm = rates.existing + (rates.per_mw * new).sum(axis=0) + (rates.per_steam[:, None] * steam).sum(axis=0)
    return xr.DataArray(firm, dims="time", coords={"time": inputs.time})
