"""Sweeps on a 2-worker local Dask cluster: a file per variant, failures reported, killed sweeps resume.

One cluster of two worker processes serves the module (started once: about 15 s on two cores, as much as the
sweeps it runs); ``test_sweep_command_on_workers`` alone has ``--workers 2`` start and close its own."""

from __future__ import annotations

import subprocess
import sys

import dask.array
import numpy as np
import pytest

from energysim.cli import EXIT_INPUT, main
from energysim.results.io import _HOST
from energysim.studies.distributed import INPUT, open_sweep, run_distributed_sweep
from tests.test_sweep import COAL, GAS, one_region

PRICES = {"policy.co2_price_cny_per_t": [1, 400, "abc"]}  # the last is no number: that variant fails


@pytest.fixture(scope="module")
def scheduler():
    """The address of a local cluster like the one ``--workers 2`` starts: two processes of one thread each. Its
    scheduler's HTTP server on a free port: the cluster that ``--workers`` starts meanwhile takes the default."""
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c:
        yield c.scheduler_address


def _solved_on_the_cluster(address: str) -> int:
    """How many variant solves (``solve_shipped`` tasks) the cluster at ``address`` has finished so far."""
    import distributed

    def count(dask_scheduler: distributed.Scheduler) -> int:
        prefix = dask_scheduler.task_prefixes.get("solve_shipped")
        return 0 if prefix is None else prefix.state_counts["memory"]  # counts every task that entered the state

    with distributed.Client(address, timeout=30) as client:
        return int(client.run_on_scheduler(count))


@pytest.fixture
def fuel_switch(make_scenario):
    scenario, profiles = one_region([50, 50], {"coal": COAL, "gas": GAS}, policy={"co2_price_cny_per_t": 1})
    return make_scenario(scenario, profiles)


def test_variants_fail_alone_open_lazily_and_resume(scheduler, fuel_switch, tmp_path):
    out = tmp_path / "sweep"
    before = _solved_on_the_cluster(scheduler)
    outcomes = run_distributed_sweep(fuel_switch, PRICES, out, scheduler=scheduler)
    assert [o.state for o in outcomes] == ["solved", "solved", "failed"]
    assert _solved_on_the_cluster(scheduler) == before + 2  # the two valid variants, on the workers (not here)
    assert outcomes[2].kind == INPUT and "co2_price_cny_per_t" in outcomes[2].error and "\n" not in outcomes[2].error
    ds = open_sweep(out)
    assert isinstance(ds.generation.data, dask.array.Array)  # lazy until asked
    assert list(ds.scenario.values) == ["policy.co2_price_cny_per_t=1", "policy.co2_price_cny_per_t=400"]
    # coal 300 + p × 1.0 against gas 500 + p × 0.4 CNY/MWh, 100 MWh: coal at p = 1, gas at p = 400
    np.testing.assert_allclose(ds.objective_cny.values, [100 * 301, 100 * 660], rtol=1e-6)
    np.testing.assert_allclose(ds.generation.sel(tech="coal").sum(["time", "region"]).values, [100, 0], atol=1e-6)
    ds.close()

    # As if the machine had crashed: a file cut short, and a temporary file of a killed worker.
    cut = out / "0001.nc"
    cut.write_bytes(cut.read_bytes()[:2000])
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".0002.nc.{_HOST}.{dead.pid}.k1ll3d_.tmp"
    stale.write_bytes(b"half")
    with pytest.warns(UserWarning, match="incomplete variant file.*0001.nc"):
        assert list(open_sweep(out).scenario.values) == ["policy.co2_price_cny_per_t=1"]
    redo = []
    again = run_distributed_sweep(fuel_switch, PRICES, out, scheduler=scheduler, progress=redo.append)
    assert [o.state for o in again] == ["resumed", "solved", "failed"]
    assert _solved_on_the_cluster(scheduler) == before + 3  # only the file cut short solved again
    assert "redo" in [o.state for o in redo]
    assert not stale.exists()
    np.testing.assert_allclose(open_sweep(out).objective_cny.values, [100 * 301, 100 * 660], rtol=1e-6)
    with pytest.raises(ValueError, match="another sweep"):
        run_distributed_sweep(fuel_switch, {"policy.co2_price_cny_per_t": [2]}, out, scheduler=scheduler)


