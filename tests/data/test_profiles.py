"""The default profiles: reproducible byte for byte, and true to the statistics they were built from."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from energysim.profiles import ADDED_LOADS_TWH, DEMAND_TARGETS, build_profiles
from energysim.profiles.calendar import HOLIDAY, SPRING_FESTIVAL, WORKDAY, day_types, per_hour
from energysim.profiles.demand import monthly_energy_share
from energysim.profiles.industry import CITY_GAS_BCM_PER_YEAR, STEAM_MT_PER_YEAR
from energysim.profiles.province import ZHEJIANG_TARGETS
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


def test_monthly_shift_moves_winter_and_may_energy_into_june_and_september():
    """On the 2018 calendar the shares are the 2018 statistics with 8 % of January and December and 5 % of May
    (0.92·8.79 + 0.95·8.46 + 0.92·9.10 = 24.49 of 26.35 points) moved to June and September by their shares:
    June 8.40 + 1.86·8.40/17.16 = 9.31, September 8.76 + 1.86·8.76/17.16 = 9.71."""
    share = monthly_energy_share(2018) * 100
    moved = 0.08 * 8.79 + 0.05 * 8.46 + 0.08 * 9.10
    np.testing.assert_allclose(share[[0, 4, 11]], [0.92 * 8.79, 0.95 * 8.46, 0.92 * 9.10], rtol=1e-12)
    np.testing.assert_allclose(share[[5, 8]], [8.40 + moved * 8.40 / 17.16, 8.76 + moved * 8.76 / 17.16], rtol=1e-12)
    np.testing.assert_allclose(share[[1, 2, 3, 6, 7, 9, 10]], [4.89, 7.64, 7.67, 10.13, 10.31, 7.92, 7.93], rtol=1e-12)
    assert share.sum() == pytest.approx(100.0)


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


@pytest.fixture(scope="module", params=YEARS)
def province(request) -> tuple[int, pd.DataFrame, pd.Series]:
    """(year, the provincial zone's hourly table, Zhejiang's hourly demand = the rest + Jiaxing)."""
    year = request.param
    table = pd.read_csv(PROFILES / f"zhejiang-{year}.csv.gz", parse_dates=["time"]).set_index("time")
    jiaxing = pd.read_csv(PROFILES / f"jiaxing-{year}.csv.gz", parse_dates=["time"]).set_index("time")
    return year, table, table.demand_mw + jiaxing.demand_mw


def _parameter(key: str, year: int) -> float:
    table = pd.read_csv(REPO / "data" / "parameters.csv")
    return float(table[(table.key == key) & table.year.isin([str(year), "all"])].value.iloc[0])


def test_zhejiang_demand_matches_its_energy_and_summer_peak(province):
    year, _, zhejiang = province
    assert zhejiang.sum() / 1e6 == pytest.approx(_parameter("zj_demand", year), rel=CALIBRATION_RTOL)
    assert zhejiang.max() == pytest.approx(_parameter("zj_peak", year), rel=CALIBRATION_RTOL)
    assert ZHEJIANG_TARGETS[year] == (_parameter("zj_demand", year), _parameter("zj_peak", year))
    when = zhejiang.idxmax()
    assert when.month in (7, 8) and 13 <= when.hour <= 15 and day_types(year)[when.normalize()] == WORKDAY


def test_zhejiang_winter_peak_is_082_of_summer_and_in_the_evening(province):
    """101/123 GW (2024), 108/131 (2025), after PV drops (zhejiang-facts §1); the 2018 shape gave 0.90 at 14 h."""
    year, _, zhejiang = province
    winter = zhejiang[zhejiang.index.month.isin([12, 1, 2])]
    assert winter.max() / zhejiang.max() == pytest.approx(_parameter("zj_winter_peak_ratio", year), abs=0.002)
    assert 17 <= winter.idxmax().hour <= 21
    workdays = winter[per_hour(day_types(year), winter.index) == WORKDAY]
    peak_hours = workdays.groupby(workdays.index.normalize()).idxmax().map(lambda t: t.hour)
    assert peak_hours.between(17, 21).mean() > 0.9


def test_zhejiang_keeps_the_2018_spring_festival_dip_and_monthly_shape(province):
    year, _, zhejiang = province
    types = day_types(year)
    daily = zhejiang.resample("D").mean()
    festival = daily[types == SPRING_FESTIVAL].mean()
    workdays = daily[(types == WORKDAY) & daily.index.month.isin([3, 4])].mean()
    assert 0.35 <= festival / workdays <= 0.6
    monthly = zhejiang.groupby(zhejiang.index.month).sum() / zhejiang.sum()
    assert monthly[[7, 8]].sum() > monthly[[4, 5]].sum()  # summer months carry the most energy, as in 2018


def test_calendar_shift_takes_festival_days_from_the_2018_festival_and_holidays_from_holidays():
    from energysim.profiles.province import day_map

    ref = day_types(2018)
    for year in YEARS:
        target, mapped = day_types(year), day_map(year)
        festival = np.flatnonzero(target.to_numpy() == SPRING_FESTIVAL)
        assert (ref.to_numpy()[mapped[festival]] == SPRING_FESTIVAL).mean() > 0.8
        holidays = np.flatnonzero(target.to_numpy() == HOLIDAY)
        assert (ref.to_numpy()[mapped[holidays]] == HOLIDAY).all()
        workdays = np.flatnonzero(target.to_numpy() == WORKDAY)
        assert (ref.to_numpy()[mapped[workdays]] == WORKDAY).mean() > 0.95


def test_infeeds_carry_their_annual_energy_on_their_monthly_shapes(province):
    year, table, _ = province
    infeeds = pd.read_csv(REPO / "data" / "infeeds.csv").set_index("tech")
    for name, row in infeeds.iterrows():
        series = table[name]
        assert series.between(0, 1).all(), name
        monthly = series.groupby(series.index.month).mean().to_numpy()
        expected = row[[f"m{m:02d}" for m in range(1, 13)]].to_numpy(float)
        np.testing.assert_allclose(monthly, expected, rtol=0.01, err_msg=name)  # demand-shaped: mean kept
        if year == 2024:
            assert series.sum() * row.capacity_mw / 1e6 == pytest.approx(row.annual_twh_2024, rel=0.01), name
        if row.within_month == "flat":
            assert (series.groupby(series.index.month).nunique() == 1).all(), name
    dc = table[["dc_binjin", "dc_baizhe"]]
    assert (dc[dc.index.month.isin([7, 8])].min() > 0.9).all() and (dc[dc.index.month.isin([1, 2])].max() < 0.2).all()
    hydro_hours = table.hydro.sum()
    assert hydro_hours == pytest.approx(2100, rel=1e-3)


def test_qinshan_refuels_in_spring_and_autumn_and_makes_50_twh(hourly):
    from energysim.profiles.nuclear import OUTAGES, QINSHAN_UNITS_MW

    year, table = hourly
    assert table.qinshan.sum() * 6564 / 1e6 == pytest.approx(50.0, rel=1e-4)
    assert sum(QINSHAN_UNITS_MW.values()) == 6564
    pwr = [o for o in OUTAGES[year] if not o[0].startswith("qinshan_3")]
    assert len(pwr) >= 5
    for _, first, days in OUTAGES[year]:
        months = pd.date_range(first, periods=days, freq="D").month
        assert set(months) <= {3, 4, 5, 6, 9, 10, 11}, first
    full = table.qinshan[table.index.month.isin([1, 7, 8, 12])]
    assert full.max() == pytest.approx(full.min())
    assert table.qinshan[table.index.month.isin([3, 4, 5, 9, 10, 11])].min() < 0.8 * full.max()
