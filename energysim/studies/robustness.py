"""Verdict robustness: how sure is each plan-target verdict and headline KPI, and which inputs flip it.

Every uncertain input has a range (:mod:`energysim.inputs.uncertainty`: explicit, or from its data row's
confidence mark). Two designs share one run:

- **one at a time**: the base, then each input at its low and its high end with the others at base (each
  structural switch once: unit commitment off; a few other weather years) — tornadoes, and the value at which
  each verdict flips (:mod:`energysim.report.robustness`);
- **jointly**: a Latin-hypercube sample of every input over its range (uniform; dates by the day, weather years
  equally likely; ``samples`` ≥ 200 for the plan), giving each target's probability of being met, the KPI
  distributions and each verdict's strongest drivers.

Each variant is the scenario with the inputs' ``--set`` values (resolved on the client, which reads every file),
shipped as changes to the base inputs, and for a weather year that year's number: the worker, which holds the
weather years, puts in its demand, renewables and steam. It is re-solved on a persistent HiGHS instance (only changed
numbers sent, warm-started), here or on Dask workers that share nothing with the client. Each variant returns
its KPIs, every target's value and verdict (against the base year's results), and a small adequacy study
(``adequacy_samples`` sampled peak seasons over every weather year, built from the inputs before the variant's
weather year, the same seed in every variant so differences come from the inputs: common random numbers) for
LOLE.

With ``days`` (``robustness --days N``) every variant is solved on N representative days picked once from the
base (each weather year's from that year) and the base once more on every hour; each value is reported anchored,
full-year base + (variant − base on the same days), which cancels the days' bias as far as it is the same in every
variant (:mod:`energysim.studies.robustness_days`: the math, the choice of days, the assumption).

Results go to a folder, one JSON file per variant written atomically (``NNNN.json``) beside ``design.json``: a
killed study resumes where it stopped (a cut-short file fails to parse and is redone); another design in the
same folder is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.inputs.typical_days import Aggregation
from energysim.inputs.uncertainty import UncertainInput
from energysim.scenario.schema import Aggregate
from energysim.studies.robustness_days import DayPicker, anchor_file

DESIGN = "design.json"
SOLVED_KINDS = ("number", "date", "weather", "outage_scale")
"""Input kinds in the joint sample (switches and bases are looked at one at a time)."""
OAT_WEATHER_YEARS = 3
"""Other weather years solved one at a time (each a variant)."""


@dataclass(frozen=True)
class Variant:
    """One solve: ``kind`` ``base`` | ``one_at_a_time`` | ``sample``, the inputs it sets (name → value; inputs
    not named stay at base), and a label."""

    index: int
    kind: str
    values: dict[str, float]
    label: str


def _one_at_a_time(inp: UncertainInput) -> list[tuple[dict[str, float], str]]:
    """The one-at-a-time settings of an input: low and high ends, or a few other weather years."""
    if inp.kind in ("number", "date", "outage_scale"):
        ends = (("low", inp.low), ("high", inp.high))
        return [({inp.name: value}, f"{inp.name} {end}") for end, value in ends if value != inp.base]
    if inp.kind == "weather":
        return [({inp.name: float(k)}, f"{inp.name} {k}") for k in range(1, min(int(inp.high), OAT_WEATHER_YEARS) + 1)]
    return []


def _sampled(inp: UncertainInput, u: float) -> float:
    """The value at the unit-interval point ``u``: uniform over the range, dates by the day, weather years equally
    likely."""
    if inp.kind == "weather":
        return float(min(int(u * (inp.high + 1)), inp.high))
    value = inp.low + u * (inp.high - inp.low)
    return float(round(value)) if inp.kind == "date" else float(value)


def design(inputs: Sequence[UncertainInput], *, samples: int, seed: int, one_at_a_time: bool = True) -> list[Variant]:
    """The base, the one-at-a-time variants (numbers and dates at low and high, outage rates at both ends, a few
    weather years), ``samples`` Latin-hypercube variants, and the switches one at a time (last, since they
    change the LP's shape)."""
    from scipy.stats import qmc

    settings: list[tuple[str, dict[str, float], str]] = [("base", {}, "base")]
    if one_at_a_time:
        settings += [("one_at_a_time", values, label) for inp in inputs for values, label in _one_at_a_time(inp)]
    joint = [inp for inp in inputs if inp.kind in SOLVED_KINDS]
    if samples and joint:
        for row in qmc.LatinHypercube(d=len(joint), seed=seed).random(samples):
            values = {inp.name: _sampled(inp, u) for inp, u in zip(joint, row, strict=True)}
            settings.append(("sample", values, "sample"))
    if one_at_a_time:
        switches = [i for i in inputs if i.kind == "switch"]
        settings += [("one_at_a_time", {i.name: 1.0}, f"{i.name} {i.keys[0]}") for i in switches]
    return [
        Variant(i, kind, values, f"sample {i}" if kind == "sample" else label)
        for i, (kind, values, label) in enumerate(settings)
    ]


@dataclass(frozen=True)
class Source:
    """Where the scenario comes from: its file, override sets, ``--set`` values, view and horizon."""

    path: str
    overrides: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    view: str | None = None
    hours: int | None = None


def variant_inputs(
    source: Source,
    inputs: Sequence[UncertainInput],
    variant: Variant,
    weather: xr.Dataset | None,
    *,
    every_hour: bool = False,
) -> xr.Dataset:
    """A variant's inputs, built on the client (the only place that reads the scenario's files); with
    ``every_hour`` on every hour of the horizon even if the scenario sets ``time.aggregate`` (the typical days of
    ``robustness --days`` are picked by the study, once)."""
    from energysim.inputs import build_inputs
    from energysim.inputs.weather_year import with_weather_year
    from energysim.scenario import load_scenario

    by_name = {inp.name: inp for inp in inputs}
    sets = [s for name, value in variant.values.items() if by_name[name].kind in ("number", "date")
            for s in by_name[name].sets(value)]  # fmt: skip
    scenario = load_scenario(source.path, overrides=source.overrides, sets=source.sets, sweep_sets=sets)
    out = build_inputs(scenario.in_view(source.view), hours=source.hours)
    for name, value in variant.values.items():
        inp = by_name[name]
        if inp.kind == "weather" and value > 0 and weather is not None:
            out = with_weather_year(out, weather, int(value))
        elif inp.kind == "switch":
            key, _, setting = inp.keys[0].partition("=")
            out.attrs[key] = setting
    if every_hour:
        out.attrs.pop("aggregate", None)
    return out


def headline_kpis(ds: xr.Dataset, base: xr.Dataset | None) -> dict[str, float]:
    """Cost, CO2 on both bases, energy and carbon intensity (and their change against ``base`` on both CO2
    bases), unserved energy."""
    from energysim.report.accounting import co2_accounts, intensities
    from energysim.results import total_cost

    co2 = co2_accounts(ds)
    now = intensities(ds)
    kpis = {
        "cost_mcny": total_cost(ds) / 1e6,
        "co2_territorial_mt": co2["territorial"] / 1e6,
        "co2_consumption_mt": co2["consumption"] / 1e6,
        "energy_intensity_tce_per_1e4cny": now["energy_tce_per_1e4cny"],
        "co2_intensity_territorial_t_per_1e4cny": now["co2_territorial_t_per_1e4cny"],
        "co2_intensity_consumption_t_per_1e4cny": now["co2_consumption_t_per_1e4cny"],
        "unserved_mwh": float(ds.unserved.sum()),
    }
    for basis in ("territorial", "consumption"):
        then = intensities(base)[f"co2_{basis}_t_per_1e4cny"] if base is not None else float("nan")
        kpis[f"co2_intensity_{basis}_change_pct"] = 100 * (now[f"co2_{basis}_t_per_1e4cny"] / then - 1)
    return kpis


def evaluate_variant(
    shared: Mapping[str, Any], changes: Mapping[str, Any], outage_scale: float, days: Aggregation | None = None
) -> dict[str, Any]:
    """Worker task: solve one variant (changes to the shared base inputs) on this process's persistent HiGHS,
    on every hour or on the typical ``days``, then its KPIs, a small adequacy study and every target's value and
    verdict (:func:`_evaluate`). A failure is returned as its error (one line) and kind, not raised. ``changes``
    may name a ``weather_year`` (> 0: its demand, renewables and steam from ``shared["weather"]``, applied after the
    changes, as :func:`variant_inputs` does); ``{"anchor": True}``: the base on every hour, solved afresh (the
    anchor of ``--days``), with a ``weather_year`` > 0 in that weather year and once more on its ``days``."""
    from energysim.studies.distributed import (
        failure_kind,
        one_line,
        persistent_solver,
        release_solver,
        with_changes,
    )

    if "error" in changes:  # the client could not build the variant
        return dict(changes)
    if changes.get("anchor"):  # the base on every hour, in weather year k; a failure is raised (nothing to anchor on)
        k = int(changes.get("weather_year", 0))
        if not k:
            return _evaluate(shared, shared["base_inputs"].copy(), 1.0)
        from energysim.inputs.weather_year import with_weather_year

        # a weather year changes demand, availability and steam (right-hand sides and bounds): the year's LP is
        # re-solved from this worker's last full-year basis (plan, 2026-11-29: 35-78 s, the ten anchors 551 s
        # against 669 s afresh; one re-solve was slower than afresh)
        year = with_weather_year(shared["base_inputs"], shared["weather"], k)
        full = _evaluate(shared, year, 1.0, persistent=persistent_solver(year, "year"),
                         adequacy_inputs=shared["base_inputs"])  # fmt: skip
        full["days_base"] = _evaluate(shared, year, 1.0, days=days, persistent=persistent_solver(year),
                                      adequacy_inputs=shared["base_inputs"])  # fmt: skip
        return full
    release_solver(shared["base_inputs"], "year")  # the anchors come first: their full-year LP is no longer needed
    try:
        inputs = sampled = with_changes(shared["base_inputs"], changes)
        if changes.get("weather_year"):
            from energysim.inputs.weather_year import with_weather_year

            inputs = with_weather_year(sampled, shared["weather"], int(changes["weather_year"]))
        return _evaluate(shared, inputs, outage_scale, days=days, persistent=persistent_solver(inputs),
                         adequacy_inputs=sampled)  # fmt: skip
    except Exception as exc:
        return {"error": one_line(exc), "kind": failure_kind(exc)}


def _evaluate(
    shared: Mapping[str, Any],
    inputs: xr.Dataset,
    outage_scale: float,
    *,
    days: Aggregation | None = None,
    persistent: Any = None,
    adequacy_inputs: xr.Dataset | None = None,
) -> dict[str, Any]:
    """Solve ``inputs`` (on ``persistent``, or without it afresh with the scenario's own warm start: the anchor
    of ``--days``, on every hour) and measure the answer: KPIs, an adequacy study of ``shared["adequacy_samples"]``
    samples (seed ``shared["seed"]``, forced outage rates × ``outage_scale``), every target's value and verdict.

    The adequacy study samples every weather year itself (LOLE is an expectation over weather), so it is built
    from ``adequacy_inputs``: the variant's inputs before its weather year replaced the demand, renewables and steam
    (default ``inputs``). Built from a weather year's inputs it would map each weather year onto that year's
    demand, not the shipped year's, and count the year's heat twice."""
    from energysim.pipeline import run_inputs
    from energysim.report.accounting import intensities_once

    t0 = time.perf_counter()
    ds = run_inputs(inputs, persistent=persistent, days=days)
    kind = persistent.stats.kinds[-1] if persistent is not None else "full year"
    solve_seconds = time.perf_counter() - t0
    base = shared.get("base_results")
    if base is not None:  # the grid factor is an accounting convention: both years counted alike
        base = _base_alike(base, ds.attrs["grid_co2_t_per_mwh"])
    with intensities_once(_thread_memo("intensities")):  # the KPIs and targets read both years' several times
        kpis = headline_kpis(ds, base)
        adequacy = _adequacy(shared, inputs if adequacy_inputs is None else adequacy_inputs, ds, outage_scale, kpis)
        targets = _targets(ds, shared, base, adequacy)
    out = {"kpis": kpis, "targets": targets, "seconds": time.perf_counter() - t0, "solve_seconds": solve_seconds,
           "solve": kind}  # fmt: skip
    if days is not None:  # which days (a weather year has its own)
        out["typical_days"] = days.rep_day.tolist()
    return out


_THIS_THREAD = threading.local()
"""This worker thread's memos across its variants: ``intensities`` (:func:`energysim.report.accounting.
intensities_once`: the base year's are read once for all its variants) and ``base_alike`` (:func:`_base_alike`)."""


def _thread_memo(name: str) -> dict[Any, Any]:
    if not hasattr(_THIS_THREAD, name):
        setattr(_THIS_THREAD, name, {})
    return getattr(_THIS_THREAD, name)


def _base_alike(base: xr.Dataset, grid_factor: object) -> xr.Dataset:
    """The base year's results counted with the variant's consumption-basis grid factor (an accounting
    convention: both years counted alike); the same object for the same base and factor in this thread, so its
    intensities are remembered. The base is held beside its copy, so its id is not reused while kept."""
    kept = _thread_memo("base_alike")
    key = (id(base), str(grid_factor))
    held = kept.get(key)
    if held is None:
        if len(kept) > 8:  # another study's base, or many factors: start afresh
            kept.clear()
        alike = base.copy()
        alike.attrs["grid_co2_t_per_mwh"] = grid_factor
        held = kept[key] = (base, alike)
    return held[1]


def _adequacy(
    shared: Mapping[str, Any], inputs: xr.Dataset, ds: xr.Dataset, outage_scale: float, kpis: dict[str, float]
) -> xr.Dataset | None:
    """The variant's small adequacy study (None without samples); its LOLE, EUE and the probability of orderly
    power use added to ``kpis``."""
    from energysim.inputs.outages import highest_rate
    from energysim.studies.adequacy import simulate
    from energysim.studies.adequacy_system import adequacy_system

    adequacy = None
    if shared["adequacy_samples"]:
        table = shared["outages"].copy()
        most = np.minimum(0.95, highest_rate(table.mttr_h))  # hourly spells hold no more (a unit up ≥ 1 h)
        table["forced_outage_rate"] = np.clip(table.forced_outage_rate * outage_scale, 0.0, most)
        system = adequacy_system(inputs, ds, weather=shared.get("weather"), outages=table)
        adequacy = simulate(system, shared["adequacy_samples"], seed=shared["seed"])
        region = "system" if "system" in adequacy.region.values else adequacy.region.values[0]
        for name, key in (("lole_days", "lole_days"), ("lole_hours", "lole_hours"), ("eue_mwh", "eue"),
                          ("orderly_power_use_probability", "orderly_power_use_probability")):  # fmt: skip
            kpis[name] = float(adequacy[key].sel(region=region))
    return adequacy


def _targets(
    ds: xr.Dataset, shared: Mapping[str, Any], base: xr.Dataset | None, adequacy: xr.Dataset | None
) -> dict[str, dict[str, float]]:
    """Every target's value, verdict (1.0 met, 0.0 not, NaN n/a) and margin."""
    from energysim.report.targets import evaluate_targets

    targets = {}
    if shared.get("registry") is not None:
        table = evaluate_targets(ds, shared["registry"], base, adequacy=adequacy)
        for target, row in table.iterrows():
            met = {"yes": 1.0, "no": 0.0}.get(row.met, float("nan"))
            targets[str(target)] = {"value": float(row.value), "met": met, "margin": float(row.margin)}
    return targets


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _manifest(
    source: Source, inputs: Sequence[UncertainInput], variants: Sequence[Variant], seed: int, days: Aggregate | None
) -> dict:
    extra = {"days": days.model_dump(exclude={"method"})} if days is not None else {}  # only then: older folders resume
    if days is not None:  # a folder of typical-day variants anchored on the shipped year alone (before 2026-11-29)
        extra["anchoring"] = "each weather year on its own full year"
    return {
        **extra,
        "scenario": str(Path(source.path).resolve()),
        "overrides": list(source.overrides),
        "sets": list(source.sets),
        "view": source.view,
        "hours": source.hours,
        "seed": seed,
        "inputs": [dataclasses.asdict(i) for i in inputs],
        "variants": [dataclasses.asdict(v) for v in variants],
    }


def _setting(v: Variant, kinds: Mapping[str, str], kind: str, default: float) -> float:
    """The value ``v`` gives its input of ``kind`` (``kinds``: input name → kind), or ``default``."""
    return next((x for n, x in v.values.items() if kinds[n] == kind), default)


def _by_weather_year(todo: list[Variant], inputs: Sequence[UncertainInput]) -> list[Variant]:
    """The variants in solving order on typical days: by weather year, so that each year's variants share its
    days and their LPs differ only in numbers (re-solved as changes, not afresh); the switches, which change the
    LP's shape, last."""
    kinds = {inp.name: inp.kind for inp in inputs}

    def order(v: Variant) -> tuple[bool, int]:
        return any(kinds[n] == "switch" for n in v.values), round(_setting(v, kinds, "weather", 0))

    return sorted(todo, key=order)


def _jobs(
    items: Sequence[Variant | int],
    source: Source,
    inputs: Sequence[UncertainInput],
    weather: xr.Dataset | None,
    base_inputs: xr.Dataset,
    days_of: Callable[[int], Aggregation | None],
    *,
    every_hour: bool,
) -> Iterator[tuple[Any, ...]]:
    """Each item's job for :func:`evaluate_variant`, built when it is submitted: (changes, outage scale, typical
    days); an int k is the anchor of weather year k (0: the base's); an input error travels as the job's error."""
    from energysim.studies.distributed import failure_kind, inputs_changes, one_line

    kinds = {inp.name: inp.kind for inp in inputs}
    for v in items:
        if isinstance(v, int):
            yield {"anchor": True, "weather_year": v}, 1.0, days_of(v) if v else None
            continue
        scale = _setting(v, kinds, "outage_scale", 1.0)
        year = round(_setting(v, kinds, "weather", 0))
        try:  # a weather year travels as its number: the worker holds the weather years (not 10 MB of profiles)
            one = variant_inputs(source, inputs, v, None, every_hour=every_hour)
            changes: Any = {**inputs_changes(base_inputs, one), "weather_year": year if weather is not None else 0}
            agg = days_of(year)
        except Exception as exc:
            changes, agg = {"error": one_line(exc), "kind": failure_kind(exc)}, None
        yield changes, scale, agg


def read_anchors(
    out: Path,
    variants: Sequence[Variant],
    inputs: Sequence[UncertainInput],
    days: Aggregate | None,
    weather: xr.Dataset | None,
) -> dict[int, dict[str, Any] | None]:
    """The anchors a typical-day study needs, each as ``out`` holds it (None: not solved yet): the base's (0) and
    one per weather year a variant is in; none without ``days``."""
    if days is None:
        return {}
    years = [0]
    if weather is not None:
        kinds = {inp.name: inp.kind for inp in inputs}
        years += sorted({round(_setting(v, kinds, "weather", 0)) for v in variants} - {0})
    return {k: _read_json(out / anchor_file(k)) for k in years}


def weather_year_of(inputs: Sequence[UncertainInput]) -> Callable[[Mapping[str, Any]], int]:
    """A record's weather year (0: the shipped one), from its variant's values."""
    kinds = {inp.name: inp.kind for inp in inputs}
    return lambda record: round(_setting(Variant(**record["variant"]), kinds, "weather", 0))


def run_robustness(
    source: Source,
    inputs: Sequence[UncertainInput],
    out: str | Path,
    *,
    samples: int = 256,
    seed: int = 0,
    weather: xr.Dataset | None = None,
    adequacy_samples: int = 100,
    registry: Any = None,
    base_results: xr.Dataset | None = None,
    outages: pd.DataFrame | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    one_at_a_time: bool = True,
    days: Aggregate | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> tuple[list[dict[str, Any]], int]:
    """Solve every variant of the design not yet in ``out``; returns one record per variant (its variant, its
    KPIs and targets, or its error), in design order, and how many of them this call solved. With ``days`` every
    variant is solved on typical days picked once (per weather year) from the base, and the base once on every hour
    (``anchor.json``), and in each weather year a variant is in (``anchor-wy<k>.json``;
    :mod:`energysim.studies.robustness_days`)."""
    from energysim.inputs.outages import read_outage_classes
    from energysim.studies.distributed import map_on_cluster
    from energysim.studies.sweep import claim_folder, write_json

    out = Path(out)
    variants = design(inputs, samples=samples, seed=seed, one_at_a_time=one_at_a_time)
    claim_folder(out, DESIGN, _manifest(source, inputs, variants, seed, days), other="another robustness study")
    records: dict[int, dict[str, Any]] = {}
    for v in variants:
        done = _read_json(out / f"{v.index:04d}.json")
        if done is not None and "variant" in done:
            records[v.index] = done
    todo = [v for v in variants if v.index not in records]
    if days is not None:
        todo = _by_weather_year(todo, inputs)
    anchors = [k for k, found in read_anchors(out, variants, inputs, days, weather).items() if found is None]
    say(f"  {len(variants)} variants: {len(records)} already done, {len(todo)} to solve")
    if not todo and not anchors:
        return [records[v.index] for v in variants], 0
    base_inputs = variant_inputs(source, inputs, variants[0], weather, every_hour=days is not None)
    shared = {
        "base_inputs": base_inputs,
        "base_results": base_results,
        "registry": registry,
        "weather": weather,
        "outages": read_outage_classes() if outages is None else outages,
        "adequacy_samples": adequacy_samples,
        "seed": seed,  # the adequacy samples' (common random numbers: the same in every variant)
    }
    if anchors:
        n = len(anchors) - (0 in anchors)
        where = [
            *(["every hour"] if 0 in anchors else []),
            *([f"{n} weather year{'s' if n != 1 else ''}"] if n else []),
        ]
        say(f"  the base on {' and in '.join(where)} (the anchors of the typical-day variants) …")
    days_of = DayPicker(base_inputs, days, weather, say) if days is not None else lambda k: None
    items: list[Variant | int] = [*anchors, *todo]  # the anchors first (a worker solves one while the others
    # start on the typical days)

    jobs = _jobs(items, source, inputs, weather, base_inputs, days_of, every_hour=days is not None)
    t0 = time.perf_counter()

    def finished(i: int, result: dict[str, Any]) -> None:
        v = items[i]
        if isinstance(v, int):
            write_json(out / anchor_file(v), result)
            say(f"  the base on every hour{f' in weather year {v}' if v else ''}: {result['seconds']:.1f} s")
            return
        records[v.index] = {"variant": dataclasses.asdict(v), **result}
        write_json(out / f"{v.index:04d}.json", records[v.index])
        shown = f"{result['seconds']:.1f} s ({result.get('solve', '')})" if "error" not in result else result["error"]
        say(f"  [{len(records)}/{len(variants)}] {v.label}: {shown}  ({time.perf_counter() - t0:.0f} s)")

    if workers or scheduler:
        map_on_cluster(evaluate_variant, jobs, shared=shared, workers=workers or 2, scheduler=scheduler,
                       done=finished)  # fmt: skip
    else:
        try:
            for i, job in enumerate(jobs):
                finished(i, evaluate_variant(shared, *job))
        finally:
            from energysim.studies.distributed import release_solver

            release_solver(base_inputs, "year")
    return [records[v.index] for v in variants], len(todo)


def date_value(value: float) -> str:
    """A day ordinal as an ISO date."""
    return dt.date.fromordinal(round(value)).isoformat()


def robustness_study(
    source: Source,
    out: str | Path,
    *,
    samples: int = 256,
    seed: int = 0,
    weather_years: int = 10,
    adequacy_samples: int = 100,
    base_file: str | Path | None = None,
    uncertainty: str | Path | None = None,
    outages: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    one_at_a_time: bool = True,
    days: int | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> xr.Dataset:
    """The whole study: the uncertain inputs that apply to the scenario, weather years, the base year's results,
    the variants solved (resuming what ``out`` already holds), and the summary Dataset (written to
    ``out/robustness.nc``; see :func:`energysim.report.robustness.robustness_dataset`).

    ``days``: solve every variant on that many representative days and anchor its values on the base solved on
    every hour (:mod:`energysim.studies.robustness_days`); a horizon that is not whole days is refused."""
    from energysim.inputs import build_inputs
    from energysim.inputs.outages import read_outage_classes
    from energysim.inputs.uncertainty import read_uncertainty, resolve_inputs
    from energysim.profiles.weather_years import weather_years as make_weather
    from energysim.report.robustness import add_other_basis, records_frame, robustness_dataset
    from energysim.results import read_results, write_results
    from energysim.scenario import load_scenario
    from energysim.scenario.targets import load_targets

    t0 = time.perf_counter()
    scenario = load_scenario(source.path, overrides=source.overrides, sets=source.sets)
    probe = build_inputs(scenario.in_view(source.view), hours=source.hours)
    spec = None
    if days is not None:
        from energysim.studies.robustness_days import days_spec

        spec, said = days_spec(days, scenario, probe, file=source.path, hours=source.hours)
        for note in said:
            say(f"  {note}")
    weather = None
    if weather_years > 1:
        weather = make_weather(pd.Timestamp(probe.time.values[0]).year, weather_years)
    inputs, notes = resolve_inputs(read_uncertainty(uncertainty), scenario, weather_years=weather_years)
    for note in notes:
        say(f"  left out: {note}")
    registry = load_targets(probe.attrs["targets_file"]) if probe.attrs.get("targets_file") else None
    base_path = Path(base_file) if base_file else Path(str(probe.attrs.get("base_results_file", "") or "-"))
    base = read_results(base_path) if base_path.is_file() else None
    if base is None and registry is not None:
        say(f"  no base-year results at {base_path}: targets measured against the base year are n/a")
    records, solved_here = run_robustness(
        source,
        inputs,
        out,
        samples=samples,
        seed=seed,
        weather=weather,
        adequacy_samples=adequacy_samples,
        registry=registry,
        base_results=base,
        outages=read_outage_classes(outages),
        workers=workers,
        scheduler=scheduler,
        one_at_a_time=one_at_a_time,
        days=spec,
        say=say,
    )
    anchor, years = None, {}
    if spec is not None:
        from energysim.studies.robustness_days import anchor_records

        rules = {t.id: (t.comparison, t.threshold) for t in registry.targets} if registry is not None else {}
        found = read_anchors(Path(out), [Variant(**r["variant"]) for r in records], inputs, spec, weather)
        anchor, years = found.pop(0), found
        records = anchor_records(records, anchor, rules, year_anchors=years, weather_of=weather_year_of(inputs))
    frame = records_frame(records, inputs)
    solved = frame[frame.error == ""]
    changed = solved[solved.solve == "changes"].seconds
    fresh = solved[solved.solve == "fresh"].seconds
    attrs = {
        "scenario_name": scenario.name,
        "seed": seed,
        "samples": samples,
        "adequacy_samples": adequacy_samples,
        "weather_years": weather_years,
        "seconds": time.perf_counter() - t0,
        "variants_solved_here": solved_here,  # a resumed study solved only the rest in this run
        "median_variant_seconds": float(changed.median()) if len(changed) else float("nan"),
        "fresh_seconds": float(fresh.median()) if len(fresh) else float("nan"),
        "workers": "this process" if not (workers or scheduler) else (scheduler or f"{workers} local processes"),
        "left_out": "; ".join(notes),
        "failed_variants": int((frame.error != "").sum()),
        "base_results": str(base_path) if base is not None else "",
    }
    targets = [t.id for t in registry.targets] if registry is not None else []
    targets += add_other_basis(frame, registry)
    clauses = {t.id: t.clause for t in registry.targets} if registry is not None else {}
    if spec is not None:
        from energysim.studies.robustness_days import anchoring

        extra, more = anchoring(records, anchor, spec)
        attrs.update(more)
        if years:
            attrs["anchoring"] += (
                f"; a variant in another weather year is anchored on the base in that year, solved on every hour "
                f"and on the year's days ({len(years)} weather year{'s' if len(years) != 1 else ''})"
            )
        attrs["weather_year_anchors"] = len(years)
    ds = robustness_dataset(frame, inputs, targets, attrs, clauses)
    if spec is not None:
        ds = ds.merge(extra)
    write_results(ds, Path(out) / "robustness.nc")
    return ds
