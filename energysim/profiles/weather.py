"""A seeded synthetic Jiaxing weather year: hourly air temperature and daily clearness.

Climate normals (facts file §8): annual mean 15.9 °C, January 3.6 °C, July 28.1 °C, record 39.4 °C; plum
rains (梅雨) mid-June to early July; hot, clear afternoons from mid-July to mid-August after the plum rains.
Events are placed where they usually fall: a heatwave in the last week of July and the first half of August, a
cold spell in the second half of January, cool and cloudy plum-rain weeks.

How the weather varies around the normals (:class:`Variability`) has two settings: :data:`SHIPPED` makes the
shipped profile years (``data/profiles``, kept byte for byte), :data:`SAMPLED` the generated weather years of
:mod:`energysim.profiles.weather_years`, calibrated on Jiaxing's observed heat (see there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from energysim.profiles.calendar import hours

ANNUAL_MEAN_C, SEASONAL_AMPLITUDE_C, COLDEST_DAY = 15.9, 12.25, 20
"""Cosine fit through the normals: 15.9 − 12.25·cos(2π(doy − 20)/365) gives 3.65 °C on 20 Jan and 28.1 °C
in late July."""

SUNSHINE_HOURS = (134, 124, 140, 160, 175, 135, 239, 241, 189, 175, 155, 150)
"""Monthly sunshine hours, Jiaxing (annual 2,017 h; Jan, Feb, Jul, Aug from the facts file, the rest estimated
so that they add up, with June low for the plum rains)."""


@dataclass(frozen=True)
class Event:
    """A seasonal weather event: a sine-shaped bump from ``start`` to ``end`` ("MM-DD") of ``temperature_c`` °C
    on the daily mean and ``clearness`` on the daily clearness."""

    start: str
    end: str
    temperature_c: float
    clearness: float


@dataclass(frozen=True)
class Variability:
    """How a weather year varies around the normals.

    The daily mean is the normal plus an AR(1) anomaly a[d] = ρ·a[d−1] + ε[d], ε ~ N(0, σ[d]) (°C), plus the
    events; the hour's temperature is the daily mean plus s[d]·cos(2π(h − 14)/24), with the half-range
    s[d] = s₀ + s₁·c[d] (°C) wider on clear days (c, daily clearness 0–1).
    """

    shock_c: float = 1.1
    """σ, the anomaly's daily shock, °C (away from midsummer)."""
    summer_shock_c: float | None = None
    """σ on 21 July, the warmest day of the normals, °C, blended into ``shock_c`` with the weight
    max(0, cos(2π(doy − 202)/365))² (½ in early June and early September); None: ``shock_c`` all year."""
    persistence: float = 0.75
    """ρ, the day-to-day persistence of the anomaly."""
    swing_c: tuple[float, float] = (2.5, 4.0)
    """(s₀, s₁): the diurnal half-range s₀ + s₁·c, °C."""
    clear_per_c: float = 0.0
    """Midsummer coupling of sky and heat: the day's mean clearness moves by this per °C of its anomaly (AR(1)
    anomaly + events), with the midsummer weight of ``summer_shock_c`` (hot days under the subtropical high are
    clear, cool ones cloudy or rainy)."""


SHIPPED = Variability()
"""The variability of the shipped profile years (``data/profiles``): unchanged so they rebuild byte for byte.
Against Jiaxing's observed heat it is too wide at the top (``weather_years`` gives the numbers)."""

SAMPLED = Variability(summer_shock_c=0.7, swing_c=(2.0, 3.0), clear_per_c=0.05)
"""The variability of the generated weather years (k ≥ 1 in :mod:`energysim.profiles.weather_years`):

- ``swing_c`` (2.0, 3.0): a daily range of ≈8 °C in July and 9–10 °C on clear heatwave days, as on Jiaxing's
  heatwave days (28–37 °C forecast on 2017-07-18, 嘉兴日报, S; 29–37 °C on 2022-08-16, a copy of the day's
  warning, S?) and in Hangzhou's July normals (33/25 °C, a travel site's table, E proxy); the shipped (2.5,
  4.0) gives 10 °C in July and 12–13 °C on the hottest day, ≈+1.3 °C on the year's hottest hour;
- ``summer_shock_c`` 0.7: steadier midsummer days under the subtropical high (E), which narrows the spread of
  the year's hottest hour (the 39.4 °C record of 1953 stood as the August record until 2010: ≈2 % of years);
- ``clear_per_c`` 0.05: hot midsummer days clear, cool ones cloudy (E), so heatwave days keep their full range
  and PV is high in a heatwave.
"""


