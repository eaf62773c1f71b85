"""Hourly profiles of the provincial zone (the rest of Zhejiang): demand, UHV/AC infeed availability and
conventional hydro, from the observed 2018 Zhejiang load and the infeed table ``data/infeeds.csv``.

Demand (Zhejiang as a whole first, then the rest = Zhejiang − Jiaxing's hourly demand):

1. **Calendar shift.** Each day of the target year takes the hourly load of a 2018 day (Zhejiang 2018, NDRC
   data via PyPSA-China-PIK, ``data/sources/zj-load-2018.csv.gz``): days around the Spring Festival take the
   2018 day at the same offset from the festival, every other day the nearest 2018 day (in day of year) of the
   same type — working day, weekend or public holiday — on the official calendars of both years
   (:mod:`energysim.profiles.calendar`).
2. **Winter evening peaks.** Winter peaks now come in the evening, after PV drops (浙江日报 2026-01-21, facts
   §1), while the 2018 working-day shape peaks at 14 h. On winter working days load moves from 9-17 h to
   18-21 h (:data:`EVENING_SHIFT`); then every winter hour is drawn towards its month's mean by a factor γ found
   by bisection, so that the year's winter peak is :data:`WINTER_PEAK_RATIO` of its summer peak (101/123 GW in
   2024, 108/131 in 2025, facts §1; the 2018 shape gives 0.90). Monthly energies do not change; the Spring
   Festival days are left out of the compression, so their dip stays.
3. **Energy and peak.** The affine rescale d′ = a·d + b to the year's Zhejiang consumption and summer peak
   (``energysim.timeseries.rescale``), as for Jiaxing.

Infeeds: the 12 monthly per-unit factors of each line, flat within the month for the two hydro lines (flood
flow), in proportion to Zhejiang's hourly demand within the month for 灵绍 and the AC ties (scheduled to the
receiving end's load), capped at 1. Every constant is an estimate unless ``data/README.md`` gives a source.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energysim.profiles.calendar import SPRING_FESTIVAL, WORKDAY, day_types, hours
from energysim.timeseries import rescale

DATA = Path(__file__).resolve().parents[2] / "data"
"""The repository's data folder (profiles are built from the sources and tables in it)."""

REFERENCE_YEAR = 2018
ZHEJIANG_TARGETS = {2024: (678.0, 124_000.0), 2025: (720.0, 131_000.0)}
"""Zhejiang consumption (TWh) and summer peak (MW): 678.0 TWh (PIK 2024 provincial totals, facts §1, D),
>123 GW in 2024 (7 records, facts §1; 124 GW E), >720 TWh forecast and the 131 GW record in 2025 (facts §1, S)."""
WINTER_PEAK_RATIO = 0.82
"""Winter / summer peak, 101/123 (2024) and 108/131 (2025), facts §1 (D)."""
WINTER_MONTHS = {12: 1.0, 1: 1.0, 2: 1.0, 11: 0.5, 3: 0.5}
"""Weight of the winter correction by month (full in December-February, half in the shoulder months, E)."""
SPRING_FESTIVAL_WINDOW = (14, 24)
"""Days before / after the festival's first day that follow the 2018 festival day by day (wind-down and the
slow restart after the Lantern Festival, as in the 2018 load)."""
EVENING_SHIFT = 0.12
"""Share of the working-day load moved from 9-17 h to 18-21 h on winter working days (E: puts the winter
working-day maximum at 18 h, after sunset)."""
_EVENING = dict(zip((17, 18, 19, 20, 21), (0.3, 1.0, 1.0, 0.8, 0.4), strict=True))
_DAYTIME = dict(zip(range(8, 18), (0.3, 0.7, 1.0, 1.0, 0.7, 1.0, 1.0, 1.0, 0.8, 0.3), strict=True))
HYDRO_MONTHLY = (0.12, 0.15, 0.25, 0.32, 0.36, 0.42, 0.30, 0.26, 0.22, 0.14, 0.11, 0.10)
"""Zhejiang conventional hydro, relative monthly flow (E: plum rains April-June, typhoons August-September,
dry winter), scaled to :data:`HYDRO_HOURS`."""
HYDRO_HOURS = 2100.0
"""≈15 TWh from ≈7 GW (facts §2 balance, E)."""


def reference_load(sources: Path = DATA / "sources") -> np.ndarray:
    """Zhejiang 2018 hourly load, MW, as (day, hour)."""
    table = pd.read_csv(sources / "zj-load-2018.csv.gz")
    return table["zj_mw"].to_numpy(dtype=float).reshape(-1, 24)


def _festival_start(types: pd.Series) -> pd.Timestamp:
    return types.index[types == SPRING_FESTIVAL].min()


