"""The commands that read results: files named by what they hold, one line of what each command read, sweeps
(a folder, or a file with a ``scenario`` dimension) read by every command with ``--variant``, ``compare``
(verdicts as ``targets`` gives them, technologies one run lacks at 0 MW) and ``export`` (tidy tables).

A tiny project in a temporary folder: a two-hour base year and plan (coal and gas, the plan adds 50 MW of PV),
a target registry judged on the hours run, the plan's adequacy study beside it, and a sweep of the plan.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import energysim as es
from energysim.cli import EXIT_OK, EXIT_USAGE, main
from energysim.results.naming import results_stem, scenario_stem
from energysim.studies.sweep import run_sweep
from tests.conftest import BASE_SCENARIO, DEFAULT_SCENARIO, REPO, one_region, write_scenario

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}  # 300 CNY/MWh, 1 t/MWh
GAS = {"kind": "thermal", "capacity_mw": 100, "fuel": "gas", "heat_rate_gj_per_mwh": 10}  # 500 CNY/MWh
PV = {"kind": "variable", "capacity_mw": 50, "profile": {"file": "profiles.csv", "column": "pv"}}

TARGETS = """plan: test plan
targets:
  - {id: co2, clause: less CO2 per GDP, metric: co2_intensity_change_pct, accounting: territorial, basis: b,
     comparison: "<=", threshold: 0, unit: "%", horizon: run}
  - {id: unserved, clause: keep the lights on, metric: peak_season_unserved_mwh, basis: b, comparison: "<=",
     threshold: 0, unit: MWh}
  - {id: lole, clause: one day in ten years, metric: lole_days_per_year, basis: b, comparison: "<=",
     threshold: 0.1, unit: d/yr}
