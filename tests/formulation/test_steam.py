"""Steam micro-models with hand-checked answers: CHP operating region, boiler choice, coal-boiler phase-out."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from energysim import units as u
from energysim.report.sectors import efficiency_table
from energysim.results import total_cost
from tests.conftest import MW_ATOL, OBJ_RTOL, one_region

GRID = {"kind": "grid", "import_capacity_mw": 1000, "import_price_cny_per_mwh": 100}
COAL_GJ_PER_T = u.STEAM_GJ_PER_T / 0.77  # 3.494 GJ/t
GAS_GJ_PER_T = u.STEAM_GJ_PER_T / 0.92  # 2.924 GJ/t
SMALL_COAL = {"kind": "boiler", "fuel": "coal", "efficiency": 0.77, "capacity_t_per_h": 60, "unit_size_t_per_h": 20}
GAS_BOILER = {"kind": "boiler", "fuel": "gas", "efficiency": 0.92, "capacity_t_per_h": 100}
H = u.STEAM_MWH_PER_T  # MWh of heat per tonne of steam (0.7472)
COAL_CHP = {  # extraction: η_e = 3.6/9 = 0.4, worst total efficiency 0.4 × 1.6 / 0.75 = 0.853 ≤ 0.9
    "kind": "chp",
    "mode": "extraction",
    "capacity_mw": 100,
    "steam_capacity_t_per_h": 150,
    "fuel": "coal",
    "heat_rate_gj_per_mwh": 9,
    "power_loss_mwe_per_mwth": 0.15,
    "back_pressure_mwe_per_mwth": 0.6,
}
BACK_PRESSURE_CHP = {  # P = 0.25 H, fuel = (P + H)/0.8
    "kind": "chp",
    "mode": "back_pressure",
    "capacity_mw": 50,
    "steam_capacity_t_per_h": 200,
    "fuel": "coal",
    "back_pressure_mwe_per_mwth": 0.25,
    "total_efficiency": 0.8,
}


def with_steam(demand_mw: list[float], steam_t_per_h: list[float], techs: dict, **extra: object) -> tuple:
    scenario, profiles = one_region(demand_mw, techs, **extra)
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "steam"}
    profiles["steam"] = steam_t_per_h
    return scenario, profiles


def test_extraction_chp_steam_obligation_forces_power_output(make_scenario):
    """Extraction CHP (K 100 MW, heat rate 9 GJ/MWh so η_e = 0.4, β = 0.15, c_m = 0.6), coal 30 CNY/GJ, grid
    power 100 CNY/MWh (cheaper than the CHP's 270). 100 t/h of steam is H = 74.72 MWth and forces
    P = c_m·H = 44.83 MW on the back-pressure line.

    Fuel = 9 × (P + β·H) = 9 × (44.833 + 11.208) = 504.38 GJ/h; P + H = 119.56 MW = 430.4 GJ/h, 85.3 % of the
    fuel (≤ 0.9). Steam price = h·(9·30·(c_m + β) − c_m·100) = 0.7472 × 142.5 = 106.48 CNY/t.
    """
    scenario, profiles = with_steam([50, 50], [100, 100], {"chp": COAL_CHP, "grid": GRID})
    ds = es.run(make_scenario(scenario, profiles))
    heat = 100 * H
    power = 0.6 * heat
    fuel = 9 * (power + 0.15 * heat)
    np.testing.assert_allclose(ds.generation.sel(tech="chp").sum("region"), power, atol=MW_ATOL)
    np.testing.assert_allclose(ds.steam_output.sel(tech="chp").sum("region"), 100, atol=MW_ATOL)
    np.testing.assert_allclose(ds.fuel_use.sel(tech="chp").sum("region"), fuel, rtol=1e-6)
    assert (power + heat) * 3.6 / fuel == pytest.approx(0.4 * 1.6 / 0.75, rel=1e-9)  # on the back-pressure line
    assert efficiency_table(ds).loc["chp", "efficiency_%"] == pytest.approx(100 * 0.4 * 1.6 / 0.75, rel=1e-6)
    np.testing.assert_allclose(ds.emissions.sel(tech="chp").sum("region"), fuel * 0.1, rtol=1e-6)
    np.testing.assert_allclose(ds.steam_price.sel(region="r"), H * (270 * 0.75 - 0.6 * 100), rtol=1e-6)
    assert total_cost(ds) == pytest.approx(ds.attrs["objective_cny"], rel=OBJ_RTOL)
    assert ds.attrs["objective_cny"] == pytest.approx(2 * (fuel * 30 + (50 - power) * 100), rel=OBJ_RTOL)


def test_back_pressure_chp_runs_on_its_line(make_scenario):
    """Back-pressure CHP with c_m = 0.25 and total efficiency 0.8: 100 t/h of steam (74.72 MWth) → exactly
    P = 18.68 MW, fuel (P + H)/0.8 = 116.75 MW = 420.3 GJ/h; 18.68 − 5 MW exported."""
    techs = {"chp": BACK_PRESSURE_CHP, "grid": {**GRID, "export_capacity_mw": 100}}
    scenario, profiles = with_steam([5], [100], techs)
    ds = es.run(make_scenario(scenario, profiles))
    heat = 100 * H
    assert float(ds.generation.sel(tech="chp").sum()) == pytest.approx(0.25 * heat, abs=MW_ATOL)
    assert float(ds.fuel_use.sel(tech="chp").sum()) == pytest.approx(1.25 * heat / 0.8 * 3.6, rel=1e-6)
    assert float(ds.consumption.sel(tech="grid").sum()) == pytest.approx(0.25 * heat - 5, abs=MW_ATOL)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"back_pressure_mwe_per_mwth": 0.15}, "153% on its back-pressure line"),  # 0.4 × 1.15 / 0.3
        ({"heat_rate_gj_per_mwh": 3.0}, "an electric efficiency of 120%"),
        ({"steam_capacity_t_per_h": 200}, "at most what the CHP can raise, 178 t/h"),  # 100/(0.6+0.15) MWth = 178 t/h
    ],
)
def test_chp_that_would_make_energy_is_refused(make_scenario, change, message):
    """The old default-like CHP (c_m 0.15 with β 0.15 and η_e 0.4) would turn 100 GJ of coal into 153 GJ."""
    scenario, profiles = with_steam([50], [100], {"chp": COAL_CHP | change, "grid": GRID})
    with pytest.raises(es.ScenarioError, match=message):
        es.load_scenario(make_scenario(scenario, profiles))


def test_cheapest_boiler_serves_and_electric_boiler_draws_power(make_scenario):
    """Gas boiler 2.924 GJ/t × 50 = 146.2 CNY/t; electric boiler 0.7703 MWh/t × 100 = 77.0 CNY/t → electric.

    The electric boiler adds 40 t/h × 0.7703 = 30.81 MW to the power demand, bought from the grid.
    """
    techs = {
        "gas_boiler": GAS_BOILER,
        "e_boiler": {"kind": "boiler", "fuel": "electricity", "efficiency": 0.97, "capacity_t_per_h": 100},
        "grid": GRID,
    }
    scenario, profiles = with_steam([10], [40], techs)
    ds = es.run(make_scenario(scenario, profiles))
    use = u.STEAM_MWH_PER_T / 0.97
    assert float(ds.steam_output.sel(tech="e_boiler").sum()) == pytest.approx(40, abs=MW_ATOL)
    assert float(ds.consumption.sel(tech="e_boiler").sum()) == pytest.approx(40 * use, rel=1e-6)
    assert float(ds.generation.sel(tech="grid").sum()) == pytest.approx(10 + 40 * use, rel=1e-6)
    assert float(ds.steam_price[0, 0]) == pytest.approx(use * 100, rel=1e-6)


def test_coal_boiler_phaseout_moves_steam_to_gas_at_the_known_cost_difference(make_scenario):
    """50 t/h for 24 h from 20 t/h coal units (≤ 35 t/h) or a gas boiler; electricity at 250 is dearer.

    Coal 3.494 GJ/t × 30 = 104.8 CNY/t; gas 2.924 × 50 = 146.2; electric 0.7703 × 250 = 192.6.
    Shutting the coal boilers costs 1,200 t × (146.2 − 104.8) = 49,669 CNY more, and 60 t/h are removed.
    """
    techs = {
        "small_coal": SMALL_COAL,
        "gas_boiler": GAS_BOILER,
        "e_boiler": {"kind": "boiler", "fuel": "electricity", "efficiency": 0.97, "capacity_t_per_h": 100},
        "grid": {**GRID, "import_price_cny_per_mwh": 250},
    }
    scenario, profiles = with_steam([0] * 24, [50] * 24, techs)
    before = es.run(make_scenario(scenario, profiles))
    scenario["policy"] = {"coal_boiler_phaseout": {"max_unit_size_t_per_h": 35, "from": "2025-01-01"}}
    after = es.run(make_scenario(scenario, profiles))
    assert float(before.steam_output.sel(tech="small_coal").sum()) == pytest.approx(1200, rel=1e-6)
    assert float(after.steam_output.sel(tech="small_coal").sum()) == pytest.approx(0, abs=1e-6)
    assert float(after.steam_output.sel(tech="gas_boiler").sum()) == pytest.approx(1200, rel=1e-6)
    extra = 1200 * (GAS_GJ_PER_T * 50 - COAL_GJ_PER_T * 30)
    assert after.attrs["objective_cny"] - before.attrs["objective_cny"] == pytest.approx(extra, rel=1e-6)
    assert float((after.steam_capacity_existing * after.phased_out).sum()) == 60


def test_phaseout_keeps_larger_units_and_only_from_its_date(make_scenario):
    """A 40 t/h coal unit stays; a 20 t/h one is shut from the second day only."""
    techs = {
        "big_coal": {
            "kind": "boiler",
            "fuel": "coal",
            "efficiency": 0.77,
            "capacity_t_per_h": 40,
            "unit_size_t_per_h": 40,
        },
        "small_coal": {"kind": "boiler", "fuel": "coal", "efficiency": 0.77, "capacity_t_per_h": 20},
        "gas_boiler": GAS_BOILER,
    }
    scenario, profiles = with_steam([0] * 48, [60] * 48, techs, policy={"coal_boiler_phaseout": {"from": "2025-01-02"}})
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(ds.steam_output.sel(tech="small_coal").sum("region"), [20] * 24 + [0] * 24, atol=1e-6)
    np.testing.assert_allclose(ds.steam_output.sel(tech="big_coal").sum("region"), 40, atol=1e-6)


def test_steam_accumulator_shifts_steam_to_the_peak(make_scenario):
    """A 30 t/h coal boiler, demand 10 then 50 t/h; an accumulator (40 t/h, 1 h, 10 % loss per hour).

    Hour 0: the boiler's 20 t/h spare go into the accumulator. Hour 1: 10 % is lost, 18 t/h come back; with the
    boiler's 30 that makes 48 of 50, so 2 t/h go unserved (the cyclic level ends where it began, empty)."""
    techs = {
        "coal": {"kind": "boiler", "fuel": "coal", "efficiency": 0.77, "capacity_t_per_h": 30},
        "acc": {"kind": "steam_storage", "capacity_t_per_h": 40, "storage_hours": 1, "loss_per_hour": 0.1},
    }
    scenario, profiles = with_steam([0, 0], [10, 50], techs, value_of_lost_steam_cny_per_t=3000)
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.steam_charge.sel(tech="acc")[0].sum()) == pytest.approx(20, abs=1e-6)
    assert float(ds.steam_unserved.sum()) == pytest.approx(2, abs=1e-6)


