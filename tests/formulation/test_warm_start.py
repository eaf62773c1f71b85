"""Warm start from typical days: the same optimum as a cold solve, reached from the typical days' capacities;
a fixed pass that cannot be solved falls back to a cold solve; LPs without investment are solved as usual."""

from __future__ import annotations

import json

import numpy as np
import pytest

import energysim as es
import energysim.solver.warmstart
from energysim.errors import ScenarioError
from tests.conftest import OBJ_RTOL, one_region

DAYS = 8
PEAK_HOUR = 4 * 24 + 18  # day 5, 18:00
COAL = {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 300}
GAS = {
    "kind": "thermal",
    "capacity_mw": 0,
    "max_new_mw": 100,
    "capex_cny_per_kw": 3000,
    "lifetime_years": 25,
    "variable_om_cny_per_mwh": 500,
}
PV = {
    "kind": "variable",
    "capacity_mw": 0,
    "max_new_mw": 500,
    "capex_cny_per_kw": 3200,
    "lifetime_years": 25,
    "profile": {"file": "profiles.csv", "column": "pv"},
}


def _scenario(make_scenario, warm_start: dict | None, technologies: dict, **extra):
    demand = [80.0 + 10.0 * np.sin(h / 24 * 2 * np.pi) for h in range(DAYS * 24)]
    demand[PEAK_HOUR] = 120.0
    scenario, profiles = one_region(demand, technologies, **extra)
    scenario["solver"] = {"method": "simplex", **({"warm_start": warm_start} if warm_start else {})}
    profiles["pv"] = [max(0.0, np.sin((h % 24 - 6) / 12 * np.pi)) * (0.6 + 0.05 * (h // 24)) for h in range(DAYS * 24)]
    return make_scenario(scenario, profiles)


def test_peak_is_met_by_new_gas_and_the_warm_start_reaches_the_cold_optimum(make_scenario):
    """Coal covers 100 MW; the 120 MW peak needs 20 MW of new gas (one hour at 30,000 CNY/MWh of lost load is
    dearer than 20 MW of gas for the horizon). The typical days keep the peak day, the fixed pass runs at
    20 × 1.1 = 22 MW, and the freed capacity comes back to 20 MW: the cold optimum, to the cent."""
    technologies = {"coal": COAL, "gas": GAS}
    cold = es.run(_scenario(make_scenario, None, technologies))
    warm = es.run(_scenario(make_scenario, {"days": 2, "oversize": 0.1}, technologies))
    assert float(cold.new_capacity.sel(tech="gas").sum()) == pytest.approx(20.0, abs=1e-6)
    assert float(warm.new_capacity.sel(tech="gas").sum()) == pytest.approx(20.0, abs=1e-6)
    assert warm.attrs["objective_cny"] == pytest.approx(cold.attrs["objective_cny"], rel=1e-9)
    report = json.loads(warm.attrs["solver_warm_start"])
    assert report["skipped"] == "" and report["fixed_pass_status"] == "Optimal"
    assert report["typical_days_capacity"] == {"power.gas": pytest.approx(20.0, abs=1e-6)}
    assert warm.attrs["solver"].endswith("(warm start)")
    assert "solver_warm_start" not in cold.attrs
    np.testing.assert_allclose(warm.unserved.values, 0.0, atol=1e-6)


def test_a_fixed_pass_that_cannot_be_solved_falls_back_to_a_cold_solve(make_scenario, monkeypatch):
    """A 20 % renewable share needs new PV; a first pass pinned at no PV is infeasible, so the solver drops that
    basis and still returns the cold optimum. (The PV profile holds values of 1e-16, which HiGHS drops with a
    warning: the LP is still taken.)"""
    technologies = {"coal": COAL, "pv": PV}
    policy = {"policy": {"renewable_share": {"min_share": 0.2}}}
    cold = es.run(_scenario(make_scenario, None, technologies, **policy))
    monkeypatch.setattr(energysim.solver.warmstart, "typical_day_capacities", lambda inputs, spec, options: np.zeros(1))
    warm = es.run(_scenario(make_scenario, {"days": 2}, technologies, **policy))
    report = json.loads(warm.attrs["solver_warm_start"])
    assert report["fixed_pass_status"] == "Infeasible"
    assert float(warm.renewable_share) >= 0.2 - 1e-9
    assert float(warm.new_capacity.sel(tech="pv").sum()) > 0
    assert warm.attrs["objective_cny"] == pytest.approx(cold.attrs["objective_cny"], rel=OBJ_RTOL)


def test_no_investment_or_too_short_a_horizon_is_solved_cold_and_says_why(make_scenario):
    no_build = es.run(_scenario(make_scenario, {"days": 2}, {"coal": COAL | {"capacity_mw": 130}}))
    assert json.loads(no_build.attrs["solver_warm_start"])["skipped"] == "no buildable capacity"
    short = es.run(_scenario(make_scenario, {"days": 8}, {"coal": COAL, "gas": GAS}))
    assert "is not longer than the 8 typical days" in json.loads(short.attrs["solver_warm_start"])["skipped"]
    assert float(short.new_capacity.sel(tech="gas").sum()) == pytest.approx(20.0, abs=1e-6)


def test_warm_start_needs_simplex(make_scenario):
    path = _scenario(make_scenario, {"days": 2}, {"coal": COAL, "gas": GAS})
    path.write_text(path.read_text().replace("method: simplex", "method: ipm"))
    with pytest.raises(ScenarioError, match=r"solver.*warm_start.*method: simplex"):
        es.load_scenario(path)
