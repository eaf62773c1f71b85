"""Hourly electricity demand for Jiaxing: published Zhejiang shape statistics on the official calendar,
driven by the weather year, scaled to an annual energy and peak.

Shape statistics (facts file §8, Zhejiang 2018 NDRC hourly load): monthly energy shares, the July weekday
hourly shape (with its 12 h lunch dip, the 11–13 h valley tariff), weekend/weekday 0.97, Spring Festival week
0.44 of the January mean. Weather: cooling load above 24 °C (strongest on hot afternoons), heating load
below 10 °C (mornings and dusk). Each month is then normalised to its energy share (the 2018 shares with the
2018 calendar divided out and the year's calendar put in), so the weather moves load between days and hours
but not between months.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energysim.profiles.calendar import HOLIDAY, WEEKEND, WORKDAY, day_types, hours, per_hour, spring_festival_weight

MONTHLY_ENERGY_SHARE = (8.79, 4.89, 7.64, 7.67, 8.46, 8.40, 10.13, 10.31, 8.76, 7.92, 7.93, 9.10)
"""% of annual energy by month, Zhejiang 2018."""

SHARE_SHIFT = {1: 0.92, 5: 0.95, 12: 0.92}
"""Factors on the 2018 shares of January, May and December (estimate): Zhejiang 2025 had no day near its summer
peak in January–April and at most 8 in December, the 2018 shares put 39 there; the energy taken goes to June and
September in proportion to their 2018 shares (to July–August it would raise the peak the rescale flattens)."""
SHARE_SHIFT_TO = (6, 9)

JULY_WEEKDAY_SHAPE = (
    0.90,
    0.87,
    0.83,
    0.80,
    0.78,
    0.77,
    0.79,
    0.85,
    1.00,
    1.10,
    1.16,
    1.14,
    1.08,
    1.16,
    1.19,
    1.18,
    1.17,
    1.12,
    1.02,
    1.01,
    1.03,
    1.04,
    1.03,
    1.00,
)
"""Zhejiang 2018 July weekday hourly load, mean 1."""

WEEKEND_RATIO = 0.97
SPRING_FESTIVAL_RATIO = 0.44
HOLIDAY_RATIO = 0.85
"""Other public holidays: estimate between a weekend and the Spring Festival (industry mostly off)."""

COOLING_BASE_C, COOLING_PER_C = 24.0, 0.012
HEATING_BASE_C, HEATING_PER_C = 10.0, 0.012
DAILY_VARIATION = 0.025
"""Weather response per °C of hourly temperature beyond the base (estimates; Zhejiang attributes ≈40 % of its
2020 peak growth to air-conditioning, facts §1). Heating acts mostly in the morning (8–10 h) and at dusk (17–20 h)."""


REFERENCE_YEAR = 2018
"""The year the shape statistics come from; its calendar is divided out of the monthly energy shares."""


def _calendar_level(year: int, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly level factor of the calendar alone: weekends, holidays and the Spring Festival dip."""
    types = per_hour(day_types(year), index)
    sf = per_hour(spring_festival_weight(year), index)
    level = np.ones(len(index))
    level[types == WEEKEND] = WEEKEND_RATIO
    level[types == HOLIDAY] = HOLIDAY_RATIO
    return level * (1 - (1 - SPRING_FESTIVAL_RATIO) * sf)


def monthly_energy_share(year: int) -> np.ndarray:
    """The 2018 monthly shares with 2018's calendar divided out and ``year``'s put in (sum 1).

    The Spring Festival fell in February in 2018 but in late January in 2025, so its dip moves with it.
    """

    def monthly_mean(y: int) -> np.ndarray:
        idx = hours(y)
        return pd.Series(_calendar_level(y, idx)).groupby(idx.month.to_numpy()).mean().to_numpy()

    base = np.asarray(MONTHLY_ENERGY_SHARE, dtype=float)
    shifted = base * [SHARE_SHIFT.get(m, 1.0) for m in range(1, 13)]
    to = np.asarray(SHARE_SHIFT_TO) - 1
    shifted[to] += (base.sum() - shifted.sum()) * base[to] / base[to].sum()
    share = shifted / monthly_mean(REFERENCE_YEAR) * monthly_mean(year)
    return share / share.sum()


def weather_load(year: int, weather: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Hourly load in relative units before each month is normalised to its energy share: the day shape, the
    calendar and the weather response."""
    index = weather.index
    hour = index.hour.to_numpy()
    types = per_hour(day_types(year), index)
    shape = np.asarray(JULY_WEEKDAY_SHAPE)[hour]
    off_day = types != WORKDAY
    shape = np.where(off_day, 1 + 0.5 * (shape - 1), shape)  # industry off: flatter days
    level = _calendar_level(year, index)

    temp = weather["temperature_c"].to_numpy()
    cooling = COOLING_PER_C * np.clip(temp - COOLING_BASE_C, 0, None)
    heated_hours = np.isin(hour, (8, 9, 10, 17, 18, 19, 20)).astype(float)  # offices open, homes at dusk
    heating = HEATING_PER_C * np.clip(HEATING_BASE_C - temp, 0, None) * (0.5 + heated_hours)
    n_days = len(index) // 24
    daily = np.repeat(rng.normal(0, DAILY_VARIATION, n_days), 24)  # economic and weather day-to-day scatter
    noise = rng.normal(0, 0.01, len(index))
    return shape * level * (1 + cooling + heating + daily + noise)


def demand_shape(
    year: int, weather: pd.DataFrame, rng: np.random.Generator, *, normalise_like: np.ndarray | None = None
) -> np.ndarray:
    """Relative hourly demand, mean 1 over the year (each month at its energy share).

    ``normalise_like``: another weather year's :func:`weather_load` (the shipped one's); this year is scaled by
    that year's monthly factors instead of its own, so a hotter or colder year has more energy than it, not only
    another shape (the mean is then 1 for the reference year, not for this one).
    """
    load = weather_load(year, weather, rng)
    reference = load if normalise_like is None else normalise_like
    month = weather.index.month.to_numpy() - 1
    monthly = pd.Series(reference).groupby(month).transform("sum").to_numpy()
    share = monthly_energy_share(year)[month]
    load = load / monthly * share
    return load / (reference / monthly * share).mean()


def added_loads(index: pd.DatetimeIndex, *, data_centre_mwh: float, ev_mwh: float) -> np.ndarray:
    """New loads of the plan year, MW: data centres flat; EV charging mostly at night (22–7 h) and at noon."""
    hour = index.hour.to_numpy()
    ev_shape = np.where((hour >= 22) | (hour < 7), 2.0, np.where((hour >= 11) & (hour < 14), 1.0, 0.3))
    return data_centre_mwh / len(index) + ev_mwh * ev_shape / ev_shape.sum()
