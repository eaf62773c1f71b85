"""Accounting bases on micro-scenarios with hand-computed answers: consumption-based CO2 is the same in the sited
and the local view, and the energy account applies the dual-control rules (1258号, 803号, 能耗单列)."""

from __future__ import annotations

import pytest

import energysim as es
from energysim.report.accounting import (
    TCE_PER_MWH_ELECTRICITY,
    co2_accounts,
    energy_account,
    energy_rule,
    intensities,
    purchased_electricity_mwh,
)
from tests.conftest import OBJ_RTOL, one_region

# coal 0.1 tCO2/GJ (conftest) × 10 GJ/MWh = 1 tCO2/MWh
LOCAL_COAL = {"kind": "must_run", "capacity_mw": 30, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
PROVINCIAL_COAL = {**LOCAL_COAL, "capacity_mw": 50, "dispatch": "provincial"}
NUCLEAR = {"kind": "must_run", "capacity_mw": 200, "dispatch": "provincial"}
GRID = {
    "kind": "grid",
    "import_capacity_mw": 200,
    "export_capacity_mw": 500,
    "import_price_cny_per_mwh": 100,
    "export_price_cny_per_mwh": 50,
    "import_co2_t_per_mwh": 0.8,  # what the model charges on imports; the accounts use the grid-average factor
}


@pytest.fixture(scope="module")
def two_views(tmp_path_factory):
    """One scenario, demand 100 MW for 2 h, solved in both views (grid-average factor 0.5 t/MWh)."""
    from tests.conftest import write_scenario

    techs = {"local_coal": LOCAL_COAL, "jpp": PROVINCIAL_COAL, "nuclear": NUCLEAR, "grid": GRID}
    scenario, profiles = one_region([100.0, 100.0], techs, accounting={"grid_co2_t_per_mwh": 0.5})
    path = write_scenario(tmp_path_factory.mktemp("views"), scenario, profiles)
    return {view: es.run(path, view=view) for view in ("sited", "local")}


def test_consumption_basis_is_the_same_in_the_sited_and_the_local_view(two_views):
    """Own coal 30 MW (30 t/h) in both views. Sited: the province's coal 50 MW (50 t/h) and nuclear 200 MW are
    here too, 180 MW go out: territorial 2 × 80 = 160 t, purchased = 2 × (250 − 180) = 140 MWh. Local: 70 MW
    imported, 140 MWh. Consumption = 60 + 140 × 0.5 = 130 t in both; leakage −30 t (sited), +70 t (local).
    (The former basis — territorial + imports at 0.8 − exports at the local power intensity — gave 57.1 and
    172 t.)"""
    sited, local = (co2_accounts(two_views[v]) for v in ("sited", "local"))
    assert purchased_electricity_mwh(two_views["sited"]) == pytest.approx(140, rel=OBJ_RTOL)
    assert purchased_electricity_mwh(two_views["local"]) == pytest.approx(140, rel=OBJ_RTOL)
    expected = {"territorial": 160, "own_plants": 60, "provincial_plants": 100, "consumption": 130, "leakage": -30}
    assert {k: sited[k] for k in expected} == pytest.approx(expected, rel=OBJ_RTOL)
    expected = {"territorial": 60, "own_plants": 60, "provincial_plants": 0, "consumption": 130, "leakage": 70}
    assert {k: local[k] for k in expected} == pytest.approx(expected, rel=OBJ_RTOL)


def _energy_run(tmp_path, name: str, pv_mw: float) -> object:
    """Demand 150 MW for 10 h: a separately accounted unit of 20 MW must run (9 GJ/MWh), PV at half its
    capacity, coal 50 MW (300 CNY/MWh), the rest imported (500 CNY/MWh). GDP 8.76 bn CNY/yr, feedstock 8,760
    tce/yr: over 10 h, 1,000 × 10⁴ CNY and 10 tce."""
    from tests.conftest import write_scenario

    techs = {
        "unit9": {"kind": "must_run", "capacity_mw": 20, "fuel": "coal", "heat_rate_gj_per_mwh": 9},
        "coal": {"kind": "thermal", "capacity_mw": 50, "fuel": "coal", "heat_rate_gj_per_mwh": 10},
        "pv": {"kind": "variable", "capacity_mw": pv_mw, "profile": {"file": "profiles.csv", "column": "pv"}},
        "grid": {"kind": "grid", "import_capacity_mw": 100, "import_price_cny_per_mwh": 500},
    }
    accounting = {"major_projects": ["unit9"], "feedstock_tce_per_year": 8760}
    scenario, profiles = one_region([150.0] * 10, techs, economy={"gdp_bn_cny": 8.76}, accounting=accounting)
    scenario["name"] = name
    profiles["pv"] = [0.5] * 10
    folder = tmp_path / name
    folder.mkdir()
    return es.run(write_scenario(folder, scenario, profiles))


def test_energy_account_follows_the_dual_control_rules(tmp_path):
    """Plan (PV 80 MW → 40 MW): coal (50 × 10 + 20 × 9) × 10 h = 6,800 GJ = 232.02 tce; PV 400 MWh and imports
    400 MWh at 0.1229 = 49.16 tce each; feedstock −10 tce; the separately accounted unit leaves with its 1,800 GJ
    (61.42 tce) and its 200 MWh count as purchased (+24.58): −36.84 tce. Intensity basis 283.50 tce, i.e. 0.2835
    tce per 10⁴ CNY. Base (PV 40 MW → 200 MWh): new renewable power 200 MWh = 24.58 tce out of the total only:
    258.92 tce."""
    plan, base = _energy_run(tmp_path, "plan", 80), _energy_run(tmp_path, "base", 40)
    account = energy_account(plan, base)
    expected = {
        "coal": 6800 / 29.3076,
        "non-fossil power": 400 * 0.1229,
        "net purchases": 400 * 0.1229,
        "feedstock (out)": -10,
        "major projects (out)": -(1800 / 29.3076 - 200 * 0.1229),
        "intensity basis": 283.5042,
        "new renewable power (out of the total)": -200 * TCE_PER_MWH_ELECTRICITY,
        "total basis": 258.9242,
    }
    assert account == pytest.approx(expected, rel=1e-6)
    assert intensities(plan)["energy_tce_per_1e4cny"] == pytest.approx(0.283504, rel=1e-5)
    assert energy_account(plan)["total basis"] != energy_account(plan)["total basis"]  # NaN without a base year
    rule = energy_rule(plan)
    assert "1258号" in rule and "803号" in rule and "8,760 tce/yr" in rule and "unit9" in rule


def test_waterfall_shows_both_bases_and_the_leakage(two_views):
    """From the sited to the local view of the same consumers: territorial 0.16 → 0.06 kt (the province's coal
    leaves), consumption-based 0.13 → 0.13 kt (own coal 0.06 + purchased 0.07 in both), leakage −0.03 → 0.07 kt."""
    from energysim.report.compare import co2_by_source, waterfall

    sited, local = two_views["sited"], two_views["local"]
    territorial = {"local_coal": 0.06, "jpp": 0.1, "nuclear": 0.0}
    assert co2_by_source(sited, "territorial").to_dict() == pytest.approx(territorial)
    expected = {"local_coal": 0.06, "purchased electricity": 0.07}
    for ds in (sited, local):
        assert co2_by_source(ds, "consumption").to_dict() == pytest.approx(expected)
    titles = [ax.get_title() for ax in waterfall(sited, local, ("sited", "local")).axes]
    assert titles[1:] == [
        "CO2 territorial\n0.16 → 0.06 kt",
        "CO2 consumption basis\n0.13 → 0.13 kt\nleakage (consumption − territorial)\n-0.03 → 0.07 kt",
    ]


def test_the_summary_names_each_co2_basis_once_with_its_figure(two_views):
    """The summary's CO2 line for the sited view: territorial 160 t = 0.000160 Mt, printed to 3 decimals, with the
    basis said once (it read "sited view view plants and boilers")."""
    from energysim.report.tables import format_summary

    text = format_summary(two_views["sited"])
    assert "CO2 territorial (plants and boilers of the sited view): 0.000 Mt" in text
    assert "view view" not in text
    # at 3 decimals 160 t prints 0.000 whatever the figure: with every plant's CO2 × 10⁴ the figures show.
    # Territorial 160 t × 10⁴ = 1.600 Mt; consumption basis: own plants 60 t × 10⁴ = 0.600 Mt + 140 MWh × 0.5 t
    # (70 t, not scaled) = 0.600 Mt; leakage 0.60007 − 1.6 = −1.000 Mt
    ds = two_views["sited"]
    line = format_summary(ds.assign(emissions=ds.emissions * 1e4)).splitlines()
    line = next(x for x in line if x.startswith("CO2 territorial"))
    assert line.startswith("CO2 territorial (plants and boilers of the sited view): 1.600 Mt; consumption basis 0.600")
    assert "(own plants 0.600 + net purchased 0.000 TWh × 0.5 t/MWh" in line and line.endswith("leakage -1.000 Mt")


def test_a_missing_base_says_how_to_get_one(two_views):
    """Without base-year results the target table says which file it looked for and how to make it."""
    from energysim.report.targets import targets_context

    lines = targets_context(two_views["sited"], None, "results/base.nc")
    assert lines[1] == "base:    none at results/base.nc — changes against the base year are n/a"
    assert "solve the base-year scenario first" in lines[2] and "--base FILE" in lines[2]


def test_the_city_kpis_and_key_figures_of_each_view_by_hand(two_views):
    """The same consumers in both views, at the city's price of 50 CNY/MWh (the export price: one MWh more
    demand is one MWh less sold). Sited: the city's plants (30 + 50 + 200 MW) run 180 MW above its 100 MW
    demand: 360 MWh sold, net purchases −180 % of demand ("Net sales 180.0 %"); its cost is the coal burnt,
    80 MW × 2 h × 10 GJ/MWh × 30 CNY/GJ = 48,000 CNY, less the 18,000 CNY its sales earn: 30,000 CNY. Local:
    only the 30 MW of coal are its own, it buys 70 MW (140 MWh, 70 %): 18,000 + 7,000 = 25,000 CNY."""
    from energysim.report.accounting import city_kpis
    from energysim.report.keyfigures import headline_numbers, key_figures

    common = {"demand_TWh": 200e-6, "peak_demand_MW": 100, "co2_consumption_Mt": 130e-6,
              "average_price_CNY_per_MWh": 50, "peak_price_CNY_per_MWh": 50}  # fmt: skip
    expected = {
        "sited": common | {"imports_TWh": 0, "exports_TWh": 360e-6, "import_share": -1.8, "co2_territorial_Mt": 160e-6,
                           "co2_leakage_Mt": -30e-6, "city_cost_MCNY": 0.030},
        "local": common | {"imports_TWh": 140e-6, "exports_TWh": 0, "import_share": 0.7, "co2_territorial_Mt": 60e-6,
                           "co2_leakage_Mt": 70e-6, "city_cost_MCNY": 0.025},
    }  # fmt: skip
    shown = {"sited": ("Net sales", "180.0 %"), "local": ("Net purchases", "70.0 %")}
    for view, ds in two_views.items():
        assert city_kpis(ds) == pytest.approx(expected[view], rel=OBJ_RTOL, abs=1e-12)
        numbers = headline_numbers(ds)
        assert {k: numbers[k] for k in expected[view]} == pytest.approx(expected[view], rel=OBJ_RTOL, abs=1e-12)
        assert numbers["total_cost_MCNY"] == pytest.approx(0.030, rel=OBJ_RTOL)  # the same LP in both views
        figures = {f.label: f for f in key_figures(ds, numbers)}
        label, value = shown[view]
        assert figures[label].value == value
        assert figures["Average electricity price"].value == "50 CNY/MWh"
        assert figures["Peak demand"].value == "100 MW"


def test_the_kpi_table_compares_the_views_by_hand(two_views):
    """kpi_table of the two views (see above): territorial CO2 160 → 60 t, consumption 130 t in both (change 0),
    140 MWh purchased on the consumption basis in both; every plant's capacity in both; the grid tie generates
    nothing in either run (it only exports) and nothing is built, so those rows are left out."""
    from energysim.report.compare import kpi_table

    table = kpi_table({"sited": two_views["sited"], "local": two_views["local"]})
    rows = {
        "co2_territorial_Mt": (160e-6, 60e-6, -100e-6),
        "co2_consumption_Mt": (130e-6, 130e-6, 0.0),
        "co2_own_plants_Mt": (60e-6, 60e-6, 0.0),
        "co2_provincial_plants_Mt": (100e-6, 0.0, -100e-6),
        "co2_purchased_electricity_Mt": (70e-6, 70e-6, 0.0),
        "electricity_purchased_TWh": (140e-6, 140e-6, 0.0),
        "exports_TWh": (360e-6, 0.0, -360e-6),
        "capacity_MW.nuclear": (200, 200, 0),
        "generation_TWh.jpp": (100e-6, 100e-6, 0),
    }
    for row, values in rows.items():
        assert tuple(table.loc[row]) == pytest.approx(values, rel=OBJ_RTOL, abs=1e-12), row
    assert list(table.columns) == ["sited", "local", "local − sited"]
    assert "generation_TWh.grid" not in table.index and "new_capacity_MW.nuclear" not in table.index


def test_intensities_once_reads_each_dataset_once_and_notices_a_new_grid_factor(two_views, monkeypatch):
    """GDP set to 10 (10⁴ CNY) over the run: consumption CO2 130 t → 13 t per 10⁴ CNY. Inside ``intensities_once``
    a second call reads no account again; a grid factor of 1.0 (60 + 140 × 1.0 = 200 t) is noticed: 20, and so is
    a doubled GDP: 10."""
    from energysim.report import accounting

    ds = two_views["local"].copy()
    ds.attrs["gdp_bn_cny"] = 10 / 1e5 / float(ds.attrs["year_fraction"])
    reads = []
    counted = accounting.co2_accounts
    monkeypatch.setattr(accounting, "co2_accounts", lambda d: reads.append(1) or counted(d))
    with accounting.intensities_once():
        first = accounting.intensities(ds)["co2_consumption_t_per_1e4cny"]
        again = accounting.intensities(ds)["co2_consumption_t_per_1e4cny"]
        assert len(reads) == 1
        ds.attrs["grid_co2_t_per_mwh"] = 1.0
        changed = accounting.intensities(ds)["co2_consumption_t_per_1e4cny"]
        ds.attrs["gdp_bn_cny"] *= 2  # GDP doubled: 200 t over 20 × 10⁴ CNY
        halved = accounting.intensities(ds)["co2_consumption_t_per_1e4cny"]
    assert (first, again, changed, halved) == pytest.approx((13.0, 13.0, 20.0, 10.0), rel=OBJ_RTOL)
    accounting.intensities(ds)
    accounting.intensities(ds)
    assert len(reads) == 5  # outside the block: read every time


def test_a_memo_kept_by_the_caller_lasts_across_blocks_and_forgets_datasets_gone(two_views, monkeypatch):
    """A robustness worker keeps one memo for all its variants: the base year's intensities are read in the first
    block only; a variant's Dataset, once dropped, leaves no entry behind."""
    import gc

    from energysim.report import accounting

    base, variant = two_views["local"].copy(), two_views["sited"].copy()
    for ds in (base, variant):
        ds.attrs["gdp_bn_cny"] = 10 / 1e5 / float(ds.attrs["year_fraction"])
    reads = []
    counted = accounting.co2_accounts
    monkeypatch.setattr(accounting, "co2_accounts", lambda d: reads.append(1) or counted(d))
    memo: dict = {}
    for _ in range(3):
        with accounting.intensities_once(memo):
            accounting.intensities(base)
            accounting.intensities(variant)
    assert len(reads) == 2
    del variant, ds
    gc.collect()
    with accounting.intensities_once(memo):
        accounting.intensities(base)
    assert len(reads) == 2 and list(memo) == [id(base)]
