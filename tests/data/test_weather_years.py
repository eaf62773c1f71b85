"""Weather years: year 0 is the shipped profile year, the others are seeded and reproducible, hotter years carry
more demand, and the heatwave statistics are reported against the facts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
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
    assert table.facts["hottest hour, °C"].startswith("record 39.4 (JX §8)")


GENERATED_YEARS = 50
"""Generated years in the calibration tests (k = 1…50; temperature and demand only: ≈5 s)."""


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    """The heatwave statistics of 50 generated years of 2025 (the shipped year 0 left out)."""
    years = weather_years(2025, GENERATED_YEARS + 1, columns=("temperature_c", "demand_mw"))
    return heatwave_statistics(years).drop(index=0)


def test_generated_years_are_rarely_above_the_record(generated):
    """Jiaxing's 39.4 °C record (1953) was first beaten in August in 2010 (39.8 °C): ≈2 % of years in 1953–2010;
    with warmer summers since, at most 10 % of the generated years may pass it, and with a spread of the hottest
    hour of ≈1.3 °C their median lies at 36.5–38.0 °C (weather_years module docstring). The shipped variability
    put 20 % of 50 generated years above the record, up to 41.5 °C."""
    hottest = generated.max_temperature_c
    assert (hottest > 39.4).mean() <= 0.10
    assert 36.5 <= hottest.median() <= 38.0
    assert hottest.max() <= 41.0  # Hangzhou's all-time high is 41.9 °C; Jiaxing, by the sea, is cooler


def test_generated_heatwave_days_have_jiaxings_daily_range(generated):
    """A clear heatwave day spans 8–10 °C in Jiaxing (28–37 °C forecast on 2017-07-18); the shipped variability
    gives 12–13 °C on the hottest day. The hottest dekads (21 July – 10 August) average 28–29 °C normally, 30.8 °C
    in 2007 and above 31 °C in 2003."""
    assert 8.0 <= generated.hottest_day_range_c.median() <= 10.5
    late_july = generated.late_july_mean_c
    assert 28.0 <= late_july.median() <= 29.5
    assert late_july.max() >= 30.8


def test_generated_days_near_the_peak_within_the_honest_band(generated):
    """Days whose peak is ≥ 100/131 of the year's: Zhejiang's 50 days by 13 August 2025 (≈70–105 in the year) is
    a floor for Jiaxing's flatter, more industrial load, the observed Zhejiang 2018 load (168) a ceiling. The
    shipped year, hotter than most (39.6 °C), is spikier than the median generated year."""
    near = generated["days_above_0.76_peak"]
    assert 70 <= near.median() <= 170
    assert heatwave_statistics(weather_years(2025, 1, columns=()))["days_above_0.76_peak"].iloc[0] <= near.median()


def test_days_near_the_peak_fall_in_summer_as_in_zhejiang_2025(generated):
    """Zhejiang 2025 had no day above 100 GW in January–April (Q1 maximum ≈98 GW, 15 April ≈88 GW) and at most 8
    in December: at most ≈15 days near the peak outside June–September. With the 2018 monthly shares unshifted
    (before ``demand.SHARE_SHIFT``) the shipped year had 39 such days and the generated median was 50."""
    assert generated["days_above_0.76_peak_outside_jun_sep"].median() <= 15
    shipped = heatwave_statistics(weather_years(2025, 1, columns=()))
    assert shipped["days_above_0.76_peak_outside_jun_sep"].iloc[0] <= 15


def test_columns_leave_the_other_streams_alone():
    full = weather_years(2025, 2)
    some = weather_years(2025, 2, columns=("pv",))
    assert list(some.data_vars) == ["temperature_c", "demand_mw", "pv"]
    xr.testing.assert_equal(some, full[["temperature_c", "demand_mw", "pv"]])
    with pytest.raises(ValueError, match=r"expected columns among temperature_c, demand_mw.*found wind"):
        weather_years(2025, 1, columns=("wind",))