"""

SWEEP = ["--param", "policy.co2_price_cny_per_t=1,400"]
READ = re.compile(r"^read (?P<where>.+?): (?P<scenario>\S+) · (?P<view>\w+) view.* · (?P<solved>\d+) of 8760 h from ")


def _scenario(folder: Path, name: str, techs: dict, **extra: object) -> Path:
    scenario, profiles = one_region([50.0, 80.0], techs, economy={"gdp_bn_cny": 8.76}, **extra)
    scenario["name"] = name
    profiles["pv"] = [0.0, 0.6]
    path = write_scenario(folder, scenario, profiles)
    return path.rename(folder / f"{name}.yaml")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``results/base-2h.nc`` and ``plan-2h.nc`` (run with the default names: two hours are not the full year),
    ``plan-2h-adequacy.nc`` beside the plan, the sweep folder ``plan-2h-sweep`` and the same sweep as one file,
    ``plan-sweep.nc``."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "data").mkdir()  # a project: its results may name its files
    (folder / "targets.yaml").write_text(TARGETS)
    base = _scenario(folder, "base", {"coal": COAL, "gas": GAS})
    plan = _scenario(
        folder,
        "plan",
        {"coal": COAL, "gas": GAS, "pv": PV},
        targets="targets.yaml",
        base_results="results/base-2h.nc",
        policy={"co2_price_cny_per_t": 1},
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        assert main(["run", str(base)]) == EXIT_OK
        assert main(["run", str(plan)]) == EXIT_OK
        assert main(["sweep", str(plan), *SWEEP]) == EXIT_OK
        adequacy = ["adequacy", str(plan), "--results", "results/plan-2h.nc", "--samples", "20", "--weather-years", "1"]
        assert main(adequacy) == EXIT_OK  # written beside the run it is of: results/plan-2h-adequacy.nc
    results = folder / "results"
    assert (results / "plan-2h-adequacy.nc").is_file()
    es.write_results(run_sweep(plan, {"policy.co2_price_cny_per_t": [1, 400]}), results / "plan-sweep.nc")
    return folder


def _first_line(capsys: pytest.CaptureFixture) -> tuple[str, str]:
    out = capsys.readouterr().out
    return out.splitlines()[0], out


# 1. Results files named by what they hold ------------------------------------------------------------------------


def test_default_names_say_scenario_view_horizon_and_variant():
    plan, local = es.load_scenario(DEFAULT_SCENARIO), es.load_scenario(REPO / "scenarios" / "jiaxing-2025-local.yaml")
    assert scenario_stem(plan) == "jiaxing-2025-plan"
    assert scenario_stem(plan, view="local") == "jiaxing-2025-plan-local"
    assert scenario_stem(plan, hours=168) == "jiaxing-2025-plan-168h"
    assert scenario_stem(plan, hours=8760) == "jiaxing-2025-plan"  # the full year is no variant
    assert scenario_stem(plan, view="sited") == "jiaxing-2025-plan"  # its own view neither
    assert scenario_stem(local) == "jiaxing-2025-local"
    assert scenario_stem(local, view="sited", hours=24) == "jiaxing-2025-local-sited-24h"
    both = scenario_stem(plan, overrides=["gas_price_high"], sets=["policy.co2_price_cny_per_t=100"])
    assert both == "jiaxing-2025-plan-gas_price_high,policy.co2_price_cny_per_t=100"
    assert scenario_stem(es.load_scenario(BASE_SCENARIO)) == "jiaxing-2024-base"  # what the plan's base_results names
    long = results_stem("s", variant=",".join(f"key{i}.x=1" for i in range(40)))
    assert len(long) <= 120 and long.startswith("s-key0.x=1")
    assert results_stem("s", variant="a/b c") == "s-a_b_c"


def test_runs_of_one_scenario_no_longer_overwrite_each_other(project, tmp_path, monkeypatch, capsys):
    """`run S --hours 1`, `--view local` and `--set` each write their own file; the plain run keeps its own. (The
    base scenario: the plan's runs would each read the base year's results for its targets.)"""
    monkeypatch.chdir(tmp_path)
    base = project / "base.yaml"
    for extra in (["--hours", "1"], ["--view", "local"], ["--set", "policy.co2_price_cny_per_t=5"]):
        assert main(["run", str(base), *extra]) == EXIT_OK
    written = {p.name for p in (tmp_path / "results").iterdir()}
    assert written == {"base-1h.nc", "base-local-2h.nc", "base-2h-policy.co2_price_cny_per_t=5.nc"}
    assert es.read_results(tmp_path / "results" / "base-local-2h.nc").attrs["view"] == "local"
    assert "results written to results/base-1h.nc" in capsys.readouterr().out


# ... and every reading command says what it read -----------------------------------------------------------------


def _reading_commands(project: Path, tmp: Path, results: Path, *more: str) -> dict[str, list[str]]:
    return {
        "summary": ["summary", str(results), *more],
        "summary --view local": ["summary", str(results), "--view", "local", *more],
        "targets": ["targets", str(results), *more],
        "plot": ["plot", str(results), "-o", str(tmp / "figures"), *more],
        "report": ["report", str(results), "-o", str(tmp / "report.md"), *more],
        "export": ["export", str(results), "-o", str(tmp / "tables.xlsx"), *more],
        "compare": ["compare", str(project / "results" / "base-2h.nc"), str(results), *more],
    }


COMMANDS = ["summary", "summary --view local", "targets", "plot", "report", "export", "compare"]


def _no_report_charts(monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """For `report`: no figures. It draws seven after the line these tests read, and leaves out, without failing,
    any it cannot draw; `plot` draws them here, tests/report/ checks them in the report (as tests/report/
    test_chinese.py, which leaves them out too)."""
    if command == "report":
        import energysim.report.document as document

        monkeypatch.setattr(document, "_charts", lambda ds, lang: [])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_reading_command_says_what_it_read_first(project, tmp_path, command, capsys, monkeypatch):
    _no_report_charts(monkeypatch, command)
    plan = project / "results" / "plan-2h.nc"
    assert main(_reading_commands(project, tmp_path, plan)[command]) == EXIT_OK
    first, out = _first_line(capsys)
    lines = [line for line in out.splitlines() if line.startswith("read ")]
    expected = 2 if command == "compare" else 1
    assert len(lines) == expected and first == lines[0], out
    match = READ.match(lines[-1])
    assert match and match["where"] == str(plan) and match["scenario"] == "plan" and match["solved"] == "2", out
    assert match["view"] == ("local" if "local" in command else "sited")
    assert "(attributed; solved file: sited)" in lines[-1] if "local" in command else "attributed" not in lines[-1]
    assert "CO2 policy on the territorial basis" in lines[-1] and "created 20" in lines[-1]


# 2. One results format for runs and sweeps -----------------------------------------------------------------------


VARIANT_CASES = [
    *(("plan-2h-sweep", command, variant) for command, variant in zip(
        ["summary", "targets", "plot", "report", "export", "compare"], ["1", "policy.co2_price_cny_per_t=1"] * 3,
        strict=True,
    )),
    *(("plan-sweep.nc", command, "1") for command in ("summary", "report")),
]  # fmt: skip


@pytest.mark.parametrize(("sweep", "command", "variant"), VARIANT_CASES, ids=["-".join(c[:2]) for c in VARIANT_CASES])
def test_every_reading_command_reads_a_sweep_variant(project, tmp_path, sweep, command, variant, capsys, monkeypatch):
    """The serial sweep's folder and a sweep written as one file: `--variant` by index or name picks one, which
    reads like a run (these exited 4 on a sweep file: zip length, Timestamp, unhashable ndarray)."""
    _no_report_charts(monkeypatch, command)
    results = project / "results" / sweep
    assert main(_reading_commands(project, tmp_path, results, "--variant", variant)[command]) == EXIT_OK
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith(f"read {results}"))
    index, price = ("1", 400) if variant == "1" else ("0", 1)
    assert f"variant {index} of 2 (policy.co2_price_cny_per_t={price}): plan · sited view" in line, line
    assert "created 20" in line  # the variant's own attributes, also from a sweep stacked into one file


@pytest.mark.parametrize(("sweep", "command"), [("plan-2h-sweep", "targets"), ("plan-sweep.nc", "plot")])
def test_a_sweep_without_variant_is_a_usage_error_listing_the_variants(project, tmp_path, sweep, command, capsys):
    results = project / "results" / sweep
    assert main(_reading_commands(project, tmp_path, results)[command]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--variant NAME or INDEX (from 0) of one of the sweep's 2 variants" in err
    assert "0 policy.co2_price_cny_per_t=1, 1 policy.co2_price_cny_per_t=400" in err and "Traceback" not in err
    assert main(_reading_commands(project, tmp_path, results, "--variant", "7")[command]) == EXIT_USAGE
    assert "found '7'" in capsys.readouterr().err
    argv = _reading_commands(project, tmp_path, project / "results" / "plan-2h.nc", "--variant", "0")[command]
    assert main(argv) == EXIT_USAGE  # a run's file has no variants
    assert "leave --variant out" in capsys.readouterr().err


def test_summary_of_a_sweep_prints_every_variant(project, capsys):
    assert main(["summary", str(project / "results" / "plan-2h-sweep")]) == EXIT_OK
    out = capsys.readouterr().out
    reads = [line for line in out.splitlines() if line.startswith("read ")]
    assert len(reads) == 2 and "variant 0 of 2" in reads[0] and "variant 1 of 2" in reads[1]
    assert out.count("total cost") == 2


def test_the_serial_sweep_writes_a_resumable_folder(project, tmp_path, capsys):
    """The folder's layout (sweep.json, NNNN.nc with a `scenario` dimension of one), as the Dask sweep writes
    it; a rerun resumes; a variant that fails does not stop the others; a .nc name is refused."""
    folder = project / "results" / "plan-2h-sweep"
    assert sorted(p.name for p in folder.iterdir()) == ["0000.nc", "0001.nc", "sweep.json"]
    one = es.read_results(folder / "0001.nc")
    assert list(one.scenario.values) == ["policy.co2_price_cny_per_t=400"]
    assert one["sweep.policy.co2_price_cny_per_t"].values.tolist() == [400]
    assert one.objective_cny.values.tolist() == pytest.approx(
        [100 * 660], rel=1e-6
    )  # gas: 500 + 400 × 0.4 < coal 300 + 400
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / "0001.nc").unlink()
    argv = ["sweep", str(project / "plan.yaml"), "-o", str(copy)]
    assert main([*argv, "--param", "policy.co2_price_cny_per_t=1,400"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "resumed  policy.co2_price_cny_per_t=1" in err and "solved   policy.co2_price_cny_per_t=400" in err
    failing = ["sweep", str(project / "plan.yaml"), "-o", str(tmp_path / "f"), "--param"]
    assert main([*failing, "policy.co2_price_cny_per_t=abc,400"]) == 1  # invalid input, the other one solved
    assert (tmp_path / "f" / "0001.nc").exists() and not (tmp_path / "f" / "0000.nc").exists()
    capsys.readouterr()
    assert main(["sweep", str(project / "plan.yaml"), *SWEEP, "-o", str(tmp_path / "s.nc")]) == 1
    assert "expected a new or empty folder for the sweep" in capsys.readouterr().err
    assert main(["sweep", str(project / "plan.yaml"), *SWEEP, "-o", str(project)]) == 1  # the user's own files
    assert "found a folder with other files in it" in capsys.readouterr().err


# 6. compare ---------------------------------------------------------------------------------------------------


def test_compare_gives_the_verdicts_targets_gives(project, capsys):
    """The plan names its registry and base; its adequacy study lies beside it: `compare` finds all three as
    `targets` does, so no verdict is n/a that `targets` can give."""
    plan = project / "results" / "plan-2h.nc"
    assert main(["targets", str(plan)]) == EXIT_OK
    table = capsys.readouterr().out
    verdicts = {t: re.search(rf"^{t} .*? (yes|no|n/a)\b", table, re.M)[1] for t in ("co2", "unserved", "lole")}
    assert verdicts == {"co2": "yes", "unserved": "yes", "lole": "yes"}, table
    assert main(["compare", str(project / "results" / "base-2h.nc"), str(plan)]) == EXIT_OK
    out = capsys.readouterr().out
    section = out.split("target verdicts")[1]
    for target, verdict in verdicts.items():
        assert re.search(rf"^{target}\s+{verdict}\s*$", section, re.M), section


def test_compare_counts_a_technology_a_run_lacks_as_zero(project, capsys):
    """The plan adds 50 MW of PV: +50 MW, not NaN; and no KPI says `reserve` twice."""
    results = project / "results"
    assert main(["compare", str(results / "base-2h.nc"), str(results / "plan-2h.nc")]) == EXIT_OK
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("capacity_MW.pv "))
    assert row.split()[1:] == ["0.000", "50.000", "50.000"], row
    assert "reserve_reserve" not in out and "reserve_value_CNY_per_kW" in out
    assert "NaN" not in out


def test_compare_tells_apart_files_of_the_same_name(project, tmp_path, capsys):
    other = tmp_path / "plan-2h.nc"
    shutil.copy(project / "results" / "plan-2h.nc", other)
    assert main(["compare", str(project / "results" / "plan-2h.nc"), str(other)]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"inputs changed from {project / 'results' / 'plan-2h.nc'} to {other}" in out


def test_the_readme_compare_example_runs(project, tmp_path, monkeypatch, capsys):
    """Every `energysim compare` line of the README, run where the files it names exist (the README's own runs
    write them; here the tiny project's runs stand in)."""
    lines = [line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("energysim compare")]
    assert lines
    monkeypatch.chdir(tmp_path)
    for line in lines:
        argv = shlex.split(line.split("#")[0])[1:]
        for arg in argv:
            if arg.endswith(".nc"):
                Path(arg).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(project / "results" / ("base-2h.nc" if "2024" in arg else "plan-2h.nc"), arg)
        assert main(argv) == EXIT_OK, line
    assert "Traceback" not in capsys.readouterr().err


# export -----------------------------------------------------------------------------------------------------------


def test_export_writes_tidy_tables_with_units_in_the_headers(project, tmp_path, capsys):
    plan = project / "results" / "plan-2h.nc"
    assert main(["export", str(plan), "--format", "csv", "-o", str(tmp_path / "csv")]) == EXIT_OK
    assert main(["export", str(plan), "-o", str(tmp_path / "plan.xlsx")]) == EXIT_OK
    capsys.readouterr()
    csv = {p.stem: pd.read_csv(p) for p in (tmp_path / "csv").iterdir()}
    book = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None)
    assert list(book) == ["about", "kpis", "capacity", "energy", "cost", "emissions", "dispatch", "prices"]
    assert set(csv) == set(book)
    energy = book["energy"].set_index("tech")
    assert list(energy.columns[:4]) == ["region", "kind", "generation_MWh", "consumption_MWh"]
    ds = es.read_results(plan)
    for tech in ("coal", "gas", "pv"):
        assert energy.loc[tech, "generation_MWh"] == pytest.approx(float(ds.generation.sel(tech=tech).sum()))
    assert book["capacity"].set_index("tech").loc["pv", "capacity_MW"] == 50
    dispatch = book["dispatch"]
    assert {"time", "region", "tech", "generation_MW", "consumption_MW"} <= set(dispatch.columns)
    assert dispatch.generation_MW.sum() == pytest.approx(float(ds.generation.sum()))
    prices = book["prices"].set_index("time")
    np.testing.assert_allclose(prices.price_CNY_per_MWh.values, ds.price.sel(region="r").values)
    emissions = book["emissions"].groupby("basis").emissions_tCO2.sum()
    kpis = book["kpis"].set_index("kpi").value
    assert emissions["territorial"] == pytest.approx(kpis["co2_territorial_Mt"] * 1e6)
    assert dict(zip(book["about"].key, book["about"].value, strict=True))["scenario"] == "plan"
    pd.testing.assert_frame_equal(csv["energy"], book["energy"], check_dtype=False)


