"""Industrial steam demand (t/h, hourly) and non-power city gas demand (10⁴ m³/day, daily) for Jiaxing.

Steam (facts file §5, §10): ≈30 Mt/yr in 2024, 31 Mt/yr in 2025 (estimate: chemical fibre, dyeing, paper and
chemicals; several CHPs of 1–7 Mt/yr); weekends 0.8, Spring Festival week 0.5; day shift slightly higher.
City gas (facts file §4): Jiaxing uses ≈2.0 bcm/yr (estimate, 8–10 % of Zhejiang); the non-power part is taken
as 1.3 bcm/yr (estimate: total less gas CHP and power), an industrial base plus heating below 18 °C.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from energysim.profiles.calendar import HOLIDAY, WEEKEND, day_types, per_hour, spring_festival_weight

STEAM_MT_PER_YEAR = {2024: 30.0, 2025: 31.0}
CITY_GAS_BCM_PER_YEAR = {2024: 1.30, 2025: 1.35}
HEATING_BASE_C = 18.0


def steam_demand(year: int, weather: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Hourly industrial steam demand, t/h, summing to the year's Mt."""
    index = weather.index
    types = per_hour(day_types(year), index)
    sf = per_hour(spring_festival_weight(year), index)
    hour = index.hour.to_numpy()
    level = np.where(types == WEEKEND, 0.8, np.where(types == HOLIDAY, 0.7, 1.0)) * (1 - 0.5 * sf)
    shift = np.where((hour >= 8) & (hour < 20), 1.05, 0.95)
    load = level * shift * (1 + rng.normal(0, 0.02, len(index)))
    return load * STEAM_MT_PER_YEAR[year] * 1e6 / load.sum()


def city_gas_demand(year: int, weather: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Daily non-power city gas demand, 10⁴ m³/day, summing to the year's bcm; winter-peaking."""
    daily_temp = weather["temperature_c"].resample("D").mean()
    types = day_types(year)
    sf = spring_festival_weight(year)
    industrial = np.where(types == WEEKEND, 0.85, np.where(types == HOLIDAY, 0.75, 1.0)) * (1 - 0.5 * sf)
    heating = 0.045 * np.clip(HEATING_BASE_C - daily_temp.to_numpy(), 0, None)
    load = (0.8 * industrial + 0.2 + heating) * (1 + rng.normal(0, 0.02, len(types)))
    total_1e4m3 = CITY_GAS_BCM_PER_YEAR[year] * 1e5  # 1 bcm = 10⁹ m³ = 10⁵ × 10⁴ m³
    return pd.Series(load * total_1e4m3 / load.sum(), index=types.index, name="city_gas_1e4m3_per_day")
