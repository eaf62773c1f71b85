"""Invariants recomputed from the results of every shipped scenario (two summer weeks each, so CI stays fast)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import energysim as es
from energysim import units as u
from energysim.results import total_cost
from tests.conftest import BASE_SCENARIO, DEFAULT_SCENARIO, OBJ_RTOL, fuel_from_rates, power_supplied

BALANCE_ATOL_MW = 1e-3
HOURS = 336


SHIPPED = {
    "plan": DEFAULT_SCENARIO,
    "base": BASE_SCENARIO,
    "local": DEFAULT_SCENARIO.with_name("jiaxing-2025-local.yaml"),
    "base-local": BASE_SCENARIO.with_name("jiaxing-2024-base-local.yaml"),
}


@pytest.fixture(scope="module", params=list(SHIPPED))
def results(request: pytest.FixtureRequest) -> xr.Dataset:
    """Two summer weeks of each shipped scenario (20 July onwards: the peak season, the reserve binds)."""
    scenario = es.load_scenario(SHIPPED[request.param])
    inputs = es.build_inputs(scenario)
    summer = inputs.isel(time=slice(24 * 200, 24 * 200 + HOURS))
    return es.run_inputs(summer)


def test_solved_to_optimality(results):
    assert results.attrs["termination_status"] == "optimal"
    assert results.sizes["time"] == HOURS


def test_hourly_balance_closes_in_every_region(results):
    """Σ generation − Σ consumption + unserved + link inflow after losses − link outflow = demand."""
    lhs = power_supplied(results)
    xr.testing.assert_allclose(lhs, results.demand.transpose(*lhs.dims), atol=BALANCE_ATOL_MW)


def test_dispatch_within_available_capacity(results):
    cap = results.capacity_existing * results.in_service + results.new_capacity.sum("region")
    limit = (results.availability * cap).where(results.tech_kind != "storage", cap)
    assert (results.generation.sum("region") <= limit + 1e-6).all()
    level_cap = results.storage_capacity.sum("region")
    assert (results.storage_level.sum("region") <= level_cap + 1e-6).all()


def test_emissions_equal_fuel_times_factor(results):
    """Sited plants and boilers: tCO2 = GJ burnt × tCO2/GJ of their fuel; grid: MWh imported × import factor."""
    grid = results.tech_kind == "grid"
    expected = xr.where(grid, results.generation * results.co2_intensity, results.fuel_use * results.fuel_co2)
    xr.testing.assert_allclose(results.emissions, expected.transpose(*results.emissions.dims), rtol=1e-9)
    assert float(results.emissions.where(~grid, 0).sum()) > 0


def test_fuel_is_heat_rate_times_power_plus_steam_fuel(results):
    """GJ = heat rate × MWh of power + GJ/t × t of steam (CHP: heat rate × (P + β·q)) + start-up fuel × MW started."""
    expected = fuel_from_rates(results)
    xr.testing.assert_allclose(results.fuel_use, expected.transpose(*results.fuel_use.dims), rtol=1e-9)


ENERGY_ATOL_GJ = 1e-6


def test_energy_out_never_exceeds_fuel_in(results):
    """Every fuel-burning technology, every hour: electricity + steam heat (LHV, GJ) ≤ fuel burnt; CHP also ≤ its
    total-efficiency limit."""
    out = results.generation * u.GJ_PER_MWH + results.steam_output * u.STEAM_GJ_PER_T
    burning = (results.fuel_use > 0).any("time")
    assert ((out <= results.fuel_use + ENERGY_ATOL_GJ) | ~burning).all()
    chp = results.tech_kind == "chp"
    limit = results.chp_total_efficiency * results.fuel_use + ENERGY_ATOL_GJ
    assert ((out <= limit) | ~chp).all()
    assert float(results.fuel_use.where(chp, 0).sum()) > 0


def test_steam_balance_closes_every_hour(results):
    supplied = results.steam_output.sum("tech") - results.steam_charge.sum("tech") + results.steam_unserved
    xr.testing.assert_allclose(supplied, results.steam_demand.transpose(*supplied.dims), atol=1e-3)
    assert float(results.steam_demand.sum()) > 0


def test_gas_balance_closes_every_day(results):
    """Σ supply + tank send-out − tank charge + unserved = city demand + pooled plants' gas, per day (MWh)."""
    day = results.time.dt.floor("D")
    supply = results.gas_supply.sum("gas_source").groupby(day).sum()
    use = results.gas_use.sum("gas_consumer").groupby(day).sum()
    send_out = results.lng_send_out.sum("lng_tank").groupby(day).sum()
    level = results.lng_tank_level.sum("lng_tank").groupby(day).last()
    boil = float(results.lng_tank_boil_off.max()) if results.sizes["lng_tank"] else 0.0
    charge = level - (1 - boil) * level.shift(floor=1, fill_value=float(level[-1])) + send_out
    np.testing.assert_allclose((supply - charge + send_out).values, use.values, rtol=1e-6)


