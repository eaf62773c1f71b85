"""Composable scenarios: merge rules, provenance, override sets, --set, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import energysim as es
from energysim.errors import ScenarioError
from tests.conftest import one_region, write_scenario

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}


@pytest.fixture
def base(tmp_path: Path) -> Path:
    scenario, profiles = one_region([50, 60], {"coal": COAL}, policy={"peak_reserve": {"months": [7, 8]}})
    return write_scenario(tmp_path, scenario, profiles)


def child(folder: Path, text: str, name: str = "child.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_maps_merge_lists_replace_and_plus_appends(base):
    path = child(
        base.parent,
        "extends: scenario.yaml\nname: child\ntechnologies:\n  coal:\n    capacity_mw: 150\n"
        "policy:\n  peak_reserve:\n    months+: [12]\n",
    )
    scenario = es.load_scenario(path)
    coal = scenario.technologies["coal"]
    assert (coal.capacity_mw, coal.heat_rate_gj_per_mwh) == (150, 10)  # merged: the parent's heat rate stays
    assert scenario.policy.peak_reserve.months == [7, 8, 12]
    assert scenario.name == "child"
    where = scenario.provenance
    assert where[("technologies", "coal", "capacity_mw")].file == str(path.resolve())
    assert where[("technologies", "coal", "capacity_mw")].line == 5
    assert where[("technologies", "coal", "heat_rate_gj_per_mwh")].file == str(base.resolve())
    replaced = child(base.parent, "extends: scenario.yaml\npolicy:\n  peak_reserve:\n    months: [1]\n", "r.yaml")
    assert es.load_scenario(replaced).policy.peak_reserve.months == [1]


def test_parent_in_another_folder_keeps_its_profile_paths(base, tmp_path):
    (tmp_path / "data").mkdir()  # a project (a folder with data/): its scenarios may name files anywhere in it
    (tmp_path / "variants").mkdir()
    path = child(tmp_path / "variants", "extends: ../scenario.yaml\nname: moved\n")
    inputs = es.build_inputs(es.load_scenario(path))
    assert inputs.demand.values.ravel().tolist() == [50, 60]


def test_override_set_and_set_values_change_values_with_their_origin(base):
    (base.parent / "overrides").mkdir()
    child(base.parent / "overrides", "technologies:\n  coal:\n    capacity_mw: 80\n", "small.yaml")
    scenario = es.load_scenario(base, overrides=["small"], sets=["fuels.coal.price_cny_per_gj=35"])
    assert scenario.technologies["coal"].capacity_mw == 80
    assert scenario.fuels["coal"].price_cny_per_gj == 35
    assert scenario.provenance[("fuels", "coal", "price_cny_per_gj")].file == "--set"
    assert scenario.provenance[("technologies", "coal", "capacity_mw")].file.endswith("small.yaml")


def test_override_that_changes_nothing_or_adds_a_key_is_an_error(base):
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(base, sets=["technologies.coal.capacity_mw=100", "technologies.coal.capacity_mv=5"])
    found = {p.key_path: p for p in info.value.problems}
    assert "the same value" in found["technologies.coal.capacity_mw"].found
    assert "did you mean `capacity_mw`" in found["technologies.coal.capacity_mv"].hint


def test_set_may_give_any_key_of_the_schema_also_one_left_at_its_default(base):
    """The YAML has no `solver:` section and no `min_stable_fraction`: the schema has both, so `--set` takes them."""
    sets = ["solver.method=ipm", "technologies.coal.min_stable_fraction=0.4", "solver.highs_options.presolve=off"]
    scenario = es.load_scenario(base, sets=sets)
    assert scenario.solver.method == "ipm" and scenario.technologies["coal"].min_stable_fraction == 0.4
    assert scenario.solver.highs_options == {"presolve": "off"}
    assert scenario.provenance[("solver", "method")].file == "--set"


@pytest.mark.parametrize(
    ("text", "wrong", "hint"),
    [
        ("solver.metod=ipm", "metod", "did you mean `method`?"),
        ("solvr.method=ipm", "solvr", "did you mean `solver`?"),
        ("technologies.cole.capacity_mw=5", "cole", "did you mean `coal`?"),  # --set changes, it does not add
        ("technologies.coal.duration_hours=4", "duration_hours", "did you mean `min_down_hours`?"),  # storage
        ("solver.method.fast=1", "fast", ""),  # below a value
    ],
)
def test_set_refuses_a_key_the_schema_does_not_have(base, text, wrong, hint):
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(base, sets=[text])
    [p] = info.value.problems
    assert (p.file, p.key_path) == ("--set", text.split("=")[0])
    assert p.found == f"`{wrong}` in --set {text}" and p.hint.startswith(hint)


def test_set_with_a_wrong_type_names_the_command_line(base):
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(base, sets=["technologies.coal.capacity_mw=lots"])
    [p] = info.value.problems
    assert (p.file, p.key_path) == ("--set", "technologies.coal.capacity_mw") and "'lots'" in p.found


def test_a_cycle_of_parents_is_an_error(tmp_path):
    child(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    child(tmp_path, "extends: a.yaml\nname: b\n", "b.yaml")
    with pytest.raises(ScenarioError, match="no cycle of parents"):
        es.load_scenario(tmp_path / "a.yaml")


def test_errors_in_a_parent_point_at_the_parent_file_and_line(base):
    text = base.read_text().replace("capacity_mw: 100", "capacity_mw: -1")
    base.write_text(text)
    path = child(base.parent, "extends: scenario.yaml\nname: c\n")
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(path)
    [p] = info.value.problems
    assert p.file == str(base.resolve()) and p.line is not None


def test_show_prints_values_and_origins(base, capsys):
    from energysim.cli import main

    assert main(["show", str(base), "--set", "fuels.coal.price_cny_per_gj=35"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("fuels.coal.price_cny_per_gj"))
    assert "35" in line and line.endswith("# --set")
    assert any(x.startswith("technologies.coal.capacity_mw") and "scenario.yaml:" in x for x in out.splitlines())
