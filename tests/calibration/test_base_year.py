"""The 2024 base year, solved for the full year in both views, against data/calibration-2024.csv."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import xarray as xr

import energysim as es
from energysim import units as u
from energysim.report.accounting import city_kpis
from tests.conftest import BASE_SCENARIO, REPO

TARGETS = pd.read_csv(REPO / "data" / "calibration-2024.csv")
JPP = ["jpp_phase1", "jpp_phase2", "jpp_phase3"]


def _twh(ds: xr.Dataset, techs: list[str]) -> float:
    return float(ds.generation.sel(tech=techs).sum()) / 1e6


METRICS: dict[str, Callable[[xr.Dataset], float]] = {
    "qinshan_generation": lambda ds: _twh(ds, ["qinshan"]),
    "offshore_wind_generation": lambda ds: _twh(ds, ["offshore_wind"]),
    "pv_generation": lambda ds: _twh(ds, ["pv"]),
    "jiaxing_pp_full_load_hours": lambda ds: _twh(ds, JPP) * 1e6 / float(ds.capacity.sel(tech=JPP).sum()),
    "jiaxing_pp_co2_intensity": lambda ds: float(ds.emissions.sel(tech=JPP).sum()) / (_twh(ds, JPP) * 1e6),
    "sited_generation_to_demand": lambda ds: (
        float(ds.generation.where(ds.tech_kind != "grid", 0).sum()) / float(ds.demand.sum())
    ),
    "import_share": lambda ds: city_kpis(ds)["import_share"],
    "unserved_energy": lambda ds: float(ds.unserved.sum()),
    "gas_use": lambda ds: float(ds.gas_supply.sum()) / u.GAS_MWH_PER_1E4M3 / 1e5,
    "chp_steam_share": lambda ds: (
        float(ds.steam_output.where(ds.tech_kind == "chp", 0).sum()) / float(ds.steam_output.sum())
    ),
    "steam_unserved": lambda ds: float(ds.steam_unserved.sum()),
}


@pytest.fixture(scope="module")
def base_year() -> dict[str, xr.Dataset]:
    """The base year solved once: the views attribute the same solution (tests/formulation/test_province.py)."""
    sited = es.run(es.load_scenario(BASE_SCENARIO), view="sited")
    return {"sited": sited, "local": sited.assign_attrs(view="local")}


def test_every_calibration_metric_is_computed():
    assert set(TARGETS.metric) <= set(METRICS)


@pytest.mark.parametrize("row", list(TARGETS.itertuples()), ids=lambda r: f"{r.metric}-{r.view}")
def test_base_year_within_calibration_band(base_year, row):
    value = METRICS[row.metric](base_year[row.view])
    assert row.lower - 1e-6 <= value <= row.upper + 1e-6, f"{row.metric} = {value:.4g} {row.unit}"


def test_views_attribute_the_provincial_plants_differently(base_year):
    sited, local = city_kpis(base_year["sited"]), city_kpis(base_year["local"])
    assert sited["demand_TWh"] == pytest.approx(local["demand_TWh"])
    assert sited["import_share"] < 0 < local["import_share"]  # a net exporter by location, a buyer by dispatch
    assert sited["co2_territorial_Mt"] > local["co2_territorial_Mt"]
