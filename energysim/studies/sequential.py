r"""Hour-by-hour dispatch of sampled years, as PRAS's sequential Monte Carlo does it: no LP, a transport rule per
hour, vectorised over samples.

Each hour, in each region r, the margin m = available generation − demand (MW). Then:

1. **links**: a region with a surplus sends it to a linked region short of supply, up to the link's available
   capacity, losing λ on the way (f arrives as (1 − λ)·f); links in the order given, repeated once per further
   region so a surplus can cross several links;
2. **storage** (batteries, pumped hydro, and shiftable load as a store of ``window/2`` hours) discharges into its
   own region's shortfall: d ≤ min(P, η_d·e), e ← e − d/η_d;
3. **curtailable load** (a VPP) is called against what is still short, within its call budget per sampled
   year: at most K events of at most H hours each and the yearly hours;
4. storage left in a region then serves a neighbour's shortfall through what the links have left;
5. what is still short is **unserved** (loss of load);
6. storage charges from its own region's remaining surplus: c ≤ min(P − d, (E − e)/η_c), e ← e + η_c·c, and
   loses σ·e per hour.

The simple state-of-charge rule is PRAS's: discharge only against a shortfall, charge from any surplus, full at
the start of each simulated block of consecutive hours (e.g. each peak season).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOL_MW = 1e-3
"""A shortfall above this (MW) counts as loss of load (sums of thousands of MW leave round-off below it)."""


@dataclass(frozen=True)
class Stores:
    """Energy-limited resources: ``region`` (B,), ``power`` and ``energy`` (B, T) MW and MWh available in each
    simulated hour, ``eta_charge``, ``eta_discharge``, ``loss`` (B,) 1 and 1/h."""

    region: np.ndarray
    power: np.ndarray
    energy: np.ndarray
    eta_charge: np.ndarray
    eta_discharge: np.ndarray
    loss: np.ndarray


@dataclass(frozen=True)
class Curtailable:
    """Curtailable load: ``region`` (C,), ``power`` (C, T) MW, ``events`` (C,) calls per year, ``event_hours``
    (C,) hours per call, ``hours`` (C,) hours per year."""

    region: np.ndarray
    power: np.ndarray
    events: np.ndarray
    event_hours: np.ndarray
    hours: np.ndarray


@dataclass(frozen=True)
class Links:
    """``origin``, ``target`` (L,) region indices, ``loss`` (L,) share lost."""

    origin: np.ndarray
    target: np.ndarray
    loss: np.ndarray


def transfer(margin: np.ndarray, links: Links, capacity: np.ndarray, passes: int) -> np.ndarray:
    """Move surpluses to shortfalls over the links, in place on ``margin`` (R, ...); returns the capacity each
    link has left in each direction, (2, L, ...) (0: origin → target).

    >>> m = np.array([[300.0], [-100.0]])
    >>> left = transfer(m, Links(np.array([0]), np.array([1]), np.array([0.5])), np.array([[500.0]]), passes=1)
    >>> m.ravel().tolist(), left[:, 0].ravel().tolist()
    ([100.0, 0.0], [300.0, 500.0])
    """
    left = np.stack([capacity, capacity]).astype(float)
    for _ in range(passes):
        for i, (a, b, loss) in enumerate(zip(links.origin, links.target, links.loss, strict=True)):
            for direction, (src, dst) in enumerate(((a, b), (b, a))):
                keep = 1.0 - loss
                sent = np.minimum(
                    np.minimum(np.maximum(margin[src], 0), np.maximum(-margin[dst], 0) / keep), left[direction, i]
                )
                margin[src] -= sent
                margin[dst] += sent * keep
                left[direction, i] -= sent
    return left


def dispatch(
    margin: np.ndarray,
    stores: Stores,
    curtail: Curtailable,
    links: Links,
    link_capacity: np.ndarray,
    block_start: np.ndarray,
) -> np.ndarray:
    """Unserved MW (R, S, T) of sampled years whose hourly margins before storage are ``margin`` (R, S, T);
    ``link_capacity`` (L, S, T) available MW of each link, ``block_start`` (T,) True where a block of
    consecutive hours begins (storage is reset full there)."""
    m = margin.copy()
    regions = m.shape[0]
    left = transfer(m, links, link_capacity, passes=max(regions - 1, 1))
    if not len(stores.region) and not len(curtail.region):
        return np.maximum(-m, 0.0)
    samples, hours = m.shape[1], m.shape[2]
    unserved = np.zeros_like(m)
    soc = np.zeros((len(stores.region), samples))
    events = np.repeat(curtail.events[:, None], samples, axis=1).astype(float)
    hours_left = np.repeat(curtail.hours[:, None], samples, axis=1).astype(float)
    used_in_event = np.zeros_like(events)
    in_event = np.zeros_like(events, dtype=bool)
    short_somewhere = (m < 0).any(axis=(0, 1))  # (T,): hours with no shortfall anywhere only charge storage
    groups = _by_region(stores.region)
    for t in range(hours):
        if block_start[t]:
            soc[:] = stores.energy[:, t : t + 1]
        soc = np.minimum(soc, stores.energy[:, t : t + 1])
        spare = np.maximum(m[:, :, t], 0.0)
        power = stores.power[:, t : t + 1]  # (B, 1); per sample once storage discharges
        if short_somewhere[t]:
            power = np.repeat(power, samples, axis=1)
            short = np.maximum(-m[:, :, t], 0.0)
            _discharge(stores, soc, power, short)
            _call(curtail, t, short, events, hours_left, used_in_event, in_event)
            if len(links.origin):
                _neighbour_storage(stores, soc, power, short, links, left[:, :, :, t])
            unserved[:, :, t] = short
        else:  # nothing to discharge or call: any curtailment event ends
            in_event[:] = False
        if len(stores.region):
            _charge(stores, soc, power, spare, t, groups)
        soc *= 1.0 - stores.loss[:, None]
    return unserved


def _by_region(region: np.ndarray) -> list[np.ndarray | slice]:
    """The stores of each region, each in store order (a slice where they are consecutive)."""
    groups: list[np.ndarray | slice] = []
    for r in np.unique(region):
        members = np.flatnonzero(region == r)
        consecutive = members[-1] - members[0] + 1 == len(members)
        groups.append(slice(int(members[0]), int(members[-1]) + 1) if consecutive else members)
    return groups


def _charge(
    stores: Stores, soc: np.ndarray, power: np.ndarray, spare: np.ndarray, t: int, groups: list[np.ndarray | slice]
) -> None:
    """Each store charges from its own region's surplus, in store order (in place on ``soc``): store b wants
    w_b = min(P_b, (E_b − e_b)/η_c) and gets c_b = min(w_b, max(spare_r − Σ_{j before b in r} w_j, 0)) — equal (up
    to rounding) to serving the stores one after the other, since a store ahead of b got less than it wanted only
    if it took the last of the surplus. ``groups``: :func:`_by_region`."""
    room = (stores.energy[:, t : t + 1] - soc) / stores.eta_charge[:, None]
    want = np.minimum(np.minimum(power, np.maximum(room, 0.0)), spare[stores.region])  # finite: ≤ the surplus
    ahead = np.empty_like(want)
    for members in groups:  # Σ of the wants ahead of each store in its own region (a few regions)
        wants = want[members]
        ahead[members] = np.cumsum(wants, axis=0) - wants
    charge = np.minimum(want, np.maximum(spare[stores.region] - ahead, 0.0))
    soc += charge * stores.eta_charge[:, None]


def _discharge(stores: Stores, soc: np.ndarray, power: np.ndarray, short: np.ndarray) -> None:
    """Each store discharges into its own region's shortfall (in place on ``soc``, ``power``, ``short``)."""
    for b, r in enumerate(stores.region):
        out = np.minimum(np.minimum(short[r], power[b]), soc[b] * stores.eta_discharge[b])
        soc[b] -= out / stores.eta_discharge[b]
        power[b] -= out
        short[r] -= out


