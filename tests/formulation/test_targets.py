"""Plan targets: an enforced build with a known implied cost, an unmeetable target explained, met and missed
checks, and a target whose accounting basis changes the verdict."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

import energysim as es
from energysim.report.targets import evaluate_targets
from energysim.scenario.targets import load_targets
from tests.conftest import OBJ_RTOL, one_region

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}  # 300 CNY/MWh, 1 t/MWh
PV = {
    "kind": "variable",
    "max_new_mw": 80,
    "capex_cny_per_kw": 876,
    "lifetime_years": 1,
    "discount_rate": 0.0,
    "profile": {"file": "profiles.csv", "column": "pv"},
}  # 1,000 CNY/MW over 10 h


def registry(tmp_path, *targets: dict):
    path = tmp_path / "targets.yaml"
    with path.open("w") as f:
        YAML(typ="safe", pure=True).dump({"plan": "test plan", "targets": list(targets)}, f)
    return path


BUILD = {
    "id": "pv_build",
    "clause": "新增光伏",
    "metric": "new_capacity_mw",
    "techs": ["pv"],
    "basis": "new PV",
    "comparison": ">=",
    "threshold": 50,
    "unit": "MW",
    "kind": "constraint",
    "horizon": "run",  # an annual target, judged here on the 10 hours solved
}


def test_constraint_target_forces_a_build_and_reports_its_implied_cost(make_scenario, tmp_path):
    """PV that never shines (profile 0) is only built for the target: 50 MW at 1,000 CNY/MW ⇒ implied cost 1,000."""
    scenario, profiles = one_region([50] * 10, {"coal": COAL, "pv": PV}, targets=str(registry(tmp_path, BUILD)))
    profiles["pv"] = [0.0] * 10
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.new_capacity.sel(tech="pv").sum()) == pytest.approx(50, abs=1e-6)
    assert float(ds.target_shadow_price.sel(target="pv_build")) == pytest.approx(1000, rel=1e-6)
    assert ds.attrs["objective_cny"] == pytest.approx(500 * 300 + 50 * 1000, rel=OBJ_RTOL)
    table = evaluate_targets(ds, load_targets(tmp_path / "targets.yaml"))
    assert table.loc["pv_build", "met"] == "yes" and table.loc["pv_build", "implied_cost"] == pytest.approx(1000)


def test_sunny_pv_lowers_the_implied_cost_by_its_energy_value(make_scenario, tmp_path):
    """With PV at 0.1 capacity factor, each MW saves 10 h × 0.1 × 300 = 300 CNY of coal: implied cost 700."""
    scenario, profiles = one_region([50] * 10, {"coal": COAL, "pv": PV}, targets=str(registry(tmp_path, BUILD)))
    profiles["pv"] = [0.1] * 10
    ds = es.run(make_scenario(scenario, profiles))
    assert float(ds.target_shadow_price.sel(target="pv_build")) == pytest.approx(700, rel=1e-6)


def test_unmeetable_target_is_explained_with_the_shortfall(make_scenario, tmp_path):
    target = {**BUILD, "threshold": 100}  # only 80 MW may be built
    scenario, profiles = one_region([50] * 10, {"coal": COAL, "pv": PV}, targets=str(registry(tmp_path, target)))
    profiles["pv"] = [0.0] * 10
    with pytest.raises(es.InfeasibleError) as info:
        es.run(make_scenario(scenario, profiles))
    assert "plan target `pv_build`: 20.0 MW short" in str(info.value)


def test_checks_met_and_missed_and_a_basis_that_changes_the_verdict(make_scenario, tmp_path):
    """Coal 100 MW at 300 CNY/MWh (1 t/MWh) and cheaper imports at 200 CNY/MWh (1.2 t/MWh), demand 80 then 150.

    Imports carry 80 + 100 MWh, coal 0 + 50 MWh ⇒ 50 t territorial, 50 + 180 × 1.2 = 266 t consumption-based
    (grid-average factor 1.2 t/MWh). A 100 t target is met on the territorial basis and missed on the consumption
    basis; 0 unserved is met.
    """
    checks = [
        {
            "id": "co2_territorial",
            "clause": "碳排放",
            "metric": "co2_territorial_t",
            "horizon": "run",
            "basis": "sited plants",
            "comparison": "<=",
            "threshold": 100,
            "unit": "t",
        },
        {
            "id": "co2_consumption",
            "clause": "碳排放",
            "metric": "co2_consumption_t",
            "horizon": "run",
            "basis": "plus imports",
            "comparison": "<=",
            "threshold": 100,
            "unit": "t",
        },
        {
            "id": "peak_supply",
            "clause": "保供",
            "metric": "peak_season_unserved_mwh",
            "basis": "peak seasons",
            "comparison": "<=",
            "threshold": 0,
            "unit": "MWh",
        },
    ]
    grid = {"kind": "grid", "import_capacity_mw": 100, "import_price_cny_per_mwh": 200, "import_co2_t_per_mwh": 1.2}
    scenario, profiles = one_region(
        [80, 150], {"coal": {**COAL, "fuel": "coal"}, "grid": grid}, accounting={"grid_co2_t_per_mwh": 1.2}
    )
    ds = es.run(make_scenario(scenario, profiles))
    table = evaluate_targets(ds, load_targets(registry(tmp_path, *checks)))
    assert table.loc["co2_territorial", "value"] == pytest.approx(50)
    assert table.loc["co2_consumption", "value"] == pytest.approx(266)
    assert list(table.met) == ["yes", "no", "yes"]
    assert table.loc["co2_consumption", "margin"] == pytest.approx(-166)


def test_change_targets_need_a_base_year(make_scenario, tmp_path, capsys):
    """Without base-year results a change target is `n/a`; with one it is evaluated (here: no change, met)."""
    from energysim.cli import main

    check = {
        "id": "gas",
        "clause": "气价",
        "metric": "steam_price_change_pct",
        "basis": "vs base",
        "horizon": "run",
        "comparison": "<=",
        "threshold": 0,
        "unit": "%",
    }
    path = registry(tmp_path, check)
    scenario, profiles = one_region([50] * 2, {"coal": COAL})
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "load"}
    scenario["technologies"]["boiler"] = {"kind": "boiler", "fuel": "coal", "efficiency": 0.8, "capacity_t_per_h": 100}
    out = tmp_path / "r.nc"
    assert main(["run", str(make_scenario(scenario, profiles)), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["targets", str(out), "--targets", str(path)]) == 0
    assert "n/a" in capsys.readouterr().out
    assert main(["targets", str(out), "--targets", str(path), "--base", str(out)]) == 0
    text = capsys.readouterr().out
    assert "yes" in text and "0.00" in text


OWN_COAL = {"kind": "must_run", "capacity_mw": 30, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
TWO_VIEWS = {
    "own_coal": OWN_COAL,
    "jpp": {**OWN_COAL, "capacity_mw": 50, "dispatch": "provincial"},
    "nuclear": {"kind": "must_run", "capacity_mw": 200, "dispatch": "provincial"},
    "grid": {"kind": "grid", "import_capacity_mw": 200, "export_capacity_mw": 500, "import_price_cny_per_mwh": 100},
}
"""Demand 100 MW for 2 h; in both views own coal 30 t/h and 140 MWh purchased (tests/formulation/test_accounting)."""

LIKE_WITH_LIKE = [
    {"id": "carbon", "metric": "co2_intensity_change_pct", "accounting": "consumption", "horizon": "run"},
    {"id": "energy", "metric": "energy_intensity_change_pct", "accounting": "dual_control", "horizon": "run"},
    {"id": "annual", "metric": "co2_consumption_t", "threshold": 1000},
    {
        "id": "sited_only",
        "metric": "capacity_in_service_mw",
        "techs": ["jpp"],
        "on": "2025-01-01",
        "view": "sited",
        "horizon": "run",
        "comparison": ">=",
        "threshold": 50,
    },
]


@pytest.fixture(scope="module")
def like_with_like(tmp_path_factory):
    """The two-view scenario solved in both views for the plan (GDP 17.52 bn CNY/yr), its base (8.76) and a base
    accounted with a grid factor of 0.6 (results in memory), and the registry of :data:`LIKE_WITH_LIKE`."""
    from tests.conftest import write_scenario

    folder = tmp_path_factory.mktemp("like_with_like")
    runs = {}
    for name, gdp, factor in (("plan", 17.52, 0.5), ("base", 8.76, 0.5), ("base_factor", 8.76, 0.6)):
        (folder / name).mkdir()
        scenario, profiles = one_region(
            [100.0, 100.0], TWO_VIEWS, economy={"gdp_bn_cny": gdp}, accounting={"grid_co2_t_per_mwh": factor}
        )
        path = write_scenario(folder / name, {**scenario, "name": name}, profiles)
        runs[name] = {view: es.run(path, view=view) for view in ("sited", "local")}
    common = {"clause": "目标", "basis": "test", "comparison": "<=", "threshold": 0, "unit": "-"}
    return runs, registry(folder, *({**common, **t} for t in LIKE_WITH_LIKE))


def test_change_targets_compare_like_with_like(like_with_like):
    """GDP doubles from the base (8.76 → 17.52 bn CNY/yr) and nothing else changes: consumption-based CO2 (130 t)
    and energy (20.47 tce coal + 140 MWh × 0.1229 = 37.68 tce in the local view) per GDP fall by 50.00 % against a
    base of the same view, horizon and grid factor. A base in the sited view, or with a grid factor of 0.6, makes
    them n/a, and a plant accounted separately in one run but not the other makes the energy change n/a; the
    annual total is n/a on 2 hours; the sited-only target is n/a in the local view and met (50 MW in service) in
    the sited view."""
    runs, path = like_with_like
    targets = load_targets(path)
    plan, base = runs["plan"], runs["base"]

    table = evaluate_targets(plan["local"], targets, base["local"])
    assert table.loc[["carbon", "energy"], "value"].tolist() == pytest.approx([-50.0, -50.0], rel=1e-9)
    assert table.met.tolist() == ["yes", "yes", "n/a", "n/a"]
    assert table.loc["annual", "note"] == "partial year (2 of 8760 h)"
    assert table.loc["sited_only", "note"] == "target in the sited view, results in the local view"
    assert table.loc["carbon", "note"] == "on 2 of 8760 h"

    table = evaluate_targets(plan["local"], targets, base["sited"])
    assert table.loc[["carbon", "energy"], "note"].tolist() == ["base in the sited view, results in the local view"] * 2

    table = evaluate_targets(plan["local"], targets, runs["base_factor"]["local"])
    assert table.loc["carbon", "note"] == "grid factors differ: base 0.6, results 0.5 tCO2/MWh"
    assert table.loc["energy", "value"] == pytest.approx(-50.0, rel=1e-9)  # the energy account has no grid factor

    single_listed = base["local"].assign_attrs(major_projects='["own_coal"]')
    table = evaluate_targets(plan["local"], targets, single_listed)
    assert table.loc["energy", "note"] == "separately accounted projects differ: base ['own_coal'], results []"
    plan_only = plan["local"].assign_attrs(major_projects='["jpp"]')  # not in the local view: nothing to differ
    assert evaluate_targets(plan_only, targets, base["local"]).loc["energy", "value"] == pytest.approx(-50.0)

    sited = evaluate_targets(plan["sited"], targets, base["sited"])
    assert (sited.loc["sited_only", "value"], sited.loc["sited_only", "met"]) == (pytest.approx(50), "yes")
    assert sited.loc["carbon", "value"] == pytest.approx(-50.0, rel=1e-9)


def test_targets_command_prints_both_files_bases_and_refuses_a_base_of_another_view(like_with_like, tmp_path, capsys):
    from energysim.cli import main

    runs, path = like_with_like
    plan = es.write_results(runs["plan"]["local"], tmp_path / "plan.nc")
    base = es.write_results(runs["base"]["sited"], tmp_path / "base.nc")
    assert main(["targets", str(plan), "--targets", str(path), "--base", str(base)]) == 0
    out = capsys.readouterr().out
    assert "results: plan: local view; 2 of 8760 h from 2025-01-01 (partial year)" in out
    assert "base:    base: sited view; 2 of 8760 h from 2025-01-01 (partial year)" in out
    assert "warning: the base is in the sited view and the results in the local view" in out
    assert "n/a — base in the sited view, results in the local view" in out
    assert "n/a — partial year (2 of 8760 h)" in out
    assert "× 0.5 tCO2/MWh" in out and "1258号" in out  # both bases and the energy rule, in words


def test_a_carbon_intensity_target_must_state_its_basis(tmp_path):
    from energysim.errors import ScenarioError

    target = {"id": "c", "clause": "碳", "metric": "co2_intensity_change_pct", "basis": "?", "comparison": "<="}
    with pytest.raises(ScenarioError) as info:
        load_targets(registry(tmp_path, {**target, "threshold": 0, "unit": "%"}))
    assert "state the basis of `co2_intensity_change_pct`: `accounting: territorial | consumption`" in str(info.value)
    with pytest.raises(ScenarioError) as info:
        load_targets(registry(tmp_path, {**target, "threshold": 0, "unit": "%", "accounting": "dual_control"}))
    assert "measured on territorial or consumption, found `accounting: dual_control`" in str(info.value)
