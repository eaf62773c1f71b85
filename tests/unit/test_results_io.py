"""netCDF round trip, re-running from the file alone, and atomic writing."""

from __future__ import annotations

import pytest
import xarray as xr

import energysim as es
from tests.conftest import OBJ_RTOL, one_region


@pytest.fixture
def small_results(make_scenario) -> xr.Dataset:
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
    return es.run(make_scenario(scenario, profiles))


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
