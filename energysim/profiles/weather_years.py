"""Seeded weather years for probabilistic adequacy: N years of demand, PV, offshore wind and steam drawn jointly,
each from one synthetic weather year, with the shipped year as year 0.

Year 0 is the shipped profile year itself (the same seeds and events as ``data/profiles``). Every further year k
draws its own weather — the AR(1) day-to-day temperature anomaly, the daily clearness and the hourly noise from
child streams ``[SEED, year, stream, k]`` — and its own seasonal events (:func:`random_events`): when the
heatwave comes, how long and how hot it is, whether it is clear or hazy; the cold spell and the plum rains. Demand,
PV and steam are computed from that weather by the same functions as the shipped year, so a heatwave is hot,
sunny-or-not and high-demand together. Demand goes through the shipped year's monthly normalisation and its
affine rescale (the transforms that take the shipped year to the 2018 monthly shares and to its energy and peak
targets), so a hot year has a higher peak and more energy than the shipped one and a mild year less. Offshore
wind is drawn with the year (as in the shipped generator, independent of temperature).
:func:`heatwave_statistics` reports each year against the facts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.profiles import ADDED_LOADS_TWH, DEMAND_TARGETS, SEED, _rng
from energysim.profiles.calendar import hours
from energysim.profiles.demand import added_loads, demand_shape, weather_load
from energysim.profiles.industry import steam_demand
from energysim.profiles.solar import pv_capacity_factor
from energysim.profiles.weather import SHIPPED_EVENTS, Event, weather_year
from energysim.profiles.wind import offshore_wind_capacity_factor
from energysim.timeseries import rescale

COLUMNS = {
    "temperature_c": ("°C", "air temperature"),
    "demand_mw": ("MW", "electricity demand (the shipped year's rescale)"),
    "pv": ("1", "PV output per kWp"),
    "wind_offshore": ("1", "offshore wind output per MW"),
    "steam_t_per_h": ("t/h", "industrial steam demand"),
}

FACTS = {
    "record_high_c": 39.4,  # Jiaxing record high, JX facts §8 (S?)
    "peak_hours": (13, 15),  # summer peaks on hot weekdays 13:00-15:00, JX facts §8 (S)
    "peak_window": ("07-10", "08-20"),  # mid-July to mid-August, after the plum rains, JX facts §8 (S)
    "days_above_share": 100 / 131,  # ZJ 2025: load above 100 GW on 50 days, peak 131 GW (ZJ facts §1, S)
    "days_above": 50,
    "winter_summer_ratio": 0.82,  # ZJ 2024 and 2025: 101/123, 108/131 (ZJ facts §1, D)
}
"""What the generated years are compared with (facts files; the Zhejiang figures are the province's)."""


def _child(year: int, stream: int, k: int) -> np.random.Generator:
    return _rng(year, stream) if k == 0 else np.random.default_rng([SEED, year, stream, k])


def _day(year: int, doy: float) -> str:
    """Month and day ("MM-DD") of a day of the year (1-based), kept within the year."""
    last = pd.Timestamp(f"{year}-12-31").day_of_year
    return (pd.Timestamp(f"{year}-01-01") + pd.Timedelta(days=int(np.clip(doy, 1, last)) - 1)).strftime("%m-%d")


def random_events(year: int, rng: np.random.Generator) -> tuple[Event, ...]:
    """The seasonal events of a sampled year (estimates around the climate facts, JX facts §8):

    - heatwave: starts 1 July – 10 August, lasts 10–35 days, +0.5 to +3 °C on the daily mean (the shipped year:
      +2.5 °C for 28 days), clearness −0.05 to +0.2 (clear, or hazy and humid);
    - cold spell: in January (70 %) or December, 7–20 days, −2 to −6 °C;
    - plum rains: start 5–20 June, last 20–35 days, −1.5 °C, clearness −0.35 to −0.15.
    """
    july1 = pd.Timestamp(f"{year}-07-01").day_of_year
    hot_start = july1 + rng.uniform(0, 40)
    hot_days = rng.uniform(10, 35)
    cold_start = (
        rng.uniform(1, 31) if rng.random() < 0.7 else pd.Timestamp(f"{year}-12-01").day_of_year + rng.uniform(0, 20)
    )
    cold_days = rng.uniform(7, 20)
    rain_start = pd.Timestamp(f"{year}-06-05").day_of_year + rng.uniform(0, 15)
    rain_days = rng.uniform(20, 35)
    return (
        Event(_day(year, hot_start), _day(year, hot_start + hot_days), rng.uniform(0.5, 3.0), rng.uniform(-0.05, 0.2)),
        Event(_day(year, cold_start), _day(year, cold_start + cold_days), -rng.uniform(2.0, 6.0), 0.0),
        Event(_day(year, rain_start), _day(year, rain_start + rain_days), -1.5, rng.uniform(-0.35, -0.15)),
    )


def _raw(year: int, k: int, shipped_load: np.ndarray | None) -> dict[str, np.ndarray]:
    """One weather year's profiles before the demand rescale (demand in MW, the shipped year at the target
    energy; ``shipped_load``: the shipped year's weather load, whose monthly factors every other year uses)."""
    events = SHIPPED_EVENTS if k == 0 else random_events(year, np.random.default_rng([SEED, year, 90, k]))
    weather = weather_year(year, _child(year, 0, k), events)
    index = weather.index
    twh, _ = DEMAND_TARGETS.get(year, (len(index) / 1e6, 1.0))
    dc_twh, ev_twh = ADDED_LOADS_TWH.get(year, (0.0, 0.0))
    shape = demand_shape(year, weather, _child(year, 1, k), normalise_like=shipped_load)
    base_mw = shape * (twh - dc_twh - ev_twh) * 1e6 / len(index)
    return {
        "temperature_c": weather["temperature_c"].to_numpy().round(2),
        "demand_mw": base_mw + added_loads(index, data_centre_mwh=dc_twh * 1e6, ev_mwh=ev_twh * 1e6),
        "pv": pv_capacity_factor(weather, _child(year, 2, k)).round(5),
        "wind_offshore": offshore_wind_capacity_factor(index, _child(year, 3, k)).round(5),
        "steam_t_per_h": steam_demand(year, weather, _child(year, 4, k)).round(1),
    }


def weather_years(year: int, n: int) -> xr.Dataset:
    """``n`` weather years of ``year`` (dims ``weather_year``, ``time``), year 0 the shipped one.

    Demand of every year goes through the affine map d′ = a·d + b that takes the shipped year to its energy and
    peak targets (``DEMAND_TARGETS``), so year 0 equals the shipped ``demand_mw`` column.
    """
    if n < 1:
        raise ValueError(f"weather years: expected at least 1, found {n}")
    shipped_load = weather_load(year, weather_year(year, _child(year, 0, 0)), _child(year, 1, 0))
    years = [_raw(year, k, None if k == 0 else shipped_load) for k in range(n)]
    shipped = years[0]["demand_mw"]
    twh, peak = DEMAND_TARGETS.get(year, (None, None))
    target = rescale(shipped, energy_mwh=None if twh is None else twh * 1e6, peak_mw=peak)
    a, b = np.polyfit(shipped, target, 1) if shipped.std() > 0 else (1.0, 0.0)
    for k, table in enumerate(years):
        table["demand_mw"] = (target if k == 0 else a * table["demand_mw"] + b).round(2)
    index = hours(year)
    data = {
        name: (("weather_year", "time"), np.stack([t[name] for t in years]), {"units": u, "long_name": long})
        for name, (u, long) in COLUMNS.items()
    }
    ds = xr.Dataset(data, coords={"weather_year": np.arange(n), "time": index.to_numpy()})
    ds.attrs = {"year": year, "seed": SEED, "description": "weather year 0 is the shipped profile year"}
    return ds


def heatwave_statistics(weather: xr.Dataset) -> pd.DataFrame:
    """Per weather year: hottest hour (°C), days with a maximum ≥ 35 °C and the longest run of them, the peak
    (MW) and when it came, days whose peak is ≥ 100/131 of the year's (as Zhejiang's 50 days above 100 GW in
    2025), and the winter/summer peak ratio (Dec–Feb against Jun–Sep)."""
    rows = []
    time = pd.DatetimeIndex(weather.time.values)
    winter = time.month.isin([12, 1, 2])
    summer = time.month.isin([6, 7, 8, 9])
    for k in weather.weather_year.values:
        temp = pd.Series(weather.temperature_c.sel(weather_year=k).values, index=time)
        load = pd.Series(weather.demand_mw.sel(weather_year=k).values, index=time)
        daily_max = temp.resample("D").max()
        hot = (daily_max >= 35).to_numpy().astype(int)
        edges = np.flatnonzero(np.diff(np.concatenate([[0], hot, [0]])))
        longest = int((edges[1::2] - edges[::2]).max()) if len(edges) else 0
        peak_time = load.idxmax()
        daily_peak = load.resample("D").max()
        rows.append(
            {
                "weather_year": int(k),
                "max_temperature_c": float(temp.max()),
                "days_max_35c": int(hot.sum()),
                "longest_hot_spell_days": longest,
                "peak_mw": float(load.max()),
                "peak_time": peak_time.strftime("%Y-%m-%d %H:00"),
                "peak_in_13_15h": FACTS["peak_hours"][0] <= peak_time.hour <= FACTS["peak_hours"][1],
                "days_above_0.76_peak": int((daily_peak >= FACTS["days_above_share"] * load.max()).sum()),
                "winter_summer_peak_ratio": float(load[winter].max() / load[summer].max()),
            }
        )
    return pd.DataFrame(rows).set_index("weather_year")


def against_facts(stats: pd.DataFrame) -> pd.DataFrame:
    """The generated years' statistics (median and range) beside the facts they should resemble."""

    def spread(column: str) -> str:
        x = stats[column]
        return f"{x.median():,.2f} ({x.min():,.2f}–{x.max():,.2f})"

    start, end = FACTS["peak_window"]
    days = pd.to_datetime(stats.peak_time).dt.strftime("%m-%d")
    in_window = ((days >= start) & (days <= end)).mean()
    rows = [
        ("hottest hour, °C", f"record {FACTS['record_high_c']} (JX §8)", spread("max_temperature_c")),
        (
            "years above the record",
            "rare (a record over decades)",
            f"{(stats.max_temperature_c > FACTS['record_high_c']).mean():.0%}",
        ),
        ("days with a maximum ≥ 35 °C", "not in the facts", spread("days_max_35c")),
        ("peak hour 13–15 h", "summer peaks 13:00–15:00 (JX §8)", f"{stats.peak_in_13_15h.mean():.0%} of years"),
        ("peak between 10 Jul and 20 Aug", "mid-July to mid-August (JX §8)", f"{in_window:.0%} of years"),
        (
            "days with a peak ≥ 0.76 × the year's",
            f"{FACTS['days_above']} (ZJ 2025: >100 GW of 131 GW)",
            spread("days_above_0.76_peak"),
        ),
        ("winter / summer peak", f"{FACTS['winter_summer_ratio']} (ZJ 2024, 2025)", spread("winter_summer_peak_ratio")),
        ("annual peak, MW", "14,000 in the shipped year (target)", spread("peak_mw")),
    ]
    return pd.DataFrame(rows, columns=["statistic", "facts", "generated: median (range)"]).set_index("statistic")
