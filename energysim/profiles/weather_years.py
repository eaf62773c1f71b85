"""Seeded weather years for probabilistic adequacy: N years of demand, PV, offshore wind and steam drawn jointly,
each from one synthetic weather year, with the shipped year as year 0.

Year 0 is the shipped profile year itself (the same seeds, events and variability as ``data/profiles``). Every
further year k draws its own weather — the AR(1) day-to-day temperature anomaly, the daily clearness and the
hourly noise from child streams ``[SEED, year, stream, k]`` — and its own seasonal events (:func:`random_events`):
when the heatwave comes, how long and how hot it is, whether it is clear or hazy; the cold spell and the plum
rains. Demand, PV and steam are computed from that weather by the same functions as the shipped year, so a
heatwave is hot, sunny-or-not and high-demand together. Demand goes through the shipped year's monthly
normalisation and its affine rescale (the transforms that take the shipped year to the 2018 monthly shares and to
its energy and peak targets), so a hot year has a higher peak and more energy than the shipped one and a mild
year less. Offshore wind is drawn with the year (as in the shipped generator, independent of temperature).
:func:`heatwave_statistics` reports each year against the facts (:func:`against_facts`).

**Calibration of the generated years** (k ≥ 1; :data:`~energysim.profiles.weather.SAMPLED` and
:func:`random_events`) on Jiaxing's observed heat (:data:`FACTS`, :data:`BANDS`):

- the year's hottest hour: the normals' record, 39.4 °C (26 August 1953), stood as the August record until
  39.8 °C on 12 August 2010, one August in 58 (≈2 %); with the warmer summers since (JJA 2022 29.7 °C against
  the 27.2 °C normal) at most 10 % of the years should pass it, and, with a spread of the hottest hour of
  ≈1.3 °C, their median lie at 36.5–38.0 °C. 300 generated years: median 36.9 °C, 3 % above the record, none
  above 40.6 °C;
- the mean of 21 July – 10 August (the hottest dekads): 28–29 °C normally, 30.8 °C in 2007 and above 31 °C in
  2003 and a few other years. Generated: median 29.0 °C, one year in ten above 30.5 °C;
- the daily range on a clear heatwave day: 8–10 °C (28–37 °C forecast on 2017-07-18). Generated: 9.7–10 °C.

The shipped variability (k = 0 and ``data/profiles``, kept byte for byte) is wider at the top: a 10 °C daily
range in July, 12–13 °C on the hottest day. The shipped year's hottest hour, 39.6 °C, is above the record, and
50 years drawn with it put 20 % of the years above the record (median 37.9 °C, up to 41.5 °C).

**Days near the peak** (days whose peak is ≥ 100/131 of the year's) are a demand statistic with no like-for-like
fact: Zhejiang's 50 days above 100 GW (of 131 GW) were counted by 13 August 2025, and Jiaxing's load is more
industrial, so flatter at the top, than the province's. The band shown, 70–170 days, runs from Zhejiang's
estimated full year (≈70–105: the 50, the rest of August and September, none in January–April, ≤ 8 in
December) to the observed Zhejiang 2018 load (168 days at a load factor of 0.645; Jiaxing's 2025 target is
0.636). With the 2018 monthly shares as they are, the shipped year had 141 such days, 39 of them outside
June–September (10 in May, 10 in January, 19 in December), and 50 generated years a median of 50 outside, where
Zhejiang 2025 had at most ≈15: the demand model's, not the weather's. :data:`~energysim.profiles.demand.SHARE_SHIFT`
now moves 8 % of January's and December's and 5 % of May's energy into June and September (estimate). The shipped
year has 124 days near the peak: every July and August day (as in Zhejiang 2018 and, by its 50 days by 13 August,
2025), 30 in September, 28 in June and 4 outside June–September (2 in May, 1 in January, 1 in December); 50
generated years a median of 130 (107–176), 12 of them outside June–September (0–55). Winter/summer peak 0.77.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.profiles import ADDED_LOADS_TWH, DEMAND_TARGETS, SEED, _rng
from energysim.profiles.calendar import hours
from energysim.profiles.demand import added_loads, demand_shape, weather_load
from energysim.profiles.industry import steam_demand
from energysim.profiles.solar import pv_capacity_factor
from energysim.profiles.weather import SAMPLED, Event, weather_year
from energysim.profiles.wind import offshore_wind_capacity_factor
from energysim.timeseries import rescale

COLUMNS = {
    "temperature_c": ("°C", "air temperature"),
    "demand_mw": ("MW", "electricity demand (the shipped year's rescale)"),
    "pv": ("1", "PV output per kWp"),
    "wind_offshore": ("1", "offshore wind output per MW"),
    "steam_t_per_h": ("t/h", "industrial steam demand"),
}
ALWAYS = ("temperature_c", "demand_mw")
"""The columns every call makes (demand is drawn from the temperature)."""

FACTS: dict[str, Any] = {
    # Jiaxing's record high in the climate normals, set on 1953-08-26 (JX §8, S?; the date from the same
    # encyclopedia text, lfasc.com/Weatherinquiry/zybccpovlh.html)
    "record_high_c": 39.4,
    # 39.8 °C on 2010-08-12 "broke the August record", 39.7 °C on 08-15; four days above 38 °C in a row, second
    # to six in 2007 (07-28…08-02); 20 days ≥ 35 °C from June to 15 August 2010 (浙江在线/嘉兴日报 2010-08-16,
    # zjnews.zjol.com.cn/system/2010/08/16/016850736.shtml, S)
    "august_2010_c": 39.8,
    # the dekads of 21 July – 10 August are the hottest of the year, their means 28–29 °C; 30.8 °C in 2007, above
    # 31 °C in 2003 and a few other years (嘉兴日报 via 浙江在线 2008-07-22,
    # zjnews.zjol.com.cn/05zjnews/system/2008/07/22/009755412.shtml, S)
    "late_july_normal_c": (28.0, 29.0),
    "late_july_hot_c": 30.8,
    # a heatwave day: forecast 28–37 °C on 2017-07-18, the sixth day in a row ≥ 35 °C (嘉兴日报 2017-07-18,
    # jxxznews.zjol.com.cn/system/2017/07/18/030253302.shtml, S)
    "heatwave_day_c": (28.0, 37.0),
    # Jiaxing's summer (Jun-Aug) mean: 27.2 °C (30-year normal), 29.7 °C in 2022, 25.1 °C in 1999 (嘉兴市气象台
    # via a Haiyan forum copy, dz.ihaiyan.ren/archiver/tid-10473877.html, S?)
    "summer_mean_c": 27.2,
    "peak_hours": (13, 15),  # summer peaks on hot weekdays 13:00-15:00, JX facts §8 (S)
    "peak_window": ("07-10", "08-20"),  # mid-July to mid-August, after the plum rains, JX facts §8 (S)
    "days_above_share": 100 / 131,  # ZJ 2025: load above 100 GW on 50 days by 13 Aug, peak 131 GW (ZJ §1, S)
    "days_above": 50,
    "winter_summer_ratio": 0.82,  # ZJ 2024 and 2025: 101/123, 108/131 (ZJ facts §1, D)
}
"""What the generated years are compared with (facts files and the sources named; the Zhejiang figures are the
province's)."""

BANDS: dict[str, Any] = {
    "hottest_hour_median_c": (36.5, 38.0),
    "years_above_record": 0.10,
    "days_near_peak": (70, 170),
    "days_near_peak_outside_jun_sep": 15,
}
"""The bands derived from :data:`FACTS` (module docstring; estimates): the median of the years' hottest hour, the
largest share of years above the record, the days whose peak is ≥ 100/131 of the year's, and how many of them may
fall outside June–September (Zhejiang 2025: none in January–April, ≤ 8 in December, a few in May, October or
November)."""


def _child(year: int, stream: int, k: int) -> np.random.Generator:
    return _rng(year, stream) if k == 0 else np.random.default_rng([SEED, year, stream, k])


def _day(year: int, doy: float) -> str:
    """Month and day ("MM-DD") of a day of the year (1-based), kept within the year."""
    last = pd.Timestamp(f"{year}-12-31").day_of_year
    return (pd.Timestamp(f"{year}-01-01") + pd.Timedelta(days=int(np.clip(doy, 1, last)) - 1)).strftime("%m-%d")


def random_events(year: int, rng: np.random.Generator) -> tuple[Event, ...]:
    """The seasonal events of a sampled year (estimates around the climate facts, JX facts §8 and :data:`FACTS`):

    - heatwave: starts 1 July – 10 August, lasts 10–35 days, +1.5 to +4.5 °C on the daily mean at its height
      (the shipped year: +2.5 °C for 28 days; with the AR(1) anomaly the mean of 21 July – 10 August is then
      28–29 °C in most years and 30.5–31.5 °C in the hottest tenth, as observed), clearness −0.05 to +0.2
      (clear, or hazy and humid);
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
        Event(_day(year, hot_start), _day(year, hot_start + hot_days), rng.uniform(1.5, 4.5), rng.uniform(-0.05, 0.2)),
        Event(_day(year, cold_start), _day(year, cold_start + cold_days), -rng.uniform(2.0, 6.0), 0.0),
        Event(_day(year, rain_start), _day(year, rain_start + rain_days), -1.5, rng.uniform(-0.35, -0.15)),
    )


def _raw(year: int, k: int, shipped_load: np.ndarray | None, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    """One weather year's profiles before the demand rescale (demand in MW, the shipped year at the target
    energy; ``shipped_load``: the shipped year's weather load, whose monthly factors every other year uses)."""
    if k == 0:
        weather = weather_year(year, _child(year, 0, 0))
    else:
        events = random_events(year, np.random.default_rng([SEED, year, 90, k]))
        weather = weather_year(year, _child(year, 0, k), events, variability=SAMPLED)
    index = weather.index
    twh, _ = DEMAND_TARGETS.get(year, (len(index) / 1e6, 1.0))
    dc_twh, ev_twh = ADDED_LOADS_TWH.get(year, (0.0, 0.0))
    shape = demand_shape(year, weather, _child(year, 1, k), normalise_like=shipped_load)
    base_mw = shape * (twh - dc_twh - ev_twh) * 1e6 / len(index)
    out = {
        "temperature_c": weather["temperature_c"].to_numpy().round(2),
        "demand_mw": base_mw + added_loads(index, data_centre_mwh=dc_twh * 1e6, ev_mwh=ev_twh * 1e6),
    }
    if "pv" in columns:
        out["pv"] = pv_capacity_factor(weather, _child(year, 2, k)).round(5)
    if "wind_offshore" in columns:
        out["wind_offshore"] = offshore_wind_capacity_factor(index, _child(year, 3, k)).round(5)
    if "steam_t_per_h" in columns:
        out["steam_t_per_h"] = steam_demand(year, weather, _child(year, 4, k)).round(1)
    return out


def weather_years(year: int, n: int, *, columns: Iterable[str] | None = None) -> xr.Dataset:
    """``n`` weather years of ``year`` (dims ``weather_year``, ``time``), year 0 the shipped one.

    Demand of every year goes through the affine map d′ = a·d + b that takes the shipped year to its energy and
    peak targets (``DEMAND_TARGETS``), so year 0 equals the shipped ``demand_mw`` column. ``columns``: which of
    :data:`COLUMNS` to make (default all; temperature and demand are always made, PV is the slow one); each comes
    from its own random stream, so leaving one out changes none of the others.
    """
    if n < 1:
        raise ValueError(f"weather years: expected at least 1, found {n}")
    wanted = tuple(COLUMNS) if columns is None else tuple(dict.fromkeys((*ALWAYS, *columns)))
    unknown = [c for c in wanted if c not in COLUMNS]
    if unknown:
        raise ValueError(f"weather years: expected columns among {', '.join(COLUMNS)}, found {', '.join(unknown)}")
    shipped_load = weather_load(year, weather_year(year, _child(year, 0, 0)), _child(year, 1, 0))
    years = [_raw(year, k, None if k == 0 else shipped_load, wanted) for k in range(n)]
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
        if name in wanted
    }
    ds = xr.Dataset(data, coords={"weather_year": np.arange(n), "time": index.to_numpy()})
    ds.attrs = {"year": year, "seed": SEED, "description": "weather year 0 is the shipped profile year"}
    return ds


