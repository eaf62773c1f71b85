"""Provisional hourly profiles for Jiaxing, generated deterministically (seeded) from published shape statistics.

``python -m energysim.datagen [OUT_DIR]`` rewrites ``data/profiles/jiaxing-<year>.csv.gz`` byte-identically.
Sources of the shape statistics are listed in ``data/README.md``. These are *provisional* shapes: the
Zhejiang 2018 load statistics laid on the 2025 calendar, a clear-sky PV model with seeded monthly
cloudiness, and a seeded offshore-wind speed process; the scenario rescales demand to its own targets.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

LAT_DEG, LON_DEG, UTC_OFFSET_H = 30.75, 120.76, 8.0
"""Jiaxing (Nanhu district) and China Standard Time."""

MONTHLY_ENERGY_SHARE = [8.79, 4.89, 7.64, 7.67, 8.46, 8.40, 10.13, 10.31, 8.76, 7.92, 7.93, 9.10]
"""Zhejiang 2018, % of annual energy by month (NDRC hourly data via PyPSA-China-PIK, see data/README.md)."""

JULY_WEEKDAY_SHAPE = [
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
]
"""Zhejiang 2018 July weekday hourly load, mean 1 (same source)."""

WEEKEND_RATIO = 0.97
SPRING_FESTIVAL_RATIO = 0.44
HOLIDAY_RATIO = 0.85  # estimate: other public holidays lie between a weekend and the Spring Festival

HOLIDAYS = {
    2024: [
        "2024-01-01",
        *pd.date_range("2024-02-10", "2024-02-17").strftime("%Y-%m-%d"),
        "2024-04-04",
        "2024-04-05",
        "2024-04-06",
        *pd.date_range("2024-05-01", "2024-05-05").strftime("%Y-%m-%d"),
        "2024-06-10",
        "2024-09-15",
        "2024-09-16",
        "2024-09-17",
        *pd.date_range("2024-10-01", "2024-10-07").strftime("%Y-%m-%d"),
    ],
    2025: [
        "2025-01-01",
        *pd.date_range("2025-01-28", "2025-02-04").strftime("%Y-%m-%d"),
        "2025-04-04",
        "2025-04-05",
        "2025-04-06",
        *pd.date_range("2025-05-01", "2025-05-05").strftime("%Y-%m-%d"),
        "2025-05-31",
        "2025-06-01",
        "2025-06-02",
        *pd.date_range("2025-10-01", "2025-10-08").strftime("%Y-%m-%d"),
    ],
}
"""Official holidays (国务院办公厅 notices, see data/README.md)."""

SPRING_FESTIVAL = {2024: ("2024-02-10", "2024-02-17"), 2025: ("2025-01-28", "2025-02-04")}
MAKEUP_WORKDAYS = {
    2024: [
        "2024-02-04",
        "2024-02-18",
        "2024-04-07",
        "2024-04-28",
        "2024-05-11",
        "2024-09-14",
        "2024-09-29",
        "2024-10-12",
    ],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
}

SUNSHINE_HOURS = [134, 124, 140, 160, 175, 150, 239, 241, 180, 175, 150, 145]
"""Jiaxing monthly sunshine hours; Jan, Feb, Jul, Aug from the facts file, the rest estimated (sum ≈2,010)."""

PV_ANNUAL_YIELD_H = 1000.0
OFFSHORE_WIND_FULL_LOAD_H = 2900.0


def hours(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")


def demand_shape(year: int, rng: np.random.Generator) -> np.ndarray:
    """Relative hourly demand (arbitrary scale): monthly energy, daily shape, calendar, day-to-day weather."""
    index = hours(year)
    day = index.normalize()
    month = index.month.to_numpy() - 1
    days_in_month = index.days_in_month.to_numpy()
    level = np.asarray(MONTHLY_ENERGY_SHARE)[month] / days_in_month
    # Summer afternoons are peakier than the rest of the year; winter evenings get a heating bump.
    summer = np.isin(month, [6, 7]).astype(float)
    winter = np.isin(month, [0, 1, 11]).astype(float)
    hour = index.hour.to_numpy()
    shape = 1 + (0.6 + 0.4 * summer) * (np.asarray(JULY_WEEKDAY_SHAPE)[hour] - 1)
    shape += 0.06 * winter * np.isin(hour, [17, 18, 19, 20]).astype(float)
    holidays = pd.DatetimeIndex(HOLIDAYS[year])
    workdays = pd.DatetimeIndex(MAKEUP_WORKDAYS[year])
    weekend = (index.day_of_week >= 5) & ~day.isin(workdays)
    calendar = np.where(weekend, WEEKEND_RATIO, 1.0)
    calendar = np.where(day.isin(holidays), HOLIDAY_RATIO, calendar)
    sf_start, sf_end = SPRING_FESTIVAL[year]
    calendar = np.where((day >= sf_start) & (day <= sf_end), SPRING_FESTIVAL_RATIO, calendar)
    n_days = len(index) // 24
    weather = np.empty(n_days)
    weather[0] = 0.0
    shocks = rng.normal(0.0, 0.02, n_days)
    for i in range(1, n_days):  # AR(1) day-to-day weather, per day not per hour
        weather[i] = 0.7 * weather[i - 1] + shocks[i]
    heat = 1 + np.repeat(weather, 24) * (1 + summer + winter)
    return level * shape * calendar * heat


def solar_elevation_sin(index: pd.DatetimeIndex) -> np.ndarray:
    """sin of solar elevation at mid-hour, Jiaxing (Cooper declination, Spencer equation of time)."""
    doy = index.day_of_year.to_numpy()
    gamma = 2 * np.pi * (doy - 1) / 365
    decl = np.deg2rad(23.45) * np.sin(2 * np.pi * (284 + doy) / 365)
    eot_min = 229.18 * (
        0.000075
        + 0.001868 * np.cos(gamma)
        - 0.032077 * np.sin(gamma)
        - 0.014615 * np.cos(2 * gamma)
        - 0.040849 * np.sin(2 * gamma)
    )
    solar_time = index.hour.to_numpy() + 0.5 + (LON_DEG - 15 * UTC_OFFSET_H) / 15 + eot_min / 60
    hour_angle = np.deg2rad(15 * (solar_time - 12))
    lat = np.deg2rad(LAT_DEG)
    return np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)


def pv_capacity_factor(year: int, rng: np.random.Generator) -> np.ndarray:
    """Hourly PV output per unit capacity: clear-sky shape × seeded daily clearness, scaled to the yield."""
    index = hours(year)
    clear = np.clip(solar_elevation_sin(index), 0, None) ** 1.2
    month = index.month.to_numpy() - 1
    n_days = len(index) // 24
    day_month = month[::24]
    sunshine_share = np.asarray(SUNSHINE_HOURS) / np.asarray([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) / 12
    mean_clear = np.clip(sunshine_share[day_month], 0.2, 0.9)
    clearness = rng.beta(4 * mean_clear, 4 * (1 - mean_clear), n_days)
    cf = clear * (0.25 + 0.75 * np.repeat(clearness, 24))
    cf *= PV_ANNUAL_YIELD_H * len(index) / 8760 / cf.sum()
    return np.clip(cf, 0, 0.72)


def offshore_wind_capacity_factor(year: int, rng: np.random.Generator) -> np.ndarray:
    """Hourly offshore-wind output per unit capacity from a seeded AR(1) wind speed and a generic power curve."""
    index = hours(year)
    n = len(index)
    month = index.month.to_numpy() - 1
    seasonal = 8.0 + 1.2 * np.cos(2 * np.pi * month / 12)  # m/s, windier in winter (monsoon)
    noise = np.empty(n)
    noise[0] = 0.0
    shocks = rng.normal(0, 0.45, n)
    for i in range(1, n):  # AR(1) speed anomaly; one pass, no per-hour model work
        noise[i] = 0.97 * noise[i - 1] + shocks[i]
    speed_unit = np.clip(seasonal + 2.5 * noise / noise.std(), 0, None)

    def cf_for(scale: float) -> np.ndarray:
        v = speed_unit * scale
        out = np.clip((v**3 - 3.0**3) / (11.0**3 - 3.0**3), 0, 1)
        return np.where(v > 25, 0.0, out)

    lo, hi = 0.5, 2.0
    target = OFFSHORE_WIND_FULL_LOAD_H * n / 8760
    for _ in range(60):  # bisection on the speed scale for the full-load hours
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cf_for(mid).sum() < target else (lo, mid)
    return cf_for((lo + hi) / 2)


def grid_tou_price_ratio(year: int) -> np.ndarray:
    """Zhejiang 2024 time-of-use ratios on the flat price (sharp 1.98, peak 1.65, flat 1, valley 0.38)."""
    index = hours(year)
    h = index.hour.to_numpy()
    month = index.month.to_numpy()
    ratio = np.ones(len(index))
    ratio[(h >= 22) | (h < 8) | ((h >= 11) & (h < 13))] = 0.38
    ratio[(h == 8) | ((h >= 13) & (h < 15)) | ((h >= 17) & (h < 22))] = 1.65
    sharp_months = np.isin(month, [1, 7, 8, 12])
    ratio[(h >= 15) & (h < 17)] = 1.98
    ratio[(h >= 9) & (h < 11)] = np.where(sharp_months, 1.98, 1.65)[(h >= 9) & (h < 11)]
    return ratio


def profiles(year: int, *, seed: int = 2025) -> pd.DataFrame:
    """All provisional hourly profiles of one year."""
    rng = np.random.default_rng(seed + year)
    index = hours(year)
    return pd.DataFrame(
        {
            "time": index.strftime("%Y-%m-%d %H:%M"),
            "demand": demand_shape(year, rng) * 1e5,
            "pv": pv_capacity_factor(year, rng),
            "wind_offshore": offshore_wind_capacity_factor(year, rng),
            "grid_tou_ratio": grid_tou_price_ratio(year),
        }
    )


def write_profiles(out_dir: Path, years: tuple[int, ...] = (2024, 2025)) -> list[Path]:
    """Write ``jiaxing-<year>.csv.gz``; gzip mtime is fixed so the bytes are reproducible."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in years:
        path = out_dir / f"jiaxing-{year}.csv.gz"
        profiles(year).to_csv(path, index=False, float_format="%.5f", compression={"method": "gzip", "mtime": 0})
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/profiles")
    for p in write_profiles(target):
        print(p)
