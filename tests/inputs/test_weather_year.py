"""A scenario's inputs in a seeded weather year (``energysim run --weather-year K``): Jiaxing's demand is that
year's demand column, the rest of Zhejiang follows its daily ratio and its change of energy and peak, steam its
hourly ratio, PV its capacity factor; the run says which weather year it is in, in its file name, its attrs and
its summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energysim as es
from energysim.cli import EXIT_OK, EXIT_USAGE, main
from energysim.errors import ScenarioError
from energysim.inputs.weather_year import in_weather_year, with_weather_year
from energysim.profiles.weather_years import weather_years
from energysim.results.io import inputs_from_results, read_results
from tests.conftest import DEFAULT_SCENARIO


@pytest.fixture(scope="module")
def plan_month() -> xr.Dataset:
    return es.build_inputs(es.load_scenario(DEFAULT_SCENARIO), hours=744)


def test_weather_year_maps_demand_renewables_and_steam(plan_month):
    weather = weather_years(2025, 3)
    hot = with_weather_year(plan_month, weather, 2)
    rows = np.arange(plan_month.sizes["time"])
    shipped, year2 = weather.demand_mw.values[0, rows], weather.demand_mw.values[2, rows]
    # the plan's Jiaxing demand is the shipped column itself (78 TWh, 14 GW: the profile's own targets), so its
    # weather year 2 is that year's column
    np.testing.assert_allclose(plan_month.demand.sel(region="jiaxing").values, shipped, rtol=1e-6)
    np.testing.assert_allclose(hot.demand.sel(region="jiaxing").values, year2, rtol=1e-6)
    # the rest of Zhejiang is no affine map of Jiaxing's column: day by day with Jiaxing's daily ratio, then the
    # affine rescale to Jiaxing's change of energy and of peak
    rest = plan_month.demand.sel(region="zhejiang").values
    moved = hot.demand.sel(region="zhejiang").values
    assert moved.sum() == pytest.approx(rest.sum() * year2.sum() / shipped.sum(), rel=1e-9)
    assert moved.max() == pytest.approx(rest.max() * year2.max() / shipped.max(), rel=1e-9)
    day = pd.DatetimeIndex(plan_month.time.values).normalize()
    ratio = pd.Series(year2, day).groupby(level=0).transform("mean") / pd.Series(shipped, day).groupby(
        level=0
    ).transform("mean")
    a, b = np.polyfit(rest * ratio.to_numpy(), moved, 1)
    np.testing.assert_allclose(moved, a * rest * ratio.to_numpy() + b, rtol=1e-9)
    # PV per kWp is the weather year's capacity factor, offshore wind too (both a multiple of the column)
    pv = plan_month.availability.sel(tech="pv").values
    scale = pv.max() / weather.pv.values[0, rows].max()
    np.testing.assert_allclose(hot.availability.sel(tech="pv").values, scale * weather.pv.values[2, rows], atol=1e-6)
    wind = plan_month.availability.sel(tech="offshore_wind").values
    moved = hot.availability.sel(tech="offshore_wind").values
    assert not np.allclose(moved, wind)
    cf0, cf2 = weather.wind_offshore.values[0, rows], weather.wind_offshore.values[2, rows]
    np.testing.assert_allclose(moved, np.clip(wind.max() / cf0.max() * cf2, 0, 1), atol=1e-6)
    # steam: the hourly ratio of the weather year's steam to the shipped year's
    ratio = weather.steam_t_per_h.values[2, rows] / weather.steam_t_per_h.values[0, rows]
    steam = plan_month.steam_demand.sel(region="jiaxing").values
    np.testing.assert_allclose(hot.steam_demand.sel(region="jiaxing").values, steam * ratio, rtol=1e-9)
    # nothing else moves; year 0 gives the inputs back
    assert hot.attrs["weather_year"] == 2
    moved = ["demand", "availability", "steam_demand"]
    xr.testing.assert_identical(hot.drop_vars(moved).drop_attrs(), plan_month.drop_vars(moved).drop_attrs())
    xr.testing.assert_identical(in_weather_year(plan_month, 0), plan_month)


def test_the_rest_of_zhejiang_peaks_as_much_higher_or_lower_as_jiaxing():
    """Moved hour by hour with Jiaxing's ratio alone, the rest of Zhejiang's peak rose 2.8–5.5 % in each of 9
    generated years, also where Jiaxing's fell 4.3 %; now both move alike, and the winter peaks within 5 points."""
    inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO))
    weather = weather_years(2025, 6, columns=())
    winter = pd.DatetimeIndex(inputs.time.values).month.isin([12, 1, 2])
    jx0, zj0 = inputs.demand.sel(region="jiaxing").values, inputs.demand.sel(region="zhejiang").values
    for k in range(1, 6):
        year = with_weather_year(inputs, weather, k).demand
        jx, zj = year.sel(region="jiaxing").values, year.sel(region="zhejiang").values
        assert zj.max() / zj0.max() == pytest.approx(jx.max() / jx0.max(), rel=1e-9)
        assert abs(zj[winter].max() / zj0[winter].max() - jx[winter].max() / jx0[winter].max()) <= 0.05
        assert zj.min() >= 0


def test_a_horizon_across_new_year_or_a_negative_year_is_refused():
    time = pd.date_range("2024-12-31 20:00", periods=8, freq="h")
    with pytest.raises(ScenarioError, match=r"--weather-year: expected a horizon inside one year, found 2024-12-31"):
        in_weather_year(xr.Dataset(coords={"time": time}), 1)
    with pytest.raises(ScenarioError, match=r"expected 0 \(the shipped year\) to 999, found -1"):
        in_weather_year(xr.Dataset(coords={"time": time}), -1)


def test_run_in_a_weather_year_names_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(DEFAULT_SCENARIO), "--hours", "24", "--weather-year", "2"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "scenario jiaxing-2025-plan: 24 h, 2025-01-01 00:00, weather year 2, status optimal" in out
    assert "(partial year, weather year 2)" in out  # the bases line above the targets
    results = read_results(tmp_path / "results" / "jiaxing-2025-plan-24h-weather_year=2.nc")
    assert results.attrs["weather_year"] == 2 and inputs_from_results(results).attrs["weather_year"] == 2
    day = weather_years(2025, 3, columns=()).demand_mw.values[2, :24]
    np.testing.assert_allclose(results.demand.sel(region="jiaxing").values, day, rtol=1e-6)
    # an adequacy study samples every weather year itself: a run already in one is refused, not mapped twice
    run = tmp_path / "results" / "jiaxing-2025-plan-24h-weather_year=2.nc"
    code = main(["adequacy", str(DEFAULT_SCENARIO), "--results", str(run), "--samples", "10"])
    assert (
        code != EXIT_OK and "is a run in weather year 2: give a run of the shipped profiles" in capsys.readouterr().err
    )
    for k in ("-1", "1000"):
        assert main(["run", str(DEFAULT_SCENARIO), "--hours", "24", "--weather-year", k]) == EXIT_USAGE
        assert "--weather-year must be 0 (the shipped profiles) to 999" in capsys.readouterr().err
