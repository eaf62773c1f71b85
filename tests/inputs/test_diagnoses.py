"""Diagnoses and notes that say what happened: the renewable share named as the cause, a CO2 cap of 0 without a
percentage of nothing, unserved energy as a hard error on request, hints that name the allowed keys, and a warm
start that says why it was skipped."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import energysim as es
from energysim.cli import EXIT_NOT_OPTIMAL, EXIT_OK, main
from tests.conftest import one_region, write_scenario

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
PV = {"kind": "variable", "capacity_mw": 10, "profile": {"file": "profiles.csv", "column": "pv"}}


def scenario(folder: Path, demand: tuple[float, ...] = (50, 60), techs: dict | None = None, **extra: object) -> Path:
    data, profiles = one_region(list(demand), techs or {"coal": COAL, "pv": PV}, **extra)
    profiles["pv"] = [0.5] * len(demand)
    return write_scenario(folder, data, profiles)


def run_err(path: Path, capsys: pytest.CaptureFixture, *more: str) -> tuple[int, str]:
    code = main(["run", str(path), "-o", str(path.parent / "out.nc"), *more])
    return code, capsys.readouterr().err


def test_an_unreachable_renewable_share_is_named_not_ramp_limits(tmp_path, capsys):
    """10 MW of PV at half output cannot give 90 % of 50-60 MW; nothing else is wrong."""
    code, err = run_err(scenario(tmp_path, policy={"renewable_share": {"min_share": 0.9}}), capsys)
    assert code == EXIT_NOT_OPTIMAL
    assert "renewable share: 90% of consumption cannot be reached" in err and "ramp" not in err


def test_a_co2_cap_of_zero_is_reported_in_tonnes_without_a_percentage(tmp_path, capsys):
    """Must-run coal 50 MW at 1 tCO2/MWh for 2 h: 100 t over a cap of 0."""
    techs = {"coal": {**COAL, "kind": "must_run", "capacity_mw": 50}, "pv": PV}
    code, err = run_err(scenario(tmp_path, techs=techs, policy={"co2_cap_t": 0}), capsys)
    assert code == EXIT_NOT_OPTIMAL
    assert "CO2 cap: 0 tCO2" in err and "100 t over" in err and "%" not in err


def test_unserved_energy_can_be_made_a_hard_error(tmp_path, capsys):
    """value_of_lost_load_cny_per_mwh: null — demand ten times the fleet is infeasible, with the MW short."""
    path = scenario(tmp_path, demand=(500, 600), value_of_lost_load_cny_per_mwh=None)
    code, err = run_err(path, capsys)
    assert code == EXIT_NOT_OPTIMAL
    assert "power balance, region r: demand cannot be served in 2 hour(s)" in err and "495.0 MW short" in err
    assert not (tmp_path / "out.nc").exists()
    path = scenario(tmp_path, demand=(50, 60), value_of_lost_load_cny_per_mwh=None)
    assert main(["run", str(path), "-o", str(tmp_path / "ok.nc")]) == EXIT_OK  # served: an ordinary run


@pytest.mark.parametrize(
    ("change", "key", "hint"),
    [
        ({"fuels": {"coal": {"price_cny_per_gj": 30, "pricee": 3}}}, "fuels.coal.pricee", "price_cny_per_gj"),
        (
            {"gas": {"sources": {"p": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 1}], "maxx": 1}}}},
            "gas.sources.p.maxx",
            "max_1e4m3_per_day",
        ),
        ({"links": {"l": {"from": "r", "to": "r2", "capacity_mw": 1, "los": 0.1}}}, "links.l.los", "loss_fraction"),
    ],
    ids=["fuels", "gas-sources", "links"],
)
def test_unknown_keys_under_named_items_list_the_allowed_keys(tmp_path, change, key, hint):
    path = scenario(tmp_path, **change)
    with pytest.raises(es.ScenarioError) as info:
        es.load_scenario(path)
    problem = next(p for p in info.value.problems if p.key_path == key)
    assert hint in problem.hint and problem.line is not None


def test_schema_and_reference_problems_come_in_one_round(tmp_path):
    path = scenario(tmp_path, techs={"coal": {**COAL, "capacity_mv": 5, "fuel": "cole"}, "pv": PV})
    with pytest.raises(es.ScenarioError) as info:
        es.load_scenario(path)
    assert {p.key_path for p in info.value.problems} == {"technologies.coal.capacity_mv", "technologies.coal.fuel"}


def test_demand_profile_out_of_range_gets_a_demand_hint(tmp_path):
    path = scenario(tmp_path, demand=(50, -5))
    with pytest.raises(es.ScenarioError) as info:
        es.build_inputs(es.load_scenario(path))
    [p] = info.value.problems
    assert p.key_path == "regions.r.demand" and "demand cannot be negative" in p.hint and "capacity" not in p.hint


def test_a_skipped_warm_start_says_why_and_is_not_timed(tmp_path, capsys):
    """50 hours are not whole days: the warm start is skipped, for that reason, and no typical-day time shows."""
    gas = {
        "kind": "thermal",
        "capacity_mw": 0,
        "max_new_mw": 100,
        "capex_cny_per_kw": 3000,
        "variable_om_cny_per_mwh": 500,
    }
    demand = tuple(80.0 + 10.0 * np.sin(h / 24 * 2 * np.pi) for h in range(72))
    path = scenario(tmp_path, demand, techs={"coal": COAL, "gas": gas}, solver={"warm_start": {"days": 2}})
    code = main(["run", str(path), "-o", str(tmp_path / "w.nc"), "--hours", "50"])
    err = capsys.readouterr().err
    assert code == EXIT_OK
    reason = "the horizon (50 h) is not whole days (a multiple of 24 h)"
    assert f"warm start skipped: {reason}" in err and "warm start: typical days" not in err
    assert json.loads(es.read_results(tmp_path / "w.nc").attrs["solver_warm_start"])["skipped"].startswith(reason)