SHIPPED_EVENTS = (
    Event("07-22", "08-18", 2.5, 0.15),  # heatwave after the plum rains
    Event("01-14", "01-28", -4.0, 0.0),  # cold spell
    Event("06-12", "07-08", -1.5, -0.25),  # plum rains (梅雨): cool and cloudy
)
"""The events of the shipped weather years (``data/profiles``)."""


def _events(day: pd.DatetimeIndex, year: int, events: tuple[Event, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(temperature offset °C, clearness offset) per day from the seasonal events."""
    doy = day.day_of_year.to_numpy()
    temp = np.zeros(len(day))
    clear = np.zeros(len(day))
    for event in events:
        a, b = pd.Timestamp(f"{year}-{event.start}").day_of_year, pd.Timestamp(f"{year}-{event.end}").day_of_year
        x = np.clip((doy - a) / max(b - a, 1), 0, 1)
        bump = np.where((doy >= a) & (doy <= b), np.sin(np.pi * x), 0.0)
        temp = temp + event.temperature_c * bump
        clear = clear + event.clearness * bump
    return temp, clear


def weather_year(
    year: int,
    rng: np.random.Generator,
    events: tuple[Event, ...] = SHIPPED_EVENTS,
    *,
    variability: Variability = SHIPPED,
) -> pd.DataFrame:
    """Hourly ``temperature_c`` and ``clearness`` (daily share of clear-sky irradiance, 0–1); ``events``: the
    seasonal events of the year, ``variability``: how it varies around the normals (defaults: those of the
    shipped profiles)."""
    v = variability
    index = hours(year)
    day = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    doy = day.day_of_year.to_numpy()
    climate = ANNUAL_MEAN_C - SEASONAL_AMPLITUDE_C * np.cos(2 * np.pi * (doy - COLDEST_DAY) / 365)
    midsummer = np.clip(np.cos(2 * np.pi * (doy - COLDEST_DAY - 182) / 365), 0, None) ** 2
    sigma = v.shock_c if v.summer_shock_c is None else v.shock_c + (v.summer_shock_c - v.shock_c) * midsummer
    anomaly = np.zeros(len(day))
    shocks = rng.normal(0.0, sigma, len(day))
    for i in range(1, len(day)):  # AR(1) synoptic anomaly: one pass over 365 days
        anomaly[i] = v.persistence * anomaly[i - 1] + shocks[i]
    event_temp, event_clear = _events(day, year, events)
    daily_mean = climate + anomaly + event_temp

    month = day.month.to_numpy() - 1
    days_in_month = day.days_in_month.to_numpy()
    daylight = 12 + 2.2 * np.sin(2 * np.pi * (doy - 80) / 365)  # day length at 30.75 N, h
    sunshine_fraction = np.asarray(SUNSHINE_HOURS)[month] / days_in_month / daylight
    mean_clear = 0.3 + 0.6 * sunshine_fraction + event_clear
    if v.clear_per_c:
        mean_clear = mean_clear + v.clear_per_c * midsummer * (anomaly + event_temp)
    mean_clear = np.clip(mean_clear, 0.15, 0.9)
    clearness = rng.beta(2.5 * mean_clear / (1 - mean_clear) + 0.5, 2.5)
    clearness = np.clip(clearness * mean_clear / clearness.mean(), 0.05, 1.0)
    # clear days have a wider daily temperature range; the maximum comes at 14 h, the minimum near 5 h
    swing = v.swing_c[0] + v.swing_c[1] * clearness
    hour = index.hour.to_numpy()
    diurnal = np.cos(2 * np.pi * (hour - 14) / 24)
    per_day = index.normalize()
    pos = (per_day - per_day[0]).days.to_numpy()
    temperature = daily_mean[pos] + swing[pos] * diurnal
    return pd.DataFrame({"temperature_c": temperature, "clearness": clearness[pos]}, index=index)
