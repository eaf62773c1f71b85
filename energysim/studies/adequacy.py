r"""Probabilistic adequacy (迎峰度夏/迎峰度冬 保供): sequential Monte Carlo over sampled peak seasons (or years), as
NREL's PRAS, GE MARS and PLEXOS PASA do, on the fleet a scenario run built.

Each sample is one season-year: a weather year (sample i takes weather year i mod W, so every year is used
equally), forced outages of every unit, tie pole and link block (two-state Markov, :mod:`.outage_sampling`),
maintenance outside the peak seasons, and an hour-by-hour dispatch with storage, curtailable-load budgets and
links (:mod:`.sequential`). Samples are drawn in chunks of ``chunk`` samples, chunk c from the stream
``[seed, first sample of c]``, so a result depends on the seed, the sample count and the chunk size only — not on
how many processes or Dask workers ran the chunks.

Outputs per region (and ``system``, any region short, when there are several), each the mean over samples with
its Monte Carlo standard error s/√n:

- LOLE, h/yr and d/yr: hours (days) with loss of load per sampled year; over the simulated hours only (a
  peak-season study counts no loss of load outside the peak seasons);
- EUE, MWh/yr: expected unserved energy;
- LOLP by hour of day and by month: the probability that such an hour is short;
- the probability of orderly power use (有序用电): the share of sampled years with any loss of load — when supply
  falls short, Zhejiang rations by an orderly power-use plan rather than shedding at random;
- the worst events (depth MW, duration h, energy MWh, when, in which weather year), and per sample the worst
  event's depth, duration and energy;
- a convergence check: the relative standard error of LOLE and EUE (converged below 10 %), or, with no loss
  of load seen in n samples, the 95 % upper bound 3/n on the probability of a year with any (rule of three).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.studies.adequacy_system import AdequacySystem
from energysim.studies.outage_sampling import forced_intervals, lost_capacity, maintenance_intervals
from energysim.studies.sequential import LOL_MW, dispatch

CHUNK = 100
"""Samples per chunk (a unit of work; results depend on it, so it is recorded)."""
CONVERGED_REL_SE = 0.10
"""Relative standard error below which an estimate counts as converged."""
TOP_EVENTS = 20


def _planned(system: AdequacySystem, rng: np.random.Generator, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed planned intervals (schedules) and sampled maintenance, each (S, U, M)."""
    fixed = np.broadcast_to(system.units.planned[None], (samples, *system.units.planned.shape))
    start, end = fixed[..., 0], fixed[..., 1]
    if system.maintenance_allowed[system.positions].any():  # hours outside the peak seasons are simulated
        m_start, m_end = maintenance_intervals(rng, system.units, samples, system.maintenance_allowed)
        start, end = np.concatenate([start, m_start], axis=2), np.concatenate([end, m_end], axis=2)
    return np.ascontiguousarray(start), np.ascontiguousarray(end)


def sample_margin(system: AdequacySystem, first: int, count: int, seed: int) -> dict[str, np.ndarray]:
    """The chunk of samples ``first`` … ``first + count − 1``: hourly margins before storage (R, S, T), the
    links' available capacity (L, S, T), each sample's weather year, and per unit the forced hours down, the
    repairs seen and their hours (for the convergence of sampled outage rates to their inputs)."""
    rng = np.random.default_rng([seed, first])
    units = system.units
    forced = forced_intervals(rng, units, count, system.horizon_hours)
    planned = _planned(system, rng, count)
    pools = len(system.pool_region)
    lost = lost_capacity(units, forced, planned, system.positions, pools)
    available = system.pool_rate[:, None, :] * (system.pool_mw[:, None, None] - lost)
    weather = (first + np.arange(count)) % len(system.weather_years)
    margin = (system.variable[weather] - system.demand[weather]).transpose(1, 0, 2).copy()
    for p, r in enumerate(system.pool_region):
        if r >= 0:
            margin[r] += available[p]
    spell = forced.end - forced.start
    complete = (forced.start > 0) & (forced.end < system.horizon_hours) & (spell > 0)
    n_units = len(units)
    return {
        "margin": margin,
        "link_capacity": available[system.link_pool]
        if len(system.link_pool)
        else np.zeros((0, count, len(system.positions))),
        "weather": weather,
        "down_hours": forced.per_unit(spell, n_units),
        "repairs": forced.per_unit(complete.astype(float), n_units),
        "repair_hours": forced.per_unit(np.where(complete, spell, 0.0), n_units),
    }


