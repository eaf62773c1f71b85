"""Day types from the official Chinese calendar (holidays and make-up working days), via ``chinese_calendar``."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
from chinese_calendar import get_holiday_detail, is_workday

WORKDAY, WEEKEND, HOLIDAY, SPRING_FESTIVAL = 0, 1, 2, 3
"""Day-type codes."""

SPRING_FESTIVAL_SHOULDER_DAYS = (4, 10)
"""Days before / after the official Spring Festival holiday when factories wind down / restart (estimate:
migrant workers leave early and return after the Lantern Festival)."""


def hours(year: int) -> pd.DatetimeIndex:
    """Hour-beginning timestamps of a calendar year (local time, China Standard Time)."""
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")


def day_types(year: int) -> pd.Series:
    """Day type of each day of ``year`` (WORKDAY, WEEKEND, HOLIDAY, SPRING_FESTIVAL), official calendar."""
    return _day_types(year).copy()


@functools.cache
def _day_types(year: int) -> pd.Series:
    """The calendar look-up behind :func:`day_types`, once per year (weather years reuse it)."""
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    codes = []
    for day in days.date:
        holiday, name = get_holiday_detail(day)
        if is_workday(day):
            codes.append(WORKDAY)
        elif holiday and name == "Spring Festival":
            codes.append(SPRING_FESTIVAL)
        elif holiday and name is not None:
            codes.append(HOLIDAY)
        else:
            codes.append(WEEKEND)
    return pd.Series(codes, index=days, name="day_type")


def spring_festival_weight(year: int) -> pd.Series:
    """Per day: 1 in the official Spring Festival holiday, falling linearly to 0 over the shoulder days."""
    types = day_types(year)
    sf_days = types.index[types == SPRING_FESTIVAL]
    weight = pd.Series(0.0, index=types.index)
    if len(sf_days) == 0:
        return weight
    first, last = sf_days.min(), sf_days.max()
    before, after = SPRING_FESTIVAL_SHOULDER_DAYS
    for day in types.index:
        if first <= day <= last:
            weight[day] = 1.0
        elif first - dt.timedelta(days=before) <= day < first:
            weight[day] = 1 - (first - day).days / (before + 1)
        elif last < day <= last + dt.timedelta(days=after):
            weight[day] = 1 - (day - last).days / (after + 1)
    return weight


def per_hour(daily: pd.Series, index: pd.DatetimeIndex) -> np.ndarray:
    """Spread a daily series onto the hours of ``index``."""
    return daily.reindex(index.normalize()).to_numpy()
