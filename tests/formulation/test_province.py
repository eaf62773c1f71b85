"""Two zones, a city and its province: the city's price is the provincial balance's dual, set by the province's
marginal unit while the link is free, by the city's own marginal unit when the link is congested. Views
attribute the same solution differently. Every answer below is computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

import energysim as es
from energysim.report.accounting import city_kpis, co2_accounts, own_techs, provincial_kpis, purchases
from tests.conftest import OBJ_RTOL

HOURS = 3
CITY_MW, PROVINCE_MW = 100.0, 1000.0
COAL = {"kind": "thermal", "region": "province", "capacity_mw": 2000, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
"""Provincial coal: 10 GJ/MWh × 30 CNY/GJ = 300 CNY/MWh, 10 GJ × 0.1 t/GJ = 1 tCO2/MWh."""
GAS = {"kind": "thermal", "region": "city", "capacity_mw": 200, "fuel": "gas", "heat_rate_gj_per_mwh": 12}
"""The city's gas plant: 12 GJ/MWh × 50 CNY/GJ = 600 CNY/MWh, 12 × 0.04 = 0.48 tCO2/MWh."""


def two_zones(link_mw: float, loss: float = 0.0, **techs: Any) -> tuple[dict, dict]:
    scenario = {
        "name": "two-zones",
        "time": {"start": "2025-01-01 00:00", "hours": HOURS},
        "regions": {
            "city": {"demand": {"file": "profiles.csv", "column": "city"}},
            "province": {"demand": {"file": "profiles.csv", "column": "province"}, "role": "province"},
        },
        "technologies": {"coal": COAL, "gas": GAS, **techs},
        "fuels": {
            "coal": {"price_cny_per_gj": 30.0, "co2_t_per_gj": 0.1},
            "gas": {"price_cny_per_gj": 50.0, "co2_t_per_gj": 0.04},
        },
        "links": {"tie": {"from": "city", "to": "province", "capacity_mw": link_mw, "loss_fraction": loss}},
    }
    return scenario, {"city": [CITY_MW] * HOURS, "province": [PROVINCE_MW] * HOURS}


def price(ds, region: str) -> list[float]:
    return ds.price.sel(region=region).values.tolist()


def test_free_link_city_price_is_the_provincial_marginal_unit(make_scenario):
    """Link 500 MW > the city's 100 MW: coal serves both at 300 CNY/MWh; the city's gas (600) stays off."""
    ds = es.run(make_scenario(*two_zones(500.0)))
    assert price(ds, "city") == pytest.approx([300.0] * HOURS, rel=OBJ_RTOL)
    assert price(ds, "province") == pytest.approx([300.0] * HOURS, rel=OBJ_RTOL)
    assert float(ds.generation.sel(tech="gas").sum()) == pytest.approx(0.0, abs=1e-6)
    assert ds.link_flow.values.ravel() == pytest.approx([-CITY_MW] * HOURS)  # province → city
    assert float(ds.attrs["objective_cny"]) == pytest.approx(HOURS * 1100 * 300.0, rel=OBJ_RTOL)


def test_congested_link_city_price_is_its_own_marginal_unit(make_scenario):
    """Link 40 MW: the city imports 40 MW at the provincial 300 CNY/MWh and burns gas for the other 60 MW, which
    sets its price at 600 CNY/MWh; the province's stays 300."""
    ds = es.run(make_scenario(*two_zones(40.0)))
    assert price(ds, "city") == pytest.approx([600.0] * HOURS, rel=OBJ_RTOL)
    assert price(ds, "province") == pytest.approx([300.0] * HOURS, rel=OBJ_RTOL)
    assert ds.generation.sel(tech="gas").sum("region").values == pytest.approx([60.0] * HOURS)
    assert float(ds.attrs["objective_cny"]) == pytest.approx(HOURS * (1040 * 300.0 + 60 * 600.0), rel=OBJ_RTOL)


def test_losses_lift_the_city_price_by_what_the_link_loses(make_scenario):
    """2 % lost on the way: a MWh in the city takes 1/0.98 MWh of coal, so its price is 300/0.98; coal burns
    1,000 + 100/0.98 MW (still cheaper than the city's gas at 600), so the cost is 3 × 300 × (1,000 + 102.04)."""
    ds = es.run(make_scenario(*two_zones(500.0, loss=0.02)))
    assert price(ds, "city") == pytest.approx([300.0 / 0.98] * HOURS, rel=OBJ_RTOL)
    assert price(ds, "province") == pytest.approx([300.0] * HOURS, rel=OBJ_RTOL)
    assert ds.link_flow.values.ravel() == pytest.approx([-CITY_MW / 0.98] * HOURS)  # sent from the province
    assert float(ds.generation.sel(tech="gas").sum()) == pytest.approx(0.0, abs=1e-6)
    expected = HOURS * 300.0 * (PROVINCE_MW + CITY_MW / 0.98)
    assert float(ds.attrs["objective_cny"]) == pytest.approx(expected, rel=OBJ_RTOL)


