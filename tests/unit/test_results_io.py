"""netCDF round trip, re-running from the file alone, and atomic writing."""

from __future__ import annotations

import os
import subprocess
import sys

import h5py
import pytest
import xarray as xr

import energysim as es
from energysim.results import results_template
from energysim.results.io import _HOST, _TEMP, ResultsWriter, is_complete
from tests.conftest import OBJ_RTOL, one_region, write_scenario


@pytest.fixture(scope="module")
def small_scenario(tmp_path_factory):
    scenario, profiles = one_region(
        [50, 150, 80],
        {
            "coal": {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10},
            "pv": {
                "kind": "variable",
                "capacity_mw": 30,
                "max_new_mw": 50,
                "capex_cny_per_kw": 3000,
                "profile": {"file": "profiles.csv", "column": "pv"},
            },
            "grid": {"kind": "grid", "import_capacity_mw": 100, "import_price_cny_per_mwh": 600},
        },
    )
    profiles["pv"] = [0.0, 0.8, 0.3]
    return write_scenario(tmp_path_factory.mktemp("small"), scenario, profiles)


@pytest.fixture(scope="module")
def small_results(small_scenario) -> xr.Dataset:
    """Solved once for the module: the tests write and compare it, none changes it."""
    return es.run(small_scenario)


def test_netcdf_round_trip_keeps_values_and_attrs(small_results, tmp_path):
    path = es.write_results(small_results, tmp_path / "out" / "r.nc")
    back = es.read_results(path)
    xr.testing.assert_identical(small_results.drop_attrs(deep=False), back.drop_attrs(deep=False))
    for key, value in small_results.attrs.items():
        assert back.attrs[key] == value, key
    assert back.attrs["write_seconds"] >= 0


def test_rerun_from_the_file_alone_gives_the_same_objective(small_results, tmp_path):
    path = es.write_results(small_results, tmp_path / "r.nc")
    again = es.run_inputs(es.inputs_from_results(es.read_results(path)))
    assert again.attrs["objective_cny"] == pytest.approx(small_results.attrs["objective_cny"], rel=OBJ_RTOL)
    xr.testing.assert_allclose(again.generation, small_results.generation, atol=1e-6)


def test_failed_write_leaves_no_file(small_results, tmp_path, monkeypatch):
    def boom(self, path, **kw):
        open(path, "wb").write(b"half")  # noqa: SIM115 - simulate a partial write, then a crash
        raise KeyboardInterrupt

    monkeypatch.setattr(xr.Dataset, "to_netcdf", boom)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        es.write_results(small_results, out / "r.nc")
    assert list(out.iterdir()) == []