def test_sweep_command_on_workers(fuel_switch, tmp_path, capfd):
    """``--workers 2`` starts a local cluster of its own, solves the valid variant there and closes it; capfd: what
    its worker processes print is seen too. ("2 of 2 variants have results": the --scheduler test.)"""
    out = tmp_path / "cli"
    args = ["sweep", str(fuel_switch), "--workers", "2", "-o", str(out)]
    assert main([*args, "--param", "policy.co2_price_cny_per_t=1,abc"]) == EXIT_INPUT  # invalid, not infeasible
    captured = capfd.readouterr()
    assert "1 of 2 variants have results" in captured.out
    about = [line for line in captured.err.splitlines() if "abc" in line]
    assert about == [
        "error: variant policy.co2_price_cny_per_t=abc failed (invalid input): --set: policy.co2_price_cny_per_t: "
        "expected a valid number, unable to parse string as a number, found 'abc'"
    ], captured.err
    assert "Traceback" not in captured.err
    assert main([*args, "--param", "policy.co2_price_cny_per_t=1,400"]) == 2  # another grid, same folder
    assert "holds another sweep" in capfd.readouterr().err


def test_sweep_command_on_an_existing_scheduler(scheduler, fuel_switch, tmp_path, capsys):
    """--scheduler sends the same sweep to a cluster that is already running (here a local one)."""
    out = tmp_path / "remote"
    args = ["sweep", str(fuel_switch), "--scheduler", scheduler, "-o", str(out)]
    assert main([*args, "--param", "policy.co2_price_cny_per_t=1,400"]) == 0
    assert "2 of 2 variants have results" in capsys.readouterr().out
    np.testing.assert_allclose(open_sweep(out).objective_cny.values, [100 * 301, 100 * 660], rtol=1e-6)


def test_serial_and_dask_sweeps_write_the_same_folder(scheduler, fuel_switch, tmp_path, capsys):
    """One layout whoever solves: the same files, manifest, variables, coordinates and numbers; each resumes the
    other's folder; every reading command reads either with --variant."""
    import energysim as es

    params = ["--param", "policy.co2_price_cny_per_t=1,400"]
    serial, dask_ = tmp_path / "serial", tmp_path / "dask"
    assert main(["sweep", str(fuel_switch), *params, "-o", str(serial)]) == 0
    assert main(["sweep", str(fuel_switch), *params, "-o", str(dask_), "--scheduler", scheduler]) == 0
    assert sorted(p.name for p in serial.iterdir()) == sorted(p.name for p in dask_.iterdir())
    assert (serial / "sweep.json").read_text() == (dask_ / "sweep.json").read_text()
    for name in ("0000.nc", "0001.nc"):
        a, b = es.read_results(serial / name), es.read_results(dask_ / name)
        assert set(a.variables) == set(b.variables) and set(a.attrs) == set(b.attrs)
        np.testing.assert_allclose(a.generation.values, b.generation.values, atol=1e-6)
        assert list(a.scenario.values) == list(b.scenario.values)
    capsys.readouterr()
    assert main(["sweep", str(fuel_switch), *params, "-o", str(serial), "--scheduler", scheduler]) == 0
    assert capsys.readouterr().err.count("resumed") == 2
    assert main(["summary", str(dask_), "--variant", "1"]) == 0
    assert "variant 1 of 2 (policy.co2_price_cny_per_t=400)" in capsys.readouterr().out


def test_our_workers_keep_freed_memory_and_one_thread_for_numeric_libraries(monkeypatch):
    """The local cluster's workers start without Dask's MALLOC_TRIM_THRESHOLD_ (64 KiB: every freed array handed
    back and faulted in again, +34 % of a variant's time) and with its one-thread settings for BLAS and OpenMP."""
    import os

    from energysim.studies.distributed import cluster_client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)

    def environ() -> tuple[str | None, str | None]:
        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")

    with cluster_client(workers=1) as client:
        assert list(client.run(environ).values()) == [(None, "1")]


def _scaled(shared: dict, k: int) -> float:
    return float(shared["values"].sum() * shared["factor"] * k)


def test_each_map_ships_its_shared_data_under_a_key_of_its_own(scheduler):
    """A robustness study's shared data is a dict: scattered as it is, Dask stores it value by value under the
    dict's own keys ("values", "factor"), the same for every study on a cluster, and a map of the same data right
    after another could lose it to the first one's release ("lost dependencies", seen in bench_adequacy's
    repeats). Each map now ships it as one object under a key of its own: maps one after another, and two at once
    with different data, each get their own answer."""
    import distributed

    from energysim.studies.distributed import map_on_cluster

    values = np.arange(1000.0)
    with distributed.Client(scheduler, timeout=30) as client:
        held: list[list[str]] = []  # the scheduler's keys while a map runs

        def look(i: int, result: float) -> None:
            held.append(client.run_on_scheduler(lambda dask_scheduler: sorted(map(str, dask_scheduler.tasks))))

        for factor in (1.0, 1.0, 2.0, 1.0, 2.0):
            shared = {"values": values, "factor": factor}
            assert map_on_cluster(_scaled, [(k,) for k in range(4)], shared=shared, client=client, done=look) == [
                float(values.sum() * factor * k) for k in range(4)
            ]
    assert held and not any({"values", "factor"} & set(keys) for keys in held)
