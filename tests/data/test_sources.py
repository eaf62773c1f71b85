"""Every number of the default scenarios is in a sourced table: data/fleet.csv (Jiaxing), data/province.csv (the
rest of Zhejiang), data/infeeds.csv (UHV DC and AC ties), data/parameters.csv."""

from __future__ import annotations

import pandas as pd
import pytest

import energysim as es
from tests.conftest import BASE_SCENARIO, DEFAULT_SCENARIO, REPO

FLEET = pd.read_csv(REPO / "data" / "fleet.csv").set_index("tech")
PROVINCE = pd.read_csv(REPO / "data" / "province.csv").set_index("tech")
INFEEDS = pd.read_csv(REPO / "data" / "infeeds.csv").set_index("tech")
PARAMETERS = pd.read_csv(REPO / "data" / "parameters.csv")
CALIBRATION = pd.read_csv(REPO / "data" / "calibration-2024.csv")
CONFIDENCE = {"S", "S?", "D", "E", "S/E", "S/S?", "S?/E", "D/E", "E/S", "S/D", "S/D/E", "S?/D"}
SCENARIOS = {2024: BASE_SCENARIO, 2025: DEFAULT_SCENARIO}


def parameter(key: str, year: int) -> float:
    rows = PARAMETERS[(PARAMETERS.key == key) & PARAMETERS.year.isin([str(year), "all"])]
    assert len(rows) == 1, f"{key} {year}: {len(rows)} rows"
    return float(rows.value.iloc[0])


@pytest.mark.parametrize(
    "table", [FLEET.reset_index(), PROVINCE.reset_index(), INFEEDS.reset_index(), PARAMETERS, CALIBRATION]
)
def test_every_row_has_a_source_and_a_confidence(table):
    assert table.source.notna().all() and (table.source.str.len() > 10).all()
    assert set(table.confidence) <= CONFIDENCE


@pytest.mark.parametrize("year", SCENARIOS)
def test_scenario_fleet_matches_the_fleet_table(year):
    scenario = es.load_scenario(SCENARIOS[year])
    for name, tech in scenario.technologies.items():
        if tech.kind == "grid" or tech.region == "zhejiang":
            continue
        row = FLEET.loc[name]
        assert tech.kind == row.kind, name
        assert tech.dispatch == row.dispatch, name
        capacity = parameter("vpp_curtail_capacity", year) if name == "vpp_curtail" else row.capacity_mw
        assert getattr(tech, "capacity_mw", 0.0) == pytest.approx(capacity), name
        steam = getattr(tech, "steam_capacity_t_per_h", None) or getattr(tech, "capacity_t_per_h", 0.0)
        assert steam == pytest.approx(0.0 if pd.isna(row.steam_capacity_t_per_h) else row.steam_capacity_t_per_h), name
        for field in (
            "power_loss_mwe_per_mwth",
            "back_pressure_mwe_per_mwth",
            "total_efficiency",
            "efficiency",
            "unit_size_t_per_h",
        ):
            if not pd.isna(row[field]):
                assert getattr(tech, field) == pytest.approx(row[field]), (name, field)
        if isinstance(row["mode"], str):
            assert tech.mode == row["mode"], name
        assert tech.availability == pytest.approx(row.availability), name
        heat_rate = 0.0 if pd.isna(row.heat_rate_gj_per_mwh) else row.heat_rate_gj_per_mwh
        assert getattr(tech, "heat_rate_gj_per_mwh", 0.0) == pytest.approx(heat_rate), name
        if tech.kind in ("thermal", "must_run", "chp"):
            assert tech.min_stable_fraction == pytest.approx(row.min_stable_fraction), name
        if tech.kind == "thermal" and tech.fuel == "coal":
            assert tech.unit_size_mw == pytest.approx(row.unit_mw), name
            assert tech.startup_cost_cny_per_mw == parameter("coal_startup_cost", year), name
            assert tech.startup_fuel_gj_per_mw == parameter("coal_startup_fuel", year), name
            assert tech.min_up_hours == parameter("coal_min_up_hours", year), name
            assert tech.min_down_hours == parameter("coal_min_down_hours", year), name
            assert tech.min_stable_fraction == parameter("coal_min_stable", year), name
            assert tech.deep_peaking_floor_fraction == parameter("coal_deep_peaking_floor", year), name
            assert tech.deep_peaking_cost_cny_per_mwh == parameter("coal_deep_peaking_cost", year), name
        if isinstance(row.available_from, str):
            assert str(tech.available_from) == row.available_from, name
        assert (getattr(tech, "fuel", None) or "") == (row.fuel if isinstance(row.fuel, str) else ""), name
        assert tech.region == "jiaxing", name
    qinshan = scenario.technologies["qinshan"].availability_profile
    assert (qinshan.file, qinshan.column) == (f"../data/profiles/jiaxing-{year}.csv.gz", "qinshan")


