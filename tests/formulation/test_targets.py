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
            "basis": "sited plants",
            "comparison": "<=",
            "threshold": 100,
            "unit": "t",
        },
        {
            "id": "co2_consumption",
            "clause": "碳排放",
            "metric": "co2_consumption_t",
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
