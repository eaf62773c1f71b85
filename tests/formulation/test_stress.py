"""Stress cases replayed against the built fleet, with shortfalls computed by hand."""

from __future__ import annotations

import pytest

import energysim as es
from energysim.inputs.fleet import fix_fleet
from energysim.scenario.stress import StressCase
from energysim.studies.stress import run_stress, stress_report
from tests.conftest import one_region

COAL = {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 300}
GAS = {"kind": "thermal", "max_new_mw": 50, "capex_cny_per_kw": 1000, "variable_om_cny_per_mwh": 500}


@pytest.fixture
def built(make_scenario):
    """Flat 90 MW demand for a day; 100 MW of coal suffices, so the optional gas unit is not built."""
    scenario, profiles = one_region([90.0] * 24, {"coal": COAL, "gas": GAS})
    inputs = es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    return inputs, es.run_inputs(inputs)


def test_outage_of_the_largest_unit_leaves_a_known_shortfall(built):
    """30 MW of the 100 MW coal plant out from 06:00 on: 90 − 70 = 20 MW short... for the whole day (the
    period is days): 20 MW × 24 h = 480 MWh; the gas option cannot be built after the fact."""
    inputs, base = built
    case = StressCase(name="outage", period={"from": "2025-01-01", "to": "2025-01-01"}, outage_mw={"coal": 30})
    report = stress_report(base, run_stress(inputs, base, case), case)
    assert report["unserved_MWh"] == pytest.approx(480, abs=1e-6)
    assert report["unserved_hours"] == 24 and report["worst_MW"] == pytest.approx(20, abs=1e-6)
    assert "coal" in report["carried_by_MW"] and report["peak_MW"] == pytest.approx(90)


def test_heatwave_scales_demand_and_derates_plant(built):
    """Demand × 1.2 = 108 MW against coal derated to 95 MW: 13 MW short every hour."""
    inputs, base = built
    case = StressCase(name="heat", demand_scale=1.2, availability_scale={"thermal": 0.95})
    stressed = run_stress(inputs, base, case)
    assert float(stressed.unserved.sum()) == pytest.approx(13 * 24, abs=1e-6)


def test_built_capacity_becomes_existing(make_scenario):
    """Demand 130 MW: the base builds 30 MW of gas; after fix_fleet nothing can be built, 130 MW exist."""
    scenario, profiles = one_region([130.0] * 24, {"coal": COAL, "gas": GAS})
    inputs = es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    base = es.run_inputs(inputs)
    fixed = fix_fleet(inputs, base)
    assert float(fixed.capacity_existing.sel(tech="gas")) == pytest.approx(30, abs=1e-6)
    assert float(fixed.max_new_capacity.sum()) == 0
    case = StressCase(name="none")
    report = stress_report(base, run_stress(inputs, base, case), case)
    assert report["unserved_MWh"] == pytest.approx(0, abs=1e-6)
    assert report["extra_cost_MCNY"] == pytest.approx(0, abs=1e-9)


def test_missed_lng_leaves_city_gas_short(make_scenario):
    """City gas 10 per hour (10⁴ m³); pipeline ≤ 144 per day, LNG fills the rest; with no LNG, 96 go unserved."""
    scenario, profiles = one_region([0.0] * 24, {"grid": {"kind": "grid", "import_capacity_mw": 1}})
    scenario["gas"] = {
        "city_demand": {"file": "profiles.csv", "column": "city"},
        "sources": {
            "pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}], "max_1e4m3_per_day": 144},
            "lng": {"kind": "lng", "tiers": [{"price_cny_per_m3": 3.5}]},
        },
    }
    profiles["city"] = [10.0] * 24
    inputs = es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    base = es.run_inputs(inputs)
    case = StressCase(name="lng", gas_supply_scale={"lng": 0.0})
    report = stress_report(base, run_stress(inputs, base, case), case)
    assert report["gas_unserved_1e4m3"] == pytest.approx(96, rel=1e-6)


def test_a_period_outside_the_horizon_is_an_input_error(built):
    inputs, base = built
    case = StressCase(name="late", period={"from": "2025-08-01", "to": "2025-08-02"}, demand_scale=1.1)
    with pytest.raises(es.ScenarioError, match="within the scenario horizon"):
        run_stress(inputs, base, case)


def test_stress_command_prints_a_row_per_case_and_the_peak_supply(make_scenario, tmp_path, capsys):
    from energysim.cli import main

    scenario, profiles = one_region([90.0] * 24, {"coal": COAL, "gas": GAS})
    path = make_scenario(scenario, profiles)
    case = tmp_path / "outage.yaml"
    case.write_text("name: outage\noutage_mw: {coal: 30}\n")
    assert main(["stress", str(path), "--cases", str(case)]) == 0
    out, err = capsys.readouterr()
    assert "[2/3]" in err and "solving the scenario: the fleet it builds …" in err and "stress case outage" in err
    assert "outage" in out and "480.0" in out and "resources carrying the peak hour" in out


def test_a_kind_absent_from_the_scenario_is_no_error_but_an_unknown_name_is(built):
    inputs, base = built
    run_stress(inputs, base, StressCase(name="k", availability_scale={"chp": 0.5}))  # no CHP here: no change
    with pytest.raises(es.ScenarioError, match="'jpp_unit9'"):
        run_stress(inputs, base, StressCase(name="n", outage_mw={"jpp_unit9": 100}))


def test_the_reserve_penalty_is_told_apart_from_the_extra_cost(make_scenario):
    """Peak reserve 10 % in January at 10,000 CNY per MW short per hour. Base: 90 MW of demand against 100 MW of
    firm coal, 99 MW needed: no shortfall. Heat (demand × 1.05 = 94.5 MW, coal derated to 95 MW): 1.1 × 94.5 =
    103.95 MW needed, 8.95 MW short for 24 h = 214.8 MW·h × 10,000 = 2.148 MCNY of penalty, inside the extra
    cost with 4.5 MW × 24 h more coal at 300 CNY/MWh = 0.0324 MCNY: 2.1804 MCNY in all."""
    policy = {"peak_reserve": {"margin": 0.1, "months": [1], "shortfall_cost_cny_per_mw_h": 10000}}
    scenario, profiles = one_region([90.0] * 24, {"coal": COAL}, policy=policy)
    inputs = es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    base = es.run_inputs(inputs)
    case = StressCase(name="heat", demand_scale=1.05, availability_scale={"thermal": 0.95})
    report = stress_report(base, run_stress(inputs, base, case), case)
    assert report["reserve_shortfall_MW"] == pytest.approx(8.95, abs=1e-6)
    assert report["of_which_reserve_penalty_MCNY"] == pytest.approx(2.148, rel=1e-6)
    assert report["extra_cost_MCNY"] == pytest.approx(2.148 + 0.0324, rel=1e-6)