def day_map(year: int) -> np.ndarray:
    """For each day of ``year``, the index of the 2018 day whose load it takes (see the module docstring)."""
    target, ref = day_types(year), day_types(REFERENCE_YEAR)
    before, after = SPRING_FESTIVAL_WINDOW
    t0, r0 = _festival_start(target), _festival_start(ref)
    ref_doy = ref.index.dayofyear.to_numpy() - 1
    ref_offset = (ref.index - r0).days.to_numpy()
    ordinary = (ref_offset < -before) | (ref_offset > after)
    out = np.empty(len(target), dtype=int)
    for i, (day, kind) in enumerate(target.items()):
        offset = (day - t0).days
        if -before <= offset <= after:
            out[i] = int(np.clip((r0 - ref.index[0]).days + offset, 0, len(ref) - 1))
            continue
        same = ordinary & (ref.to_numpy() == kind)
        distance = np.abs(ref_doy - (day.dayofyear - 1)) + 0.1 * (ref.index.dayofweek.to_numpy() != day.dayofweek)
        out[i] = int(np.argmin(np.where(same, distance, np.inf)))
    return out


def _winter_weight(index: pd.DatetimeIndex) -> np.ndarray:
    return np.array([WINTER_MONTHS.get(m, 0.0) for m in index.month])


def _shifted(load: np.ndarray, days: pd.DatetimeIndex, types: pd.Series) -> np.ndarray:
    """Winter working days: load moved from the day into the evening, each day's energy kept."""
    move = np.zeros(24)
    for hour, w in _EVENING.items():
        move[hour] += w
    for hour, w in _DAYTIME.items():
        move[hour] -= w
    weight = _winter_weight(days) * (types.to_numpy() == WORKDAY)
    shifted = load * (1 + EVENING_SHIFT * weight[:, None] * move[None, :])
    return shifted * (load.sum(axis=1) / shifted.sum(axis=1))[:, None]


def _compressed(load: np.ndarray, days: pd.DatetimeIndex, types: pd.Series, gamma: float) -> np.ndarray:
    """Winter hours drawn towards their month's mean by γ (festival days untouched); monthly energy kept."""
    keep = types.to_numpy() == SPRING_FESTIVAL
    month = days.month.to_numpy()
    mean = pd.Series(load[~keep].mean(axis=1)).groupby(month[~keep]).mean()
    level = mean.reindex(month).to_numpy()[:, None]
    factor = 1 - _winter_weight(days)[:, None] * (1 - gamma)
    drawn = np.where(keep[:, None], load, level + factor * (load - level))
    for m in np.unique(month):  # put back each month's energy (the festival days were left out of the mean)
        rows = month == m
        drawn[rows & ~keep] *= (load[rows].sum() - drawn[rows & keep].sum()) / drawn[rows & ~keep].sum()
    return drawn


def zhejiang_demand(year: int, sources: Path = DATA / "sources") -> pd.Series:
    """Zhejiang's hourly demand of ``year``, MW (hour beginning)."""
    index = hours(year)
    days = index[::24]
    types = day_types(year)
    shifted = _shifted(reference_load(sources)[day_map(year)], days, types)
    twh, peak = ZHEJIANG_TARGETS[year]
    winter = np.isin(index.month, [12, 1, 2])

    def ratio(gamma: float) -> float:
        scaled = rescale(_compressed(shifted, days, types, gamma).ravel(), energy_mwh=twh * 1e6, peak_mw=peak)
        return float(scaled[winter].max() / scaled.max())

    lo, hi = 0.0, 1.0  # ratio rises with γ
    for _ in range(30):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ratio(mid) < WINTER_PEAK_RATIO else (lo, mid)
    load = _compressed(shifted, days, types, (lo + hi) / 2).ravel()
    return pd.Series(rescale(load, energy_mwh=twh * 1e6, peak_mw=peak), index=index, name="zhejiang_mw")


def infeed_availability(table: pd.DataFrame, zhejiang_mw: pd.Series) -> pd.DataFrame:
    """Hourly per-unit availability of each infeed (rows of ``data/infeeds.csv``)."""
    index = zhejiang_mw.index
    month = index.month.to_numpy() - 1
    within = (zhejiang_mw / zhejiang_mw.groupby(index.month).transform("mean")).to_numpy()
    out = {}
    for row in table.itertuples():
        monthly = np.array([getattr(row, f"m{m:02d}") for m in range(1, 13)])[month]
        shape = within if row.within_month == "demand" else 1.0
        out[row.tech] = np.clip(monthly * shape, 0.0, 1.0)
    return pd.DataFrame(out, index=index)


def hydro_availability(index: pd.DatetimeIndex) -> np.ndarray:
    """Conventional hydro per unit, flat within each month, :data:`HYDRO_HOURS` full-load hours a year."""
    flow = np.asarray(HYDRO_MONTHLY)[index.month.to_numpy() - 1]
    return flow * HYDRO_HOURS / flow.sum()


def province_profiles(year: int, jiaxing_mw: np.ndarray, data: Path = DATA) -> pd.DataFrame:
    """The provincial zone's hourly columns: demand of the rest of Zhejiang (MW), infeeds and hydro (1)."""
    zhejiang = zhejiang_demand(year, data / "sources")
    infeeds = infeed_availability(pd.read_csv(data / "infeeds.csv"), zhejiang)
    index = zhejiang.index
    columns = {
        "time": index.strftime("%Y-%m-%d %H:%M"),
        "demand_mw": (zhejiang.to_numpy() - jiaxing_mw).round(2),
        **{name: infeeds[name].to_numpy().round(5) for name in infeeds},
        "hydro": hydro_availability(index).round(5),
    }
    return pd.DataFrame(columns)
