"""Peak-season reserve: a requirement that forces a known build, a reported shortfall, firm credits by kind."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
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
    """Coal 100 × 0.9 availability, 2-h battery 40 × 0.5, PV 50 × 0, imports 30 × 1 ⇒ 140 MW firm; April has no
    requirement."""
    techs = {
        "coal": {**COAL, "availability": 0.9},
        "battery": {"kind": "storage", "capacity_mw": 40, "duration_hours": 2},
        "pv": {"kind": "variable", "capacity_mw": 50, "profile": {"file": "profiles.csv", "column": "pv"}},
        "grid": {"kind": "grid", "import_capacity_mw": 30, "import_price_cny_per_mwh": 500},
    }
    scenario, profiles = one_region([60, 60], techs, policy=RESERVE)
    profiles["pv"] = [0.0, 0.5]
    ds = es.run(make_scenario(scenario, profiles))  # January: outside July-August
    np.testing.assert_allclose(ds.firm_capacity, 90 + 20 + 30, atol=1e-9)
    assert np.isnan(ds.reserve_requirement).all() and float(ds.reserve_price.sum()) == 0
