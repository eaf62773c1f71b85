"""Room 5: solution → results ``xr.Dataset`` on the input coordinates, with units, inputs and run metadata;
atomic netCDF writing and reading.

The contract (names, dims, units) is fixed; later sectors add variables, never rename these.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.costs import (
    COST_COMPONENTS,
    capacity_cost_rates,
    consumption_cost_rates,
    existing_fixed_cost,
    generation_cost_rates,
)
from energysim.inputs import INPUT_ATTRS, INPUT_ROLE
from energysim.solve import SolveResult

RESULT_ROLE = "result"
NETCDF_ENGINE = "h5netcdf"


def _da(values: object, dims: tuple[str, ...], units: str, long_name: str) -> xr.DataArray:
    return xr.DataArray(values, dims=dims, attrs={"units": units, "long_name": long_name, "role": RESULT_ROLE})


def _by_tech(inputs: xr.Dataset, members: list[str], values: np.ndarray, n_time: int | None) -> np.ndarray:
    """Scatter values of a tech subset into a full (tech[, time]) array of zeros."""
    techs = list(inputs.tech.values)
    shape = (len(techs),) if n_time is None else (len(techs), n_time)
    out = np.zeros(shape)
    if members:
        out[[techs.index(g) for g in members]] = values.reshape((len(members), *shape[1:]))
    return out


def _spread(inputs: xr.Dataset, by_tech: xr.DataArray) -> xr.DataArray:
    """(…, tech) → (…, region, tech): each tech's values in its own region, zeros elsewhere."""
    sited = inputs.tech_region == inputs.region
    return (by_tech * sited).transpose(*[d for d in by_tech.dims if d != "tech"], "region", "tech")


def to_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, *, build_seconds: float = float("nan")
) -> xr.Dataset:
    """Read the solution into the results contract; the inputs travel in the same Dataset."""
    b = m.power
    n_time = inputs.sizes["time"]
    dims_tt = ("tech", "time")
    new = xr.DataArray(_by_tech(inputs, list(b.EXPAND), solution.values(b.new_capacity), None), dims=("tech",))
    gen = xr.DataArray(solution.values(b.generation).reshape(-1, n_time), dims=dims_tt)
    cons = xr.DataArray(_by_tech(inputs, list(b.CONSUMER), solution.values(b.consumption), n_time), dims=dims_tt)
    level = xr.DataArray(_by_tech(inputs, list(b.STORAGE), solution.values(b.storage_level), n_time), dims=dims_tt)
    startup = xr.DataArray(_by_tech(inputs, list(b.COMMIT), solution.values(b.startup), n_time), dims=dims_tt)
    capacity_t = inputs.capacity_existing * inputs.in_service + new  # (time, tech) MW in service
    variable = inputs.tech_kind == "variable"
    curtail = (inputs.availability * capacity_t - gen).clip(min=0.0).where(variable, 0.0)
    unserved = solution.values(b.unserved).reshape(len(inputs.region), n_time).T
    flow = (solution.values(b.flow_forward) - solution.values(b.flow_backward)).reshape(-1, n_time).T

    ds = xr.Dataset(coords=inputs.coords)
    ds["capacity"] = _da(
        _spread(inputs, capacity_t.max("time")),
        ("region", "tech"),
        u.MW,
        "installed capacity (most in service at any hour of the horizon)",
    )
    ds["new_capacity"] = _da(_spread(inputs, new), ("region", "tech"), u.MW, "new capacity built")
    ds["storage_capacity"] = _da(
        _spread(inputs, ds.capacity.sum("region") * inputs.duration_hours),
        ("region", "tech"),
        u.MWH,
        "storage energy capacity",
    )
    ds["generation"] = _da(
        _spread(inputs, gen.T),
        ("time", "region", "tech"),
        u.MW,
        "electricity injected (incl. storage discharge and grid imports)",
    )
    ds["consumption"] = _da(
        _spread(inputs, cons.T),
        ("time", "region", "tech"),
        u.MW,
        "electricity withdrawn by a technology (storage charging, grid exports)",
    )
    ds["storage_level"] = _da(
        _spread(inputs, level.T), ("time", "region", "tech"), u.MWH, "stored energy at the end of the hour"
    )
    ds["curtailment"] = _da(
        _spread(inputs, curtail.transpose("time", "tech")),
        ("time", "region", "tech"),
        u.MW,
        "variable renewable output available but not used",
    )
    ds["demand"] = inputs.demand
    ds["unserved"] = _da(unserved, ("time", "region"), u.MW, "unserved demand")
    ds["link_flow"] = _da(flow, ("time", "link"), u.MW, "link flow from `link_from` to `link_to`, sent side")
    ds["price"] = _da(
        solution.duals(b.balance).reshape(len(inputs.region), n_time).T,
        ("time", "region"),
        u.CNY_PER_MWH,
        "electricity price (dual of the hourly balance)",
    )
    ds["fuel_use"] = _da(
        _spread(inputs, (gen * inputs.heat_rate).T),
        ("time", "region", "tech"),
        "GJ",
        "fuel burnt in the hour",
    )
    ds["emissions"] = _da(
        _spread(inputs, (gen * inputs.co2_intensity).T),
        ("time", "region", "tech"),
        u.TCO2,
        "CO2 emitted in the hour (grid: embodied in imports)",
    )
    ds["cost"] = _da(
        _spread(inputs, _costs(inputs, new, gen, cons, startup)).transpose("region", "tech", "cost_component"),
        ("region", "tech", "cost_component"),
        u.CNY,
        "cost over the horizon by component",
    )
    voll = float(inputs.attrs["value_of_lost_load_cny_per_mwh"])
    ds["unserved_cost"] = _da(
        unserved.sum(axis=0) * voll, ("region",), u.CNY, "cost of unserved energy at the value of lost load"
    )
    if hasattr(m.policy, "co2_cap"):
        shadow = -float(solution.duals(m.policy.co2_cap)[0])
        ds["co2_shadow_price"] = _da(shadow, (), "CNY/tCO2", "marginal cost of the CO2 cap")
    for name in inputs.data_vars:
        if name not in ds:
            ds[name] = inputs[name]
    ds.attrs.update({k: inputs.attrs[k] for k in INPUT_ATTRS if k in inputs.attrs})
    ds.attrs.update(run_metadata(solution, build_seconds))
    return ds


