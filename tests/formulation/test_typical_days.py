"""Typical days: exact where the year is made of its typical days, storage carried across days, fidelity
reported before the solve, and the usual invariants on the hours of the year."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

import energysim as es
from energysim.inputs.typical_days import fidelity, typical_days
from energysim.results import total_cost
from energysim.studies.aggregate import check_against_full_year
from tests.conftest import DEFAULT_SCENARIO, OBJ_RTOL, fuel_from_rates, one_region, power_supplied

A, B = [100.0] * 24, [120.0] * 24  # demand MW on the two kinds of day
CHEAP, DEAR = [100.0] * 24, [500.0] * 24  # import price CNY/MWh
GRID = {
    "kind": "grid",
    "import_capacity_mw": 1000,
    "import_price_cny_per_mwh": {"file": "profiles.csv", "column": "price"},
}
BATTERY = {
    "kind": "storage",
    "capacity_mw": 50,
    "duration_hours": 48,
    "efficiency_charge": 1.0,
    "efficiency_discharge": 1.0,
}


def _abab(make_scenario, aggregate: dict | None):
    scenario, profiles = one_region(A + B + A + B, {"grid": GRID, "battery": BATTERY})
    if aggregate:
        scenario["time"]["aggregate"] = aggregate
    profiles["price"] = CHEAP + DEAR + CHEAP + DEAR
    return make_scenario(scenario, profiles)


def test_storage_carries_energy_across_typical_days(make_scenario):
    """Days A B A B: the battery charges 50 MW all of a cheap day and covers 50 MW of a dear one. A day: imports
    150 MW × 24 h × 100; B day: 70 MW × 24 h × 500; twice each = 2,400,000 CNY. Two typical days with linked
    storage reach it exactly (storage cycling within each day alone could not: 2,880,000 + 576,000 more)."""
    full = es.run(_abab(make_scenario, None))
    typical = es.run(_abab(make_scenario, {"days": 2, "seed": 0, "keep_extremes": False}))
    expected = 2 * (150 * 24 * 100 + 70 * 24 * 500)
    assert full.attrs["objective_cny"] == pytest.approx(expected, rel=OBJ_RTOL)
    assert typical.attrs["objective_cny"] == pytest.approx(expected, rel=OBJ_RTOL)
    level = typical.storage_level.sel(tech="battery", region="r").values
    assert level.max() == pytest.approx(1200, abs=1e-6)  # 50 MW × 24 h, read onto the hours of the year
    assert level.min() == pytest.approx(0, abs=1e-6)
    agg = json.loads(typical.attrs["aggregation"])
    assert agg["weights_days"] == [2.0, 2.0] and agg["day_period"] == [0, 1, 0, 1]
    np.testing.assert_allclose(typical.price.values.ravel(), full.price.values.ravel(), atol=1e-6)


def test_fidelity_is_exact_for_a_year_made_of_its_typical_days(make_scenario):
    inputs = es.build_inputs(es.load_scenario(_abab(make_scenario, {"days": 2, "keep_extremes": False})))
    report = fidelity(inputs, typical_days(inputs, 2, keep_extremes=False))
    assert report.loc["electricity demand", "year"] == pytest.approx(4 * 24 * 110 / 1e6)
    np.testing.assert_allclose(report["difference"].dropna().to_numpy(), 0.0, atol=1e-12)
    assert report.loc["residual-load duration curve RMSE", "typical days"] == pytest.approx(0.0, abs=1e-9)
    moved = check_against_full_year(inputs, es.run_inputs(inputs))
    np.testing.assert_allclose(moved["moved"].to_numpy(), 0.0, atol=1e-3)


@pytest.fixture(scope="module")
def plan_inputs() -> object:
    scenario = es.load_scenario(DEFAULT_SCENARIO)
    time = scenario.time.model_copy(update={"aggregate": es.scenario.schema.Aggregate(days=12, seed=3)})
    return es.build_inputs(scenario.model_copy(update={"time": time}))


def test_typical_days_are_reproducible_and_keep_the_peak_day(plan_inputs):
    first, again = typical_days(plan_inputs, 12, seed=3), typical_days(plan_inputs, 12, seed=3)
    np.testing.assert_array_equal(first.rep_day, again.rep_day)
    extremes = int(first.extreme.sum())  # peak demand, highest and lowest residual load: two may share a day
    assert first.weight.sum() == 365 and 2 <= extremes <= 3 and len(first.rep_day) == 12 + extremes
    peak_day = int(np.argmax(plan_inputs.demand.sum("region").values)) // 24
    assert peak_day in first.rep_day.tolist()


def test_typical_day_results_close_every_hour_and_add_up_to_the_objective(plan_inputs):
    ds = es.run_inputs(plan_inputs)
    assert ds.sizes["time"] == 8760
    assert total_cost(ds) == pytest.approx(ds.attrs["objective_cny"], rel=OBJ_RTOL)
    power = power_supplied(ds) - ds.demand
    assert float(abs(power).max()) < 1e-3
    steam = ds.steam_output.sum("tech") - ds.steam_charge.sum("tech") + ds.steam_unserved - ds.steam_demand
    assert float(abs(steam).max()) < 1e-3
    fuel = fuel_from_rates(ds)
    np.testing.assert_allclose(ds.fuel_use.sum("region").values, fuel.sum("region").values, rtol=1e-9, atol=1e-6)
    report = pd.DataFrame(json.loads(ds.attrs["aggregation_fidelity"])).set_index("metric")
    assert report.loc["peak demand", "difference"] == pytest.approx(0.0)  # the peak day is kept


def test_aggregate_command_reports_fidelity_and_the_full_year_check(make_scenario, capsys):
    from energysim.cli import main

    path = _abab(make_scenario, {"days": 2, "keep_extremes": False})
    assert main(["aggregate", str(path), "--check"]) == 0
    out, err = capsys.readouterr()
    assert "2 typical days (seed 0)" in out and "01-01 ×2, 01-02 ×2" in out
    assert "residual-load duration curve RMSE" in out and "full year at the capacities" in out
    steps = [line.split(" s  ", 1)[1] for line in err.splitlines() if line.startswith("  [")]  # one line a step
    assert steps == [
        "reading the scenario and its profiles …",
        "picking 2 typical days (seed 0) …",
        "measuring their fidelity …",
        "solving on the typical days …",
        "solving the full year at the capacities they built …",
    ]
    assert err.splitlines()[0].startswith("  [1/5]    0.0 s  ")


def test_missing_tsam_is_a_clear_scenario_error(make_scenario, monkeypatch):
    inputs = es.build_inputs(es.load_scenario(_abab(make_scenario, {"days": 2})))
    monkeypatch.setitem(sys.modules, "tsam", None)  # as if tsam were not installed
    with pytest.raises(es.ScenarioError, match=r"time\.aggregate.*energysim\[aggregate\]"):
        typical_days(inputs, 2)


def test_k_means_runs_on_one_thread(make_scenario, monkeypatch):
    """scikit-learn's OpenMP threads, one per core, spin while they wait: with the cores busy, picking 12 days of
    the plan took 81-98 s against 3-4 s on one thread (benchmarks/README.md)."""
    import tsam
    from threadpoolctl import threadpool_info

    threads, aggregate = [], tsam.aggregate

    def counting(*args, **kwargs):
        threads.extend(pool["num_threads"] for pool in threadpool_info())
        return aggregate(*args, **kwargs)

    monkeypatch.setattr(tsam, "aggregate", counting)
    inputs = es.build_inputs(es.load_scenario(_abab(make_scenario, {"days": 2, "keep_extremes": False})))
    typical_days(inputs, 2, keep_extremes=False)
    assert threads and set(threads) == {1}
