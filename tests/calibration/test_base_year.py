"""The 2024 base year, solved for the full year, against data/calibration-2024.csv: Jiaxing in both views and
the province around it. Every band is tested (unit starts per unit class included, from the commitment) except
rows marked ``test: no``, whose source says why the model cannot represent them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energysim as es
from energysim import units as u
from energysim.report.accounting import city_kpis, provincial_kpis
from tests.conftest import BASE_SCENARIO, REPO

TARGETS = pd.read_csv(REPO / "data" / "calibration-2024.csv")
TESTED = TARGETS[TARGETS.test == "yes"]
JPP = ["jpp_phase1", "jpp_phase2", "jpp_phase3"]
DC = ["dc_binjin", "dc_baizhe", "dc_lingshao"]


def _twh(ds: xr.Dataset, techs: list[str]) -> float:
    return float(ds.generation.sel(tech=techs).sum()) / 1e6


def _hours(ds: xr.Dataset, techs: list[str]) -> float:
    return _twh(ds, techs) * 1e6 / float(ds.capacity.sel(tech=techs).sum())


def _fuelled(ds: xr.Dataset, fuels: tuple[str, ...]) -> list[str]:
    """Power technologies burning one of ``fuels`` (coal- or gas-fired power, CHP included)."""
    power = ds.tech_kind.isin(["thermal", "must_run", "chp"]) & ds.fuel.isin(list(fuels))
    return [str(t) for t in ds.tech.values[power.values]]


def _jiaxing_demand(ds: xr.Dataset) -> float:
    return float(ds.demand.sel(region="jiaxing").sum())


def _total_demand(ds: xr.Dataset) -> xr.DataArray:
    return ds.demand.sum("region")


def _winter(ds: xr.Dataset) -> xr.DataArray:
    total = _total_demand(ds)
    return total.where(ds.time.dt.month.isin([12, 1, 2]), -np.inf)


def _lng_bcm(ds: xr.Dataset, months: tuple[int, ...] = tuple(range(1, 13))) -> float:
    lng = ds.gas_supply.sel(gas_source="lng").where(ds.time.dt.month.isin(list(months)), 0.0)
    return float(lng.sum()) / u.GAS_MWH_PER_1E4M3 / 1e5


def _jpp_price(ds: xr.Dataset) -> float:
    generation = ds.generation.sel(tech=JPP, region="jiaxing").sum("tech")
    return float((generation * ds.price.sel(region="jiaxing")).sum() / generation.sum())


def _starts_per_unit(ds: xr.Dataset, fuel: tuple[str, ...], lo: float, hi: float) -> float:
    """Start-ups per unit over the year of the committed units of ``fuel`` whose size is in [lo, hi] MW; 0 where
    none is committed (must-run plant does not start)."""
    size = ds.unit_mw
    chosen = ds.fuel.isin(list(fuel)) & (size >= lo) & (size <= hi) & (ds.tech_kind == "thermal")
    units = (ds.capacity.sum("region") / size.where(size > 0)).where(chosen, 0.0)
    starts = ds.startups.sum(["time", "region"]).where(chosen, 0.0)
    return float(starts.sum()) / float(units.sum()) if float(units.sum()) else 0.0


METRICS: dict[str, Callable[[xr.Dataset], float]] = {
    "starts_large_coal": lambda ds: _starts_per_unit(ds, ("coal",), 600, 1100),
    "starts_coal_300": lambda ds: _starts_per_unit(ds, ("coal",), 300, 350),
    "starts_small_coal_chp": lambda ds: _starts_per_unit(ds, ("coal",), 0, 299),
    "starts_gas": lambda ds: _starts_per_unit(ds, ("gas", "gas_province"), 0, 1100),
    "qinshan_generation": lambda ds: _twh(ds, ["qinshan"]),
    "offshore_wind_generation": lambda ds: _twh(ds, ["offshore_wind"]),
    "pv_generation": lambda ds: _twh(ds, ["pv"]),
    "jiaxing_pp_full_load_hours": lambda ds: _hours(ds, JPP),
    "jiaxing_pp_co2_intensity": lambda ds: float(ds.emissions.sel(tech=JPP).sum()) / (_twh(ds, JPP) * 1e6),
    "sited_generation_to_demand": lambda ds: (
        float(ds.generation.sel(region="jiaxing").where(ds.tech_kind != "grid", 0).sum()) / _jiaxing_demand(ds)
    ),
    "import_share": lambda ds: city_kpis(ds)["import_share"],
    "unserved_energy": lambda ds: float(ds.unserved.sum()),
    "gas_use": lambda ds: float(ds.gas_supply.sum()) / u.GAS_MWH_PER_1E4M3 / 1e5,
    "chp_steam_share": lambda ds: (
        float(ds.steam_output.where(ds.tech_kind == "chp", 0).sum()) / float(ds.steam_output.sum())
    ),
    "steam_unserved": lambda ds: float(ds.steam_unserved.sum()),
    "lng_supply": _lng_bcm,
    "lng_winter_share": lambda ds: _lng_bcm(ds, (11, 12, 1, 2, 3)) / _lng_bcm(ds),
    "zj_consumption": lambda ds: provincial_kpis(ds)["province_demand_TWh"],
    "zj_summer_peak": lambda ds: provincial_kpis(ds)["province_summer_peak_MW"],
    "zj_winter_peak": lambda ds: provincial_kpis(ds)["province_winter_peak_MW"],
    "zj_winter_summer_ratio": lambda ds: (
        provincial_kpis(ds)["province_winter_peak_MW"] / provincial_kpis(ds)["province_summer_peak_MW"]
    ),
    "zj_winter_peak_hour": lambda ds: float(ds.time.dt.hour[int(np.argmax(_winter(ds).values))]),
    "from_other_provinces_share": lambda ds: provincial_kpis(ds)["from_other_provinces_share"],
    "from_other_provinces_max": lambda ds: provincial_kpis(ds)["from_other_provinces_max_MW"],
    "uhv_dc_energy": lambda ds: _twh(ds, DC),
    "zj_coal_hours": lambda ds: _hours(ds, _fuelled(ds, ("coal",))),
    "zj_gas_hours": lambda ds: _hours(ds, _fuelled(ds, ("gas", "gas_province"))),
    "sanmen_generation": lambda ds: _twh(ds, ["zj_nuclear"]),
    "jiaxing_pp_average_price": _jpp_price,
    "province_average_price": lambda ds: provincial_kpis(ds)["province_average_price_CNY_per_MWh"],
}


@pytest.fixture(scope="module")
def base_year() -> dict[str, xr.Dataset]:
    """The base year solved once: the views attribute the same solution (tests/formulation/test_province.py)."""
    sited = es.run(es.load_scenario(BASE_SCENARIO), view="sited")
    return {"sited": sited, "local": sited.assign_attrs(view="local")}


def test_every_calibration_metric_is_computed():
    assert set(TESTED.metric) <= set(METRICS)
    assert set(TARGETS.test) <= {"yes", "no"}
    assert all("Not tested:" in row.source for row in TARGETS[TARGETS.test == "no"].itertuples())


@pytest.mark.parametrize("row", list(TESTED.itertuples()), ids=lambda r: f"{r.metric}-{r.view}")
def test_base_year_within_calibration_band(base_year, row):
    value = METRICS[row.metric](base_year[row.view])
    assert row.lower - 1e-6 <= value <= row.upper + 1e-6, f"{row.metric} = {value:.4g} {row.unit}"


def test_qinshan_refuels_in_spring_and_autumn_not_in_the_peak_seasons(base_year):
    """Monthly output dips in March-May and September-November, none in July-August or December-January."""
    ds = base_year["sited"]
    monthly = ds.generation.sel(tech="qinshan").sum("region").groupby("time.month").mean().to_series()
    full = monthly[[1, 7, 8, 12]].min()
    assert monthly[[3, 4, 5]].min() < 0.9 * full and monthly[[9, 10, 11]].min() < 0.95 * full
    assert monthly[[1, 7, 8, 12]].max() - full < 1e-6 * full


def test_views_attribute_the_provincial_plants_differently(base_year):
    sited, local = city_kpis(base_year["sited"]), city_kpis(base_year["local"])
    assert sited["demand_TWh"] == pytest.approx(local["demand_TWh"])
    assert sited["import_share"] < 0 < local["import_share"]  # a net exporter by location, a buyer by dispatch
    assert sited["co2_territorial_Mt"] > local["co2_territorial_Mt"]
