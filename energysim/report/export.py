"""Tidy tables of a run for spreadsheets: one row per observation (technology, region, hour …), one column per
quantity, the unit in each column's name (``generation_MWh``, ``price_CNY_per_MWh``).

Tables: ``about`` (what the file holds: scenario, view, horizon, accounting, created), ``kpis`` (the headline
numbers of ``energysim summary``/``compare``, unit in each KPI's name), ``capacity`` (per technology),
``energy`` (per technology over the horizon: electricity, steam, fuel, CO2, cost), ``cost`` (per technology
and cost component), ``emissions`` (CO2 by source on each accounting basis), ``dispatch`` (per hour and
technology: the hours a technology generates, consumes or holds energy), ``prices`` (per hour and region:
demand, unserved, electricity and steam prices). Written as one Excel workbook (a sheet per table) or a folder
of CSV files, atomically: into a temporary file or folder beside the target, then renamed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

TABLES = ("about", "kpis", "capacity", "energy", "cost", "emissions", "dispatch", "prices")
"""Every table, in the order of the workbook's sheets."""

EXCEL_MAX_ROWS = 1_048_576
"""Rows of an Excel sheet, header included."""

_PER = {"MW": "MWh", "t/h": "t"}
"""Hourly rate → what it sums to over the hours (a time step is one hour; typical-day runs are read back onto
every hour of the year)."""


def unit_token(unit: str) -> str:
    """A unit as a column-name suffix.

    >>> [unit_token(u) for u in ("CNY/MWh", "t/h", "tCO2", "1", "CNY/(t/h)/yr")]
    ['CNY_per_MWh', 't_per_h', 'tCO2', 'pu', 'CNY_per_t_per_h_per_yr']
    """
    if unit in ("1", ""):
        return "pu"
    return unit.replace("(", "").replace(")", "").replace("/", "_per_").replace(" ", "_")


def column(ds: xr.Dataset, name: str, *, summed: bool = False) -> str:
    """``name_<unit>`` from the variable's ``units`` attr; ``summed``: the unit of its sum over the hours."""
    unit = str(ds[name].attrs.get("units", ""))
    return f"{name}_{unit_token(_PER.get(unit, unit) if summed else unit)}"


