r"""Forced and planned outages of every unit, sampled for many years at once (numpy, vectorised over samples and
units): each unit is a two-state Markov process, up ⇄ down, in hourly steps.

A unit with forced outage rate q and mean time to repair R hours fails with probability 1/F per hour up and is
repaired with probability 1/R per hour down, F = R (1 − q)/q its mean time to failure; so its up and down spells
are geometric with means F and R, and in the long run it is down a share R/(F + R) = q of the hours. Each
sampled year starts in the stationary state (down with probability q, the spell memoryless).

Rather than one random number per unit and hour, the spells are drawn directly: alternating up and down
durations per unit and sample, as many as its cycles need, their running sums giving the down intervals
[start, end), kept as one flat list (:class:`Intervals`). The capacity a pool of
units loses is then a sum of steps: −MW at each start, +MW at each end, accumulated over time (``np.bincount``
and ``cumsum``), so the cost grows with the number of outages, not with units × hours.

Planned outages (maintenance, refuelling, and hours a unit is not in service by the scenario's dates or
availability schedule) are fixed intervals per unit and sample; a forced outage inside a planned one loses
nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Units:
    """The units of a system, each in one pool (a region's plants, or a link).

    ``mw`` (U,) capacity, ``pool`` (U,) pool index, ``forced_rate`` (U,) q, ``mttr_h`` (U,) R, ``planned``
    (U, M, 2) fixed out-of-service intervals in hours of the full horizon [start, end) (end ≤ start: none),
    ``maintenance_days`` (U,) days of sampled maintenance and ``maintenance_share`` (U,) the share of years with
    one.
    """

    mw: np.ndarray
    pool: np.ndarray
    forced_rate: np.ndarray
    mttr_h: np.ndarray
    planned: np.ndarray
    maintenance_days: np.ndarray
    maintenance_share: np.ndarray

    def __len__(self) -> int:
        return len(self.mw)


@dataclass(frozen=True)
class Intervals:
    """Forced down intervals, one per row: of sample ``sample`` and unit ``unit``, [``start``, ``end``) in hours of
    the horizon (clipped to it; only intervals that begin inside it)."""

    sample: np.ndarray
    unit: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def per_unit(self, values: np.ndarray, units: int) -> np.ndarray:
        """``values`` (one per interval) summed per unit, (units,)."""
        return np.bincount(self.unit, weights=values, minlength=units)


def _geometric_scale(p: np.ndarray) -> np.ndarray:
    """1 / −ln(1 − p): ⌊E · scale⌋ + 1 with E standard exponential is geometric on 1, 2, … with success
    probability p (P(spell > j) = e^(−j · (−ln(1 − p))) = (1 − p)^j); 0 for p = 1 (every spell one hour)."""
    with np.errstate(divide="ignore"):
        return np.where(p < 1.0, -1.0 / np.log1p(-np.minimum(p, 1.0)), 0.0)


SPELLS_FIRST = 1.5
"""Spells drawn at first per unit and sample: 1.5 × the cycles it completes in the horizon on average, plus 4;
a sample still up at the horizon's end after them draws more (:func:`forced_intervals`)."""


def forced_intervals(rng: np.random.Generator, units: Units, samples: int, hours: int) -> Intervals:
    """Down intervals of every unit that can fail, in ``samples`` sampled horizons of ``hours``.

    Each (sample, unit) alternates up and down spells drawn directly (geometric, means F and R, by inversion of
    exponential draws: :func:`_geometric_scale`), starting down with probability q. A unit draws
    k_u = ⌈1.5 · hours / (F + R)⌉ + 4 spells first (units with the same k_u together), and only the samples not
    yet past the horizon draw more, so the draws grow with each unit's own outages, not with the fastest-cycling
    unit's.

    >>> u = Units(np.array([1.0]), np.array([0]), np.array([0.5]), np.array([10.0]), np.zeros((1, 0, 2)),
    ...           np.zeros(1), np.zeros(1))
    >>> down = forced_intervals(np.random.default_rng(0), u, samples=2000, hours=1000)
    >>> round(float((down.end - down.start).sum() / (2000 * 1000)), 1)  # share of hours down ≈ q
    0.5
    """
    q = units.forced_rate
    fails = np.flatnonzero(q > 0)
    mttr = units.mttr_h[fails]
    mttf = mttr * (1 - q[fails]) / q[fails]
    if (mttf < 1 - 1e-9).any() or (mttr < 1).any():  # q = R/(R + 1) itself gives F = 1 up to rounding
        raise ValueError(
            "forced outages are sampled in whole hours: every repair time must be ≥ 1 h and every forced outage "
            "rate ≤ R/(R + 1) (inputs.outages.highest_rate)"
        )
    mttf = np.maximum(mttf, 1.0)
    k_first = np.ceil(SPELLS_FIRST * hours / (mttf + mttr)).astype(int) + 4
    parts: list[tuple[np.ndarray, ...]] = []
    for k in np.unique(k_first):
        group = k_first == k
        row_unit = np.tile(fails[group], samples)  # rows: (sample, unit), sample-major
        row_sample = np.repeat(np.arange(samples), group.sum())
        up_scale = _geometric_scale(1.0 / np.tile(mttf[group], samples))
        down_scale = _geometric_scale(np.minimum(1.0, 1.0 / np.tile(mttr[group], samples)))
        clock = np.zeros(len(row_unit))  # when each row's next up spell begins
        down_first = rng.random(len(row_unit)) < q[row_unit]
        active = np.arange(len(row_unit))
        first = True
        while len(active):
            up = np.floor(rng.standard_exponential((len(active), k)) * up_scale[active, None]) + 1.0
            down = np.floor(rng.standard_exponential((len(active), k)) * down_scale[active, None]) + 1.0
            if first:
                up[:, 0] = np.where(down_first, 0.0, up[:, 0])
            end = clock[active, None] + np.cumsum(up + down, axis=1)
            start = end - down
            inside = start < hours
            r, j = np.nonzero(inside)
            rows = active[r]
            parts.append((row_sample[rows], row_unit[rows], start[r, j], np.minimum(end[r, j], hours)))
            clock[active] = end[:, -1]
            active = active[end[:, -1] < hours]
            first = False
    if not parts:
        empty = np.zeros(0)
        return Intervals(empty.astype(np.int64), empty.astype(np.int64), empty, empty)
    sample, unit, start, end = (np.concatenate(c) for c in zip(*parts, strict=True))
    return Intervals(sample, unit, start, end)


def maintenance_intervals(
    rng: np.random.Generator, units: Units, samples: int, allowed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One maintenance outage of ``maintenance_days`` per unit and sample (in a share ``maintenance_share`` of
    them), placed uniformly within a block of ``allowed`` hours (outside the peak seasons) long enough for it;
    (start, end) each (S, U, 1). Units with fixed planned intervals get none (their schedule stands for it)."""
    n = len(units)
    empty = np.zeros((samples, n, 1))
    hours = (units.maintenance_days * 24).astype(int)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], allowed.astype(int), [0]])))
    blocks = edges.reshape(-1, 2)  # [start, end) of each run of allowed hours
    if not len(blocks) or not hours.any():
        return empty, empty.copy()
    length = blocks[:, 1] - blocks[:, 0]
    room = np.clip(length[None, :] - hours[:, None], 0, None).astype(float)  # (U, blocks) possible start hours
    scheduled = (units.planned[:, :, 1] > units.planned[:, :, 0]).any(axis=1)
    wants = (rng.random((samples, n)) < units.maintenance_share[None, :]) & (room.sum(axis=1) > 0)[None, :]
    wants &= ~scheduled[None, :] & (hours > 0)[None, :]
    cumulative = np.cumsum(room, axis=1)
    total = cumulative[:, -1]
    pick = rng.random((samples, n)) * np.where(total > 0, total, 1.0)[None, :]
    block = (pick[:, :, None] >= cumulative[None, :, :]).sum(axis=2).clip(max=len(blocks) - 1)
    offset = pick - np.where(block > 0, cumulative[np.arange(n)[None, :], np.maximum(block - 1, 0)], 0.0)
    start = blocks[block, 0] + np.floor(offset)
    end = start + hours[None, :]
    return np.where(wants, start, 0.0)[:, :, None], np.where(wants, end, 0.0)[:, :, None]


def lost_capacity(
    units: Units,
    forced: Intervals,
    planned: tuple[np.ndarray, np.ndarray],
    positions: np.ndarray,
    pools: int,
) -> np.ndarray:
    """MW out of service in each pool, (pools, S, T) over the simulated hours ``positions`` (sorted hour indices
    of the full horizon): every planned interval, plus the part of each forced interval outside them."""
    p_start, p_end = planned  # (S, U, M) fixed and sampled planned intervals together
    samples = p_start.shape[0]
    s_idx, u_idx, m_idx = np.nonzero(p_end > p_start)  # the planned intervals that are not empty
    steps = [(s_idx, u_idx, p_start[s_idx, u_idx, m_idx], p_end[s_idx, u_idx, m_idx], 1.0),
             (forced.sample, forced.unit, forced.start, forced.end, 1.0)]  # fmt: skip
    for m in range(p_start.shape[2]):  # overlaps of forced with planned intervals count once
        lo = np.maximum(forced.start, p_start[forced.sample, forced.unit, m])
        hi = np.minimum(forced.end, p_end[forced.sample, forced.unit, m])
        overlap = hi > lo
        steps.append((forced.sample[overlap], forced.unit[overlap], lo[overlap], hi[overlap], -1.0))
    n = len(positions)
    last = int(positions[-1]) + 1 if n else 0  # before[h] = #{positions < h} for h ≤ last; hours past it: n
    before = np.concatenate([[0], np.cumsum(np.bincount(positions, minlength=last))])
    at, mw = [], []  # every step: (pool, sample, simulated hour) flat, and its MW (+ out, − back)
    for sample, unit, start, end, sign in steps:
        a = before[np.clip(np.ceil(start), 0, last).astype(np.int64)]
        b = before[np.clip(np.ceil(end), 0, last).astype(np.int64)]
        keep = b > a  # holding a simulated hour
        base = (units.pool[unit[keep]] * samples + sample[keep]) * (n + 1)
        out = sign * units.mw[unit[keep]]
        at += [base + a[keep], base + b[keep]]
        mw += [out, -out]
    delta = np.bincount(np.concatenate(at), weights=np.concatenate(mw), minlength=pools * samples * (n + 1))
    return np.cumsum(delta.reshape(pools, samples, n + 1), axis=2)[:, :, :n]


def schedule_intervals(share: np.ndarray, n_units: int) -> list[list[tuple[int, int]]]:
    """Out-of-service intervals of each of ``n_units`` equal units from a share in service per hour (T,):
    the first round((1 − share) × n) units are out in each hour.

    >>> schedule_intervals(np.array([1, 0.5, 0.5, 1, 0]), 2)
    [[(1, 3), (4, 5)], [(4, 5)]]
    """
    out_count = n_units - np.floor(np.clip(share, 0, 1) * n_units + 0.5).astype(int)
    result = []
    for j in range(n_units):
        mask = np.concatenate([[0], (out_count > j).astype(int), [0]])
        edges = np.flatnonzero(np.diff(mask)).reshape(-1, 2)
        result.append([(int(a), int(b)) for a, b in edges])
    return result