def test_storage_level_follows_its_balance(results):
    """e_t = (1 − σ) e_(t−1) + ηc c_t − p_t / ηd, cyclic over the horizon."""
    store = results.tech.values[results.tech_kind.values == "storage"]
    for g in store:
        e = results.storage_level.sel(tech=g).sum("region").values
        c = results.consumption.sel(tech=g).sum("region").values
        p = results.generation.sel(tech=g).sum("region").values
        sigma, eta_c, eta_d = (
            float(results[v].sel(tech=g)) for v in ("self_discharge", "efficiency_charge", "efficiency_discharge")
        )
        np.testing.assert_allclose(e, (1 - sigma) * np.roll(e, 1) + eta_c * c - p / eta_d, atol=1e-4)


def test_costs_add_up_to_the_objective(results):
    assert total_cost(results) == pytest.approx(results.attrs["objective_cny"], rel=OBJ_RTOL)


def test_results_read_costs_with_the_rates_the_objective_was_built_from(results):
    """The cost rates are computed once per build and reused by the results; other inputs get their own."""
    from energysim.model.lp import lp_of
    from energysim.results import _rates

    inputs = es.inputs_from_results(results)
    model = es.build_model(inputs, arrays_only=True)
    assert _rates(model, inputs) is lp_of(model).rates
    dearer = inputs.assign(fuel_price=inputs.fuel_price * 2)
    rates = _rates(model, dearer)
    assert rates is not lp_of(model).rates and rates.inputs is dearer
    xr.testing.assert_allclose(rates.generation["fuel"], lp_of(model).rates.generation["fuel"] * 2)


def test_every_variable_has_units_and_long_name(results):
    for name, var in results.data_vars.items():
        assert "units" in var.attrs, name
        assert var.attrs.get("long_name"), name


def test_contract_dims(results):
    dims = {
        "capacity": ("region", "tech"),
        "new_capacity": ("region", "tech"),
        "storage_capacity": ("region", "tech"),
        "generation": ("time", "region", "tech"),
        "consumption": ("time", "region", "tech"),
        "storage_level": ("time", "region", "tech"),
        "demand": ("time", "region"),
        "unserved": ("time", "region"),
        "curtailment": ("time", "region", "tech"),
        "link_flow": ("time", "link"),
        "price": ("time", "region"),
        "emissions": ("time", "region", "tech"),
        "cost": ("region", "tech", "cost_component"),
    }
    units = {
        "capacity": "MW",
        "storage_capacity": "MWh",
        "generation": "MW",
        "storage_level": "MWh",
        "price": "CNY/MWh",
        "emissions": "tCO2",
        "cost": "CNY",
    }
    for name, expected in dims.items():
        assert results[name].dims == expected, name
    for name, unit in units.items():
        assert results[name].attrs["units"] == unit, name
    assert set(results.cost_component.values) >= {"capex", "fixed_om", "variable_om", "fuel", "carbon"}
    assert np.issubdtype(results.time.dtype, np.datetime64)
    for key in (
        "scenario_name",
        "scenario_resolved",
        "energysim_version",
        "solver",
        "termination_status",
        "objective_cny",
        "build_seconds",
        "solve_seconds",
        "created_utc",
    ):
        assert key in results.attrs, key