def _longest_run(flags: np.ndarray) -> int:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(int), [0]])))
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


def heatwave_statistics(weather: xr.Dataset) -> pd.DataFrame:
    """Per weather year: the hottest hour (°C) and its day's range, days with a maximum ≥ 35 °C and the longest
    run of them, the mean of 21 July – 10 August, the peak (MW) and when it came, days whose peak is ≥ 100/131
    of the year's (as Zhejiang's 50 days above 100 GW in 2025) and how many of them fall outside June–September,
    and the winter/summer peak ratio (Dec–Feb against Jun–Sep)."""
    rows = []
    time = pd.DatetimeIndex(weather.time.values)
    winter = time.month.isin([12, 1, 2])
    summer = time.month.isin([6, 7, 8, 9])
    year = time[0].year
    for k in weather.weather_year.values:
        temp = pd.Series(weather.temperature_c.sel(weather_year=k).values, index=time)
        load = pd.Series(weather.demand_mw.sel(weather_year=k).values, index=time)
        daily_max, daily_min = temp.resample("D").max(), temp.resample("D").min()
        hottest = daily_max.idxmax()
        peak_time = load.idxmax()
        daily_peak = load.resample("D").max()
        near = daily_peak >= FACTS["days_above_share"] * load.max()
        rows.append(
            {
                "weather_year": int(k),
                "max_temperature_c": float(temp.max()),
                "hottest_day_range_c": float(daily_max[hottest] - daily_min[hottest]),
                "days_max_35c": int((daily_max >= 35).sum()),
                "longest_hot_spell_days": _longest_run((daily_max >= 35).to_numpy()),
                "late_july_mean_c": float(temp[f"{year}-07-21" : f"{year}-08-10"].mean()),
                "peak_mw": float(load.max()),
                "peak_time": peak_time.strftime("%Y-%m-%d %H:00"),
                "peak_in_13_15h": FACTS["peak_hours"][0] <= peak_time.hour <= FACTS["peak_hours"][1],
                "days_above_0.76_peak": int(near.sum()),
                "days_above_0.76_peak_outside_jun_sep": int(near[~near.index.month.isin([6, 7, 8, 9])].sum()),
                "winter_summer_peak_ratio": float(load[winter].max() / load[summer].max()),
            }
        )
    return pd.DataFrame(rows).set_index("weather_year")