def _call(
    curtail: Curtailable,
    t: int,
    short: np.ndarray,
    events: np.ndarray,
    hours_left: np.ndarray,
    used_in_event: np.ndarray,
    in_event: np.ndarray,
) -> None:
    """Curtailable load against the shortfall: an event goes on while it is needed and shorter than its limit;
    a new one starts while calls are left; every hour called spends an hour of the year's budget."""
    for c, r in enumerate(curtail.region):
        want = (short[r] > LOL_MW) & (hours_left[c] > 0)
        going_on = want & in_event[c] & (used_in_event[c] < curtail.event_hours[c])
        starting = want & ~going_on & (events[c] >= 1)
        events[c] -= starting
        used_in_event[c] = np.where(starting, 0.0, used_in_event[c])
        active = going_on | starting
        call = np.where(active, np.minimum(short[r], curtail.power[c, t]), 0.0)
        short[r] -= call
        used_in_event[c] += active
        hours_left[c] -= active
        in_event[c] = active


def _neighbour_storage(
    stores: Stores, soc: np.ndarray, power: np.ndarray, short: np.ndarray, links: Links, left: np.ndarray
) -> None:
    """Storage left in one region serves a linked region's shortfall through the capacity the links have left
    (``left`` (2, L, S), spent in place)."""
    for i, (a, b, loss) in enumerate(zip(links.origin, links.target, links.loss, strict=True)):
        keep = 1.0 - loss
        for direction, (src, dst) in enumerate(((a, b), (b, a))):
            need = np.minimum(short[dst] / keep, left[direction, i])
            for s, r in enumerate(stores.region):
                if r != src:
                    continue
                out = np.minimum(np.minimum(need, power[s]), soc[s] * stores.eta_discharge[s])
                soc[s] -= out / stores.eta_discharge[s]
                power[s] -= out
                need -= out
                left[direction, i] -= out
                short[dst] -= out * keep
