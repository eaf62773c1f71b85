"""A real cluster: ``dask scheduler`` and ``dask worker`` started as separate processes in another folder, sharing
nothing with the client but the installed package. Sweeps (and resume), adequacy and robustness run on it from a
scenario given by a relative path the workers cannot see."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from energysim.cli import main
from energysim.studies.distributed import open_sweep
from tests.test_sweep import COAL, GAS, one_region

pytest.importorskip("distributed")


def _start(args: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the installed package only
    with log.open("wb") as out:
        command = [sys.executable, "-m", "dask", *args]
        return subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A scheduler and one worker process, both started in their own empty folder."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    address_file = elsewhere / "scheduler.json"
    common = ["--no-dashboard"]
    procs = [_start(["scheduler", "--scheduler-file", str(address_file), "--port", "0", *common], elsewhere,
                    elsewhere / "scheduler.log")]  # fmt: skip
    deadline = time.monotonic() + 60
    while not address_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    procs.append(_start(["worker", "--scheduler-file", str(address_file), "--nworkers", "1", "--nthreads", "1",
                         *common], elsewhere, elsewhere / "worker.log"))  # fmt: skip
    import json

    import distributed

    address = json.loads(address_file.read_text())["address"]
    with distributed.Client(address, timeout=60) as client:
        client.wait_for_workers(1, timeout=60)
    yield address
    for proc in reversed(procs):
        proc.terminate()
    for proc in procs:
        proc.wait(timeout=30)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The client's folder: a scenario and its profiles, named by a relative path."""
    scenario, profiles = one_region([50, 50], {"coal": COAL, "gas": GAS}, policy={"co2_price_cny_per_t": 1})
    from tests.conftest import write_scenario

    write_scenario(tmp_path, scenario, profiles)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sweep_runs_and_resumes_on_workers_that_share_no_files(scheduler, project, capsys):
    args = ["sweep", "scenario.yaml", "--scheduler", scheduler, "-o", "out"]
    args += ["--param", "policy.co2_price_cny_per_t=1,400"]
    assert main(args) == 0, capsys.readouterr().err
    assert "2 of 2 variants have results in out" in capsys.readouterr().out
    np.testing.assert_allclose(open_sweep(project / "out").objective_cny.values, [100 * 301, 100 * 660], rtol=1e-6)
    (project / "out" / "0001.nc").unlink()  # as if killed before the second variant was written
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "resumed" in err and "solved" in err


def test_adequacy_runs_on_workers_that_share_no_files(scheduler, project, capsys):
    args = ["adequacy", "scenario.yaml", "--samples", "40", "--weather-years", "1", "--season", "year"]
    assert main([*args, "--scheduler", scheduler, "-o", "remote.nc"]) == 0, capsys.readouterr().err
    assert main([*args, "-o", "here.nc"]) == 0
    from energysim.results import read_results

    remote, here = read_results("remote.nc"), read_results("here.nc")
    np.testing.assert_array_equal(remote.sample_lol_hours.values, here.sample_lol_hours.values)  # same seed
    assert "LOLE h/yr" in capsys.readouterr().out


def test_robustness_runs_on_workers_that_share_no_files(scheduler, project, capsys):
    (project / "uncertainty.csv").write_text(
        "input,label,set,kind,table,row,low,high,max,display_factor,display_unit,confidence,source\n"
        "coal_price,coal price,fuels.coal.price_cny_per_gj,number,,,20,60,,,,E,test\n",
        encoding="utf-8",
    )
    args = ["robustness", "scenario.yaml", "--samples", "3", "--weather-years", "1", "--adequacy-samples", "2"]
    args += ["--uncertainty", "uncertainty.csv", "-o", "rob", "--scheduler", scheduler]
    assert main(args) == 0, capsys.readouterr().err
    from energysim.results import read_results

    ds = read_results(project / "rob" / "robustness.nc")
    assert list(ds.variant_label.values[:3]) == ["base", "coal_price low", "coal_price high"]
    # coal at 30 CNY/GJ and 1 CNY/t: 301 CNY/MWh against gas at 500.4, so coal runs at 20 and 30, gas at 60
    np.testing.assert_allclose(ds.cost_mcny.values[:3] * 1e6, [100 * 301, 100 * 201, 100 * 500.4], rtol=1e-6)
    assert "verdict robustness" in capsys.readouterr().out
