r"""Unit commitment of thermal plant, clustered (GenX, PyPSA): committed units, start-ups and shut-downs per plant
and hour, linear by default, whole units with ``commitment: integer`` (a MIP, for short horizons).

Symbols (per plant g and hour t): n committed units, y units started, z units stopped, p output MW, S unit size
MW, a availability 1, s in-service share 1, K⁰ existing and N new capacity MW (N_t = (K⁰ s_t + N)/S units),
μ normal minimum and φ deep-peaking floor (share of a unit), d output below the normal minimum MW, UT/DT
minimum up/down time h.

.. math::
    n_{g,t} - n_{g,t-1} = y_{g,t} - z_{g,t} \quad (\text{cyclic over the horizon, or each typical day})

    \phi_g S_g n_{g,t} \le p_{g,t} \le a_{t,g} S_g n_{g,t}, \qquad
    p_{g,t} + d_{g,t} \ge \mu_g S_g n_{g,t}\ (\text{only with deep peaking, } \phi < \mu)

    \sum_{k=0}^{UT_g-1} y_{g,t-k} \le n_{g,t}, \qquad \sum_{k=0}^{DT_g-1} z_{g,t-k} \le N_{g,t} - n_{g,t}

Start-ups cost the start-up cost × S per unit started and burn the start-up fuel × S (its fuel cost, CO2 and
carbon price are charged like any fuel: :mod:`energysim.costs`); d costs the deep-peaking cost per MWh. A plant
is committed when its ``min_stable_fraction`` > 0 and it has a start-up cost or fuel, or a minimum up or down
time above 1 h (otherwise nothing would make staying on cheaper than cycling, and the rows would be pointless).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.lp import INF, LPBuilder, Rows
from energysim.model.sets import TechArrays, period_hours, subset, techs_where


def committed(inputs: xr.Dataset) -> np.ndarray:
    """Which technologies (aligned with ``inputs.tech``) get commitment rows."""
    v = inputs.variables
    if inputs.attrs.get("commitment", "linear") == "off":
        return np.zeros(inputs.sizes["tech"], bool)
    dynamic = (
        (v["startup_cost"].values > 0)
        | (v["startup_fuel"].values > 0)
        | (v["min_up_hours"].values > 1)
        | (v["min_down_hours"].values > 1)
    )
    return (v["tech_kind"].values == "thermal") & (v["min_stable_fraction"].values > 0) & dynamic


def block_hours(inputs: xr.Dataset) -> int:
    """The commitment block (h): plants whose minimum up and down times both reach it commit in whole blocks."""
    return int(inputs.attrs.get("commitment_block_hours", 1))


def _blocked_plants(d: TechArrays, g: list[str]) -> np.ndarray:
    """(g,) True for plants that commit in whole blocks."""
    block = block_hours(d.inputs)
    slowest = np.minimum(d.pick("min_up_hours", g), d.pick("min_down_hours", g))
    return (block > 1) & (slowest >= block)


def inside_blocks(d: TechArrays, g: list[str]) -> np.ndarray:
    """(g, t) True in the hours where a blocked plant may not start or stop: every hour but a block's first (the
    hour of day divisible by the block, e.g. midnight for 24 h blocks)."""
    hour = d.inputs["time"].dt.hour.values
    return _blocked_plants(d, g)[:, None] & (hour % block_hours(d.inputs) != 0)[None, :]


def earlier(cols: np.ndarray, k: int, period: int) -> np.ndarray:
    """Columns k hours before, cyclic within each period of ``period`` hours (time is the last axis).

    >>> earlier(np.arange(6), 2, 3).tolist()
    [1, 2, 0, 4, 5, 3]
    """
    n = cols.shape[-1]
    blocks = cols.reshape(*cols.shape[:-1], n // period, period)
    return np.roll(blocks, k, axis=-1).reshape(cols.shape)


def add_commitment(m: pyo.ConcreteModel, b: pyo.Block, d: TechArrays, lp: LPBuilder) -> None:
    """Add ``b.COMMIT`` with ``committed``, ``startup``, ``shutdown`` (units; integer with ``commitment: integer``)
    and ``deep`` (MW below the normal minimum, where deep peaking is allowed), and the rows of the module docstring.
    """
    inputs = d.inputs
    b.COMMIT = subset(m.TECH, techs_where(inputs, committed(inputs)))
    g = list(b.COMMIT)
    integer = inputs.attrs.get("commitment") == "integer"
    size = d.pick("unit_mw", g, hourly=True)
    expandable = d.pick(d.expandable, g, hourly=True)
    units = d.pick(d.existing, g) / size  # (g, t) units in service
    n = lp.var(b, "committed", [b.COMMIT, m.T], upper=np.where(expandable, INF, units), integer=integer)
    moves = np.where(inside_blocks(d, g), 0.0, INF)  # blocks: start and stop only at a block's first hour
    y = lp.var(b, "startup", [b.COMMIT, m.T], upper=moves, integer=integer)
    z = lp.var(b, "shutdown", [b.COMMIT, m.T], upper=moves, integer=integer)
    grown = d.members(b.COMMIT, d.expandable)
    rows = Rows(len(grown), len(m.T)).add(lp.cols(b.committed, grown))
    rows.add(lp.cols(b.new_capacity, grown)[:, None], -1.0 / d.pick("unit_mw", grown, hourly=True))
    lp.rows(b, "committed_limit", rows, upper=d.pick(d.existing, grown) / d.pick("unit_mw", grown, hourly=True))

    period = period_hours(inputs)
    rows = Rows(len(g), len(m.T)).add(n).add(earlier(n, 1, period), -1.0).add(y, -1.0).add(z, 1.0)
    lp.rows(b, "transition", rows, lower=0.0, upper=0.0)

    p = lp.cols(b.generation, g)
    rows = Rows(len(g), len(m.T)).add(p).add(n, -d.pick(d.avail, g) * size)
    lp.rows(b, "output_max", rows, upper=0.0)
    mu = d.pick("min_stable_fraction", g, hourly=True)
    floor = d.pick("deep_floor", g, hourly=True)
    deep = np.isfinite(floor)
    lp.rows(b, "output_min", Rows(len(g), len(m.T)).add(p).add(n, -np.where(deep, floor, mu) * size), lower=0.0)
    b.DEEP = subset(b.COMMIT, [x for x, flag in zip(g, deep[:, 0], strict=True) if flag])
    shallow = list(b.DEEP)
    below = lp.var(b, "deep", [b.DEEP, m.T])
    rows = Rows(len(shallow), len(m.T)).add(lp.cols(b.generation, shallow)).add(below)
    rows.add(
        lp.cols(b.committed, shallow),
        -d.pick("min_stable_fraction", shallow, hourly=True) * d.pick("unit_mw", shallow, hourly=True),
    )
    lp.rows(b, "normal_min", rows, lower=0.0)

    _add_min_times(m, b, d, lp, n, y, z, period)


def _add_min_times(
    m: pyo.ConcreteModel,
    b: pyo.Block,
    d: TechArrays,
    lp: LPBuilder,
    n: np.ndarray,
    y: np.ndarray,
    z: np.ndarray,
    period: int,
) -> None:
    r"""Minimum up and down times: the last UT hours' start-ups are still on, the last DT hours' shut-downs still
    off (rows only for plants with UT or DT above 1 h; windows are capped at the period, cyclic within it).

    Units leaving service (a retirement or commissioning date inside the horizon, or the cyclic wrap across one)
    are shut down by force, not by choice; their shut-downs are excused from the down-time row, else the plant's
    other units would be held off for DT hours too (and a plant would have to stop DT hours before it retires):

    .. math:: \sum_{k<DT} z_{g,t-k} \le N_{g,t} - n_{g,t} + \sum_{k<DT} \max(N_{g,t-k-1} - N_{g,t-k}, 0)

    Windows a commitment block already enforces (:func:`inside_blocks`: a plant whose UT and DT are both at
    least the block, and the window no longer than it) get no rows.

    Written as window sums (UT + 1 non-zeros a row). Running totals (C_t = C_{t−1} + y_t, window = C_t − C_{t−UT})
    were measured too: half the non-zeros on the full-year plan (1.53 M against 2.87 M) and the same optimum,
    but no faster in HiGHS (51 s against 47 s, same loaded machine), so the simpler form stays.
    """
    g = list(b.COMMIT)
    blocked = _blocked_plants(d, g)
    block = block_hours(d.inputs)
    for name, hours_key, moved in (("min_up", "min_up_hours", y), ("min_down", "min_down_hours", z)):
        hours = np.minimum(d.pick(hours_key, g).astype(int), period)
        hours = np.where(blocked & (hours <= block), 1, hours)
        has = np.flatnonzero(hours > 1)
        rows = Rows(len(has), len(m.T))
        for k in range(int(hours.max(initial=1))):
            use = has[hours[has] > k]
            if len(use):
                rows.add(earlier(moved[use], k, period), 1.0, rows=rows.ids[np.searchsorted(has, use)])
        if name == "min_up":
            rows.add(n[has], -1.0)
            lp.rows(b, name, rows, upper=0.0)
            continue
        rows.add(n[has], 1.0)
        members = [g[i] for i in has]
        size = d.pick("unit_mw", members, hourly=True)
        grown = np.flatnonzero(d.pick(d.expandable, members))
        new = lp.cols(b.new_capacity, [members[i] for i in grown])[:, None]
        rows.add(new, -1.0 / size[grown], rows=rows.ids[grown])
        in_service = d.pick(d.existing, members) / size
        leaving = np.maximum(earlier(in_service, 1, period) - in_service, 0.0)
        excused = np.zeros_like(in_service)
        for k in range(int(hours.max(initial=1))):
            excused += np.where(hours[has][:, None] > k, earlier(leaving, k, period), 0.0)
        lp.rows(b, name, rows, upper=in_service + excused)
