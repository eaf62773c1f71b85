"""Exit codes and messages of the command line: 0 ok, 1 bad input, 2 usage, 3 infeasible, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import energysim as es
from energysim.cli import EXIT_INPUT, EXIT_NOT_OPTIMAL, EXIT_OK, EXIT_USAGE, main
from tests.conftest import DEFAULT_SCENARIO, one_region

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}


def test_run_writes_results_and_prints_summary(make_scenario, tmp_path, capsys):
    scenario, profiles = one_region([50, 60], {"coal": COAL})
    out = tmp_path / "res" / "r.nc"
    assert main(["run", str(make_scenario(scenario, profiles)), "-o", str(out)]) == EXIT_OK
    printed = capsys.readouterr()
    assert "total cost" in printed.out
    assert "build" in printed.err and "solve (optimal)" in printed.err  # progress by stage, with times
    assert es.read_results(out).attrs["objective_cny"] == pytest.approx(110 * 300)


def test_invalid_scenario_exits_1_with_one_line_per_problem(make_scenario, capsys):
    scenario, profiles = one_region([1], {"coal": {**COAL, "capacity_mv": 5}})
    assert main(["validate", str(make_scenario(scenario, profiles))]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "technologies.coal.capacity_mv" in err and "did you mean `capacity_mw`" in err
    assert "Traceback" not in err


def test_infeasible_scenario_exits_3_with_a_diagnosis_and_no_file(make_scenario, tmp_path, capsys):
    """Must-run 100 MW against 40 MW of demand, nothing to absorb the rest: 60 MW surplus in each hour."""
    scenario, profiles = one_region([40, 40], {"nuclear": {"kind": "must_run", "capacity_mw": 100}})
    out = tmp_path / "never.nc"
    assert main(["run", str(make_scenario(scenario, profiles)), "-o", str(out)]) == EXIT_NOT_OPTIMAL
    err = capsys.readouterr().err
    assert "power balance, region r" in err and "2 hour(s)" in err and "worst 60.0 MW" in err
    assert "No results were written" in err
    assert not out.exists()


def test_unmeetable_co2_cap_is_diagnosed_in_tonnes(make_scenario):
    """Must-run coal 50 MW at 1 t/MWh for 2 h emits ≥ 100 t; a 60 t cap is 40 t short."""
    scenario, profiles = one_region(
        [50, 50], {"coal": {**COAL, "kind": "must_run", "capacity_mw": 50}}, policy={"co2_cap_t": 60 * 4380}
    )
    with pytest.raises(es.InfeasibleError) as info:
        es.run(make_scenario(scenario, profiles))
    [finding] = info.value.diagnosis
    assert "CO2 cap: 60 tCO2" in finding and "40 t" in finding


def test_solver_limit_is_reported_in_plain_words_and_writes_nothing(make_scenario, tmp_path, capsys):
    scenario, profiles = one_region(
        [50] * 48,
        {"coal": COAL},
        solver={"method": "simplex", "highs_options": {"presolve": "off", "simplex_iteration_limit": 0}},
    )
    out = tmp_path / "never.nc"
    assert main(["run", str(make_scenario(scenario, profiles)), "-o", str(out)]) == EXIT_NOT_OPTIMAL
    err = capsys.readouterr().err
    assert "HiGHS stopped: iteration limit reached" in err
    assert not out.exists()


def test_bad_hours_is_a_usage_error(make_scenario, capsys):
    scenario, profiles = one_region([1], {"coal": COAL})
    assert main(["run", str(make_scenario(scenario, profiles)), "--hours", "0"]) == EXIT_USAGE


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        main(["fly"])
    assert info.value.code == EXIT_USAGE


def test_console_script_on_the_default_scenario(tmp_path):
    """The installed command, as a planner runs it (one day of the default scenario)."""
    out = tmp_path / "jx.nc"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "energysim.cli",
            "run",
            str(DEFAULT_SCENARIO),
            "--hours",
            "24",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "scenario jiaxing-2025-plan: 24 h" in proc.stdout
    assert out.exists()


def test_allow_non_optimal_writes_the_file_with_its_status(make_scenario, tmp_path):
    scenario, profiles = one_region(
        [50] * 48,
        {"coal": COAL},
        solver={"method": "simplex", "highs_options": {"presolve": "off", "simplex_iteration_limit": 0}},
    )
    out = tmp_path / "partial.nc"
    code = main(["run", str(make_scenario(scenario, profiles)), "-o", str(out), "--allow-non-optimal"])
    assert code == EXIT_OK
    assert es.read_results(out).attrs["termination_status"] == "iteration limit reached"


def test_validate_in_the_local_view_keeps_every_plant(capsys):
    """Views attribute results; the local view solves the same system, provincial plants included."""
    assert main(["validate", str(DEFAULT_SCENARIO), "--view", "local"]) == EXIT_OK
    out = capsys.readouterr().out
    every = es.load_scenario(DEFAULT_SCENARIO).technologies
    assert "local view" in out and f"{len(every)} technologies" in out
