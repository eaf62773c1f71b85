"""The figures say what they draw: the period in the dispatch title, every layer in its legend, baseload at the
bottom, the two CO2 bases apart, axes from zero with display names, the gas price in CNY/m³, steam makers told
apart. Checked on matplotlib's objects (titles, legend texts, artists, limits, labels), not on pixels."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.colors import to_rgb

import energysim as es
from energysim import units as u
from energysim.report.compare import waterfall
from energysim.report.plots import dispatch_week, emissions, gas_supply, peak_window, steam_supply
from tests.conftest import one_region, write_scenario

HOURS = 48
DEMAND = [300.0 + 150.0 * (17 <= h % 24 <= 20) for h in range(HOURS)]  # an evening peak
SUN = [max(0.0, float(np.sin(np.pi * (h % 24 - 6) / 12))) for h in range(HOURS)]
BOILER = {"kind": "boiler", "capacity_t_per_h": 40}
STEAM_MAKERS = {  # seven, as in Jiaxing: two coal CHP, two coal boilers, two gas boilers, an electric boiler
    "chp_extraction": {
        "kind": "chp",
        "mode": "extraction",
        "capacity_mw": 60,
        "steam_capacity_t_per_h": 60,
        "fuel": "coal",
        "heat_rate_gj_per_mwh": 9,
        "power_loss_mwe_per_mwth": 0.15,
        "back_pressure_mwe_per_mwth": 0.6,
        "display_name": "Coal CHP, extraction",
    },
    "chp_back_pressure": {
        "kind": "chp",
        "mode": "back_pressure",
        "capacity_mw": 20,
        "steam_capacity_t_per_h": 60,
        "fuel": "coal",
        "back_pressure_mwe_per_mwth": 0.25,
        "total_efficiency": 0.8,
        "display_name": "Coal CHP, back-pressure",
    },
    "small_coal": {**BOILER, "fuel": "coal", "efficiency": 0.77, "display_name": "Coal boilers ≤35 t/h"},
    "large_coal": {**BOILER, "fuel": "coal", "efficiency": 0.85, "display_name": "Coal boilers >35 t/h"},
    "gas_boiler": {**BOILER, "fuel": "gas", "efficiency": 0.92, "display_name": "Gas boilers"},
    "new_gas_boiler": {**BOILER, "fuel": "gas", "efficiency": 0.93, "display_name": "New gas boilers"},
    "e_boiler": {**BOILER, "fuel": "electricity", "efficiency": 0.97, "display_name": "Electric boilers"},
}
TECHS = {  # coal first: the order of the scenario must not be the order of the stack
    "coal": {
        "kind": "thermal",
        "capacity_mw": 300,
        "fuel": "coal",
        "heat_rate_gj_per_mwh": 10,
        "display_name": "Coal plant",
    },
    "nuclear": {"kind": "must_run", "capacity_mw": 150, "display_name": "Nuclear"},
    "pv": {
        "kind": "variable",
        "capacity_mw": 200,
        "profile": {"file": "profiles.csv", "column": "sun"},
        "display_name": "PV",
    },
    "battery": {"kind": "storage", "capacity_mw": 50, "duration_hours": 2, "display_name": "Battery"},
    "grid": {"kind": "grid", "import_capacity_mw": 100, "import_price_cny_per_mwh": 150, "display_name": "Grid"},
    **STEAM_MAKERS,
}


def january(folder, grid_price: float = 150.0):
    """Two January days with an evening peak, steam that needs all seven steam makers (380 of 400 t/h), power
    bought from the grid at ``grid_price`` CNY/MWh (up to 100 MW)."""
    techs = TECHS | {"grid": {**TECHS["grid"], "import_price_cny_per_mwh": grid_price}}
    scenario, profiles = one_region(DEMAND, techs)
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "steam"}
    profiles |= {"sun": SUN, "steam": [380.0] * HOURS}
    return es.run(write_scenario(folder, scenario, profiles))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The January run, and the same with grid power dearer than the coal plant's (for the waterfall)."""
    return january(tmp_path_factory.mktemp("a")), january(tmp_path_factory.mktemp("b"), grid_price=400)


