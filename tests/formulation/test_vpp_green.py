"""Virtual power plant and green power: a load shift with a known saving, curtailment within its yearly energy,
certificates bought at a known volume and price."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from energysim.results import total_cost
from tests.conftest import OBJ_RTOL, one_region

CHEAP = {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 200}
DEAR = {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 800}


def test_shiftable_load_moves_to_cheap_hours_with_a_known_saving(make_scenario):
    """Demand 80 then 120 MW; the cheap plant has 100 MW. A 20 MW shift (window 2 h, 10 CNY/MWh per call)
    moves 20 MW from hour 1 to hour 0, so the dear plant is not needed.

    Without: 180 × 200 + 20 × 800 = 52,000 CNY. With: 200 × 200 + 20 × 10 = 40,200 CNY. Saving 11,800 CNY.
    """
    shift = {"kind": "demand_shift", "capacity_mw": 20, "window_hours": 2, "variable_om_cny_per_mwh": 10}
    scenario, profiles = one_region([80, 120], {"cheap": CHEAP, "dear": DEAR})
    without = es.run(make_scenario(scenario, profiles))
    scenario["technologies"]["shift"] = shift
    with_vpp = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(with_vpp.vpp_call.sel(tech="shift").sum("region"), [-20, 20], atol=1e-6)
    assert float(with_vpp.generation.sel(tech="dear").sum()) == pytest.approx(0, abs=1e-6)
    saving = without.attrs["objective_cny"] - with_vpp.attrs["objective_cny"]
    assert saving == pytest.approx(20 * (800 - 200) - 20 * 10, rel=OBJ_RTOL)
    assert float(with_vpp.cost.sel(tech="shift", cost_component="variable_om").sum()) == pytest.approx(200)


def test_curtailable_load_is_limited_by_events_times_hours(make_scenario):
    """Demand 150 MW for 4 h against 100 MW of generation; a 50 MW curtailable load (3,000 CNY/MWh, cheaper than
    the 30,000 value of lost load) with 1 event of 2 h per year. A call cannot be prorated: the 4-hour horizon
    keeps one whole call, 50 MW × 2 h = 100 MWh (not 100 × 4/8760), and the other 100 MWh of the gap are
    unserved."""
    curtail = {
        "kind": "demand_curtail",
        "capacity_mw": 50,
        "max_events_per_year": 1,
        "max_hours_per_event": 2,
        "variable_om_cny_per_mwh": 3000,
    }
    scenario, profiles = one_region([150] * 4, {"cheap": CHEAP, "vpp": curtail})
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.generation.sel(tech="vpp").sum()) == pytest.approx(100, rel=1e-6)
    assert float(ds.unserved.sum()) == pytest.approx(100, rel=1e-6)


def test_curtailable_budget_is_prorated_over_long_horizons(make_scenario):
    """15 calls of 4 h a year, 10 MW: over 2,190 h (a quarter) the budget is 60 × 2,190/8,760 = 15 h = 150 MWh
    (more than one 4-h call, so prorated)."""
    curtail = {"kind": "demand_curtail", "capacity_mw": 10, "variable_om_cny_per_mwh": 3000}
    scenario, profiles = one_region([105] * 2190, {"cheap": CHEAP, "vpp": curtail})
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.generation.sel(tech="vpp").sum()) == pytest.approx(150, rel=1e-6)


def test_certificates_fill_the_renewable_share_at_their_price(make_scenario):
    """Demand 100 MW × 10 h = 1,000 MWh; PV gives 200 MWh (0.2 × 100 MW); a 30 % share needs 100 MWh more.
    Certificates at 50 CNY/MWh are cheaper than anything else: 100 MWh bought, renewable price 50 CNY/MWh."""
    pv = {"kind": "variable", "capacity_mw": 100, "profile": {"file": "profiles.csv", "column": "pv"}}
    policy = {"renewable_share": {"min_share": 0.3, "certificates": {"price_cny_per_mwh": 50}}}
    scenario, profiles = one_region([100] * 10, {"cheap": CHEAP, "pv": pv}, policy=policy)
    profiles["pv"] = [0.2] * 10
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.green_certificates) == pytest.approx(100, rel=1e-6)
    assert float(ds.renewable_price) == pytest.approx(50, rel=1e-6)
    assert float(ds.renewable_share) == pytest.approx(0.3, rel=1e-6)
    assert total_cost(ds) == pytest.approx(ds.attrs["objective_cny"], rel=OBJ_RTOL)


def test_green_imports_count_and_cap_on_certificates_binds(make_scenario):
    """Only 40 MWh of certificates; green imports at 260 CNY/MWh (premium 60 over the local 200) fill the rest:
    green imports 60 MWh, renewable price = 260 − 200 = 60 CNY/MWh."""
    green = {"kind": "grid", "import_capacity_mw": 100, "import_price_cny_per_mwh": 260, "green": True}
    policy = {
        "renewable_share": {"min_share": 0.1, "certificates": {"price_cny_per_mwh": 50, "max_mwh_per_year": 40 * 876}}
    }
    scenario, profiles = one_region([100] * 10, {"cheap": CHEAP, "green": green}, policy=policy)
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.green_certificates) == pytest.approx(40, rel=1e-6)
    assert float(ds.generation.sel(tech="green").sum()) == pytest.approx(60, rel=1e-6)
    assert float(ds.renewable_price) == pytest.approx(60, rel=1e-6)
