"""Zhejiang time-of-use price ratios (large industry, scheme from 2024-03-01; facts file §6): sharp 1.98,
peak 1.65, flat 1.0, valley 0.38, and a deep valley 0.20 on Spring Festival, May Day and National Day
holidays from 10 to 14 h."""

from __future__ import annotations

import numpy as np
import pandas as pd
from chinese_calendar import get_holiday_detail

from energysim.profiles.calendar import day_types, per_hour

SHARP, PEAK, FLAT, VALLEY, DEEP_VALLEY = 1.98, 1.65, 1.0, 0.38, 0.20
SHARP_MONTHS = (1, 7, 8, 12)
DEEP_VALLEY_HOLIDAYS = ("Spring Festival", "Labour Day", "National Day")


def _holiday_name(day: object) -> str | None:
    """The holiday's name on a day off; None on working days (make-up working days carry a name too)."""
    on_holiday, name = get_holiday_detail(day)
    return name if on_holiday else None


def tou_ratio(year: int, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly ratio of the TOU price to the flat price."""
    h = index.hour.to_numpy()
    month = index.month.to_numpy()
    ratio = np.full(len(index), FLAT)
    ratio[(h >= 22) | (h < 8) | ((h >= 11) & (h < 13))] = VALLEY
    ratio[(h == 8) | ((h >= 9) & (h < 11)) | ((h >= 13) & (h < 15)) | ((h >= 17) & (h < 22))] = PEAK
    ratio[(h >= 15) & (h < 17)] = SHARP
    ratio[(h >= 9) & (h < 11) & np.isin(month, SHARP_MONTHS)] = SHARP
    days = day_types(year).index
    deep = pd.Series([_holiday_name(d.date()) in DEEP_VALLEY_HOLIDAYS for d in days], index=days)
    ratio[per_hour(deep, index).astype(bool) & (h >= 10) & (h < 14)] = DEEP_VALLEY
    return ratio
