"""Micro-models of the power sector with optima worked out by hand (each docstring shows the arithmetic)."""

from __future__ import annotations

import numpy as np
import pytest

import energysim as es
from tests.conftest import MW_ATOL, OBJ_RTOL, one_region

COAL = {
    "kind": "thermal",
    "fuel": "coal",
    "heat_rate_gj_per_mwh": 10.0,
}  # 10 GJ/MWh × 30 CNY/GJ = 300 CNY/MWh
GAS = {"kind": "thermal", "fuel": "gas", "heat_rate_gj_per_mwh": 10.0}  # 10 GJ/MWh × 50 CNY/GJ = 500 CNY/MWh


def gen(ds, tech: str) -> np.ndarray:
    return ds.generation.sum("region").sel(tech=tech).values


def test_merit_order_dispatch_and_price(make_scenario):
    """Demand 50 then 150 MW; coal (300 CNY/MWh, 100 MW) before gas (500 CNY/MWh, 100 MW).

    Hour 0: coal 50, price 300. Hour 1: coal 100 + gas 50, price 500.
    Cost = 150 × 300 + 50 × 500 = 70,000 CNY.
    """
    scenario, profiles = one_region(
        [50, 150], {"coal": {**COAL, "capacity_mw": 100}, "gas": {**GAS, "capacity_mw": 100}}
    )
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(gen(ds, "coal"), [50, 100], atol=MW_ATOL)
    np.testing.assert_allclose(gen(ds, "gas"), [0, 50], atol=MW_ATOL)
    np.testing.assert_allclose(ds.price.sel(region="r").values, [300, 500], rtol=OBJ_RTOL)
    assert ds.attrs["objective_cny"] == pytest.approx(70_000, rel=OBJ_RTOL)
    assert float(ds.cost.sel(cost_component="fuel").sum()) == pytest.approx(70_000, rel=OBJ_RTOL)


def test_screening_curve_capacity_expansion(make_scenario):
    """Load 100 MW for 4 h and 50 MW for 6 h; build base (730 CNY/MW over the horizon, 10 CNY/MWh) or peak
    (100 CNY/MW, 100 CNY/MWh). Break-even: (730 − 100) / (100 − 10) = 7 h.

    The bottom 50 MW runs 10 h > 7 → base; the top 50 MW runs 4 h < 7 → peak.
    Cost = 50 × 730 + 50 × 100 + 50 × 10 h × 10 + 50 × 4 h × 100 = 66,500 CNY.
    Capex per kW giving F CNY/MW over 10 h with r = 0, n = 1 yr: F × 8760 / 10 / 1000.
    """

    def option(horizon_cost: float, marginal: float) -> dict:
        return {
            "kind": "thermal",
            "max_new_mw": 500,
            "capex_cny_per_kw": horizon_cost * 0.876,
            "lifetime_years": 1,
            "discount_rate": 0.0,
            "variable_om_cny_per_mwh": marginal,
        }

    scenario, profiles = one_region([100] * 4 + [50] * 6, {"base": option(730, 10), "peak": option(100, 100)})
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.new_capacity.sel(tech="base").sum()) == pytest.approx(50, abs=1e-3)
    assert float(ds.new_capacity.sel(tech="peak").sum()) == pytest.approx(50, abs=1e-3)
    assert ds.attrs["objective_cny"] == pytest.approx(66_500, rel=OBJ_RTOL)
    assert float(ds.cost.sel(cost_component="capex").sum()) == pytest.approx(50 * 730 + 50 * 100, rel=OBJ_RTOL)