def test_phaseout_report_counts_removed_boilers_and_replacement(make_scenario, tmp_path, capsys):
    """`energysim phaseout` on the boiler case: 60 t/h removed, 1,200 t move from coal to gas."""
    from energysim.cli import main

    techs = {
        "small_coal": SMALL_COAL,
        "gas_boiler": GAS_BOILER,
    }
    scenario, profiles = with_steam([0] * 24, [50] * 24, techs, policy={"coal_boiler_phaseout": {"from": "2025-01-01"}})
    assert main(["phaseout", str(make_scenario(scenario, profiles))]) == 0
    out, err = capsys.readouterr()
    assert "[1/2]" in err and "solving without the phase-out …" in err and "[2/2]" in err  # a line per solve
    table = {line.split("  ")[0].strip(): line.split() for line in out.splitlines()[2:]}
    assert table["coal boilers removed"][-3:] == ["60.00", "60.00", "t/h"]
    assert "steam: gas_boiler" in out
    saved = 1200 * 0.1 * (COAL_GJ_PER_T - GAS_GJ_PER_T * 0.04 / 0.1)  # tCO2: coal 0.1 t/GJ, gas 0.04 t/GJ
    assert float(table["CO2 territorial"][-2].replace(",", "")) == pytest.approx(-saved / 1e3, abs=0.01)  # change, kt


