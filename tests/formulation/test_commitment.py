"""Unit commitment micro-models with hand-computed optima: start-up decisions, minimum down time, start-up fuel,
deep peaking, and the integer version's objective at or above the linear one."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from tests.conftest import MW_ATOL, OBJ_RTOL, one_region

COAL = {"kind": "thermal", "fuel": "coal", "heat_rate_gj_per_mwh": 10.0}  # 10 GJ/MWh × 30 CNY/GJ = 300 CNY/MWh
GRID = {"kind": "grid", "import_capacity_mw": 500, "import_price_cny_per_mwh": 400}
TWO_UNITS = {
    **COAL,
    "capacity_mw": 200,
    "unit_size_mw": 100,
    "min_stable_fraction": 0.5,
    "startup_cost_cny_per_mw": 1000,
}


def run(make_scenario, demand: list[float], techs: dict, commitment: str = "linear") -> object:
    scenario, profiles = one_region(demand, techs, commitment=commitment)
    return es.run(make_scenario(scenario, profiles))


def test_two_units_keep_one_on_rather_than_pay_a_start(make_scenario):
    """Two 100 MW units (min 50 MW each, start-up 100,000 CNY per unit), coal 300 against imports at 400;
    demand 150, 60, 150 (cyclic). Hour 1 allows one unit only (two would make 100 MW > 60).

    Integer: restarting the second unit for hours 2 and 0 saves 2 × 50 × (400 − 300) = 10,000 < 100,000, so one
    unit runs all day: coal 100, 60, 100 and imports 50, 0, 50: 260 × 300 + 100 × 400 = 118,000 CNY.
    Linear: 1.2 units committed (60 MW / 50 MW minimum) and no start: coal 120, 60, 120, imports 30, 0, 30:
    300 × 300 + 60 × 400 = 114,000 CNY ≤ 118,000.
    """
    whole = run(make_scenario, [150, 60, 150], {"coal": TWO_UNITS, "grid": GRID}, "integer")
    np.testing.assert_allclose(whole.generation.sel(tech="coal").sum("region"), [100, 60, 100], atol=MW_ATOL)
    np.testing.assert_allclose(whole.committed_units.sel(tech="coal").sum("region"), 1, atol=1e-6)
    assert float(whole.startups.sum()) == pytest.approx(0, abs=1e-6)
    assert whole.attrs["objective_cny"] == pytest.approx(118_000, rel=OBJ_RTOL)
    assert whole.attrs["solver_mip_gap"] <= 1e-4
    relaxed = run(make_scenario, [150, 60, 150], {"coal": TWO_UNITS, "grid": GRID})
    np.testing.assert_allclose(relaxed.generation.sel(tech="coal").sum("region"), [120, 60, 120], atol=MW_ATOL)
    assert relaxed.attrs["objective_cny"] == pytest.approx(114_000, rel=OBJ_RTOL)
    assert "solver_mip_gap" not in relaxed.attrs  # an LP
    assert whole.attrs["objective_cny"] >= relaxed.attrs["objective_cny"]


def test_a_cheap_start_is_taken(make_scenario):
    """The same case with a start-up cost of 50 CNY/MW (5,000 per unit): the restart saves 10,000 > 5,000, so the
    second unit stops in hour 1 and starts in hour 2: coal 150, 60, 150, one start; 360 × 300 + 5,000 = 113,000."""
    cheap = TWO_UNITS | {"startup_cost_cny_per_mw": 50}
    ds = run(make_scenario, [150, 60, 150], {"coal": cheap, "grid": GRID}, "integer")
    np.testing.assert_allclose(ds.generation.sel(tech="coal").sum("region"), [150, 60, 150], atol=MW_ATOL)
    np.testing.assert_allclose(ds.startups.sel(tech="coal").sum("region"), [0, 0, 1], atol=1e-6)
    assert float(ds.cost.sel(tech="coal", cost_component="startup").sum()) == pytest.approx(5_000)
    assert ds.attrs["objective_cny"] == pytest.approx(113_000, rel=OBJ_RTOL)


def test_minimum_down_time_keeps_a_stopped_unit_off(make_scenario):
    """One 100 MW unit (min 50 MW), demand 100, 20, 100, 100, imports at 400. Hour 1 forces it off (20 < 50).

    With 2 h down it is back in hour 3: coal 100, 0, 0, 100, imports 20 + 100: 60,000 + 48,000 = 108,000 CNY.
    With 3 h down it stays off in hours 1-3: coal 100 only, imports 20 + 100 + 100: 30,000 + 88,000 = 118,000.
    Linear relaxation (its known weakness): with x units on in hours 0, 2, 3 and 0.4 in hour 1, the x − 0.4 units
    stopped in hour 1 must stay off for 3 h, i.e. x ≤ 1 − (x − 0.4), so x = 0.7; coal 70, 20, 70, 70 and imports
    30, 0, 30, 30: 69,000 + 36,000 = 105,000 ≤ 118,000.
    """
    unit = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.5}
    two = run(make_scenario, [100, 20, 100, 100], {"coal": unit | {"min_down_hours": 2}, "grid": GRID}, "integer")
    np.testing.assert_allclose(two.generation.sel(tech="coal").sum("region"), [100, 0, 0, 100], atol=MW_ATOL)
    assert two.attrs["objective_cny"] == pytest.approx(200 * 300 + 120 * 400, rel=OBJ_RTOL)
    held = run(make_scenario, [100, 20, 100, 100], {"coal": unit | {"min_down_hours": 3}, "grid": GRID}, "integer")
    np.testing.assert_allclose(held.generation.sel(tech="coal").sum("region"), [100, 0, 0, 0], atol=MW_ATOL)
    assert held.attrs["objective_cny"] == pytest.approx(118_000, rel=OBJ_RTOL)
    relaxed = run(make_scenario, [100, 20, 100, 100], {"coal": unit | {"min_down_hours": 3}, "grid": GRID})
    np.testing.assert_allclose(relaxed.committed_units.sel(tech="coal").sum("region"), [0.7, 0.4, 0.7, 0.7], atol=1e-6)
    assert relaxed.attrs["objective_cny"] == pytest.approx(105_000, rel=OBJ_RTOL)


def test_minimum_up_time_keeps_a_started_unit_on(make_scenario):
    """One 100 MW unit (min 50), demand 0, 100, 0, 0 with exports possible at 200 CNY/MWh (below coal's 300),
    imports at 500. Without a minimum up time it runs hour 1 only (100 MW). With 3 h up it must stay on for two
    more hours (the horizon is cyclic: hours 2-3, or 3 and 0) at its 50 MW minimum, exported at a loss of 100
    CNY/MWh: +2 × 50 × (300 − 200) = 10,000 CNY."""
    unit = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.5, "startup_cost_cny_per_mw": 1}
    grid = GRID | {"export_capacity_mw": 500, "export_price_cny_per_mwh": 200, "import_price_cny_per_mwh": 500}
    short = run(make_scenario, [0, 100, 0, 0], {"coal": unit, "grid": grid}, "integer")
    long = run(make_scenario, [0, 100, 0, 0], {"coal": unit | {"min_up_hours": 3}, "grid": grid}, "integer")
    np.testing.assert_allclose(short.generation.sel(tech="coal").sum("region"), [0, 100, 0, 0], atol=MW_ATOL)
    on = long.committed_units.sel(tech="coal").sum("region").values
    assert on.sum() == pytest.approx(3) and float(long.generation.sel(tech="coal").sum()) == pytest.approx(200)
    extra = long.attrs["objective_cny"] - short.attrs["objective_cny"]
    assert extra == pytest.approx(2 * 50 * (300 - 200), rel=1e-6)


def test_start_up_fuel_is_burnt_priced_and_emitted_in_the_hour_of_the_start(make_scenario):
    """One 100 MW unit with 5 GJ/MW of start-up fuel (500 GJ per start), stopped in hour 0 (no demand, no export)
    and started for hour 1 (imports at 600 would cost 60,000): fuel 500 + 10 × 100 = 1,500 GJ in hour 1, cost
    45,000 CNY, CO2 150 t (0.1 t/GJ)."""
    unit = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.5, "startup_fuel_gj_per_mw": 5}
    ds = run(make_scenario, [0, 100], {"coal": unit, "grid": GRID | {"import_price_cny_per_mwh": 600}}, "integer")
    np.testing.assert_allclose(ds.fuel_use.sel(tech="coal").sum("region"), [0, 1500], atol=1e-6)
    np.testing.assert_allclose(ds.emissions.sel(tech="coal").sum("region"), [0, 150], atol=1e-6)
    assert float(ds.cost.sel(tech="coal", cost_component="fuel").sum()) == pytest.approx(45_000)
    assert ds.attrs["objective_cny"] == pytest.approx(45_000, rel=OBJ_RTOL)


def test_deep_peaking_runs_below_the_normal_minimum_at_its_cost(make_scenario):
    """One 100 MW unit, normal minimum 50 %, deep peaking to 30 % at 50 CNY per MWh below 50 MW; demand 100, 35,
    100 with no export and imports at 400 (a stop-start would cost 100 × 1,000 = 100,000). In hour 1 it runs at
    35 MW, 15 MW below its normal minimum: 235 × 300 + 15 × 50 = 71,250 CNY."""
    unit = {
        **COAL,
        "capacity_mw": 100,
        "min_stable_fraction": 0.5,
        "startup_cost_cny_per_mw": 1000,
        "deep_peaking_floor_fraction": 0.3,
        "deep_peaking_cost_cny_per_mwh": 50,
    }
    ds = run(make_scenario, [100, 35, 100], {"coal": unit, "grid": GRID}, "integer")
    np.testing.assert_allclose(ds.generation.sel(tech="coal").sum("region"), [100, 35, 100], atol=MW_ATOL)
    assert ds.attrs["objective_cny"] == pytest.approx(235 * 300 + 15 * 50, rel=OBJ_RTOL)


def test_commitment_off_drops_the_minimum(make_scenario):
    """`commitment: off`: no committed units; the 50 MW minimum no longer binds (coal follows demand 60, 20)."""
    unit = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.5, "startup_cost_cny_per_mw": 1000}
    ds = run(make_scenario, [60, 20], {"coal": unit, "grid": GRID}, "off")
    np.testing.assert_allclose(ds.generation.sel(tech="coal").sum("region"), [60, 20], atol=MW_ATOL)
    assert float(ds.committed_units.sum()) == 0


def test_deep_peaking_floor_must_be_below_the_normal_minimum(make_scenario):
    unit = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.4, "deep_peaking_floor_fraction": 0.5}
    scenario, profiles = one_region([50], {"coal": unit})
    with pytest.raises(es.ScenarioError, match="deep_peaking_floor_fraction"):
        es.load_scenario(make_scenario(scenario, profiles))


SLOW_UNIT = {
    **COAL,
    "capacity_mw": 100,
    "min_stable_fraction": 0.5,
    "startup_cost_cny_per_mw": 1000,
    "min_up_hours": 24,
    "min_down_hours": 24,
}
"""One 100 MW coal unit (min 50 MW, start-up 100,000 CNY) that must stay up and down at least 24 h."""


def test_daily_blocks_start_a_slow_unit_at_midnight(make_scenario):
    """Three days, cyclic: demand 20 MW on day 0 and in hours 0–5 of day 1, 100 MW after (the unit cannot run
    below 50 MW and nothing takes its surplus). Imports at 400 against coal at 300, integer commitment.

    Hourly: start at day 1 06:00, run 42 h, stop at the wrap: coal 42 × 100 × 300 = 1,260,000, imports
    (24 + 6) × 20 × 400 = 240,000, one start 100,000: 1,600,000 CNY.
    Daily blocks: the start waits for day 2 00:00: coal 24 × 100 × 300 = 720,000, imports (30 × 20 + 18 × 100)
    × 400 = 960,000, one start: 1,780,000 CNY ≥ hourly.
    """
    demand = [20.0] * 30 + [100.0] * 42
    techs = {"coal": SLOW_UNIT, "grid": GRID}
    hourly = run_with(make_scenario, demand, techs, commitment="integer", commitment_block_hours=1)
    assert float(hourly.startups.sel(tech="coal").sum("region")[30]) == pytest.approx(1, abs=1e-6)
    assert hourly.attrs["objective_cny"] == pytest.approx(1_600_000, rel=OBJ_RTOL)
    daily = run_with(make_scenario, demand, techs, commitment="integer", commitment_block_hours=24)
    starts = daily.startups.sel(tech="coal").sum("region")
    assert float(starts[48]) == pytest.approx(1, abs=1e-6) and float(starts.sum()) == pytest.approx(1, abs=1e-6)
    np.testing.assert_allclose(daily.generation.sel(tech="coal").sum("region")[:48], 0, atol=MW_ATOL)
    assert daily.attrs["objective_cny"] == pytest.approx(1_780_000, rel=OBJ_RTOL)
    assert daily.attrs["commitment_block_hours"] == 24


def test_a_retiring_unit_is_not_held_off_before_it_goes(make_scenario):
    """The slow unit retires from day 2 (in service 48 of 72 h); demand 100 MW flat; imports at 400.

    Its forced stop at retirement (and its forced start at the cyclic wrap) is not a shut-down by choice, so it
    runs both days it is in service: coal 48 × 100 × 300 = 1,440,000, imports 24 × 100 × 400 = 960,000 and one
    start 100,000: 2,500,000 CNY. Counted as a choice, the down-time row stopped it 24 h early (before the fix:
    coal 24 h, imports 48 h: 2,740,000). Same answer hourly and in daily blocks.
    """
    techs = {"coal": SLOW_UNIT | {"retired_from": "2025-01-03"}, "grid": GRID}
    for block in (1, 24):
        ds = run_with(make_scenario, [100.0] * 72, techs, commitment="integer", commitment_block_hours=block)
        np.testing.assert_allclose(ds.generation.sel(tech="coal").sum("region")[:48], 100, atol=MW_ATOL)
        assert ds.attrs["objective_cny"] == pytest.approx(2_500_000, rel=OBJ_RTOL)
    relaxed = run_with(make_scenario, [100.0] * 72, techs, commitment="linear", commitment_block_hours=1)
    assert relaxed.attrs["objective_cny"] == pytest.approx(2_500_000, rel=OBJ_RTOL)


def run_with(make_scenario, demand: list[float], techs: dict, **extra: object) -> object:
    scenario, profiles = one_region(demand, techs, **extra)
    return es.run(make_scenario(scenario, profiles))


def test_daily_blocks_are_midnights_of_the_clock_not_of_the_horizon(make_scenario):
    """The same days seen from noon: the horizon starts 2025-01-01 12:00, so the midnights are hours 12, 36 and 60
    (not 0, 24, 48). The unit may not start in hour 30 (06:00); nor may it run across the wrap (hour 0 is noon,
    no block start, so it would have to stay on into the 20 MW hours). It starts at hour 36 and stops at hour 60
    (24 h, its minimum up time): coal 24 × 100 × 300 = 720,000, imports (30 × 20 + 6 × 100 + 12 × 100) × 400 =
    960,000, one start 100,000: 1,780,000 CNY. Blocks counted from the horizon's first hour would start it at
    hour 48 and stop it at the wrap (the same cost, the wrong hours)."""
    demand = [20.0] * 30 + [100.0] * 42
    scenario, profiles = one_region(demand, {"coal": SLOW_UNIT, "grid": GRID}, commitment="integer",
                                    commitment_block_hours=24)  # fmt: skip
    scenario["time"]["start"] = "2025-01-01 12:00"
    ds = es.run(make_scenario(scenario, profiles, start="2025-01-01 12:00"))
    starts = ds.startups.sel(tech="coal").sum("region")
    assert float(starts[36]) == pytest.approx(1, abs=1e-6) and float(starts.sum()) == pytest.approx(1, abs=1e-6)
    on = np.r_[np.zeros(36), np.full(24, 100.0), np.zeros(12)]
    np.testing.assert_allclose(ds.generation.sel(tech="coal").sum("region"), on, atol=MW_ATOL)
    assert ds.attrs["objective_cny"] == pytest.approx(1_780_000, rel=OBJ_RTOL)