def _legend(fig) -> list[str]:
    return [
        t.get_text() for legend in [*fig.legends, *(a.get_legend() for a in fig.axes)] if legend for t in legend.texts
    ]


def test_a_january_run_is_not_titled_as_the_summer_peak(runs):
    """The bug: a January 168-hour run drew "Dispatch around the peak of months 7, 8"."""
    ds = runs[0]
    summer = dispatch_week(ds, (7, 8)).axes[0].get_title()
    assert summer.startswith("Dispatch 2025-01-01 00:00 – 2025-01-02 23:00\n")
    assert "this run has no hour in Jul, Aug; the whole run" in summer
    winter = dispatch_week(ds, (12, 1)).axes[0].get_title()
    assert "the whole run; peak hour of Dec, Jan: 2025-01-01 17:00" in winter


def test_the_window_is_the_week_around_the_season_peak_within_the_run():
    time = pd.date_range("2025-01-01", periods=8760, freq="h")
    demand = xr.DataArray(np.where(time == "2025-08-06 14:00", 2.0, 1.0), coords={"time": time})
    demand[-1] = 3.0  # the year's peak: on 31 December
    week = peak_window(demand, (7, 8))
    assert (week.start, week.end, week.peak) == (
        pd.Timestamp("2025-08-03 14:00"),
        pd.Timestamp("2025-08-10 13:00"),
        pd.Timestamp("2025-08-06 14:00"),
    )
    assert week.in_season and not week.whole_run
    december = peak_window(demand, (12,))  # never past the end of the run: the last 168 hours
    assert (december.start, december.end) == (time[-168], time[-1])
    short = peak_window(demand.isel(time=slice(0, 48)), (7, 8))
    assert not short.in_season and short.whole_run and short.start == time[0]


def test_must_run_is_stacked_below_coal_and_weather_on_top(runs):
    """The bug: cycling coal was stacked under nuclear (the scenario's order)."""
    ax = dispatch_week(runs[0]).axes[0]
    supply = [c.get_label() for c in ax.collections if c.get_label() in ("Nuclear", "Coal plant", "PV")]
    assert supply == ["Nuclear", "Coal plant", "PV"]


def test_the_dispatch_legend_has_what_is_drawn_below_zero_and_the_price(runs):
    """The bug: electric boilers' consumption and the price line (on the twin axis) were not in the legend."""
    ds = runs[0]
    assert float(ds.consumption.sel(tech="e_boiler").sum()) > 0
    legend = _legend(dispatch_week(ds))
    assert "Electric boilers (electricity use)" in legend and "price" in legend and "demand" in legend
    charged = float(ds.consumption.sel(tech="battery").sum()) > 0
    assert ("Battery (charging)" in legend) == charged


def test_each_steam_maker_is_told_apart_by_colour_or_hatch(runs):
    """The bug: seven orange shades. Any two layers differ in hatch, or in colour by at least a fifth of the RGB
    cube's edge; coal and gas makers differ in hue."""
    ds = runs[0]
    ax = steam_supply(ds).axes[0]
    layers = {c.get_label(): (to_rgb(c.get_facecolor()[0][:3]), c.get_hatch() or "") for c in ax.collections}
    assert len(layers) == 7 and all(float(ds.steam_output.sel(tech=t).sum()) > 0 for t in STEAM_MAKERS)
    for (a, (ca, ha)), (b, (cb, hb)) in itertools.combinations(layers.items(), 2):
        assert ha != hb or np.linalg.norm(np.subtract(ca, cb)) >= 0.2, (a, b)
    assert set(layers) <= set(_legend(ax.figure))


