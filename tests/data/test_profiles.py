"""The default profiles: reproducible byte for byte, and true to the statistics they were built from."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from energysim.profiles import ADDED_LOADS_TWH, DEMAND_TARGETS, build_profiles
from energysim.profiles.calendar import HOLIDAY, SPRING_FESTIVAL, WORKDAY, day_types
from energysim.profiles.demand import monthly_energy_share
from energysim.profiles.industry import CITY_GAS_BCM_PER_YEAR, STEAM_MT_PER_YEAR
from tests.conftest import REPO

PROFILES = REPO / "data" / "profiles"
YEARS = (2024, 2025)
CALIBRATION_RTOL = 0.005
"""Annual demand energy and peak must match their targets within 0.5 % (issue 3)."""
PV_YIELD_RTOL = 0.03


@pytest.fixture(scope="module", params=YEARS)
def hourly(request) -> tuple[int, pd.DataFrame]:
    table = pd.read_csv(PROFILES / f"jiaxing-{request.param}.csv.gz", parse_dates=["time"]).set_index("time")
    return request.param, table


def test_rebuild_is_byte_identical(tmp_path):
    for path in build_profiles(tmp_path):
        assert path.read_bytes() == (PROFILES / path.name).read_bytes(), path.name


def test_profiles_cover_the_calendar_year(hourly):
    year, table = hourly
    expected = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")
    assert table.index.equals(expected)
    assert not table.isna().any().any()


def test_demand_matches_energy_and_peak_targets(hourly):
    year, table = hourly
    twh, peak = DEMAND_TARGETS[year]
    assert table.demand_mw.sum() / 1e6 == pytest.approx(twh, rel=CALIBRATION_RTOL)
    assert table.demand_mw.max() == pytest.approx(peak, rel=CALIBRATION_RTOL)


def test_summer_peak_on_a_hot_weekday_afternoon_in_july_or_august(hourly):
    year, table = hourly
    when = table.demand_mw.idxmax()
    assert when.month in (7, 8) and 13 <= when.hour <= 15
    assert day_types(year)[when.normalize()] == WORKDAY
    assert table.temperature_c[when] > 33


def test_winter_peak_in_the_cold_months_is_close_to_the_summer_peak(hourly):
    """2018 shape: Dec and Jan peaks ≈ 0.87-0.90 of the annual peak; here within 0.75-0.95."""
    _, table = hourly
    winter = table.demand_mw[table.index.month.isin([1, 12])].max() / table.demand_mw.max()
    assert 0.75 <= winter <= 0.95


def test_monthly_energy_shares_follow_the_statistics(hourly):
    """Shares of the 2018 statistics, moved to the year's calendar, within 0.5 percentage points."""
    year, table = hourly
    share = table.demand_mw.groupby(table.index.month).sum() / table.demand_mw.sum()
    np.testing.assert_allclose(share.to_numpy(), monthly_energy_share(year), atol=0.005)


def test_spring_festival_dip_and_weekends(hourly):
    year, table = hourly
    types = day_types(year)
    daily = table.demand_mw.resample("D").mean()
    sf_mean = daily[types == SPRING_FESTIVAL].mean()
    january_workdays = daily[(types == WORKDAY) & (daily.index.month == 1)].mean()
    assert 0.36 <= sf_mean / january_workdays <= 0.52  # 2018: 0.44 of the January mean
    summer = daily.index.month.isin([3, 4, 5, 9, 10, 11])  # mild months: weather moves least
    ratio = daily[summer & (types == 1)].mean() / daily[summer & (types == WORKDAY)].mean()
    assert 0.88 <= ratio <= 0.99  # 2018: weekend / weekday 0.97 (industry flattens weekend days further)


def test_official_calendar_is_used():
    types = day_types(2025)
    assert types[pd.Timestamp("2025-01-26")] == WORKDAY  # make-up working day (Sunday)
    assert types[pd.Timestamp("2025-01-29")] == SPRING_FESTIVAL
    assert types[pd.Timestamp("2025-10-08")] == HOLIDAY
    assert day_types(2024)[pd.Timestamp(dt.date(2024, 2, 18))] == WORKDAY


def test_pv_yield_and_may_midday_peak(hourly):
    _, table = hourly
    hours = len(table)
    assert table.pv.sum() * 8760 / hours == pytest.approx(1000, rel=PV_YIELD_RTOL)  # kWh/kWp
    may = table.pv[table.index.month == 5]
    assert 0.62 <= may.max() <= 0.72  # Haining 2025-05-10: 1,008 MW from ≈1,540 MW ⇒ 0.65
    assert table.pv[table.index.hour.isin([0, 1, 2, 3, 22, 23])].max() == 0


def test_offshore_wind_full_load_hours(hourly):
    _, table = hourly
    assert table.wind_offshore.sum() * 8760 / len(table) == pytest.approx(2900, rel=0.01)
    winter = table.wind_offshore[table.index.month.isin([12, 1, 2])].mean()
    summer = table.wind_offshore[table.index.month.isin([6, 7, 8])].mean()
    assert winter > summer  # winter monsoon


def test_data_centre_and_ev_load_is_in_the_plan_year():
    assert ADDED_LOADS_TWH[2025] == (0.7, 0.3) and ADDED_LOADS_TWH[2024] == (0.0, 0.0)


def test_steam_demand_totals_and_weekly_pattern(hourly):
    year, table = hourly
    assert table.steam_t_per_h.sum() / 1e6 == pytest.approx(STEAM_MT_PER_YEAR[year], rel=1e-3)  # Mt
    types = day_types(year)
    daily = table.steam_t_per_h.resample("D").mean()
    assert daily[types == 1].mean() / daily[types == WORKDAY].mean() == pytest.approx(0.8, abs=0.03)
    assert daily[types == SPRING_FESTIVAL].mean() / daily[types == WORKDAY].mean() < 0.6


@pytest.mark.parametrize("year", YEARS)
def test_city_gas_is_daily_and_winter_peaking(year):
    gas = pd.read_csv(PROFILES / f"jiaxing-gas-{year}.csv.gz", parse_dates=["date"]).set_index("date")
    assert len(gas) == (366 if year == 2024 else 365)
    assert gas.city_gas_1e4m3_per_day.sum() / 1e5 == pytest.approx(CITY_GAS_BCM_PER_YEAR[year], rel=1e-3)
    january = gas.city_gas_1e4m3_per_day[gas.index.month == 1].mean()
    july = gas.city_gas_1e4m3_per_day[gas.index.month == 7].mean()
    assert january > 1.3 * july


def test_tou_ratios_take_the_published_values(hourly):
    _, table = hourly
    assert set(np.unique(table.grid_tou_ratio)) <= {1.98, 1.65, 1.0, 0.38, 0.20}
    assert table.grid_tou_ratio[table.index.hour == 3].max() == 0.38


def test_profile_plot_is_drawn(tmp_path):
    """`energysim profiles plot` writes a PNG with the four panels."""
    from energysim.cli import main

    out = tmp_path / "p.png"
    assert main(["profiles", "plot", "2025", "--data", str(PROFILES), "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 50_000


def test_deep_valley_only_on_the_named_holidays_not_on_make_up_working_days(hourly):
    year, table = hourly
    deep_days = set(table.index[table.grid_tou_ratio == 0.20].normalize())
    types = day_types(year)
    assert deep_days and all(types[d] in (HOLIDAY, SPRING_FESTIVAL) for d in deep_days)
