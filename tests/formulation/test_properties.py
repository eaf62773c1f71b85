"""Property tests: for random single-hour merit orders the LP cost equals the greedy (merit-order) cost."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import energysim as es
from tests.conftest import OBJ_RTOL, one_region, write_scenario

plant = st.tuples(st.floats(1, 500), st.floats(10, 1000))  # (capacity MW, cost CNY/MWh)


def merit_order_cost(plants: list[tuple[float, float]], demand: float, voll: float) -> float:
    """Fill demand from the cheapest plant up; the remainder is unserved at VOLL."""
    cost, left = 0.0, demand
    for cap, price in sorted(plants, key=lambda p: p[1]):
        used = min(cap, left)
        cost += used * price
        left -= used
    return cost + left * voll


DEMAND = st.one_of(st.just(0.0), st.floats(0.01, 2000))
"""MW; below HiGHS's primal feasibility tolerance (1e-7) a demand may be left unserved at no cost."""


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plants=st.lists(plant, min_size=1, max_size=5), demand=DEMAND)
def test_lp_cost_equals_merit_order_cost(tmp_path_factory, plants, demand):
    techs = {
        f"g{i}": {"kind": "thermal", "capacity_mw": cap, "variable_om_cny_per_mwh": price}
        for i, (cap, price) in enumerate(plants)
    }
    scenario, profiles = one_region([demand], techs, value_of_lost_load_cny_per_mwh=5000)
    ds = es.run(write_scenario(tmp_path_factory.mktemp("merit"), scenario, profiles))
    expected = merit_order_cost(plants, demand, 5000)
    assert ds.attrs["objective_cny"] == pytest.approx(expected, rel=OBJ_RTOL, abs=1e-6)
    supplied = float(ds.generation.sum()) + float(ds.unserved.sum())
    assert supplied == pytest.approx(demand, rel=1e-9, abs=1e-6)


ENERGY_ATOL_GJ = 1e-6
"""Slack on "energy out ≤ fuel in" per hour, GJ (HiGHS's feasibility tolerance is 1e-7 MW)."""

chp_parameters = st.fixed_dictionaries(
    {
        "heat_rate": st.floats(5.0, 14.0),  # GJ/MWh: η_e 0.26-0.72
        "beta": st.one_of(st.just(0.0), st.floats(1e-6, 0.3)),  # a non-zero number is at least 1e-12 in size
        "c_m": st.floats(0.1, 3.0),
        "total": st.floats(0.6, 1.0),
        "back_pressure": st.booleans(),
    }
)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(p=chp_parameters, steam=st.lists(st.floats(0, 300), min_size=3, max_size=3), power=st.floats(0, 200))
def test_every_valid_chp_delivers_at_most_its_fuel(tmp_path_factory, p, steam, power):
    """For random CHP parameters the schema accepts, every hour's electricity + heat ≤ total efficiency × fuel
    (so ≤ fuel), whatever the steam and power demands; parameters that break it must be refused."""
    from energysim import units as u

    mode = "back_pressure" if p["back_pressure"] else "extraction"
    chp = {
        "kind": "chp",
        "mode": mode,
        "capacity_mw": 100.0,
        "fuel": "coal",
        "back_pressure_mwe_per_mwth": p["c_m"],
        "total_efficiency": p["total"],
        "steam_capacity_t_per_h": 100.0 / (p["c_m"] + (0 if p["back_pressure"] else p["beta"])) / u.STEAM_MWH_PER_T,
    }
    if mode == "extraction":
        chp |= {"heat_rate_gj_per_mwh": p["heat_rate"], "power_loss_mwe_per_mwth": p["beta"]}
    grid = {"kind": "grid", "import_capacity_mw": 500, "export_capacity_mw": 500, "import_price_cny_per_mwh": 300}
    boiler = {"kind": "boiler", "fuel": "gas", "efficiency": 0.9, "capacity_t_per_h": 300}
    scenario, profiles = one_region([power] * 3, {"chp": chp, "grid": grid, "boiler": boiler})
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "steam"}
    profiles["steam"] = steam
    path = write_scenario(tmp_path_factory.mktemp("chp"), scenario, profiles)
    eta = 3.6 / p["heat_rate"]
    breaks = mode == "extraction" and eta * (1 + p["c_m"]) / (p["c_m"] + p["beta"]) > p["total"] * (1 + 1e-9)
    if breaks:
        with pytest.raises(es.ScenarioError, match="of its fuel energy anywhere"):
            es.load_scenario(path)
        return
    ds = es.run(path)
    out = (
        ds.generation.sel(tech="chp").sum("region") * 3.6
        + ds.steam_output.sel(tech="chp").sum("region") * u.STEAM_GJ_PER_T
    )
    fuel = ds.fuel_use.sel(tech="chp").sum("region")
    assert (out <= p["total"] * fuel + ENERGY_ATOL_GJ).all()
    assert (out <= fuel + ENERGY_ATOL_GJ).all()
