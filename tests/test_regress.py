"""Nightly regression: unchanged runs pass, altered objectives or given totals fail, a different mix at the
same cost is an alternative optimum, and changed inputs are named as such."""

from __future__ import annotations

import json

import pytest

import energysim as es
from energysim.cli import EXIT_NOT_OPTIMAL, EXIT_OK, main
from energysim.studies.regress import PRINT_DECIMALS, TOLERANCES, compare, format_comparison, write_baseline
from tests.conftest import one_region, write_scenario

TECHS = {
    "a": {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 300},
    "b": {"kind": "thermal", "capacity_mw": 100, "variable_om_cny_per_mwh": 300},
}  # tie: degenerate dispatch


@pytest.fixture
def run_and_baseline(make_scenario, tmp_path):
    scenario, profiles = one_region([50, 150], TECHS)
    path = make_scenario(scenario, profiles)
    baseline = tmp_path / "baselines" / "scenario.json"
    return path, baseline


def edit(baseline, key, factor):
    record = json.loads(baseline.read_text())
    record["kpis"][key]["value"] *= factor
    baseline.write_text(json.dumps(record))


def test_regress_passes_unchanged_and_fails_when_the_objective_is_altered(run_and_baseline, capsys):
    path, baseline = run_and_baseline
    args = ["regress", str(path), "--baselines", str(baseline.parent)]
    assert main([*args, "--update"]) == EXIT_OK
    assert main(args) == EXIT_OK
    assert "unchanged" in capsys.readouterr().out
    edit(baseline, "objective_cny", 1.01)
    assert main(args) == EXIT_NOT_OPTIMAL
    assert "changed" in capsys.readouterr().out


def test_same_cost_with_another_mix_is_an_alternative_optimum(run_and_baseline):
    path, baseline = run_and_baseline
    results = es.run(path)
    write_baseline(results, baseline)
    record = json.loads(baseline.read_text())
    a, b = (record["kpis"][f"generation_mwh.{t}"]["value"] for t in "ab")
    record["kpis"]["generation_mwh.a"]["value"], record["kpis"]["generation_mwh.b"]["value"] = b + 10, a - 10
    baseline.write_text(json.dumps(record))
    comparison = compare(results, baseline)
    assert comparison.verdict == "alternative optimum" and not comparison.failed


def test_noise_within_tolerance_passes_and_given_totals_must_match(run_and_baseline):
    path, baseline = run_and_baseline
    results = es.run(path)
    write_baseline(results, baseline)
    edit(baseline, "objective_cny", 1 + 1e-9)
    assert compare(results, baseline).verdict == "solver noise"
    edit(baseline, "demand_mwh", 1.001)
    assert compare(results, baseline).verdict == "changed"


def test_changed_inputs_are_named(run_and_baseline, make_scenario):
    path, baseline = run_and_baseline
    write_baseline(es.run(path), baseline)
    scenario, profiles = one_region([50, 150], {**TECHS, "a": {**TECHS["a"], "variable_om_cny_per_mwh": 290}})
    assert compare(es.run(make_scenario(scenario, profiles)), baseline).verdict == "inputs changed"


def test_regress_reports_every_scenario_before_exiting(run_and_baseline, tmp_path, capsys):
    """An infeasible scenario first: it is reported, and the next one is still run and compared."""
    path, baseline = run_and_baseline
    write_baseline(es.run(path), baseline)
    scenario, profiles = one_region([40, 40], {"nuclear": {"kind": "must_run", "capacity_mw": 100}})
    infeasible = tmp_path / "stuck" / "stuck.yaml"
    infeasible.parent.mkdir()
    write_scenario(infeasible.parent, scenario, profiles).rename(infeasible)
    code = main(["regress", str(infeasible), str(path), "--baselines", str(baseline.parent)])
    out, err = capsys.readouterr()
    assert code == EXIT_NOT_OPTIMAL
    assert "stuck: failed (not optimal): The scenario has no feasible solution" in out
    assert "test: unchanged" in out  # the scenario after it was run and compared
    assert "1 of 2 scenario(s) changed or failed: stuck" in err and "Traceback" not in err


def test_only_real_differences_are_listed(run_and_baseline):
    """Solver noise is counted, not listed (its values print the same); a difference beyond tolerance is
    listed and prints differently; a KPI the baseline has and the run lacks is listed as gone."""
    path, baseline = run_and_baseline
    results = es.run(path)
    write_baseline(results, baseline)
    assert all(abs_ > 10**-PRINT_DECIMALS for _, abs_ in TOLERANCES.values())  # listed ⇒ prints differently
    edit(baseline, "objective_cny", 1 + 1e-9)
    text = format_comparison(compare(results, baseline))
    assert text == "test: solver noise (1 KPI(s) moved within tolerance, not listed; --all lists every KPI)"
    assert "objective_cny" in format_comparison(compare(results, baseline), all_rows=True)
    record = json.loads(baseline.read_text())
    record["kpis"]["generation_mwh.a"]["value"] += 0.05  # beyond the mix tolerance: 1e-4 × ≤ 200 MWh, 1e-3 MWh
    record["kpis"]["generation_mwh.retired"] = {"class": "mix", "value": 5.0}
    baseline.write_text(json.dumps(record))
    comparison = compare(results, baseline)
    listed = format_comparison(comparison).splitlines()[1:]
    assert [line.split()[0] for line in listed] == ["generation_mwh.a", "generation_mwh.retired"]
    old, new = listed[0].split()[2], listed[0].split()[4]
    assert old != new and listed[1].endswith("gone")
