"""Deterministic, seeded hourly profiles for Jiaxing and the rest of Zhejiang (room 0: data preparation, run
once, files committed).

``energysim profiles build`` (or :func:`build_profiles`) rewrites ``data/profiles/`` byte-identically:
``jiaxing-<year>.csv.gz`` (hourly: temperature, demand, PV, offshore wind, TOU ratio, steam, Qinshan's
availability), ``jiaxing-gas-<year>.csv.gz`` (daily city gas) and ``zhejiang-<year>.csv.gz`` (hourly: demand of
the rest of Zhejiang, infeed and hydro availability, :mod:`energysim.profiles.province`). Every statistic used
is listed in ``data/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energysim.profiles.calendar import hours
from energysim.profiles.demand import added_loads, demand_shape
from energysim.profiles.industry import city_gas_demand, steam_demand
from energysim.profiles.nuclear import qinshan_availability
from energysim.profiles.province import DATA, province_profiles
from energysim.profiles.solar import pv_capacity_factor
from energysim.profiles.tariffs import tou_ratio
from energysim.profiles.weather import weather_year
from energysim.profiles.wind import offshore_wind_capacity_factor
from energysim.timeseries import rescale

SEED = 20250312
"""Base seed (the plan's publication date); each profile draws from its own child stream."""

YEARS = (2024, 2025)
DEMAND_TARGETS = {2024: (73.0, 13_000.0), 2025: (78.0, 14_000.0)}
"""Annual energy (TWh) and peak (MW): estimates, facts file §10 (≈11 % of Zhejiang)."""
ADDED_LOADS_TWH = {2024: (0.0, 0.0), 2025: (0.7, 0.3)}
"""New data-centre and EV-charging energy of the year (TWh), included in the year's target (facts file §1, §10)."""


def _rng(year: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([SEED, year, stream])


def hourly_profiles(year: int) -> pd.DataFrame:
    """All hourly profiles of one year (local time, hour beginning)."""
    index = hours(year)
    weather = weather_year(year, _rng(year, 0))
    twh, peak = DEMAND_TARGETS[year]
    dc_twh, ev_twh = ADDED_LOADS_TWH[year]
    base_mw = demand_shape(year, weather, _rng(year, 1)) * (twh - dc_twh - ev_twh) * 1e6 / len(index)
    demand = base_mw + added_loads(index, data_centre_mwh=dc_twh * 1e6, ev_mwh=ev_twh * 1e6)
    return pd.DataFrame(
        {
            "time": index.strftime("%Y-%m-%d %H:%M"),
            "temperature_c": weather["temperature_c"].to_numpy().round(2),
            "demand_mw": rescale(demand, energy_mwh=twh * 1e6, peak_mw=peak).round(2),
            "pv": pv_capacity_factor(weather, _rng(year, 2)).round(5),
            "wind_offshore": offshore_wind_capacity_factor(index, _rng(year, 3)).round(5),
            "grid_tou_ratio": tou_ratio(year, index),
            "steam_t_per_h": steam_demand(year, weather, _rng(year, 4)).round(1),
            "qinshan": qinshan_availability(year, index).round(5),
        }
    )


def daily_profiles(year: int) -> pd.DataFrame:
    """Daily profiles of one year: non-power city gas demand."""
    weather = weather_year(year, _rng(year, 0))
    gas = city_gas_demand(year, weather, _rng(year, 5))
    return pd.DataFrame({"date": gas.index.strftime("%Y-%m-%d"), gas.name: gas.to_numpy().round(2)})


def build_profiles(
    out_dir: str | Path = "data/profiles", years: tuple[int, ...] = YEARS, *, data: Path = DATA
) -> list[Path]:
    """Write every profile file; gzip without a timestamp so rebuilds are byte-identical. ``data`` holds the
    sources the provincial profiles are built from (``sources/zj-load-2018.csv.gz``, ``infeeds.csv``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gzip = {"method": "gzip", "mtime": 0}
    written = []
    for year in years:
        jiaxing = hourly_profiles(year)
        for name, table in (
            (f"jiaxing-{year}.csv.gz", jiaxing),
            (f"jiaxing-gas-{year}.csv.gz", daily_profiles(year)),
            (f"zhejiang-{year}.csv.gz", province_profiles(year, jiaxing["demand_mw"].to_numpy(), data)),
        ):
            path = out / name
            table.to_csv(path, index=False, compression=gzip, lineterminator="\n")
            written.append(path)
    return written


__all__ = ["build_profiles", "daily_profiles", "hourly_profiles"]
