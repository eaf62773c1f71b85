r"""Forced and planned outages of every unit, sampled for many years at once (numpy, vectorised over samples and
units): each unit is a two-state Markov process, up ⇄ down, in hourly steps.

A unit with forced outage rate q and mean time to repair R hours fails with probability 1/F per hour up and is
repaired with probability 1/R per hour down, F = R (1 − q)/q its mean time to failure; so its up and down spells
are geometric with means F and R, and in the long run it is down a share R/(F + R) = q of the hours. Each
sampled year starts in the stationary state (down with probability q, the spell memoryless).

Rather than one random number per unit and hour, the spells are drawn directly: K alternating up and down
durations per unit and sample, their running sums giving the down intervals [start, end). The capacity a pool of
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


def forced_intervals(rng: np.random.Generator, units: Units, samples: int, hours: int) -> tuple[np.ndarray, np.ndarray]:
    """Down intervals (start, end), each (S, U, K) in hours [0, ``hours``]; empty intervals have start = end.

    >>> u = Units(np.array([1.0]), np.array([0]), np.array([0.5]), np.array([10.0]), np.zeros((1, 0, 2)),
    ...           np.zeros(1), np.zeros(1))
    >>> start, end = forced_intervals(np.random.default_rng(0), u, samples=2000, hours=1000)
    >>> round(float((end - start).sum(axis=(1, 2)).mean() / 1000), 1)  # share of hours down ≈ q
    0.5
    """
    q = units.forced_rate
    fails = q > 0
    mttf = np.where(fails, units.mttr_h * (1 - q) / np.where(fails, q, 1.0), np.inf)
    cycle = np.where(fails, mttf + units.mttr_h, np.inf)
    k = int(np.ceil(hours / cycle[fails].min() * 1.5)) + 4 if fails.any() else 1
    shape = (samples, len(units), k)
    while True:
        p_fail = np.where(fails, 1.0 / np.where(fails, mttf, 1.0), 0.5)
        up = rng.geometric(p_fail[None, :, None], size=shape).astype(np.float64)
        down = rng.geometric(np.minimum(1.0, 1.0 / units.mttr_h)[None, :, None], size=shape).astype(np.float64)
        starts_down = rng.random((samples, len(units))) < q[None, :]
        up[:, :, 0] = np.where(starts_down, 0.0, up[:, :, 0])
        up[:, ~fails, :] = np.inf  # never fails
        start = np.cumsum(up, axis=2) + np.concatenate(
            [np.zeros((*shape[:2], 1)), np.cumsum(down, axis=2)[:, :, :-1]], axis=2
        )
        end = start + down
        if not fails.any() or (end[:, fails, -1] >= hours).all():
            break
        shape = (samples, len(units), 2 * k)  # rare: a sample needs more spells than drawn
        k *= 2
    return np.minimum(start, hours), np.minimum(end, hours)


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
    forced: tuple[np.ndarray, np.ndarray],
    planned: tuple[np.ndarray, np.ndarray],
    positions: np.ndarray,
    pools: int,
) -> np.ndarray:
    """MW out of service in each pool, (pools, S, T) over the simulated hours ``positions`` (sorted hour indices
    of the full horizon): every planned interval, plus the part of each forced interval outside them."""
    f_start, f_end = forced
    p_start, p_end = planned  # (S, U, M) fixed and sampled planned intervals together
    samples = f_start.shape[0]
    steps = [(p_start, p_end, 1.0), (f_start, f_end, 1.0)]
    for m in range(p_start.shape[2]):  # overlaps of forced with planned intervals count once
        lo = np.maximum(f_start, p_start[:, :, m : m + 1])
        hi = np.minimum(f_end, p_end[:, :, m : m + 1])
        steps.append((lo, np.maximum(hi, lo), -1.0))
    n = len(positions)
    size = pools * samples * (n + 1)
    delta = np.zeros(size)
    last = int(positions[-1]) + 1 if n else 0  # before[h] = #{positions < h} for h ≤ last; hours past it: n
    before = np.concatenate([[0], np.cumsum(np.bincount(positions, minlength=last))])
    for start, end, sign in steps:
        s_idx, u_idx, k_idx = np.nonzero(end > start)  # the intervals that are not empty
        if not len(s_idx):
            continue
        a = before[np.clip(np.ceil(start[s_idx, u_idx, k_idx]), 0, last).astype(np.int64)]
        b = before[np.clip(np.ceil(end[s_idx, u_idx, k_idx]), 0, last).astype(np.int64)]
        keep = b > a  # holding a simulated hour
        s_idx, u_idx, a, b = s_idx[keep], u_idx[keep], a[keep], b[keep]
        mw = sign * units.mw[u_idx]
        base = (units.pool[u_idx] * samples + s_idx) * (n + 1)
        delta += np.bincount(base + a, weights=mw, minlength=size)
        delta -= np.bincount(base + b, weights=mw, minlength=size)
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