def test_storage_arbitrage_with_losses(make_scenario):
    """Flat 100 MW load; grid at 100 CNY/MWh for 12 h then 500 for 12 h; a 10 MW / 20 MWh store, η = 0.9 each way.

    It fills once: 20 / 0.9 = 22.22 MWh bought cheap, 20 × 0.9 = 18 MWh delivered dear.
    Cost = 1,200 × 100 + 1,200 × 500 − (18 × 500 − 22.22 × 100) = 713,222.2 CNY.
    """
    scenario, profiles = one_region(
        [100] * 24,
        {
            "grid": {
                "kind": "grid",
                "import_capacity_mw": 1000,
                "import_price_cny_per_mwh": {"file": "profiles.csv", "column": "price"},
            },
            "store": {
                "kind": "storage",
                "capacity_mw": 10,
                "duration_hours": 2,
                "efficiency_charge": 0.9,
                "efficiency_discharge": 0.9,
            },
        },
    )
    profiles["price"] = [100] * 12 + [500] * 12
    ds = es.run(make_scenario(scenario, profiles))
    charged = float(ds.consumption.sel(tech="store").sum())
    discharged = float(ds.generation.sel(tech="store").sum())
    assert charged == pytest.approx(20 / 0.9, rel=1e-6)
    assert discharged == pytest.approx(18, rel=1e-6)
    assert float(ds.storage_level.max()) == pytest.approx(20, rel=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(720_000 - (18 * 500 - 20 / 0.9 * 100), rel=OBJ_RTOL)


def test_binding_co2_cap_switches_fuel_at_known_shadow_price(make_scenario):
    """100 MW for 10 h; coal 300 CNY/MWh at 1.0 t/MWh, gas 500 CNY/MWh at 0.4 t/MWh; cap 700 t over the horizon.

    Coal C: C + 0.4 (1000 − C) = 700 → C = 500 MWh. Shadow price = (500 − 300) / (1.0 − 0.4) = 333.3 CNY/t;
    price = 300 + 333.3 × 1.0 = 500 + 333.3 × 0.4 = 633.3 CNY/MWh. Cost = 500 × 300 + 500 × 500 = 400,000.
    The annual cap is prorated: 700 t × 8760 / 10.
    """
    scenario, profiles = one_region(
        [100] * 10,
        {"coal": {**COAL, "capacity_mw": 100}, "gas": {**GAS, "capacity_mw": 100}},
        policy={"co2_cap_t": 700 * 876},
    )
    ds = es.run(make_scenario(scenario, profiles))
    assert gen(ds, "coal").sum() == pytest.approx(500, rel=1e-6)
    assert float(ds.emissions.sum()) == pytest.approx(700, rel=1e-6)
    assert float(ds.co2_shadow_price) == pytest.approx(200 / 0.6, rel=1e-6)
    np.testing.assert_allclose(ds.price.values, 300 + 200 / 0.6, rtol=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(400_000, rel=OBJ_RTOL)


def test_co2_price_is_charged_per_tonne(make_scenario):
    """Coal 1.0 t/MWh at 100 CNY/t: 50 MW for 2 h → 100 t → carbon cost 10,000 CNY; price 300 + 100 = 400."""
    scenario, profiles = one_region(
        [50, 50], {"coal": {**COAL, "capacity_mw": 100}}, policy={"co2_price_cny_per_t": 100}
    )
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.cost.sel(cost_component="carbon").sum()) == pytest.approx(10_000, rel=OBJ_RTOL)
    np.testing.assert_allclose(ds.price.values, 400, rtol=1e-6)


def test_two_regions_congested_link_separates_prices(make_scenario):
    """A: demand 50, coal 100 CNY/MWh; B: demand 150, gas 400 CNY/MWh; link A→B 80 MW, 10 % loss.

    A sends 80 (B receives 72), B's gas makes 78; prices A 100, B 400.
    Cost = 130 × 100 + 78 × 400 = 44,200 CNY.
    """
    scenario = {
        "name": "two-regions",
        "time": {"start": "2025-01-01 00:00", "hours": 1},
        "regions": {
            "a": {"demand": {"file": "profiles.csv", "column": "a"}},
            "b": {"demand": {"file": "profiles.csv", "column": "b"}},
        },
        "technologies": {
            "cheap": {"kind": "thermal", "region": "a", "capacity_mw": 300, "variable_om_cny_per_mwh": 100},
            "dear": {"kind": "thermal", "region": "b", "capacity_mw": 300, "variable_om_cny_per_mwh": 400},
        },
        "links": {"ab": {"from": "a", "to": "b", "capacity_mw": 80, "loss_fraction": 0.1}},
    }
    ds = es.run(make_scenario(scenario, {"a": [50], "b": [150]}))
    assert float(ds.link_flow.sel(link="ab")[0]) == pytest.approx(80, abs=MW_ATOL)
    assert float(ds.generation.sel(region="b", tech="dear")[0]) == pytest.approx(78, abs=MW_ATOL)
    assert float(ds.price.sel(region="a")[0]) == pytest.approx(100, rel=1e-6)
    assert float(ds.price.sel(region="b")[0]) == pytest.approx(400, rel=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(44_200, rel=OBJ_RTOL)


def test_link_flows_backwards_when_cheap_power_is_at_the_receiving_end(make_scenario):
    """Same link, cheap plant now in B: B sends 50 / 0.9 = 55.6 MW back to A (flow −55.6), A's demand met."""
    scenario = {
        "name": "backwards",
        "time": {"start": "2025-01-01 00:00", "hours": 1},
        "regions": {
            "a": {"demand": {"file": "profiles.csv", "column": "a"}},
            "b": {"demand": {"file": "profiles.csv", "column": "b"}},
        },
        "technologies": {
            "cheap": {"kind": "thermal", "region": "b", "capacity_mw": 300, "variable_om_cny_per_mwh": 100}
        },
        "links": {"ab": {"from": "a", "to": "b", "capacity_mw": 80, "loss_fraction": 0.1}},
    }
    ds = es.run(make_scenario(scenario, {"a": [50], "b": [150]}))
    assert float(ds.link_flow[0, 0]) == pytest.approx(-50 / 0.9, abs=MW_ATOL)
    assert float(ds.price.sel(region="a")[0]) == pytest.approx(100 / 0.9, rel=1e-6)


def test_unserved_energy_priced_at_value_of_lost_load(make_scenario):
    """150 MW demand, 100 MW of coal, VOLL 10,000: 50 MW unserved, price 10,000; cost 30,000 + 500,000."""
    scenario, profiles = one_region(
        [150], {"coal": {**COAL, "capacity_mw": 100}}, value_of_lost_load_cny_per_mwh=10_000
    )
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.unserved.sum()) == pytest.approx(50, abs=MW_ATOL)
    assert float(ds.price[0, 0]) == pytest.approx(10_000, rel=1e-6)
    assert float(ds.unserved_cost.sum()) == pytest.approx(500_000, rel=OBJ_RTOL)
    assert ds.attrs["objective_cny"] == pytest.approx(530_000, rel=OBJ_RTOL)


def test_relaxed_commitment_prefers_imports_to_an_expensive_restart(make_scenario):
    """Demand 100, 10, 100; coal 100 MW (300 CNY/MWh) with 50 % minimum stable output and a 1,000 CNY/MW
    start-up cost; imports at 400.

    Online capacity o₁ ≤ 10 / 0.5 = 20 MW in the low hour; restarting 80 MW costs 80,000, so coal stays at
    o = 20 MW: output 20, 10, 20; imports 80, 0, 80. Cost = 50 × 300 + 160 × 400 = 79,000 CNY.
    (Without the start-up cost the coal plant would follow the load: 210 × 300 = 63,000.)
    """
    coal = {**COAL, "capacity_mw": 100, "min_stable_fraction": 0.5, "startup_cost_cny_per_mw": 1000}
    grid = {"kind": "grid", "import_capacity_mw": 200, "import_price_cny_per_mwh": 400}
    scenario, profiles = one_region([100, 10, 100], {"coal": coal, "grid": grid})
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(gen(ds, "coal"), [20, 10, 20], atol=MW_ATOL)
    assert ds.attrs["objective_cny"] == pytest.approx(79_000, rel=OBJ_RTOL)


def test_ramp_limit_delays_the_cheap_plant(make_scenario):
    """Demand 20, 100, 100; coal (300) may change by 30 MW/h; imports at 400 fill the gap.

    Coal 20 → 50 → 80; imports 0, 50, 20. Cost = 150 × 300 + 70 × 400 = 73,000 CNY.
    """
    coal = {**COAL, "capacity_mw": 100, "ramp_fraction_per_hour": 0.3}
    grid = {"kind": "grid", "import_capacity_mw": 200, "import_price_cny_per_mwh": 400}
    scenario, profiles = one_region([20, 100, 100], {"coal": coal, "grid": grid})
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(gen(ds, "coal"), [20, 50, 80], atol=MW_ATOL)
    assert ds.attrs["objective_cny"] == pytest.approx(73_000, rel=OBJ_RTOL)


def test_variable_renewable_curtailment_and_must_run_floor(make_scenario):
    """PV 100 MW with profile 1.0, 0.5; nuclear must-run 40 MW; demand 60, 60.

    Hour 0: nuclear 40, PV 20 of 100 available → curtail 80. Hour 1: PV 20 of 50 → curtail 30.
    """
    scenario, profiles = one_region(
        [60, 60],
        {
            "pv": {
                "kind": "variable",
                "capacity_mw": 100,
                "profile": {"file": "profiles.csv", "column": "pv"},
            },
            "nuclear": {"kind": "must_run", "capacity_mw": 40, "variable_om_cny_per_mwh": 50},
        },
    )
    profiles["pv"] = [1.0, 0.5]
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(gen(ds, "nuclear"), [40, 40], atol=MW_ATOL)
    np.testing.assert_allclose(ds.curtailment.sel(tech="pv").sum("region").values, [80, 30], atol=MW_ATOL)


def test_capacity_enters_service_on_its_date(make_scenario):
    """Coal from 2025-01-02 only; before it, gas (500) serves; after, coal (300). 24 h each day at 10 MW."""
    scenario, profiles = one_region(
        [10] * 48,
        {
            "coal": {**COAL, "capacity_mw": 100, "available_from": "2025-01-02"},
            "gas": {**GAS, "capacity_mw": 100},
        },
    )
    ds = es.run(make_scenario(scenario, profiles))
    np.testing.assert_allclose(gen(ds, "coal"), [0] * 24 + [10] * 24, atol=MW_ATOL)
    assert float(ds.capacity.sel(tech="coal").sum()) == pytest.approx(100)


def test_grid_exports_earn_revenue(make_scenario):
    """Must-run 100 MW, demand 40: 60 MW exported at 200 CNY/MWh → purchase cost −12,000 CNY."""
    scenario, profiles = one_region(
        [40],
        {
            "nuclear": {"kind": "must_run", "capacity_mw": 100},
            "grid": {
                "kind": "grid",
                "import_capacity_mw": 100,
                "export_capacity_mw": 100,
                "import_price_cny_per_mwh": 500,
                "export_price_cny_per_mwh": 200,
            },
        },
    )
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.consumption.sel(tech="grid").sum()) == pytest.approx(60, abs=MW_ATOL)
    assert float(ds.cost.sel(cost_component="purchase").sum()) == pytest.approx(-12_000, rel=OBJ_RTOL)