def test_export_of_a_sweep_has_a_variant_column(project, tmp_path, capsys):
    assert main(["export", str(project / "results" / "plan-2h-sweep"), "--format", "csv"]) == EXIT_OK
    assert str(project / "results" / "plan-2h-sweep-csv") in capsys.readouterr().out
    energy = pd.read_csv(project / "results" / "plan-2h-sweep-csv" / "energy.csv")
    assert energy.columns[0] == "variant"
    gas = energy[energy.tech == "gas"].set_index("variant").generation_MWh
    assert gas.to_dict() == pytest.approx({"policy.co2_price_cny_per_t=1": 0, "policy.co2_price_cny_per_t=400": 100})


def test_export_never_leaves_half_a_file(project, tmp_path, monkeypatch, capsys):
    """A failure while writing leaves the earlier export as it was and no temporary file; a folder holding
    other files is not replaced."""
    import energysim.report.export as export

    plan = project / "results" / "plan-2h.nc"
    out = tmp_path / "plan.xlsx"
    assert main(["export", str(plan), "-o", str(out)]) == EXIT_OK
    before = out.read_bytes()

    def broken(frames: object, path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(export, "_write_xlsx", broken)
    assert main(["export", str(plan), "-o", str(out)]) == 4
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    assert main(["export", str(plan), "--format", "csv", "-o", str(mine)]) == EXIT_USAGE
    assert (mine / "notes.txt").read_text() == "keep" and "other files" in capsys.readouterr().err
