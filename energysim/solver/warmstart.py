"""Warm start from typical days: a faster path to the *same* full-year optimum for capacity expansion.

On a capacity-expansion LP the capacities couple all 8,760 hours, and dual simplex from a slack basis spends most
of its time finding them. With ``solver.warm_start`` energysim first solves a typical-day model (tsam, as
``time.aggregate``), fixes the full year's new capacities at what it built × (1 + ``oversize``) and solves that
dispatch (fast: the hours only meet through storage and annual rows), then frees the capacities and lets simplex
finish from that basis. The last pass is the full-year LP itself, so the answer is its optimum (the acceptance
rule applies as always). Starting a little *above* the typical days' capacities is deliberate: from below,
simplex had to raise capacities through thousands of degenerate pivots (benchmarks/README.md). If the fixed pass
is not optimal (e.g. a CO2 cap those capacities cannot meet) the solver drops that basis and solves from scratch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.highs import (
    INF,
    SolveResult,
    keep_only_the_basis,
    new_highs,
    pass_lp,
    run_highs,
    run_interruptibly,
    solve,
)


@dataclass
class WarmStartReport:
    """What each pass did (seconds are wall time; iterations are HiGHS simplex iterations)."""

    days: int
    oversize: float
    typical_days_seconds: float = 0.0
    typical_days_capacity: dict[str, float] = field(default_factory=dict)
    """New capacity the typical days built, by ``power.<tech>`` (MW) and ``steam.<tech>`` (t/h)."""
    fixed_pass_status: str = ""
    fixed_pass_seconds: float = 0.0
    fixed_pass_iterations: int = 0
    final_pass_seconds: float = 0.0
    final_pass_iterations: int = 0
    skipped: str = ""
    """Why no warm start was used (empty when it was)."""

    def to_json(self) -> str:
        return json.dumps(self.__dict__)


def capacity_vars(m: pyo.ConcreteModel) -> list[pyo.Var]:
    """The model's investment variables (new power and steam capacity), MW or t/h."""
    blocks = (getattr(m, name, None) for name in ("power", "steam"))
    return [b.new_capacity for b in blocks if b is not None and hasattr(b, "new_capacity")]


def capacity_columns(m: pyo.ConcreteModel, lp: LinearProgram) -> np.ndarray:
    """LP column numbers of the investment variables, in :func:`capacity_vars` order."""
    return np.concatenate(
        [np.arange(lp.a.shape[1])[lp.col_blocks[id(v)]] for v in capacity_vars(m)] or [np.zeros(0, int)]
    ).astype(np.int32)


def typical_day_capacities(inputs: xr.Dataset, spec: dict[str, Any], options: dict[str, Any]) -> np.ndarray | None:
    """New capacities (MW, t/h) built by the typical-day model, in :func:`capacity_vars` order; None if its
    solve was not optimal."""
    from energysim.inputs.typical_days import reduce_inputs, typical_days
    from energysim.model import build_model

    agg = typical_days(inputs, spec["days"], seed=spec["seed"], keep_extremes=True)
    reduced = build_model(reduce_inputs(inputs, agg), arrays_only=True)
    solution = solve(reduced, {**options, "warm_start": None})
    if not solution.optimal:
        return None
    return np.concatenate([solution.values(v) for v in capacity_vars(reduced)])


def _why_not(inputs: xr.Dataset, columns: np.ndarray, days: int) -> str:
    """Why this LP gets no warm start (empty if it can have one)."""
    hours = inputs.sizes["time"]
    if not len(columns):
        return "no buildable capacity"
    if hours % 24:
        return f"the horizon ({hours} h) is not whole days (a multiple of 24 h), which typical days need"
    if hours // 24 <= days:
        return f"the horizon ({hours // 24} days) is not longer than the {days} typical days"
    return ""


def fixed_pass(h: highspy.Highs, lp: LinearProgram, columns: np.ndarray, fixed: np.ndarray) -> tuple[str, float, int]:
    """Solve with ``columns`` fixed at ``fixed`` (clipped to their bounds), then free them again; keep that basis
    for the next run only if it is optimal. Returns HiGHS's status, the seconds and the simplex iterations."""
    lower, upper = np.clip(lp.col_lower[columns], -INF, INF), np.clip(lp.col_upper[columns], -INF, INF)
    h.changeColsBounds(len(columns), columns, np.clip(fixed, lower, upper), np.clip(fixed, lower, upper))
    t0 = time.perf_counter()
    run_interruptibly(h)
    seconds = time.perf_counter() - t0
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    outcome = (h.modelStatusToString(h.getModelStatus()), seconds, int(h.getInfo().simplex_iteration_count))
    h.changeColsBounds(len(columns), columns, lower, upper)
    if optimal:
        keep_only_the_basis(h)
    else:
        h.clearSolver()  # that basis is no help: solve from scratch
    return outcome


def solve_warm(
    m: pyo.ConcreteModel,
    inputs: xr.Dataset,
    solver_options: dict[str, Any],
    *,
    log: bool = False,
    on_passed: Callable[[LinearProgram], None] | None = None,
) -> SolveResult:
    """Solve the full-year LP from a typical-day warm start (``solver.warm_start``); see the module docstring.
    ``on_passed(lp)`` is called before the first full-year HiGHS run (as in :func:`energysim.solver.solve`)."""
    spec = solver_options["warm_start"]
    report = WarmStartReport(days=spec["days"], oversize=spec["oversize"])
    t0 = time.perf_counter()
    lp = compile_lp(m)
    h = new_highs(solver_options, log=log)
    pass_lp(h, lp)
    handoff = time.perf_counter() - t0
    columns = capacity_columns(m, lp)
    report.skipped = _why_not(inputs, columns, spec["days"])
    first = None
    if not report.skipped:
        t1 = time.perf_counter()
        first = typical_day_capacities(inputs, spec, solver_options)
        report.typical_days_seconds = time.perf_counter() - t1
        report.skipped = "" if first is not None else "the typical-day model was not solved to optimality"
    if on_passed is not None:
        on_passed(lp)
    if first is not None:
        names = [f"{v.parent_block().local_name}.{key}" for v in capacity_vars(m) for key in v.index_set()]
        report.typical_days_capacity = dict(zip(names, map(float, first), strict=True))
        outcome = fixed_pass(h, lp, columns, first * (1.0 + spec["oversize"]))
        report.fixed_pass_status, report.fixed_pass_seconds, report.fixed_pass_iterations = outcome
    label = " (warm start)" if first is not None else ""
    result = run_highs(h, lp, solver_options, handoff_seconds=handoff, label=label)
    report.final_pass_seconds = result.solve_seconds
    report.final_pass_iterations = int(h.getInfo().simplex_iteration_count)
    seconds = result.solve_seconds + report.fixed_pass_seconds + report.typical_days_seconds  # the whole solve
    return replace(result, solve_seconds=seconds, warm_start=report.to_json())


__all__ = [
    "WarmStartReport",
    "capacity_columns",
    "capacity_vars",
    "fixed_pass",
    "solve_warm",
    "typical_day_capacities",
]