def simulate_chunk(system: AdequacySystem, first: int, count: int, seed: int) -> dict[str, Any]:
    """Sample and dispatch one chunk; returns its per-sample statistics (see :func:`chunk_statistics`)."""
    drawn = sample_margin(system, first, count, seed)
    unserved = dispatch(drawn["margin"], system.stores, system.curtail, system.links, drawn["link_capacity"],
                        system.block_start)  # fmt: skip
    stats = chunk_statistics(system, unserved, drawn["weather"], first)
    stats |= {k: drawn[k] for k in ("down_hours", "repairs", "repair_hours")}
    return stats


def region_display_names(inputs: xr.Dataset, labels: Sequence[str]) -> dict[str, Any]:
    """``region_name`` and ``region_name_zh`` on the study's ``region`` labels, from the scenario's inputs (a
    label they do not name, such as ``system``, stands for itself: the reports name it)."""
    out = {}
    for var in ("region_name", "region_name_zh"):
        names = dict(zip(inputs.region.values, inputs[var].values, strict=True)) if var in inputs else {}
        shown = np.array([str(names.get(label, label)) for label in labels], dtype=str)
        out[var] = (("region",), shown, {"long_name": f"display name{' in Chinese' if var.endswith('_zh') else ''}"})
    return out


def region_labels(system: AdequacySystem) -> list[str]:
    """The regions, and ``system`` (loss of load anywhere) when there are several."""
    return [*system.regions, "system"] if len(system.regions) > 1 else list(system.regions)


def chunk_statistics(system: AdequacySystem, unserved: np.ndarray, weather: np.ndarray, first: int) -> dict[str, Any]:
    """Per region and sample: hours and days of loss of load, unserved MWh, share of each hour of the day and
    month short, the worst event; and the chunk's largest events."""
    if len(system.regions) > 1:
        unserved = np.concatenate([unserved, unserved.sum(axis=0, keepdims=True)])
    lol = unserved > LOL_MW
    time = pd.DatetimeIndex(system.time)
    day = (time.normalize() - time.normalize()[0]).days.to_numpy()
    day_starts = np.flatnonzero(np.concatenate([[True], np.diff(day) != 0]))
    hod, month = time.hour.to_numpy(), time.month.to_numpy()
    by_hour = np.stack([lol[..., hod == h].mean(axis=-1) if (hod == h).any() else lol[..., 0] * np.nan
                        for h in range(24)], axis=-1)  # fmt: skip
    by_month = np.stack([lol[..., month == m].mean(axis=-1) if (month == m).any() else lol[..., 0] * np.nan
                         for m in range(1, 13)], axis=-1)  # fmt: skip
    events, worst = _events(system, unserved, lol, weather, first)
    return {
        "lol_hours": lol.sum(axis=-1).astype(float),
        "lol_days": (np.add.reduceat(lol, day_starts, axis=-1) > 0).sum(axis=-1).astype(float),
        "unserved": unserved.sum(axis=-1),
        "by_hour": by_hour,
        "by_month": by_month,
        "worst": worst,
        "events": events,
        "weather": weather,
    }