def test_an_export_price_above_the_import_price_is_refused_naming_the_hours(make_scenario):
    """Selling dearer than buying through one tie would let the LP import and export at once for a profit (a
    wash trade: 20 GW both ways for 4,420 h of the plan year with a flat 415.3 CNY/MWh export price). Hours 1
    and 2 sell above the buying price, by up to 50 CNY/MWh in hour 2."""
    grid = {
        "kind": "grid",
        "import_capacity_mw": 100,
        "export_capacity_mw": 100,
        "import_price_cny_per_mwh": {"file": "profiles.csv", "column": "buy"},
        "export_price_cny_per_mwh": {"file": "profiles.csv", "column": "sell"},
    }
    scenario, profiles = one_region([10, 10, 10], {"grid": grid})
    profiles |= {"buy": [300.0, 300.0, 300.0], "sell": [300.0, 320.0, 350.0]}
    with pytest.raises(es.ScenarioError) as err:
        es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    message = str(err.value)
    assert "technologies.grid.export_price_cny_per_mwh" in message
    found = "higher in 2 h (first 2025-01-01 01:00, 2025-01-01 02:00; by up to 50.0 CNY/MWh at 2025-01-01 02:00)"
    assert found in message


def test_selling_at_the_buying_price_never_earns_money(make_scenario):
    """Equal prices: any simultaneous import and export nets to zero cost, so the objective is demand × price."""
    grid = {
        "kind": "grid",
        "import_capacity_mw": 100,
        "export_capacity_mw": 100,
        "import_price_cny_per_mwh": 300,
        "export_price_cny_per_mwh": 300,
    }
    scenario, profiles = one_region([10, 20], {"grid": grid})
    ds = es.run(make_scenario(scenario, profiles))
    assert ds.attrs["objective_cny"] == pytest.approx(30 * 300, rel=OBJ_RTOL)