@pytest.mark.parametrize("year", SCENARIOS)
def test_provincial_fleet_matches_the_province_table(year):
    """Every tech in region zhejiang is a row of data/province.csv (or data/infeeds.csv), and every row in
    service in the year is in the scenario."""
    scenario = es.load_scenario(SCENARIOS[year])
    fleet = {n: t for n, t in scenario.technologies.items() if t.region == "zhejiang" and t.kind != "grid"}
    rows = PROVINCE[PROVINCE.available_from.isna() | PROVINCE.available_from.astype(str).str.startswith(str(year))]
    assert set(fleet) == set(rows.index)
    for name, tech in fleet.items():
        row = PROVINCE.loc[name]
        assert tech.kind == row.kind, name
        capacity = parameter("zj_demand_response_capacity", year) if tech.kind == "demand_curtail" else row.capacity_mw
        assert tech.capacity_mw == pytest.approx(capacity), name
        assert tech.availability == pytest.approx(row.availability), name
        assert (getattr(tech, "fuel", None) or "") == (row.fuel if isinstance(row.fuel, str) else ""), name
        for field in ("heat_rate_gj_per_mwh", "min_stable_fraction", "startup_cost_cny_per_mw", "duration_hours"):
            if not pd.isna(row[field]):
                assert getattr(tech, field) == pytest.approx(row[field]), (name, field)
        if not pd.isna(row.ramp_fraction_per_hour):
            assert tech.ramp_fraction_per_hour == pytest.approx(row.ramp_fraction_per_hour), name
        if not pd.isna(row.efficiency):
            assert (tech.efficiency_charge, tech.efficiency_discharge) == pytest.approx((row.efficiency,) * 2), name
        if not pd.isna(row.firm_capacity_credit):
            assert tech.firm_capacity_credit == pytest.approx(row.firm_capacity_credit), name
        if isinstance(row.available_from, str):
            assert str(tech.available_from) == row.available_from, name
        if tech.kind == "variable":
            column, _, scale = row.profile.partition(" × ")
            assert tech.profile.column == column and tech.profile.scale == pytest.approx(float(scale or 1)), name
        if tech.kind == "demand_curtail":
            assert tech.variable_om_cny_per_mwh == parameter("zj_demand_response_price", year), name
        if tech.kind == "thermal":
            assert tech.unit_size_mw == pytest.approx(row.unit_mw), name
            prefix = "coal" if tech.fuel == "coal" else "ccgt"
            assert tech.startup_cost_cny_per_mw == parameter(f"{prefix}_startup_cost", year), name
            assert tech.startup_fuel_gj_per_mw == parameter(f"{prefix}_startup_fuel", year), name
            assert tech.min_up_hours == parameter(f"{prefix}_min_up_hours", year), name
            assert tech.min_down_hours == parameter(f"{prefix}_min_down_hours", year), name


@pytest.mark.parametrize("year", SCENARIOS)
def test_infeeds_match_the_infeed_table(year):
    """The UHV DC lines and AC ties: import limit, landed price, emission factor, firm credit and the profile
    column of their hourly availability; imports only."""
    scenario = es.load_scenario(SCENARIOS[year])
    grid = {n: t for n, t in scenario.technologies.items() if t.kind == "grid"}
    assert set(grid) == set(INFEEDS.index)
    for name, tech in grid.items():
        row = INFEEDS.loc[name]
        assert tech.region == "zhejiang" and tech.export_capacity_mw == 0, name
        assert tech.import_capacity_mw == row.capacity_mw, name
        assert tech.import_price_cny_per_mwh == row[f"import_price_{year}"], name
        assert tech.import_co2_t_per_mwh == row.import_co2_t_per_mwh, name
        assert tech.firm_capacity_credit == row.firm_capacity_credit, name
        assert tech.min_import_fraction == row.min_import_fraction, name
        assert tech.availability_profile.column == name, name
        assert tech.availability_profile.file.endswith(f"zhejiang-{year}.csv.gz"), name


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
    assert scenario.fuels["gas_province"].price_cny_per_gj == parameter("gas_price", year)
    assert scenario.fuels["gas_province"].co2_t_per_gj == parameter("gas_co2", year)
    province = scenario.regions["zhejiang"]
    assert province.role == "province" and scenario.regions["jiaxing"].role == "city"
    assert province.demand.annual_twh == pytest.approx(parameter("zj_demand", year) - parameter("annual_demand", year))
    assert province.demand.peak_mw is None  # the profile holds Zhejiang's peak, coincident with Jiaxing's demand
    (link,) = scenario.links.values()
    assert (link.start, link.end) == ("jiaxing", "zhejiang")
    assert link.capacity_mw == parameter("jx_zj_link_capacity", year)
    assert link.loss_fraction == parameter("jx_zj_link_loss", year)
    assert scenario.accounting.grid_co2_t_per_mwh == parameter("grid_average_co2", year)
    assert scenario.finance.discount_rate == parameter("discount_rate", year)
    assert scenario.policy.peak_reserve.margin == parameter("reserve_margin", year)
    assert scenario.economy.gdp_bn_cny == parameter("gdp", year)
    assert scenario.regions["jiaxing"].steam_demand.annual_mt == parameter("steam_demand", year)
    assert scenario.value_of_lost_steam_cny_per_t == parameter("value_of_lost_steam", year)
    gas = scenario.gas
    assert gas.value_of_lost_gas_cny_per_m3 == parameter("value_of_lost_gas", year)
    assert gas.sources["west_east"].tiers[0].price_cny_per_m3 == parameter("west_east_price", year)
    assert gas.sources["west_east"].tiers[1].price_cny_per_m3 == parameter("pipeline_overrun_price", year)
    assert gas.sources["lng"].tiers[0].price_cny_per_m3 == parameter("lng_price_m3", year)
    assert gas.interconnections["provincial_network"].capacity_1e4m3_per_day == parameter("gas_network_tie", year)
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


def test_the_default_grid_factor_is_the_sourced_one():
    """A scenario without `accounting` gets the grid-average factor of data/parameters.csv."""
    from energysim.scenario.schema import GRID_CO2_T_PER_MWH, Accounting

    assert Accounting().grid_co2_t_per_mwh == GRID_CO2_T_PER_MWH == parameter("grid_average_co2", 2025)
