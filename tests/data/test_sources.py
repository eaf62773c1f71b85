"""Every number of the default scenarios is in a sourced table (data/fleet.csv, data/parameters.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

import energysim as es
from tests.conftest import BASE_SCENARIO, DEFAULT_SCENARIO, REPO

FLEET = pd.read_csv(REPO / "data" / "fleet.csv").set_index("tech")
PARAMETERS = pd.read_csv(REPO / "data" / "parameters.csv")
CONFIDENCE = {"S", "S?", "D", "E", "S/E", "S/S?", "S?/E", "D/E", "E/S"}
SCENARIOS = {2024: BASE_SCENARIO, 2025: DEFAULT_SCENARIO}


def parameter(key: str, year: int) -> float:
    rows = PARAMETERS[(PARAMETERS.key == key) & PARAMETERS.year.isin([str(year), "all"])]
    assert len(rows) == 1, f"{key} {year}: {len(rows)} rows"
    return float(rows.value.iloc[0])


@pytest.mark.parametrize("table", [FLEET.reset_index(), PARAMETERS])
def test_every_row_has_a_source_and_a_confidence(table):
    assert table.source.notna().all() and (table.source.str.len() > 10).all()
    assert set(table.confidence) <= CONFIDENCE


@pytest.mark.parametrize("year", SCENARIOS)
def test_scenario_fleet_matches_the_fleet_table(year):
    scenario = es.load_scenario(SCENARIOS[year])
    for name, tech in scenario.technologies.items():
        if tech.kind == "grid":
            continue
        row = FLEET.loc[name]
        assert tech.kind == row.kind, name
        assert tech.dispatch == row.dispatch, name
        capacity = parameter("vpp_curtail_capacity", year) if name == "vpp_curtail" else row.capacity_mw
        assert getattr(tech, "capacity_mw", 0.0) == pytest.approx(capacity), name
        steam = getattr(tech, "steam_capacity_t_per_h", None) or getattr(tech, "capacity_t_per_h", 0.0)
        assert steam == pytest.approx(0.0 if pd.isna(row.steam_capacity_t_per_h) else row.steam_capacity_t_per_h), name
        for field in ("power_loss_mw_per_t_per_h", "min_power_mw_per_t_per_h", "efficiency", "unit_size_t_per_h"):
            if not pd.isna(row[field]):
                assert getattr(tech, field) == pytest.approx(row[field]), (name, field)
        assert tech.availability == pytest.approx(row.availability), name
        assert getattr(tech, "heat_rate_gj_per_mwh", 0.0) == pytest.approx(row.heat_rate_gj_per_mwh), name
        if tech.kind in ("thermal", "must_run", "chp"):
            assert tech.min_stable_fraction == pytest.approx(row.min_stable_fraction), name
        if isinstance(row.available_from, str):
            assert str(tech.available_from) == row.available_from, name
        assert (getattr(tech, "fuel", None) or "") == (row.fuel if isinstance(row.fuel, str) else ""), name


@pytest.mark.parametrize("year", SCENARIOS)
def test_scenario_prices_and_targets_match_the_parameter_table(year):
    scenario = es.load_scenario(SCENARIOS[year])
    assert scenario.fuels["coal"].price_cny_per_gj == parameter("coal_price", year)
    assert scenario.fuels["gas"].price_cny_per_gj is None  # the gas pool prices gas (`gas.sources` tiers)
    assert scenario.fuels["coal"].co2_t_per_gj == parameter("coal_co2", year)
    assert scenario.fuels["gas"].co2_t_per_gj == parameter("gas_co2", year)
    assert scenario.policy.co2_price_cny_per_t == parameter("co2_price", year)
    demand = scenario.regions["jiaxing"].demand
    assert demand.annual_twh == parameter("annual_demand", year)
    assert demand.peak_mw == parameter("peak_demand", year)
    grid = scenario.technologies["zhejiang_grid"]
    assert grid.import_co2_t_per_mwh == parameter("import_co2", year)
    assert grid.import_capacity_mw == grid.export_capacity_mw == parameter("grid_capacity", year)
    assert grid.import_price_cny_per_mwh.scale == parameter("grid_flat_price", year)
    assert grid.export_price_cny_per_mwh.scale == pytest.approx(
        parameter("grid_flat_price", year) * parameter("grid_export_price_share", year)
    )
    assert scenario.finance.discount_rate == parameter("discount_rate", year)
    assert scenario.policy.peak_reserve.margin == parameter("reserve_margin", year)
    assert scenario.economy.gdp_bn_cny == parameter("gdp", year)
    assert grid.firm_capacity_credit == parameter("grid_firm_credit", year)
    assert scenario.regions["jiaxing"].steam_demand.annual_mt == parameter("steam_demand", year)
    assert scenario.value_of_lost_steam_cny_per_t == parameter("value_of_lost_steam", year)
    gas = scenario.gas
    assert gas.value_of_lost_gas_cny_per_m3 == parameter("value_of_lost_gas", year)
    assert gas.sources["west_east"].tiers[0].price_cny_per_m3 == parameter("west_east_price", year)
    assert gas.sources["west_east"].tiers[1].price_cny_per_m3 == parameter("pipeline_overrun_price", year)
    assert gas.sources["lng"].tiers[0].price_cny_per_m3 == parameter("lng_price_m3", year)
    assert scenario.value_of_lost_load_cny_per_mwh == parameter("value_of_lost_load", year)


def test_plan_year_has_unit_9_from_its_in_service_date_and_at_least_700_mw_new_pv_and_storage():
    plan = es.load_scenario(DEFAULT_SCENARIO)
    base = es.load_scenario(BASE_SCENARIO)
    unit9 = plan.technologies["jpp_unit9"]
    assert (unit9.capacity_mw, str(unit9.available_from)) == (1000, "2025-06-22")
    new = sum(
        t.capacity_mw
        for n, t in plan.technologies.items()
        if t.kind in ("variable", "storage") and t.dispatch == "local" and n not in base.technologies
    )
    assert new >= 700
    assert "jpp_unit10" in plan.technologies  # the planned unit 10, as an option
