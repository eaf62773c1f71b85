"""Gas-pool micro-models with hand-checked answers: price tiers, take-or-pay, LNG tanks, gas plants."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from energysim import units as u
from energysim.results import total_cost
from tests.conftest import OBJ_RTOL, one_region

MWH_PER_M3 = u.GAS_MWH_PER_1E4M3 / 1e4
GRID = {"kind": "grid", "import_capacity_mw": 10, "import_price_cny_per_mwh": 100}


def pool(city_per_hour: list[float], sources: dict, **gas: object) -> tuple[dict, dict]:
    """A region with no power demand but a grid, and a gas pool serving an hourly city demand (10⁴ m³/h)."""
    scenario, profiles = one_region([0.0] * len(city_per_hour), {"grid": GRID})
    scenario["gas"] = {"city_demand": {"file": "profiles.csv", "column": "city"}, "sources": sources, **gas}
    profiles["city"] = city_per_hour
    return scenario, profiles


def annual(volume_over_horizon: float, hours: int) -> float:
    """Annual 10⁴ m³ that prorate to ``volume_over_horizon`` over ``hours`` of 2025."""
    return volume_over_horizon * 8760 / hours


def test_two_tiers_switch_at_the_block_size_and_set_the_price(make_scenario):
    """480 × 10⁴ m³ over 48 h; tier 1 is 300 at 2.5 CNY/m³, tier 2 open at 3.0.

    Tier 1 full, tier 2 180. Cost = 300e4 × 2.5 + 180e4 × 3.0 = 12.9 M CNY; gas price 3.0 CNY/m³ every day.
    """
    source = {
        "kind": "pipeline",
        "tiers": [{"volume_1e4m3_per_year": annual(300, 48), "price_cny_per_m3": 2.5}, {"price_cny_per_m3": 3.0}],
    }
    ds = es.run(make_scenario(*pool([10.0] * 48, {"pipe": source})))
    assert ds.attrs["objective_cny"] == pytest.approx(300e4 * 2.5 + 180e4 * 3.0, rel=OBJ_RTOL)
    np.testing.assert_allclose(ds.gas_price * MWH_PER_M3, 3.0, rtol=1e-6)
    assert float(ds.gas_supply.sum()) == pytest.approx(480 * u.GAS_MWH_PER_1E4M3, rel=1e-6)
    assert total_cost(ds) == pytest.approx(ds.attrs["objective_cny"], rel=OBJ_RTOL)


def test_below_the_first_block_the_price_is_the_first_tier(make_scenario):
    source = {
        "kind": "pipeline",
        "tiers": [{"volume_1e4m3_per_year": annual(600, 48), "price_cny_per_m3": 2.5}, {"price_cny_per_m3": 3.0}],
    }
    ds = es.run(make_scenario(*pool([10.0] * 48, {"pipe": source})))
    np.testing.assert_allclose(ds.gas_price * MWH_PER_M3, 2.5, rtol=1e-6)


def test_take_or_pay_floor_binds_against_cheaper_lng(make_scenario):
    """Contract A at 2.8 with 400 take-or-pay (penalty 1.0); LNG B at 2.5. Demand 480.

    Taking A costs 2.8 but saves the 1.0 penalty (1.8 < 2.5), so A delivers exactly its floor, B the rest:
    cost = 400e4 × 2.8 + 80e4 × 2.5 = 13.2 M CNY; the marginal (price) is B's 2.5.
    """
    sources = {
        "a": {
            "kind": "pipeline",
            "tiers": [{"price_cny_per_m3": 2.8}],
            "take_or_pay_1e4m3_per_year": annual(400, 48),
            "take_or_pay_penalty_cny_per_m3": 1.0,
        },
        "b": {"kind": "lng", "tiers": [{"price_cny_per_m3": 2.5}]},
    }
    ds = es.run(make_scenario(*pool([10.0] * 48, sources)))
    supply = ds.gas_supply.sum("time") / u.GAS_MWH_PER_1E4M3
    assert float(supply.sel(gas_source="a")) == pytest.approx(400, rel=1e-6)
    assert float(supply.sel(gas_source="b")) == pytest.approx(80, rel=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(400e4 * 2.8 + 80e4 * 2.5, rel=OBJ_RTOL)
    np.testing.assert_allclose(ds.gas_price * MWH_PER_M3, 2.5, rtol=1e-6)


def test_unmet_take_or_pay_pays_its_penalty(make_scenario):
    """Floor 600 but only 480 needed: 120 × 10⁴ m³ short at 1.0 CNY/m³ = 1.2 M CNY of penalty."""
    sources = {
        "a": {
            "kind": "pipeline",
            "tiers": [{"price_cny_per_m3": 2.8}],
            "take_or_pay_1e4m3_per_year": annual(600, 48),
            "take_or_pay_penalty_cny_per_m3": 1.0,
        }
    }
    ds = es.run(make_scenario(*pool([10.0] * 48, sources)))
    assert float(ds.gas_cost.sel(gas_source="a", gas_cost_component="take_or_pay")) == pytest.approx(1.2e6, rel=1e-6)


def test_lng_tank_shifts_deliveries_to_a_winter_peak_day(make_scenario):
    """Daily balance over 3 days, city demand 100, 100, 300 (10⁴ m³/day). Pipeline ≤ 150/day at 2.5; LNG
    deliveries ≤ 50/day at 3.0; a tank of 200 (no boil-off) sending out ≤ 200/day.

    Days 1–2: LNG fills the tank (50 + 50). Day 3: pipeline 150 + LNG 50 + tank 100 = 300, nothing unserved.
    Without the tank 100 would go unserved on day 3.
    """
    city = [100 / 24] * 48 + [300 / 24] * 24
    sources = {
        "pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}], "max_1e4m3_per_day": 150},
        "lng": {"kind": "lng", "tiers": [{"price_cny_per_m3": 3.0}], "max_1e4m3_per_day": 50},
    }
    tank = {"t": {"source": "lng", "capacity_1e4m3": 200, "boil_off_per_day": 0.0, "send_out_max_1e4m3_per_day": 200}}
    ds = es.run(make_scenario(*pool(city, sources, lng_storage=tank)))
    assert float(ds.gas_unserved.sum()) == pytest.approx(0, abs=1e-6)
    level = ds.lng_tank_level.sel(lng_tank="t").values[::24] / u.GAS_MWH_PER_1E4M3
    np.testing.assert_allclose(level, [50, 100, 0], atol=1e-6)
    lng_daily = ds.gas_supply.sel(gas_source="lng").values.reshape(3, 24).sum(1) / u.GAS_MWH_PER_1E4M3
    np.testing.assert_allclose(lng_daily, [50, 50, 50], atol=1e-6)

    no_tank = es.run(make_scenario(*pool(city, sources)))
    assert float(no_tank.gas_unserved.sum()) / u.GAS_MWH_PER_1E4M3 == pytest.approx(100, rel=1e-6)


def test_interconnection_caps_the_sources_behind_it(make_scenario):
    """Two contracts through one 8/h interconnection; demand 10/h: 2/h must come from LNG at 3.5."""
    sources = {
        "west_east": {"kind": "pipeline", "via": "tie", "tiers": [{"price_cny_per_m3": 2.5}]},
        "sichuan": {"kind": "pipeline", "via": "tie", "tiers": [{"price_cny_per_m3": 2.6}]},
        "lng": {"kind": "lng", "tiers": [{"price_cny_per_m3": 3.5}]},
    }
    ds = es.run(make_scenario(*pool([10.0] * 24, sources, interconnections={"tie": {"capacity_1e4m3_per_day": 192}})))
    supply = ds.gas_supply.sum("time") / u.GAS_MWH_PER_1E4M3
    assert float(supply.sel(gas_source="lng")) == pytest.approx(48, rel=1e-6)
    assert float(supply.sel(gas_source="west_east")) == pytest.approx(192, rel=1e-6)


def test_gas_plant_draws_from_the_pool_at_the_pool_price(make_scenario):
    """A gas plant (7.2 GJ/MWh) serving 50 MW for 24 h burns 50 × 7.2 / 3.6 = 100 MWh of gas per hour; its fuel
    is paid through the pool (tier at 2.5 CNY/m³), not at the `fuels` price; emissions = GJ × 0.04."""
    scenario, profiles = one_region(
        [50.0] * 24, {"ccgt": {"kind": "thermal", "capacity_mw": 100, "fuel": "gas", "heat_rate_gj_per_mwh": 7.2}}
    )
    scenario["gas"] = {"sources": {"pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}]}}}
    ds = es.run(make_scenario(scenario, profiles))
    gas_mwh = 24 * 50 * 7.2 / 3.6
    assert float(ds.gas_use.sel(gas_consumer="ccgt").sum()) == pytest.approx(gas_mwh, rel=1e-6)
    assert float(ds.cost.sel(cost_component="fuel").sum()) == 0
    assert float(ds.gas_cost.sum()) == pytest.approx(gas_mwh / MWH_PER_M3 * 2.5, rel=1e-6)
    assert float(ds.emissions.sum()) == pytest.approx(24 * 50 * 7.2 * 0.04, rel=1e-6)
    np.testing.assert_allclose(ds.price, 7.2 / 3.6 * 2.5 / MWH_PER_M3, rtol=1e-6)  # electricity price via gas


def test_hourly_balance_sees_the_hours_a_daily_balance_averages_away(make_scenario):
    """Pipeline ≤ 240 per day (10 per hour); demand alternates 5 and 15 per hour (240 per day).

    Daily balance: the pipeline covers the day, no LNG. Hourly balance: each 15-hour needs 5 from LNG at 3.5:
    12 hours × 5 = 60 × 10⁴ m³ of LNG.
    """
    city = [5.0, 15.0] * 12
    sources = {
        "pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}], "max_1e4m3_per_day": 240},
        "lng": {"kind": "lng", "tiers": [{"price_cny_per_m3": 3.5}]},
    }
    daily = es.run(make_scenario(*pool(city, sources)))
    hourly = es.run(make_scenario(*pool(city, sources, balance="hourly")))
    assert float(daily.gas_supply.sel(gas_source="lng").sum()) == pytest.approx(0, abs=1e-6)
    lng = float(hourly.gas_supply.sel(gas_source="lng").sum()) / u.GAS_MWH_PER_1E4M3
    assert lng == pytest.approx(60, rel=1e-6)
    np.testing.assert_allclose(hourly.gas_price.values[1::2] * MWH_PER_M3, 3.5, rtol=1e-6)