def _costs(
    inputs: xr.Dataset, new: xr.DataArray, gen: xr.DataArray, cons: xr.DataArray, startup: xr.DataArray
) -> xr.DataArray:
    """Cost by (tech, cost_component) over the horizon, CNY, from the same rates the objective uses."""
    parts = {c: xr.zeros_like(new) for c in COST_COMPONENTS}
    for name, rate in generation_cost_rates(inputs).items():
        parts[name] = parts[name] + (rate * gen).sum("time")
    for name, rate in consumption_cost_rates(inputs).items():
        parts[name] = parts[name] + (rate * cons).sum("time")
    for name, rate in capacity_cost_rates(inputs).items():
        parts[name] = parts[name] + rate * new
    parts["fixed_om"] = parts["fixed_om"] + existing_fixed_cost(inputs)
    parts["startup"] = parts["startup"] + (inputs.startup_cost * startup).sum("time")
    return xr.concat([parts[c] for c in COST_COMPONENTS], dim="cost_component").assign_coords(
        cost_component=list(COST_COMPONENTS)
    )


def run_metadata(solution: SolveResult, build_seconds: float) -> dict[str, object]:
    """Dataset attrs describing the run."""
    from energysim import __version__

    return {
        "energysim_version": __version__,
        "solver": solution.solver,
        "highs_options": json.dumps(solution.options),
        "termination_status": str(solution.status),
        "objective_cny": solution.objective,
        "lp_rows": solution.size.rows,
        "lp_columns": solution.size.columns,
        "lp_nonzeros": solution.size.nonzeros,
        "build_seconds": build_seconds,
        "handoff_seconds": solution.handoff_seconds,
        "solve_seconds": solution.solve_seconds,
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_results(ds: xr.Dataset, path: str | Path) -> Path:
    """Write atomically: to a temporary file beside ``path``, then rename; never leaves a partial file.

    The write time (s) is stored in the file's ``write_seconds`` attribute.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        t0 = time.perf_counter()
        ds.to_netcdf(tmp, engine=NETCDF_ENGINE, encoding=_encoding(ds))
        seconds = time.perf_counter() - t0
        import h5netcdf

        with h5netcdf.File(tmp, "a") as f:
            f.attrs["write_seconds"] = seconds
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp creates 0600; give the file ordinary permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, object]]:
    """Compress the hourly arrays (they are mostly zeros)."""
    return {
        name: {"compression": "gzip", "compression_opts": 4}
        for name, var in ds.data_vars.items()
        if var.ndim >= 2 and var.dtype.kind == "f"
    }


def read_results(path: str | Path) -> xr.Dataset:
    """Open a results file fully into memory (the file is closed on return)."""
    with xr.open_dataset(path, engine=NETCDF_ENGINE) as ds:
        return ds.load()


def inputs_from_results(ds: xr.Dataset) -> xr.Dataset:
    """The input Dataset embedded in a results Dataset, ready for :func:`energysim.build_model`."""
    names = [n for n, v in ds.data_vars.items() if v.attrs.get("role") == INPUT_ROLE]
    inputs = ds[names]
    inputs.attrs = {k: ds.attrs[k] for k in INPUT_ATTRS if k in ds.attrs}
    return inputs