def test_phaseout_to_electric_boilers_shows_both_bases_and_the_leakage(tmp_path):
    """1,200 t of steam move from the coal boiler (3.494 GJ/t × 0.1 t/GJ: 419.22 t CO2) to an electric boiler
    drawing 0.7472 MWh/t from the grid (896.67 MWh at a grid-average factor of 0.5: 448.33 t). Territorial CO2
    falls by 419.22 t, consumption-based CO2 rises by 29.11 t; the leakage goes from 0 to 448.33 t."""
    from energysim.report.sectors import phaseout_report
    from tests.conftest import write_scenario

    electric = {"kind": "boiler", "fuel": "electricity", "efficiency": 1.0, "capacity_t_per_h": 100}
    grid = {**GRID, "import_price_cny_per_mwh": 200}  # 149.4 CNY/t of electric steam, dearer than coal (104.8)
    runs = []
    for name, policy in (("without", {}), ("with", {"coal_boiler_phaseout": {"from": "2025-01-01"}})):
        techs = {"small_coal": SMALL_COAL, "electric": electric, "grid": grid}
        scenario, profiles = with_steam(
            [0] * 24, [50] * 24, techs, policy=policy, accounting={"grid_co2_t_per_mwh": 0.5}
        )
        (tmp_path / name).mkdir()
        runs.append(es.run(write_scenario(tmp_path / name, scenario, profiles)))
    table = phaseout_report(*runs)
    coal_t, bought_mwh = 1200 * COAL_GJ_PER_T * 0.1, 1200 * u.STEAM_MWH_PER_T
    expected = {
        "electricity purchased (net)": (0.0, bought_mwh / 1e3),
        "CO2 territorial": (coal_t / 1e3, 0.0),
        "CO2 consumption basis": (coal_t / 1e3, 0.5 * bought_mwh / 1e3),
        "CO2 leakage (consumption − territorial)": (0.0, 0.5 * bought_mwh / 1e3),
    }
    for row, (before, after) in expected.items():
        assert (table.loc[row, "without"], table.loc[row, "with"]) == pytest.approx((before, after), abs=1e-6), row
    assert table.loc["CO2 consumption basis", "change"] == pytest.approx(0.02911, abs=1e-5)  # kt