def test_failed_write_keeps_the_previous_file(small_results, tmp_path, monkeypatch):
    path = es.write_results(small_results, tmp_path / "out" / "r.nc")
    before = path.read_bytes()
    monkeypatch.setattr(xr.Dataset, "to_netcdf", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        es.write_results(small_results, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["r.nc"]


def test_a_temporary_file_left_by_a_dead_process_is_removed_by_the_next_write(tmp_path):
    """``kill -9`` (or a crash) leaves ``.r.nc.<host>.<pid>.<random>.tmp``; the next writer in that folder removes
    it once that process is gone, and leaves the files of living processes and of other machines alone."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = {
        "stale": f".r.nc.{_HOST}.{dead.pid}.k1ll3d_.tmp",
        "alive": f".r.nc.{_HOST}.{os.getppid()}.w0rking.tmp",
        "elsewhere": f".r.nc.another-machine.{dead.pid}.sh4red.tmp",
        "unrelated": "notes.tmp",
    }
    for name in left.values():
        (tmp_path / name).write_bytes(b"half")
    writer = ResultsWriter(tmp_path / "other.nc")
    assert _TEMP.match(writer._tmp.name)["pid"] == str(os.getpid())  # what the next writer will check
    writer.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for k, n in left.items() if k != "stale")


def test_a_cut_short_file_is_told_from_a_complete_one(small_results, tmp_path):
    path = es.write_results(small_results, tmp_path / "r.nc")
    assert is_complete(path)
    assert is_complete(es.write_results(es.read_results(path), tmp_path / "again.nc"))  # the flag is set last again
    small_results.to_netcdf(tmp_path / "plain.nc", engine="h5netcdf")
    assert not is_complete(tmp_path / "plain.nc")  # not written by energysim to the end
    with h5py.File(tmp_path / "plain.nc", "r+") as f:
        f.attrs["write_seconds"] = 0.1  # what an earlier energysim set last
    assert is_complete(tmp_path / "plain.nc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert not is_complete(path)
    assert not is_complete(tmp_path / "missing.nc")


def test_run_writes_the_inputs_while_solving_and_the_file_is_the_one_write_results_gives(small_scenario, tmp_path):
    """``run(out=...)`` writes the inputs in a background thread during the solve, then adds the results."""
    out = tmp_path / "out"
    ds = es.run(small_scenario, out=out / "run.nc")
    piped = es.read_results(out / "run.nc")
    whole = es.read_results(es.write_results(ds, out / "whole.nc"))
    xr.testing.assert_identical(piped.drop_attrs(deep=False), whole.drop_attrs(deep=False))
    assert set(piped.data_vars) == set(ds.data_vars)
    for key, value in ds.attrs.items():
        assert piped.attrs[key] == value, key
    assert sorted(p.name for p in out.iterdir()) == ["run.nc", "whole.nc"]  # no temporary file left


def test_run_that_fails_after_the_inputs_were_written_leaves_no_file(small_scenario, tmp_path, monkeypatch):
    import energysim.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("results could not be read")

    monkeypatch.setattr(energysim.pipeline, "to_results", boom)
    with pytest.raises(RuntimeError, match="could not be read"):
        es.run(small_scenario, out=tmp_path / "out" / "run.nc")
    assert list((tmp_path / "out").iterdir()) == []


def _write_laid_out(scenario, path, template) -> tuple[xr.Dataset, ResultsWriter]:
    """The run's stages by hand, the layout finished before the results are read (as on a long solve)."""
    inputs = es.build_inputs(es.load_scenario(scenario))
    model = es.build_model(inputs, arrays_only=True)
    writer = ResultsWriter(path)

    def passed(lp):
        writer.start(inputs, template=lambda: template(model, inputs, lp))
        writer.wait()

    solution = es.solve(model, inputs.attrs["solver_options"], on_passed=passed)
    results = es.to_results(model, inputs, solution, build_seconds=0.01)
    writer.finish(results)
    return results, writer


def _assert_same_file(a, b) -> xr.Dataset:
    """Assert that files ``a`` and ``b`` hold the same; returns ``a`` as read."""
    left, right = es.read_results(a), es.read_results(b)
    xr.testing.assert_identical(left.drop_attrs(deep=False), right.drop_attrs(deep=False))
    assert {k: v for k, v in left.attrs.items() if k != "write_seconds"} == {
        k: v for k, v in right.attrs.items() if k != "write_seconds"
    }
    return left


def test_results_laid_out_during_the_solve_are_only_filled_in_after_it(small_scenario, tmp_path):
    out = tmp_path / "out"
    results, writer = _write_laid_out(small_scenario, out / "laid.nc", results_template)
    numeric = {n for n, v in results.data_vars.items() if v.attrs.get("role") == "result" and v.dtype.kind in "fiub"}
    assert numeric and numeric <= set(writer.filled_in)
    assert float(results.generation.sum()) > 0  # the template's zeros were replaced
    _assert_same_file(out / "laid.nc", es.write_results(results, out / "whole.nc"))
    assert sorted(p.name for p in out.iterdir()) == ["laid.nc", "whole.nc"]  # no temporary file left


def test_results_that_do_not_match_the_layout_are_written_anew(small_scenario, tmp_path):
    def other_units(model, inputs, lp):
        ds = results_template(model, inputs, lp)
        ds["generation"].attrs["units"] = "GW"
        return ds

    def broken(model, inputs, lp):
        raise RuntimeError("no template today")

    for name, template in (("units.nc", other_units), ("broken.nc", broken)):
        results, writer = _write_laid_out(small_scenario, tmp_path / name, template)
        assert writer.filled_in == []
        written = _assert_same_file(tmp_path / name, es.write_results(results, tmp_path / "whole.nc"))
        assert written.generation.attrs["units"] == "MW"