def _events(
    system: AdequacySystem, unserved: np.ndarray, lol: np.ndarray, weather: np.ndarray, first: int
) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Runs of consecutive short hours (split where a simulated block starts) of every region and sample: the
    chunk's ``TOP_EVENTS`` largest by energy, and each sample's worst (depth, duration, energy) (3, R, S).

    Vectorised over regions and samples: a run begins at a short hour after one that is not (or at a row's first
    hour, or a block's); the short hours laid end to end, each run's depth and energy is one segment's reduction.
    """
    regions, samples, hours = lol.shape
    labels = region_labels(system)
    worst = np.zeros((3, regions, samples))
    flat = lol.reshape(-1)
    before = np.zeros_like(lol)
    before[..., 1:] = lol[..., :-1]
    begins = np.flatnonzero(lol & (~before | system.block_start))  # flat index of each run's first hour
    if not len(begins):
        return [], worst
    short = unserved.reshape(-1)[flat]  # the short hours only: the runs back to back
    offsets = np.searchsorted(np.flatnonzero(flat), begins)  # where each run begins in ``short``
    duration = np.diff(offsets, append=len(short))
    depth = np.maximum.reduceat(short, offsets)
    energy = _run_sums(short, offsets, duration)
    row, start = np.divmod(begins, hours)  # row = region · S + sample
    by_row = np.lexsort((-energy, row))  # each row's largest first (the earliest of equals: a stable sort)
    head = by_row[np.concatenate([[True], np.diff(row[by_row]) != 0])]
    worst.reshape(3, -1)[:, row[head]] = depth[head], duration[head], energy[head]
    found = []
    for k in np.argsort(-energy, kind="stable")[:TOP_EVENTS]:
        r, s = divmod(int(row[k]), samples)
        found.append({"region": labels[r], "sample": first + s, "start": system.time[start[k]],
                      "duration_h": float(duration[k]), "depth_mw": float(depth[k]), "energy_mwh": float(energy[k]),
                      "weather_year": int(system.weather_years[weather[s]])})  # fmt: skip
    return found, worst


def _run_sums(short: np.ndarray, offsets: np.ndarray, duration: np.ndarray) -> np.ndarray:
    """The sum of each run ``short[a : a + n]``, bit for bit as ``short[a : a + n].sum()`` gives it: numpy adds
    fewer than 8 numbers one after another, so those runs are summed here a column at a time across runs; the
    longer ones (few) one by one, as numpy sums them (pairwise). ``np.add.reduceat`` would round otherwise."""
    energy = np.zeros(len(offsets))
    brief = duration < 8
    for j in range(min(int(duration.max()), 7)):
        on = brief & (duration > j)
        energy[on] += short[offsets[on] + j]
    for k in np.flatnonzero(~brief):
        energy[k] = short[offsets[k] : offsets[k] + duration[k]].sum()
    return energy


def simulate(
    system: AdequacySystem,
    samples: int,
    *,
    seed: int = 0,
    chunk: int = CHUNK,
    run_chunks: Callable[[AdequacySystem, Sequence[tuple[int, int, int]]], list[dict[str, Any]]] | None = None,
    scenario_name: str = "",
) -> xr.Dataset:
    """Sample ``samples`` season-years of ``system`` and summarise them (module docstring).

    ``run_chunks`` runs the chunks ``(first, count, seed)`` somewhere else (e.g. on Dask workers,
    :func:`energysim.studies.distributed.map_on_cluster`); by default they run here, one after another.
    """
    if samples < 2:
        raise ValueError(f"samples: expected at least 2 (a standard error needs two), found {samples}")
    t0 = time.perf_counter()
    jobs = [(first, min(chunk, samples - first), seed) for first in range(0, samples, chunk)]
    parts = [simulate_chunk(system, *job) for job in jobs] if run_chunks is None else run_chunks(system, jobs)
    seconds = time.perf_counter() - t0
    return summarise(system, parts, seed=seed, chunk=chunk, seconds=seconds, scenario_name=scenario_name)


def _mean_se(x: np.ndarray, axis: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Mean over samples and its standard error s/√n (NaN where nothing was simulated, e.g. a month)."""
    n = x.shape[axis]
    simulated = ~np.isnan(x).all(axis=axis)
    filled = np.where(np.isnan(x), 0.0, x)
    mean = filled.mean(axis=axis)
    se = filled.std(axis=axis, ddof=1) / np.sqrt(n)
    return np.where(simulated, mean, np.nan), np.where(simulated, se, np.nan)


def summarise(
    system: AdequacySystem, parts: list[dict[str, Any]], *, seed: int, chunk: int, seconds: float, scenario_name: str
) -> xr.Dataset:
    """The adequacy Dataset from the chunks' statistics (in sample order)."""

    def cat(key: str, axis: int = 1) -> np.ndarray:
        return np.concatenate([p[key] for p in parts], axis=axis)

    labels = region_labels(system)
    hours, days, unserved = cat("lol_hours"), cat("lol_days"), cat("unserved")
    n = hours.shape[1]
    any_short = (hours > 0).astype(float)
    worst = cat("worst", axis=2)
    data: dict[str, Any] = {}

    def stat(name: str, values: np.ndarray, units: str, long_name: str, dims: tuple[str, ...] = ("region",)) -> None:
        mean, se = _mean_se(values)
        data[name] = (dims, mean, {"units": units, "long_name": long_name})
        data[f"{name}_se"] = (dims, se, {"units": units, "long_name": f"Monte Carlo standard error of {name}"})

    stat("lole_hours", hours, "h/yr", "loss-of-load expectation (hours with loss of load per year)")
    stat("lole_days", days, "d/yr", "loss-of-load expectation (days with loss of load per year)")
    stat("eue", unserved, "MWh/yr", "expected unserved energy")
    stat("orderly_power_use_probability", any_short, "1", "probability of a year with orderly power use (有序用电)")
    stat("lolp_hour", cat("by_hour"), "1", "loss-of-load probability by hour of day", ("region", "hour"))
    stat("lolp_month", cat("by_month"), "1", "loss-of-load probability by month", ("region", "month"))
    for i, (name, units) in enumerate((("depth", "MW"), ("duration", "h"), ("energy", "MWh"))):
        stat(f"worst_event_{name}", worst[i], units, f"worst event of the year: {name} (0 without any)")
    per_sample = {
        "sample_lol_hours": (hours, "h", "hours with loss of load in the sampled year"),
        "sample_unserved": (unserved, "MWh", "unserved energy in the sampled year"),
    }
    for name, (values, units, long_name) in per_sample.items():
        data[name] = (("region", "sample"), values, {"units": units, "long_name": long_name})
    weather = np.concatenate([system.weather_years[p["weather"]] for p in parts])
    data["sample_weather_year"] = (("sample",), weather, {"units": "", "long_name": "weather year of the sample"})
    data |= _convergence(hours, unserved)
    data |= _unit_table(system, parts, n)
    events = sorted((e for p in parts for e in p["events"]), key=lambda e: -e["energy_mwh"])[:TOP_EVENTS]
    data |= _event_table(events)
    ds = xr.Dataset(
        data,
        coords={"region": labels, "hour": np.arange(24), "month": np.arange(1, 13), "sample": np.arange(n)},
    )
    ds.attrs = {
        "study": "adequacy",
        "scenario_name": scenario_name,
        "samples": n,
        "seed": seed,
        "chunk": chunk,
        "simulated_hours": len(system.positions),
        "simulated_from": str(pd.Timestamp(system.time[0])),
        "simulated_to": str(pd.Timestamp(system.time[-1])),
        "weather_years": len(system.weather_years),
        "units_sampled": len(system.units),
        "seconds": seconds,
        "samples_per_second": n / seconds if seconds > 0 else float("nan"),
        "notes": "; ".join(system.notes),
        "lole_scope": "loss of load counted over the simulated hours only",
    }
    return ds


def _convergence(hours: np.ndarray, unserved: np.ndarray) -> dict[str, Any]:
    """Relative standard errors, the estimate at each quarter of the samples, and the verdict."""
    n = hours.shape[1]
    out: dict[str, Any] = {}
    marks = np.array(sorted({max(2, n // 4), max(2, n // 2), max(2, 3 * n // 4), n}))
    for name, x in (("lole_hours", hours), ("eue", unserved)):
        running = np.stack([x[:, :k].mean(axis=1) for k in marks], axis=1)
        out[f"{name}_running"] = (("region", "samples_used"), running, {"long_name": f"{name} on the first samples"})
    mean = hours.mean(axis=1)
    se = hours.std(axis=1, ddof=1) / np.sqrt(n)
    eue_mean = unserved.mean(axis=1)
    eue_se = unserved.std(axis=1, ddof=1) / np.sqrt(n)
    rel = np.where(mean > 0, se / np.where(mean > 0, mean, 1), 0.0)
    rel_eue = np.where(eue_mean > 0, eue_se / np.where(eue_mean > 0, eue_mean, 1), 0.0)
    converged = (rel <= CONVERGED_REL_SE) & (rel_eue <= CONVERGED_REL_SE)
    out["lole_relative_se"] = (("region",), rel, {"units": "1", "long_name": "relative standard error of LOLE"})
    out["eue_relative_se"] = (("region",), rel_eue, {"units": "1", "long_name": "relative standard error of EUE"})
    out["converged"] = (
        ("region",),
        converged,
        {"long_name": f"LOLE and EUE relative standard errors ≤ {CONVERGED_REL_SE:.0%}"},
    )
    bound = np.where(mean > 0, np.nan, 3.0 / n)
    out["no_loss_upper_bound"] = (
        ("region",),
        bound,
        {"units": "1", "long_name": "none seen: 95 % upper bound on the yearly probability (3/n)"},
    )
    out["samples_used"] = (("samples_used",), marks, {"units": ""})
    return out


def _unit_table(system: AdequacySystem, parts: list[dict[str, Any]], n: int) -> dict[str, Any]:
    down = sum(p["down_hours"] for p in parts)
    repairs = sum(p["repairs"] for p in parts)
    repair_hours = sum(p["repair_hours"] for p in parts)
    u = system.units
    return {
        "unit_tech": (("unit",), system.unit_tech, {"long_name": "technology (or link) of the unit"}),
        "unit_class": (("unit",), system.unit_class, {"long_name": "outage class (data/outages.csv)"}),
        "unit_mw": (("unit",), u.mw, {"units": "MW", "long_name": "unit capacity"}),
        "unit_forced_outage_rate": (
            ("unit",),
            u.forced_rate,
            {"units": "1", "long_name": "forced outage rate (input)"},
        ),
        "unit_mttr": (("unit",), u.mttr_h, {"units": "h", "long_name": "mean time to repair (input)"}),
        "unit_sampled_forced_outage_rate": (
            ("unit",),
            down / (n * system.horizon_hours),
            {"units": "1", "long_name": "share of sampled hours forced out"},
        ),
        "unit_sampled_mttr": (
            ("unit",),
            np.where(repairs > 0, repair_hours / np.maximum(repairs, 1), np.nan),
            {"units": "h", "long_name": "mean sampled repair time"},
        ),
    }


def _event_table(events: list[dict[str, Any]]) -> dict[str, Any]:
    columns = ["region", "sample", "start", "duration_h", "depth_mw", "energy_mwh", "weather_year"]
    frame = pd.DataFrame(events, columns=columns)
    units = {"duration_h": "h", "depth_mw": "MW", "energy_mwh": "MWh"}
    out = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        attrs = {"long_name": f"worst events: {name}"}
        if name == "start":
            values = pd.to_datetime(values).to_numpy()  # a time: no units attribute (netCDF encodes its own)
        elif name == "region":
            values = values.astype(str)
        else:
            attrs["units"] = units.get(name, "")
        out[f"event_{name}"] = (("event",), values, attrs)
    return out


def run_adequacy(
    scenario: Any,
    *,
    results_file: str | Path | None = None,
    samples: int = 1000,
    seed: int = 0,
    weather_years: int = 10,
    season: str = "peak",
    hours: int | None = None,
    outages: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> xr.Dataset:
    """The whole study for a scenario: its fleet as a solved run built it (``results_file``, else solved here),
    ``weather_years`` weather years (1: the scenario's own profiles only), ``samples`` sampled years on this
    process or on Dask (``workers`` local processes, or the cluster at ``scheduler``); written to ``out``.

    Adequacy is about the physical system, so it samples every plant sited in the regions (the sited view).
    """
    from energysim.inputs import build_inputs
    from energysim.inputs.outages import read_outage_classes
    from energysim.pipeline import run_inputs
    from energysim.profiles.weather_years import heatwave_statistics
    from energysim.profiles.weather_years import weather_years as make_weather
    from energysim.report.adequacy import with_weather_statistics
    from energysim.results import read_results, write_results
    from energysim.results.io import inputs_from_results
    from energysim.studies.adequacy_system import adequacy_system
    from energysim.studies.distributed import map_on_cluster

    table = read_outage_classes(outages)
    if results_file is not None:
        results = read_results(results_file)
        inputs = inputs_from_results(results)
        if "firm_outside_view" in inputs and float(inputs.firm_outside_view.max()) > 0:
            raise ValueError(f"{results_file} is a run in a view without some plants: give a run of the sited view")
        if inputs.attrs.get("weather_year"):  # the study maps every weather year onto the shipped one's inputs
            raise ValueError(
                f"{results_file} is a run in weather year {inputs.attrs['weather_year']}: give a run of the "
                "shipped profiles (the study samples every weather year itself)"
            )
    else:
        inputs = build_inputs(scenario.in_view("sited"), hours=hours)
        say(f"  solving {scenario.name} for the fleet it builds …")
        results = run_inputs(inputs)
    weather = None
    if weather_years > 1:
        year = pd.Timestamp(inputs.time.values[0]).year
        t0 = time.perf_counter()
        weather = make_weather(year, weather_years)
        say(f"  {weather_years} weather years of {year} in {time.perf_counter() - t0:.1f} s")
    system = adequacy_system(inputs, results, weather=weather, outages=table, season=season)
    run_chunks = None
    if workers or scheduler:

        def run_chunks(system: AdequacySystem, jobs: Sequence[tuple[int, int, int]]) -> list[dict[str, Any]]:
            return map_on_cluster(simulate_chunk, jobs, shared=system, workers=workers or 2, scheduler=scheduler)

    say(f"  sampling {samples:,} years of {len(system.positions):,} h …")
    name = str(inputs.attrs["scenario_name"])
    ds = simulate(system, samples, seed=seed, run_chunks=run_chunks, scenario_name=name)
    if weather is not None:
        ds = with_weather_statistics(ds, heatwave_statistics(weather))
    ds = ds.assign(region_display_names(inputs, ds.region.values))
    for key in ("targets_file", "view"):
        if inputs.attrs.get(key):
            ds.attrs[key] = inputs.attrs[key]
    ds.attrs["workers"] = "this process" if not (workers or scheduler) else (scheduler or f"{workers} local processes")
    if out is not None:
        write_results(ds, out)
    return ds