def test_heat_pump_draws_steam_heat_over_its_cop(make_scenario):
    """A heat pump with COP 2.5 makes 40 t/h from 40 × 0.7472 / 2.5 = 11.96 MW; at 100 CNY/MWh steam costs
    0.7472 / 2.5 × 100 = 29.9 CNY/t, cheaper than any boiler here."""
    techs = {
        "hp": {"kind": "heat_pump", "cop": 2.5, "capacity_t_per_h": 50},
        "gas_boiler": GAS_BOILER,
        "grid": GRID,
    }
    scenario, profiles = with_steam([0], [40], techs)
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.consumption.sel(tech="hp").sum()) == pytest.approx(40 * u.STEAM_MWH_PER_T / 2.5, rel=1e-6)
    assert float(ds.steam_price[0, 0]) == pytest.approx(u.STEAM_MWH_PER_T / 2.5 * 100, rel=1e-6)


def test_carbon_price_only_on_ets_covered_technologies(make_scenario):
    """CO2 price 100 CNY/t. A heat-only coal boiler is outside the national ETS: 10 t/h × 3.494 GJ/t × 0.1 t/GJ
    = 3.494 tCO2/h emitted but no carbon cost; the same boiler declared `ets_covered` pays 349.4 CNY/h; the
    back-pressure CHP (covered by default) pays for all its fuel's CO2."""
    boiler = {"kind": "boiler", "fuel": "coal", "efficiency": 0.77, "capacity_t_per_h": 10}
    grid = GRID | {"export_capacity_mw": 100}  # the CHP's power goes out
    techs = {"boiler": boiler, "covered": boiler | {"ets_covered": True}, "chp": BACK_PRESSURE_CHP, "grid": grid}
    scenario, profiles = with_steam([0], [30], techs, policy={"co2_price_cny_per_t": 100})
    scenario["technologies"]["chp"] = BACK_PRESSURE_CHP | {"steam_capacity_t_per_h": 10, "capacity_mw": 10 * H * 0.25}
    ds = es.run(make_scenario(scenario, profiles))
    carbon = ds.cost.sel(cost_component="carbon").sum("region")
    co2 = ds.emissions.sum(["region", "time"])
    assert float(co2.sel(tech="boiler")) == pytest.approx(10 * COAL_GJ_PER_T * 0.1, rel=1e-6)
    assert float(carbon.sel(tech="boiler")) == 0
    assert float(carbon.sel(tech="covered")) == pytest.approx(100 * float(co2.sel(tech="covered")), rel=1e-6)
    assert float(carbon.sel(tech="chp")) == pytest.approx(100 * float(co2.sel(tech="chp")), rel=1e-6)
    assert float(co2.sel(tech="chp")) > 0