def test_city_accounts_against_the_province(make_scenario):
    """Congested case: the city buys 40 MW from the province and burns 60 MW of gas (0.48 tCO2/MWh); on the
    consumption basis the 40 MW carry the grid-average factor (0.55 t/MWh); the province's peak is 1,100 MW, of
    which the city is 100."""
    ds = es.run(make_scenario(*two_zones(40.0)))
    assert purchases(ds).values == pytest.approx([40.0] * HOURS)
    co2 = co2_accounts(ds)
    assert co2["territorial"] == pytest.approx(HOURS * 60 * 0.48, rel=1e-9)
    assert co2["purchased_electricity"] == pytest.approx(HOURS * 40 * 0.55, rel=1e-9)
    assert co2["consumption"] == pytest.approx(HOURS * (60 * 0.48 + 40 * 0.55), rel=1e-9)
    city = city_kpis(ds)
    assert city["import_share"] == pytest.approx(0.4, rel=1e-9)
    assert city["average_price_CNY_per_MWh"] == pytest.approx(600.0, rel=OBJ_RTOL)
    assert city["city_cost_MCNY"] * 1e6 == pytest.approx(HOURS * (60 * 600.0 + 40 * 600.0), rel=OBJ_RTOL)
    province = provincial_kpis(ds)
    assert province["city_share_of_provincial_peak"] == pytest.approx(100 / 1100, rel=1e-9)
    assert province["province_average_price_CNY_per_MWh"] == pytest.approx((100 * 600 + 1000 * 300) / 1100)


def test_views_solve_the_same_system_and_attribute_it_differently(make_scenario):
    """A provincially dispatched 80 MW nuclear plant sited in the city: the same LP in both views. Sited, the
    city has 80 MW of its own and buys 20 MW; local, the plant is the province's and the city buys 100 MW.
    Consumption-based CO2 is the same in both: 100 MW of net purchases beyond its locally dispatched plants
    (none) × 0.55 t/MWh."""
    nuclear = {"kind": "must_run", "region": "city", "dispatch": "provincial", "capacity_mw": 80}
    path = make_scenario(*two_zones(500.0, nuclear=nuclear))
    sited, local = (es.run(path, view=view) for view in ("sited", "local"))
    assert float(sited.attrs["objective_cny"]) == pytest.approx(float(local.attrs["objective_cny"]), rel=OBJ_RTOL)
    coal = sited.generation.sel(tech="coal").sum("region").values
    assert coal == pytest.approx([CITY_MW + PROVINCE_MW - 80] * HOURS)  # the nuclear plant runs in both views
    assert sited.generation.equals(local.generation)
    assert bool(own_techs(sited).sel(tech="nuclear")) and not bool(own_techs(local).sel(tech="nuclear"))
    assert purchases(sited).values == pytest.approx([20.0] * HOURS)
    assert purchases(local).values == pytest.approx([100.0] * HOURS)
    assert co2_accounts(sited)["consumption"] == pytest.approx(HOURS * 100 * 0.55, rel=1e-9)
    assert co2_accounts(local)["consumption"] == pytest.approx(HOURS * 100 * 0.55, rel=1e-9)
    assert co2_accounts(sited)["territorial"] == co2_accounts(local)["territorial"] == pytest.approx(0.0)


def test_a_priority_infeed_is_taken_whatever_its_price(make_scenario):
    """A 50 MW hydro line into the province at 400 CNY/MWh, dearer than coal (300): with `min_import_fraction` 1
    its whole available flow (0.8 × 50 = 40 MW) comes in and coal serves the rest; without it, none. Cost:
    3 × (40 × 400 + 1,060 × 300), and 3 × 1,100 × 300 without."""
    hydro = {
        "kind": "grid",
        "region": "province",
        "import_capacity_mw": 50,
        "availability_profile": {"file": "profiles.csv", "column": "schedule"},
        "import_price_cny_per_mwh": 400,
    }
    for share, expected in ((1.0, 40.0), (0.0, 0.0)):
        scenario, profiles = two_zones(500.0, hydro={**hydro, "min_import_fraction": share})
        ds = es.run(make_scenario(scenario, {**profiles, "schedule": [0.8] * HOURS}))
        assert ds.generation.sel(tech="hydro").sum("region").values == pytest.approx([expected] * HOURS)
        assert price(ds, "province") == pytest.approx([300.0] * HOURS, rel=OBJ_RTOL)
        coal = CITY_MW + PROVINCE_MW - expected
        assert float(ds.attrs["objective_cny"]) == pytest.approx(HOURS * (expected * 400 + coal * 300), rel=OBJ_RTOL)


def test_the_provinces_new_renewables_are_not_the_citys(make_scenario, tmp_path):
    """1258号 takes the city's new renewable power out of its energy total. 500 MW of PV added in the province
    (at full output for 3 h: 1,500 MWh) is the province's: the city's new renewable power stays 0 tce."""
    from energysim.report.accounting import energy_account

    def run(pv_mw: float) -> object:
        pv = {"kind": "variable", "region": "province", "capacity_mw": pv_mw,
              "profile": {"file": "profiles.csv", "column": "pv"}}  # fmt: skip
        scenario, profiles = two_zones(500.0, pv=pv)
        scenario["name"] = f"pv-{pv_mw:.0f}"
        return es.run(make_scenario(scenario, {**profiles, "pv": [1.0] * HOURS}))

    base, plan = run(0.0), run(500.0)
    assert float(plan.generation.sel(tech="pv").sum()) == pytest.approx(1500.0, rel=OBJ_RTOL)
    assert energy_account(plan, base)["new renewable power (out of the total)"] == pytest.approx(0.0, abs=1e-9)
