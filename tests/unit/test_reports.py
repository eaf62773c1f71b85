"""Report tables: unit conversions and the sections of the printed summary."""

from __future__ import annotations

import pytest

import energysim as es
from energysim import units as u
from energysim.report.sectors import fuel_table, gas_kpis, gas_table
from energysim.report.tables import format_summary
from tests.conftest import one_region


@pytest.fixture
def mixed(make_scenario):
    """Coal plant 60 MW and a gas boiler 10 t/h for 10 h, gas from a 2.5 CNY/m³ pipeline."""
    techs = {
        "coal": {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10},
        "gas_boiler": {"kind": "boiler", "fuel": "gas", "efficiency": 0.92, "capacity_t_per_h": 50},
    }
    scenario, profiles = one_region([60.0] * 10, techs)
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "steam"}
    profiles["steam"] = [10.0] * 10
    scenario["gas"] = {
        "sources": {
            "pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}], "take_or_pay_1e4m3_per_year": 1.0}
        }
    }
    return es.run(make_scenario(scenario, profiles))


def test_fuel_table_converts_coal_to_tce_and_gas_to_cubic_metres(mixed):
    table = fuel_table(mixed)
    coal_gj = 60 * 10 * 10
    assert table.loc["coal", "coal_tce"] == pytest.approx(coal_gj / 29.3076, rel=1e-9)
    assert table.loc["coal", "coal_t_raw"] == pytest.approx(coal_gj / (5.5 * 4.1868), rel=1e-9)
    gas_gj = 100 * u.STEAM_GJ_PER_T / 0.92
    assert table.loc["gas_boiler", "gas_1e4m3"] == pytest.approx(gas_gj / 389.3, rel=1e-6)
    assert table.loc["gas_boiler", "CO2_t"] == pytest.approx(gas_gj * 0.04, rel=1e-9)


def test_gas_table_and_pool_cost(mixed):
    assert gas_table(mixed).loc["pipe", "avg_price_CNY/m3"] == pytest.approx(2.5, rel=1e-6)
    assert gas_kpis(mixed)["gas_pool_average_cost_CNY_per_m3"] == pytest.approx(2.5, rel=1e-6)


def test_summary_has_power_steam_and_gas_sections(mixed):
    text = format_summary(mixed)
    for part in ("total cost", "steam demand", "average steam price", "gas pool", "pool average cost"):
        assert part in text


def test_energy_use_and_intensities_by_basis(make_scenario):
    """Coal 50 MW × 10 h × 10 GJ/MWh = 5,000 GJ = 170.6 tce; imports 20 MW × 10 h = 200 MWh × 0.1229 = 24.6 tce.
    GDP 8.76 bn CNY/yr over 10 h = 10⁴ × 10 CNY·10⁴ ⇒ 1,000 (10⁴ CNY) ⇒ 0.1952 tce per 10⁴ CNY. CO2: coal 500 t;
    the 200 MWh bought count 0.4 t/MWh (grid-average factor) on the consumption basis: 580 t."""
    from energysim.report.accounting import co2_accounts, energy_account, intensities

    techs = {
        "coal": {"kind": "thermal", "capacity_mw": 50, "fuel": "coal", "heat_rate_gj_per_mwh": 10},
        "grid": {
            "kind": "grid",
            "import_capacity_mw": 100,
            "import_price_cny_per_mwh": 500,
            "import_co2_t_per_mwh": 0.5,
        },
    }
    scenario, profiles = one_region(
        [70.0] * 10, techs, economy={"gdp_bn_cny": 8.76}, accounting={"grid_co2_t_per_mwh": 0.4}
    )
    ds = es.run(make_scenario(scenario, profiles))
    energy = energy_account(ds)
    assert energy["coal"] == pytest.approx(5000 / 29.3076, rel=1e-9)
    assert energy["net purchases"] == pytest.approx(200 * 0.1229, rel=1e-9)
    assert intensities(ds)["energy_tce_per_1e4cny"] == pytest.approx(energy["intensity basis"] / 1000, rel=1e-9)
    assert energy["intensity basis"] / 1000 == pytest.approx(0.1952, abs=1e-4)
    co2 = co2_accounts(ds)
    assert (co2["territorial"], co2["purchased_electricity"], co2["consumption"]) == pytest.approx((500, 80, 580))
    assert float(ds.emissions.sel(tech="grid").sum()) == pytest.approx(100)  # the model's import factor, 0.5
    per_gdp = intensities(ds)  # 500 t and 580 t over 1,000 (10⁴ CNY)
    assert per_gdp["co2_territorial_t_per_1e4cny"] == pytest.approx(0.5, rel=1e-9)
    assert per_gdp["co2_consumption_t_per_1e4cny"] == pytest.approx(0.58, rel=1e-9)
    assert intensities(ds, co2=co2, energy=energy) == per_gdp  # the accounts given: the same numbers
