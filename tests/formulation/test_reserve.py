"""Peak-season reserve: a requirement that forces a known build, a reported shortfall, firm capacity by kind
(availability, energy limits, CHP steam), stress cases that move it, and the same firm capacity in both views."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from energysim import units as u
from energysim.results import total_cost
from tests.conftest import OBJ_RTOL, one_region

COAL = {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 300}
RESERVE = {"peak_reserve": {"margin": 0.2, "months": [7, 8]}}


def july(scenario: dict) -> dict:
    scenario["time"]["start"] = "2025-07-01 00:00"
    return scenario


def test_reserve_forces_a_known_build_priced_at_its_capacity_cost(make_scenario):
    """Demand 60, 100, 80 MW in July, 100 MW of coal (credit 1), margin 20 %: 120 MW firm needed in hour 1.

    A peaker costs F = 3,000 CNY/MW over the 3 h (capex 8,760 CNY/kW, r = 0, n = 1 yr): 20 MW are built,
    the reserve price is F in hour 1 and 0 elsewhere.
    """
    peaker = {
        "kind": "thermal",
        "max_new_mw": 500,
        "capex_cny_per_kw": 8760,
        "lifetime_years": 1,
        "discount_rate": 0.0,
        "variable_om_cny_per_mwh": 900,
    }
    scenario, profiles = one_region([60, 100, 80], {"coal": COAL, "peaker": peaker}, policy=RESERVE)
    ds = es.run(make_scenario(july(scenario), profiles, start="2025-07-01 00:00"))
    assert float(ds.new_capacity.sel(tech="peaker").sum()) == pytest.approx(20, abs=1e-6)
    np.testing.assert_allclose(ds.reserve_price, [0, 3000, 0], atol=1e-6)
    np.testing.assert_allclose(ds.firm_capacity, 120, atol=1e-6)
    assert float(ds.reserve_shortfall.sum()) == pytest.approx(0, abs=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(240 * 300 + 20 * 3000, rel=OBJ_RTOL)


def test_reserve_shortfall_is_reported_when_nothing_can_be_built(make_scenario):
    scenario, profiles = one_region([60, 100, 80], {"coal": COAL}, policy=RESERVE)
    scenario["policy"]["peak_reserve"]["shortfall_cost_cny_per_mw_h"] = 500
    ds = es.run(make_scenario(july(scenario), profiles, start="2025-07-01 00:00"))
    np.testing.assert_allclose(ds.reserve_shortfall, [0, 20, 0], atol=1e-6)
    np.testing.assert_allclose(ds.reserve_price, [0, 500, 0], atol=1e-6)
    assert float(ds.reserve_shortfall_cost) == pytest.approx(10_000)
    assert total_cost(ds) == pytest.approx(ds.attrs["objective_cny"], rel=OBJ_RTOL)


def test_firm_credits_by_kind_and_no_requirement_outside_the_season(make_scenario):
    """Coal 100 × availability 0.9 = 90; 2-h battery 40 × 2/4 = 20; shiftable load 20 × 4/(2·4) = 10; a grid tie of
    30 MW counts only its declared credit: 30 × 0.5 = 15; PV 50 MW × the hour's capacity factor 0, 0.5 ⇒ 135 and
    160 MW firm; January has no requirement."""
    techs = {
        "coal": {**COAL, "availability": 0.9},
        "battery": {"kind": "storage", "capacity_mw": 40, "duration_hours": 2},
        "shift": {"kind": "demand_shift", "capacity_mw": 20, "window_hours": 4},
        "pv": {"kind": "variable", "capacity_mw": 50, "profile": {"file": "profiles.csv", "column": "pv"}},
        "grid": {
            "kind": "grid",
            "import_capacity_mw": 30,
            "import_price_cny_per_mwh": 500,
            "firm_capacity_credit": 0.5,
        },
    }
    scenario, profiles = one_region([60, 60], techs, policy=RESERVE)
    profiles["pv"] = [0.0, 0.5]
    ds = es.run(make_scenario(scenario, profiles))  # January: outside July-August
    np.testing.assert_allclose(ds.firm_capacity, [135, 160], atol=1e-9)
    assert np.isnan(ds.reserve_requirement).all() and float(ds.reserve_price.sum()) == 0


def test_a_grid_tie_counts_nothing_unless_declared(make_scenario):
    scenario, profiles = one_region([60], {"grid": {"kind": "grid", "import_capacity_mw": 100}})
    assert float(es.run(make_scenario(scenario, profiles)).firm_capacity[0]) == 0


def test_curtailable_load_counts_only_in_the_hours_its_call_budget_covers(make_scenario):
    """100 MW of curtailable load with one call of 2 h a year: firm only in the two July hours of highest demand
    (hours 1 and 2 of 50, 90, 100, 80, 60 MW); coal 200 MW counts in every hour."""
    vpp = {"kind": "demand_curtail", "capacity_mw": 100, "max_events_per_year": 1, "max_hours_per_event": 2}
    scenario, profiles = one_region([50, 90, 100, 80, 60], {"coal": COAL | {"capacity_mw": 200}, "vpp": vpp})
    scenario["policy"] = RESERVE
    ds = es.run(make_scenario(july(scenario), profiles, start="2025-07-01 00:00"))
    np.testing.assert_allclose(ds.firm_capacity, [200, 300, 300, 200, 200], atol=1e-9)


def test_curtailable_load_is_placed_where_the_reserve_is_tightest_not_at_peak_demand(make_scenario):
    """As above, plus 100 MW of PV at capacity factor 0.5 in hour 2 only. Requirement 1.2 × demand = 60, 108, 120,
    96, 72 MW against 200 MW of coal and PV 0, 0, 50, 0, 0: tightness −140, −92, −130, −104, −128 MW. The two
    tightest hours are 1 and 3 (hour 2 has the peak demand but PV covers it): firm 200, 300, 250, 300, 200."""
    vpp = {"kind": "demand_curtail", "capacity_mw": 100, "max_events_per_year": 1, "max_hours_per_event": 2}
    pv = {"kind": "variable", "capacity_mw": 100, "profile": {"file": "profiles.csv", "column": "pv"}}
    scenario, profiles = one_region([50, 90, 100, 80, 60], {"coal": COAL | {"capacity_mw": 200}, "vpp": vpp, "pv": pv})
    scenario["policy"] = RESERVE
    profiles["pv"] = [0.0, 0.0, 0.5, 0.0, 0.0]
    ds = es.run(make_scenario(july(scenario), profiles, start="2025-07-01 00:00"))
    np.testing.assert_allclose(ds.firm_capacity, [200, 300, 250, 300, 200], atol=1e-9)
    np.testing.assert_allclose(ds.reserve_requirement, [60, 108, 120, 96, 72], atol=1e-9)


def test_chp_counts_the_power_its_steam_leaves(make_scenario):
    """Extraction CHP (K 100 MW, β 0.15) raising 100 t/h (74.72 MWth) has 100 − 0.15 × 74.72 = 88.79 MW firm;
    a back-pressure CHP (c_m 0.25) raising 100 t/h has 0.25 × 74.72 = 18.68 MW."""
    from tests.formulation.test_steam import BACK_PRESSURE_CHP, COAL_CHP, with_steam

    heat = 100 * u.STEAM_MWH_PER_T
    for chp, firm in ((COAL_CHP, 100 - 0.15 * heat), (BACK_PRESSURE_CHP, 0.25 * heat)):
        grid = {"kind": "grid", "import_capacity_mw": 200, "export_capacity_mw": 200, "import_price_cny_per_mwh": 100}
        scenario, profiles = with_steam([50], [100], {"chp": chp, "grid": grid})
        ds = es.run(make_scenario(scenario, profiles))
        assert float(ds.firm_capacity[0]) == pytest.approx(firm, rel=1e-6)


STRESS_FLEET = {
    "coal": {"kind": "thermal", "capacity_mw": 1000, "availability": 0.9, "variable_om_cny_per_mwh": 300},
    "unit": {"kind": "thermal", "capacity_mw": 500, "availability": 0.9, "variable_om_cny_per_mwh": 300},
    "grid": {
        "kind": "grid",
        "import_capacity_mw": 1000,
        "import_price_cny_per_mwh": 500,
        "firm_capacity_credit": 0.5,
    },
}


@pytest.mark.parametrize(
    ("case", "moved"),
    [
        ({"import_capacity_scale": 0.5}, -0.5 * 500),  # the tie's 500 firm MW halve
        ({"demand_scale": 1.1, "availability_scale": {"thermal": 0.95}}, -0.05 * 1350 - 0.1 * 1500),
        ({"outage_mw": {"unit": 500}}, -500 * 0.9),  # the largest unit out: its firm 450 MW
    ],
    ids=["import_cut", "heatwave", "largest_unit_outage"],
)
def test_stress_cases_move_the_reserve_margin_by_a_hand_computed_amount(make_scenario, case, moved):
    """Firm 0.9 × 1,000 + 0.9 × 500 + 0.5 × 1,000 = 1,850 MW against 1,500 MW of July demand: margin 350 MW.
    Import cut: −250 MW; heatwave (demand +10 %, thermal availability × 0.95): −67.5 − 150 = −217.5 MW; the
    500 MW unit out: −450 MW."""
    from energysim.scenario.stress import StressCase
    from energysim.studies.stress import run_stress

    scenario, profiles = one_region([1500] * 3, STRESS_FLEET, policy=RESERVE)
    inputs = es.build_inputs(es.load_scenario(make_scenario(july(scenario), profiles, start="2025-07-01 00:00")))
    base = es.run_inputs(inputs)
    np.testing.assert_allclose(base.reserve_margin, 350, atol=1e-9)
    stress = StressCase(name="t", period={"from": "2025-07-01", "to": "2025-07-01"}, **case)
    stressed = run_stress(inputs, base, stress)
    np.testing.assert_allclose(stressed.reserve_margin, 350 + moved, atol=1e-9)


def test_both_views_count_the_same_firm_capacity(make_scenario):
    """A provincial coal plant (1,000 MW × 0.9), a local gas plant (200 MW) and a 2,000 MW tie with credit 0.1:
    900 + 200 + 200 = 1,300 MW firm. Views attribute results, they do not change the system: the local view
    keeps the provincial plant (accounted to the province) and counts the same 1,300 MW."""
    techs = {
        "coal": {**COAL, "capacity_mw": 1000, "availability": 0.9, "dispatch": "provincial"},
        "gas": {**COAL, "capacity_mw": 200},
        "grid": {
            "kind": "grid",
            "import_capacity_mw": 2000,
            "import_price_cny_per_mwh": 500,
            "firm_capacity_credit": 0.1,
        },
    }
    scenario, profiles = one_region([600], techs)
    path = make_scenario(scenario, profiles)
    sited, local = es.run(path), es.run(path, view="local")
    assert "coal" in local.tech.values and local.attrs["view"] == "local"
    np.testing.assert_allclose(sited.firm_capacity, 1300, atol=1e-9)
    np.testing.assert_allclose(local.firm_capacity, 1300, atol=1e-9)
