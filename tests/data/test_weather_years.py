"""Weather years: year 0 is the shipped profile year, the others are seeded and reproducible, hotter years carry
more demand, and the heatwave statistics are reported against the facts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.profiles.weather_years import against_facts, heatwave_statistics, weather_years
from tests.conftest import REPO


def test_year_zero_is_the_shipped_year_and_the_others_repeat_by_seed():
    years = weather_years(2025, 3)
    shipped = pd.read_csv(REPO / "data" / "profiles" / "jiaxing-2025.csv.gz")
    for name in ("temperature_c", "demand_mw", "pv", "wind_offshore", "steam_t_per_h"):
        np.testing.assert_array_equal(years[name].sel(weather_year=0).values, shipped[name].to_numpy(), err_msg=name)
    xr.testing.assert_equal(years, weather_years(2025, 3))
    assert not np.array_equal(years.demand_mw.values[1], years.demand_mw.values[2])
    # drawn jointly: the hottest year of the three has the highest summer demand
    summer = slice("2025-07", "2025-08")
    hot = int(np.argmax(years.temperature_c.sel(time=summer).mean("time").values))
    assert int(np.argmax(years.demand_mw.sel(time=summer).mean("time").values)) == hot
    stats = heatwave_statistics(years)
    assert stats.loc[0, "peak_mw"] == 14_000.0 and stats.loc[0, "peak_time"] == "2025-08-06 14:00"
    table = against_facts(stats)
    assert "record 39.4 (JX §8)" in table.facts.values
