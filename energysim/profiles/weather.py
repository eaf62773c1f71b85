"""A seeded synthetic Jiaxing weather year: hourly air temperature and daily clearness.

Climate normals (facts file §8): annual mean 15.9 °C, January 3.6 °C, July 28.1 °C, record 39.4 °C; plum
rains (梅雨) mid-June to early July; hot, clear afternoons from mid-July to mid-August after the plum rains.
Events are placed where they usually fall: a heatwave in the last week of July and the first half of August, a
cold spell in the second half of January, cool and cloudy plum-rain weeks.
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


def weather_year(year: int, rng: np.random.Generator, events: tuple[Event, ...] = SHIPPED_EVENTS) -> pd.DataFrame:
    """Hourly ``temperature_c`` and ``clearness`` (daily share of clear-sky irradiance, 0–1); ``events``: the
    seasonal events of the year (default: those of the shipped profiles)."""
    index = hours(year)
    day = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    doy = day.day_of_year.to_numpy()
    climate = ANNUAL_MEAN_C - SEASONAL_AMPLITUDE_C * np.cos(2 * np.pi * (doy - COLDEST_DAY) / 365)
    anomaly = np.zeros(len(day))
    shocks = rng.normal(0.0, 1.1, len(day))
    for i in range(1, len(day)):  # AR(1) synoptic anomaly: one pass over 365 days
        anomaly[i] = 0.75 * anomaly[i - 1] + shocks[i]
    event_temp, event_clear = _events(day, year, events)
    daily_mean = climate + anomaly + event_temp

    month = day.month.to_numpy() - 1
    days_in_month = day.days_in_month.to_numpy()
    daylight = 12 + 2.2 * np.sin(2 * np.pi * (doy - 80) / 365)  # day length at 30.75 N, h
    sunshine_fraction = np.asarray(SUNSHINE_HOURS)[month] / days_in_month / daylight
    mean_clear = np.clip(0.3 + 0.6 * sunshine_fraction + event_clear, 0.15, 0.9)
    clearness = rng.beta(2.5 * mean_clear / (1 - mean_clear) + 0.5, 2.5)
    clearness = np.clip(clearness * mean_clear / clearness.mean(), 0.05, 1.0)
    # clear days have a wider daily temperature range; the maximum comes at 14 h, the minimum near 5 h
    swing = 2.5 + 4.0 * clearness
    hour = index.hour.to_numpy()
    diurnal = np.cos(2 * np.pi * (hour - 14) / 24)
    per_day = index.normalize()
    pos = (per_day - per_day[0]).days.to_numpy()
    temperature = daily_mean[pos] + swing[pos] * diurnal
    return pd.DataFrame({"temperature_c": temperature, "clearness": clearness[pos]}, index=index)