def against_facts(stats: pd.DataFrame) -> pd.DataFrame:
    """The generated years' statistics (median and range) beside the facts and bands they should resemble.

    Rows whose statistic ``stats`` lacks (a study written before it was added) are left out."""

    def spread(x: pd.Series) -> str:
        return f"{x.median():,.2f} ({x.min():,.2f}–{x.max():,.2f})"

    def share(x: pd.Series) -> str:
        return f"{x.mean():.0%} of years"

    start, end = FACTS["peak_window"]
    lo, hi = BANDS["hottest_hour_median_c"]
    near_lo, near_hi = BANDS["days_near_peak"]
    record = FACTS["record_high_c"]
    rows = [
        ("hottest hour, °C", f"record {record} (JX §8), 39.8 in Aug 2010; median {lo}–{hi} (E)",
         "max_temperature_c", spread),
        ("years above the record", f"≈2 % in 1953–2010; at most {BANDS['years_above_record']:.0%} (E)",
         "max_temperature_c", lambda x: share(x > record)),
        ("hottest day's range, °C", "8–10 on a heatwave day (28–37 °C, 2017)", "hottest_day_range_c", spread),
        ("mean of 21 Jul – 10 Aug, °C", "28–29 normally; 30.8 (2007), >31 (2003)", "late_july_mean_c", spread),
        ("days with a maximum ≥ 35 °C", "20 by 15 Aug in hot 2010", "days_max_35c", spread),
        ("peak hour 13–15 h", "summer peaks 13:00–15:00 (JX §8)", "peak_in_13_15h", share),
        ("peak between 10 Jul and 20 Aug", "mid-July to mid-August (JX §8)", "peak_time",
         lambda x: share(pd.to_datetime(x).dt.strftime("%m-%d").between(start, end))),
        ("days with a peak ≥ 0.76 × the year's",
         f"ZJ 2025: {FACTS['days_above']} by 13 Aug (>100 of 131 GW); JX {near_lo}–{near_hi} (E, not like for like)",
         "days_above_0.76_peak", spread),
        ("… of them outside Jun–Sep",
         f"ZJ 2025: none Jan–Apr, ≤8 in Dec; at most {BANDS['days_near_peak_outside_jun_sep']} (E)",
         "days_above_0.76_peak_outside_jun_sep", spread),
        ("winter / summer peak", f"{FACTS['winter_summer_ratio']} (ZJ 2024, 2025)", "winter_summer_peak_ratio", spread),
        ("annual peak, MW", "14,000 in the shipped year (target)", "peak_mw", spread),
    ]  # fmt: skip
    table = [(name, facts, how(stats[column])) for name, facts, column, how in rows if column in stats]
    return pd.DataFrame(table, columns=["statistic", "facts", "generated: median (range)"]).set_index("statistic")
