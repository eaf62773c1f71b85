"""Offshore wind capacity factor for the Pinghu/Hangzhou Bay farms: a seeded hourly wind-speed process with a
winter-monsoon seasonal cycle, a generic 3/11/25 m/s power curve, scaled to the expected full-load hours
(浙能嘉兴1号: 301.2 MW, ≈870 GWh/yr ⇒ ≈2,890 h; facts file §2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

FULL_LOAD_HOURS = 2900.0
CUT_IN, RATED, CUT_OUT = 3.0, 11.0, 25.0


def _power_curve(speed: np.ndarray) -> np.ndarray:
    out = np.clip((speed**3 - CUT_IN**3) / (RATED**3 - CUT_IN**3), 0, 1)
    return np.where(speed > CUT_OUT, 0.0, out)


def offshore_wind_capacity_factor(index: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Hourly output per unit capacity, 0–1, with the annual full-load hours prorated to the series length."""
    n = len(index)
    doy = index.day_of_year.to_numpy()
    seasonal = 8.0 + 1.2 * np.cos(2 * np.pi * (doy - 15) / 365)  # m/s, stronger winter monsoon
    diurnal = 0.3 * np.cos(2 * np.pi * (index.hour.to_numpy() - 15) / 24)  # sea breeze in the afternoon
    anomaly = np.zeros(n)
    shocks = rng.normal(0, 0.45, n)
    for i in range(1, n):  # AR(1) speed anomaly, one pass (profile generation only, not the model)
        anomaly[i] = 0.97 * anomaly[i - 1] + shocks[i]
    speed = np.clip(seasonal + diurnal + 2.5 * anomaly / anomaly.std(), 0, None)
    target = FULL_LOAD_HOURS * n / 8760
    lo, hi = 0.5, 2.0
    for _ in range(60):  # bisection on a speed scale factor for the full-load hours
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _power_curve(speed * mid).sum() < target else (lo, mid)
    return _power_curve(speed * (lo + hi) / 2)
