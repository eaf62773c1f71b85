"""The whole flow, stage by stage: scenario → inputs → model → HiGHS → results."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import xarray as xr

from energysim.errors import InfeasibleError, SolverError
from energysim.inputs import build_inputs
from energysim.inputs.typical_days import Aggregation, fidelity, reduce_inputs, represented_year, typical_days
from energysim.inputs.weather_year import in_weather_year
from energysim.model import build_model
from energysim.model.sets import aggregated
from energysim.results import results_template, to_results
from energysim.results.io import ResultsWriter
from energysim.scenario import Scenario, load_scenario
from energysim.solver import SolveResult, Status, solve
from energysim.solver.diagnose import diagnose
from energysim.solver.expand import expand_solution
from energysim.solver.handoff import LinearProgram
from energysim.solver.resolve import PersistentSolver
from energysim.solver.warmstart import solve_warm

Progress = Callable[[str, float], None]
"""Called after each stage with its name and duration in seconds."""


def _quiet(stage: str, seconds: float) -> None:
    """Default progress callback: say nothing."""


def run(
    scenario: Scenario | str | Path,
    *,
    hours: int | None = None,
    view: str | None = None,
    allow_non_optimal: bool = False,
    progress: Progress = _quiet,
    solver_log: bool = False,
    out: str | Path | None = None,
    weather_year: int = 0,
) -> xr.Dataset:
    """Load (if a path), build, solve and return the results Dataset (and write it to ``out``, if given).

    ``hours`` keeps only the first N hours (annual quantities prorated); ``view`` ("sited" or "local")
    overrides the scenario's own view; ``weather_year`` > 0 takes demand, variable renewables and steam demand
    from that seeded weather year (:mod:`energysim.inputs.weather_year`; 0: the scenario's own profiles).
    A non-optimal solve raises :class:`InfeasibleError` (with a diagnosis) or :class:`SolverError`, unless
    ``allow_non_optimal``, in which case whatever values HiGHS has are returned with their status in ``attrs``.
    """
    t0 = time.perf_counter()
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    inputs = build_inputs(scenario.in_view(view), hours=hours)  # type: ignore[arg-type]
    if weather_year:
        inputs = in_weather_year(inputs, weather_year)
    progress("inputs", time.perf_counter() - t0)
    return run_inputs(inputs, allow_non_optimal=allow_non_optimal, progress=progress, solver_log=solver_log, out=out)


def run_inputs(
    inputs: xr.Dataset,
    *,
    allow_non_optimal: bool = False,
    progress: Progress = _quiet,
    solver_log: bool = False,
    persistent: PersistentSolver | None = None,
    days: Aggregation | None = None,
    out: str | Path | None = None,
) -> xr.Dataset:
    """Build, solve and read results for an input Dataset (e.g. one recovered from a results file).

    With ``persistent`` the LP is handed to that solver's HiGHS instance as changes to the previous one (sweeps).
    Full-year ``inputs`` are solved on typical days: ``days`` (picked already, e.g. once for many variants), or
    those of the scenario's ``time.aggregate``; the answer is read back onto the whole year.
    With ``out`` the results are also written there (atomically); the inputs part is written while HiGHS solves.
    """
    writer = ResultsWriter(out) if out is not None else None
    try:
        if days is not None or (inputs.attrs.get("aggregate") and not aggregated(inputs)):
            results = _run_typical_days(inputs, days, allow_non_optimal, progress, solver_log, persistent)
        else:
            results = _run_full(inputs, allow_non_optimal, progress, solver_log, persistent, writer)
        if not allow_non_optimal:
            _refuse_unserved(results)
        if writer is not None:
            t0 = time.perf_counter()
            writer.finish(results)
            progress("write", time.perf_counter() - t0)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return results


def _run_full(
    inputs: xr.Dataset,
    allow_non_optimal: bool,
    progress: Progress,
    solver_log: bool,
    persistent: PersistentSolver | None,
    writer: ResultsWriter | None,
) -> xr.Dataset:
    """Build, solve (starting ``writer`` on the inputs first) and read results, every hour at full resolution."""
    t0 = time.perf_counter()
    model = build_model(inputs, arrays_only=True)  # lean: results need the LP arrays, not Pyomo's per-entry objects
    build_seconds = time.perf_counter() - t0
    progress("build", build_seconds)

    def start_writing(lp: LinearProgram | None = None) -> None:
        """Once the LP is in HiGHS: the inputs go to disk and the results are laid out while it solves."""
        if writer is not None:
            writer.start(inputs, template=None if lp is None else lambda: results_template(model, inputs, lp))

    options = inputs.attrs.get("solver_options") or {}
    options = json.loads(options) if isinstance(options, str) else options
    integer = inputs.attrs.get("commitment") == "integer"  # a MIP: no typical-day warm start
    if persistent is None and options.get("warm_start") and not integer:
        solution = solve_warm(model, inputs, options, log=solver_log, on_passed=start_writing)
    elif persistent is None:
        solution = solve(model, options, log=solver_log, on_passed=start_writing)
    else:
        start_writing()
        solution = persistent.solve(model)
    progress("hand-off", solution.handoff_seconds)
    if solution.warm_start:
        passes = json.loads(solution.warm_start)
        stages = ("typical_days", "fixed_pass", "final_pass") if not passes["skipped"] else ("typical_days",)
        for stage in stages:
            if passes[f"{stage}_seconds"] or not passes["skipped"]:
                progress(f"  warm start: {stage.replace('_', ' ')}", passes[f"{stage}_seconds"])
        if passes["skipped"]:
            progress(f"  warm start skipped: {passes['skipped']}", 0.0)
    progress(f"solve ({solution.status})", solution.solve_seconds)
    _refuse_non_optimal(solution, inputs, allow_non_optimal)
    t1 = time.perf_counter()
    results = to_results(model, inputs, solution, build_seconds=build_seconds)
    progress("results", time.perf_counter() - t1)
    return results


def _refuse_non_optimal(solution: SolveResult, inputs: xr.Dataset, allow_non_optimal: bool) -> None:
    """Raise for a non-optimal answer (with a diagnosis if infeasible), unless allowed."""
    if solution.optimal and not math.isfinite(solution.objective):  # never a "total cost: inf" with exit 0
        raise SolverError(
            f"HiGHS reported optimal, but the objective is {solution.objective}: an input is out of range. "
            "No results were written."
        )
    if solution.optimal or allow_non_optimal:
        return
    if solution.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        raise InfeasibleError(diagnosis=diagnose(inputs), status=str(solution.status))
    if solution.status is Status.NOT_ACCEPTED:
        q = solution.quality
        raise SolverError(
            f"HiGHS ({q.method}) reported optimal, but its answer violates rows by up to "
            f"{q.max_primal_infeasibility:.3g} (limit `solver.accept_primal_infeasibility`) and reduced costs by "
            f"up to {q.max_dual_infeasibility:.3g} CNY (limit `solver.accept_dual_infeasibility`). No results "
            "were written; use `solver.method: simplex`, or `crossover: true` after interior point."
        )
    raise SolverError(
        f"HiGHS stopped: {solution.status}. No results were written; raise "
        "`solver.time_limit_s` or pass --allow-non-optimal to keep what it has."
    )


UNSERVED_TOL = 1e-6
"""Unserved energy (MW) below this counts as none."""


def _refuse_unserved(results: xr.Dataset) -> None:
    """With ``value_of_lost_load_cny_per_mwh: null`` no demand may go unserved: a shortfall is an infeasibility,
    explained by region, hours and MW."""
    if int(results.attrs.get("unserved_allowed", 1)) or float(results.unserved.max()) <= UNSERVED_TOL:
        return
    findings = []
    for region in results.region.values:
        short = results.unserved.sel(region=region)
        hours = short.time.values[short.values > UNSERVED_TOL]
        if len(hours):
            worst = short.idxmax("time").values
            findings.append(
                f"power balance, region {region}: demand cannot be served in {len(hours)} hour(s), first "
                f"{pd.Timestamp(hours[0]):%Y-%m-%d %H:00}, worst {float(short.max()):,.1f} MW short at "
                f"{pd.Timestamp(worst):%Y-%m-%d %H:00} "
                f"({float(short.sum()):,.0f} MWh in all). Add or allow capacity, imports or storage, or give "
                "`value_of_lost_load_cny_per_mwh` a price to let it go unserved."
            )
    raise InfeasibleError(diagnosis=findings, status="demand cannot be served (no unserved energy allowed)")


def _run_typical_days(
    inputs: xr.Dataset,
    agg: Aggregation | None,
    allow_non_optimal: bool,
    progress: Progress,
    solver_log: bool,
    persistent: PersistentSolver | None,
) -> xr.Dataset:
    """Solve the full-year ``inputs`` on the typical days ``agg`` (if None: picked as ``time.aggregate`` says,
    with their fidelity reported) and read the answer onto the whole year."""
    report = None
    if agg is None:
        spec = json.loads(inputs.attrs["aggregate"])
        t0 = time.perf_counter()
        agg = typical_days(inputs, spec["days"], seed=spec["seed"], keep_extremes=spec["keep_extremes"])
        report = fidelity(inputs, agg)
        progress(f"typical days ({len(agg.rep_day)})", time.perf_counter() - t0)
    reduced = reduce_inputs(inputs, agg)
    t0 = time.perf_counter()
    model = build_model(reduced, arrays_only=True)
    build_seconds = time.perf_counter() - t0
    progress("build", build_seconds)
    if persistent is None:
        solution = solve(model, inputs.attrs.get("solver_options"), log=solver_log)
    else:
        solution = persistent.solve(model)
    progress("hand-off", solution.handoff_seconds)
    progress(f"solve ({solution.status})", solution.solve_seconds)
    _refuse_non_optimal(solution, reduced, allow_non_optimal)
    t1 = time.perf_counter()
    year = represented_year(inputs, reduced, agg)
    full_model, expanded = expand_solution(  # variants of a study: the year's layout kept with their solver
        year, reduced, model, solution, agg, kept=persistent.year_layout if persistent is not None else None
    )
    results = to_results(full_model, year, expanded, build_seconds=build_seconds)
    results.attrs["aggregation"] = agg.to_json()
    if report is not None:
        results.attrs["aggregation_fidelity"] = report.reset_index().to_json(orient="records")
    progress("results", time.perf_counter() - t1)
    return results