def test_the_emissions_figure_keeps_the_two_bases_apart(runs):
    """The bug: the title's total added territorial CO2 and CO2 imported with electricity."""
    from energysim.report.accounting import co2_accounts

    ds = runs[0]
    accounts = {k: v / 1e6 for k, v in co2_accounts(ds).items()}
    assert accounts["purchased_electricity"] > 0
    fig = emissions(ds)
    territorial, consumption = fig.axes
    kt = {k: f"{v * 1e3:,.3g}" for k, v in accounts.items()}  # a short run: in kt
    assert territorial.get_title().startswith(f"CO2, territorial (sited view): {kt['territorial']} kt")
    assert consumption.get_title().startswith(f"CO2, consumption basis: {kt['consumption']} kt")
    assert territorial.get_xlabel() == consumption.get_xlabel() == "CO2 [kt]"
    mixed = f"{(accounts['territorial'] + accounts['purchased_electricity']) * 1e3:,.3g}"
    assert mixed not in territorial.get_title() and mixed not in fig.get_suptitle()
    for ax, basis in ((territorial, "territorial"), (consumption, "consumption")):  # each axis adds up to its basis
        bars = sum(patch.get_width() for patch in ax.patches)
        assert bars == pytest.approx(accounts[basis] * 1e3, rel=1e-9)
    assert "Purchased electricity" in [t.get_text() for t in consumption.get_yticklabels()]
    assert "Purchased electricity" not in [t.get_text() for t in territorial.get_yticklabels()]


def test_the_waterfall_starts_at_zero_and_names_things_as_a_planner_does(runs):
    """The bug: the y-axis started at 14,400 MCNY (a 5 % change looked like halving), with internal ids."""
    fig = waterfall(*runs, ("grid at 150", "grid at 400"))
    labels = [[t.get_text() for t in ax.get_xticklabels()] for ax in fig.axes]
    for ax, shown in zip(fig.axes, labels, strict=True):
        assert ax.get_ylim()[0] <= 0
        assert shown[0] == "grid at 150" and shown[-1] == "grid at 400"
        assert not set(shown) & {*TECHS, "carbon", "capex", "fixed_om", "variable_om", "purchase", "fuel_cost"}
    assert {"fuel", "electricity bought in"} <= set(labels[0])
    assert "Coal plant" in labels[1] and {"Coal plant", "purchased electricity"} <= set(labels[2])


def test_the_gas_price_is_drawn_in_cny_per_m3_from_zero(tmp_path):
    """Tier 1 300 × 10⁴ m³ at 2.5 CNY/m³, tier 2 open at 3.0; 480 needed: the price is 3.0 CNY/m³ every day
    (tests/formulation/test_gas.py). The bug: CNY/MWh on a 262–292 axis while the tables speak CNY/m³."""
    scenario, profiles = one_region([0.0] * HOURS, {"grid": TECHS["grid"]})
    tiers = [{"volume_1e4m3_per_year": 300 * 8760 / HOURS, "price_cny_per_m3": 2.5}, {"price_cny_per_m3": 3.0}]
    scenario["gas"] = {
        "city_demand": {"file": "profiles.csv", "column": "city"},
        "sources": {"pipe": {"kind": "pipeline", "tiers": tiers}},
    }
    ds = es.run(write_scenario(tmp_path, scenario, {**profiles, "city": [10.0] * HOURS}))
    fig = gas_supply(ds)
    supply, price = fig.axes
    assert price.get_ylabel().endswith("[CNY/m³]") and price.get_ylim()[0] == 0
    [line] = price.get_lines()
    np.testing.assert_allclose(line.get_ydata(), 3.0, rtol=1e-6)
    assert supply.get_ylabel().endswith("[$10^4$ m³/day]")
    np.testing.assert_allclose([c.get_paths()[0].vertices[:, 1].max() for c in supply.collections], 240, rtol=1e-6)
    assert "gas price" in _legend(fig)
    assert u.GAS_MWH_PER_1E4M3 > 0