def tables(ds: xr.Dataset, *, about: dict[str, object] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of :data:`TABLES` for one run; ``about``: extra rows of the ``about`` table (file read …)."""
    return {
        "about": about_table(ds, about or {}),
        "kpis": kpi_rows(ds),
        "capacity": capacity_table(ds),
        "energy": energy_table(ds),
        "cost": cost_table(ds),
        "emissions": emissions_table(ds),
        "dispatch": dispatch_table(ds),
        "prices": prices_table(ds),
    }


def about_table(ds: xr.Dataset, extra: dict[str, object]) -> pd.DataFrame:
    """What the run is: ``key``, ``value`` (text)."""
    from energysim.report.accounting import hours_of_year, is_full_year

    solved, year = hours_of_year(ds)
    a = ds.attrs
    rows = {
        **extra,
        "scenario": a.get("scenario_name", ""),
        "variant": a.get("variant", ""),
        "view": a.get("view", ""),
        "first_hour": str(pd.Timestamp(ds.time.values[0])),
        "last_hour": str(pd.Timestamp(ds.time.values[-1])),
        "hours_solved": solved,
        "hours_of_year": year,
        "full_year": "yes" if is_full_year(ds) else "no (sums are over the hours solved)",
        "co2_policy_basis": a.get("co2_basis", ""),
        "grid_co2_t_per_MWh": a.get("grid_co2_t_per_mwh", ""),
        "objective_CNY": a.get("objective_cny", ""),
        "termination_status": a.get("termination_status", ""),
        "solver": a.get("solver", ""),
        "energysim_version": a.get("energysim_version", ""),
        "created_utc": a.get("created_utc", ""),
    }
    return pd.DataFrame({"key": list(rows), "value": [str(v) for v in rows.values()]})


def kpi_rows(ds: xr.Dataset) -> pd.DataFrame:
    """``kpi`` (its unit at the end of its name), ``value``: the KPIs ``energysim compare`` prints, without the
    per-technology rows (those are in ``capacity`` and ``energy``)."""
    from energysim.report.compare import TECH_ROWS, kpi_table

    table = kpi_table({"run": ds})["run"]
    table = table[~table.index.str.startswith(tuple(f"{r}." for r in TECH_ROWS))]
    return pd.DataFrame({"kpi": table.index, "value": table.to_numpy(dtype=float)})


def _per_tech(ds: xr.Dataset) -> pd.DataFrame:
    """The key columns of a per-technology table: ``region`` (where it is sited), ``tech``, ``kind``."""
    return pd.DataFrame(
        {"region": ds.tech_region.values.astype(str), "tech": ds.tech.values.astype(str), "kind": ds.tech_kind.values}
    )


def capacity_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per technology: installed and new electric capacity (MW), storage energy (MWh), steam capacity (t/h)."""
    out = _per_tech(ds)
    for name in ("capacity", "new_capacity", "storage_capacity", "steam_capacity", "new_steam_capacity"):
        if name in ds:
            out[column(ds, name)] = ds[name].sum("region").values
    return out


def energy_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per technology over the horizon: electricity generated, consumed and curtailed (MWh), steam (t), fuel
    (GJ), CO2 (tCO2), cost (CNY, every component)."""
    out = _per_tech(ds)
    for name in ("generation", "consumption", "curtailment", "steam_output", "fuel_use", "emissions"):
        if name in ds:
            out[column(ds, name, summed=True)] = ds[name].sum(["time", "region"]).values
    out[column(ds, "cost")] = ds.cost.sum(["region", "cost_component"]).values
    return out


def cost_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per technology and cost component (capex, fixed_om, fuel, …): ``cost_CNY``; rows of zero left out."""
    cost = ds.cost.sum("region").transpose("tech", "cost_component")
    frame = cost.to_dataframe(name=column(ds, "cost"))[[column(ds, "cost")]].reset_index()
    frame.insert(0, "region", ds.tech_region.sel(tech=frame.tech.values).values.astype(str))
    return frame[frame[column(ds, "cost")] != 0].reset_index(drop=True)


def emissions_table(ds: xr.Dataset) -> pd.DataFrame:
    """CO2 by source on each accounting basis: ``basis`` (territorial: the view's plants and boilers;
    consumption: the locally dispatched ones and purchased electricity at the grid factor), ``source``,
    ``emissions_tCO2``; sources that emit nothing left out. Each basis sums to its total in ``kpis``."""
    from energysim.report.compare import co2_by_source

    parts = []
    for basis in ("territorial", "consumption"):
        by_source = co2_by_source(ds, basis) * 1e3  # kt → t
        by_source = by_source[by_source != 0]
        parts.append(pd.DataFrame({"basis": basis, "source": by_source.index.astype(str), "x": by_source.values}))
    return pd.concat(parts, ignore_index=True).rename(columns={"x": column(ds, "emissions", summed=True)})


def dispatch_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per hour and technology: ``generation_MW``, ``consumption_MW`` (hourly averages, so also MWh in the hour),
    ``storage_level_MWh``, ``steam_output_t_per_h``; only the rows where one of them is not zero."""
    names = [n for n in ("generation", "consumption", "storage_level", "steam_output") if n in ds]
    values = {column(ds, n): ds[n].sum("region").transpose("time", "tech").values.ravel() for n in names}
    n_time, n_tech = ds.sizes["time"], ds.sizes["tech"]
    keep = np.zeros(n_time * n_tech, dtype=bool)
    for v in values.values():
        keep |= np.abs(v) > 0
    techs = ds.tech.values.astype(str)
    frame = pd.DataFrame(
        {
            "time": np.repeat(ds.time.values, n_tech)[keep],
            "region": np.tile(ds.tech_region.values.astype(str), n_time)[keep],
            "tech": np.tile(techs, n_time)[keep],
            **{name: v[keep] for name, v in values.items()},
        }
    )
    return frame


def prices_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per hour and region: demand and unserved (MW), the electricity price (CNY/MWh); steam demand (t/h) and
    price (CNY/t) where the region has steam demand."""
    names = [n for n in ("demand", "unserved", "price", "steam_demand", "steam_unserved", "steam_price") if n in ds]
    frame = ds[names].transpose("time", "region").to_dataframe()[names].reset_index()
    return frame.rename(columns={n: column(ds, n) for n in names})


def stacked(runs: Iterable[tuple[str | None, dict[str, pd.DataFrame]]]) -> dict[str, pd.DataFrame]:
    """The tables of several runs, one below the other, with a first ``variant`` column (runs of a sweep); the
    tables of a single unnamed run as they are."""
    runs = list(runs)
    if len(runs) == 1 and runs[0][0] is None:
        return runs[0][1]
    return {
        name: pd.concat([t[name].assign(variant=v)[["variant", *t[name].columns]] for v, t in runs], ignore_index=True)
        for name in TABLES
    }


def write_tables(frames: dict[str, pd.DataFrame], path: str | Path, *, fmt: str) -> Path:
    """Write the tables as an Excel workbook (``fmt="xlsx"``, a sheet per table) or a folder of CSV files
    (``"csv"``), atomically: into a temporary file or folder beside ``path``, then renamed; an earlier export
    at ``path`` is replaced only once the new one is complete."""
    from energysim.results.io import _HOST, remove_stale_temp_files

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(path.parent)
    prefix = f".{path.name}.{_HOST}.{os.getpid()}."
    if fmt == "xlsx":
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            _write_xlsx(frames, tmp)
            tmp.chmod(0o666 & ~_umask())  # mkstemp creates 0600
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return path
    tmp = Path(tempfile.mkdtemp(prefix=prefix, suffix=".tmp", dir=path.parent))
    try:
        for name, frame in frames.items():
            frame.to_csv(tmp / f"{name}.csv", index=False, date_format="%Y-%m-%d %H:%M")
        tmp.chmod(0o777 & ~_umask())
        _swap_folder(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _swap_folder(new: Path, path: Path) -> None:
    """Put the folder ``new`` at ``path``; an earlier export there is moved aside first and removed after."""
    if not path.exists():
        os.replace(new, path)
        return
    old = path.with_name(f".{path.name}.{os.getpid()}.old")
    os.replace(path, old)
    try:
        os.replace(new, path)
    except BaseException:
        os.replace(old, path)  # put the earlier export back
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, a header row of column names (:mod:`energysim.report.xlsx`: column by column, about
    15 times openpyxl's speed)."""
    from energysim.report.xlsx import write_workbook

    write_workbook(frames, path)
