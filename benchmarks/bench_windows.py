"""Monthly windows as a warm start for the full-year plan: does solving the year month by month, then restarting
the exact full-year LP from the assembled basis, beat a fresh solve? (Issue 14's last speed lever, measured.)

    python benchmarks/bench_windows.py [--windows 12] [--overlap 0,72] [--oracle] [scenario.yaml]

Every LP column and row is tagged with the hour it belongs to (columns over hours by their hour, daily gas columns
by the day's last hour, a row by its latest column's hour, by its earliest when it wraps round the year; a row
over more than 48 hours is *annual*). Window w holds the rows of its hours (± ``overlap`` hours), the columns they
use, the rows over no hour (kept whole) and the annual rows cut to the window's columns with their bounds and the
coefficients of the columns over no hour (boiler sizes, gas tiers) scaled by the window's share of the year.
Columns of other hours that a window's rows reach (the storage level and committed units just before it) are free
within their bounds and cost nothing there. The windows are solved in two processes (fork); the full-year basis
takes each hour's statuses from its own window and each column over no hour from the window where it came out
largest; the count of basic variables is then made equal to the rows (basic columns nearest a bound leave, or
slacks of annual and other rows enter) and HiGHS restarts the full-year LP from it. The last pass is the
full-year LP itself, so its optimum is exact: the objective is checked against the fresh solve's.

``--oracle`` hands the windows what they cannot know: the annual rows are priced out with the fresh solve's duals
(Lagrangian, rows dropped) and the new capacities fixed at the fresh optimum; the full-year restart then runs with
those capacities fixed and frees them after (:func:`energysim.solver.warmstart.fixed_pass`, as the typical-day warm
start does). It bounds what better annual coordination could buy.

Writes a Markdown table to stdout and JSON to ``benchmarks/out/windows.json``. Linux (fork) only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp

import energysim as es
from energysim.model.lp import lp_of
from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.highs import SolveResult, new_highs, pass_lp, run_highs
from energysim.solver.warmstart import capacity_columns, fixed_pass

ROOT = Path(__file__).resolve().parents[1]
WRAP_HOURS = 48
"""A row over more hours than this is annual; a row whose hours span more (but are few) wraps round the year."""
NO_HOUR, ANNUAL = -1, -2
"""Row owners that are not an hour."""
LOWER, BASIC, UPPER, ZERO = 0, 1, 2, 3
"""HiGHS basis statuses (``highspy.HighsBasisStatus`` values)."""
STATUS = {k: highspy.HighsBasisStatus(k) for k in (LOWER, BASIC, UPPER, ZERO)}


@dataclass
class Oracle:
    """What the fresh solve knows and a window cannot: the cost of every column with the annual rows priced out
    at their duals (CNY per unit), the new-capacity columns and their optimal values, and the optimum itself."""

    priced_cost: np.ndarray
    capacity: np.ndarray
    capacity_values: np.ndarray
    optimum: np.ndarray
    annual_duals: np.ndarray


_SHARED: dict[str, object] = {}
"""The full-year LP, its tags and the run's settings, set before the worker processes fork (so no LP is pickled)."""


def tag_hours(model: pyo.ConcreteModel, lp: LinearProgram) -> tuple[np.ndarray, np.ndarray]:
    """(col_hour, row_owner): each column's hour (-1: none) and each row's (``NO_HOUR``, ``ANNUAL`` or an hour)."""
    builder = lp_of(model)
    hours = len(model.T)
    col_hour = np.full(lp.a.shape[1], -1, np.int64)
    for name, cols in builder.columns.items():
        sets = builder.var_sets[name]
        if not sets or not cols.size:
            continue
        if sets[-1] is model.T:
            col_hour[cols.reshape(-1, hours)] = np.arange(hours)
        elif len(sets[-1]) == hours // 24:  # daily (the gas pool): the day's last hour
            col_hour[cols.reshape(-1, hours // 24)] = np.arange(hours // 24) * 24 + 23
    owner = _row_owner(lp.a.tocsr(), col_hour, hours)
    # a column over no hour whose rows all have one hour (e.g. a reserve shortfall) takes it; its rows keep theirs
    csc = lp.a.tocsc()
    untimed = np.flatnonzero((col_hour < 0) & (np.diff(csc.indptr) > 0))
    own = owner[csc.indices]
    starts = csc.indptr[untimed]
    low, high = np.minimum.reduceat(own, starts), np.maximum.reduceat(own, starts)
    one = (low >= 0) & (low == high)
    col_hour[untimed[one]] = low[one]
    return col_hour, owner


def _row_owner(a: sp.csr_array, col_hour: np.ndarray, hours: int) -> np.ndarray:
    """Each row's hour: its latest column's (its earliest's when it wraps round the year), or NO_HOUR/ANNUAL."""
    row = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    h = col_hour[a.indices]
    row, h = row[h >= 0], h[h >= 0]
    count = np.bincount(np.unique(row * hours + h) // hours, minlength=a.shape[0])
    latest = np.full(a.shape[0], -1)
    np.maximum.at(latest, row, h)
    earliest = np.full(a.shape[0], hours)
    np.minimum.at(earliest, row, h)
    owner = np.where(latest - earliest > WRAP_HOURS, earliest, latest)
    return np.where(count == 0, NO_HOUR, np.where(count > WRAP_HOURS, ANNUAL, owner))


def window_lp(w: int) -> tuple[LinearProgram, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Window ``w``'s LP (module docstring), its rows and columns in the full-year LP, and which of them are its own
    (its core hours, not the overlap)."""
    s = _SHARED
    a: sp.csr_array = s["a"]  # type: ignore[assignment]
    lp: LinearProgram = s["lp"]  # type: ignore[assignment]
    oracle: Oracle | None = s["oracle"]  # type: ignore[assignment]
    col_hour, owner, window_of = s["col_hour"], s["owner"], s["window_of"]
    hours = len(window_of)  # type: ignore[arg-type]
    core = window_of == w
    reach = int(s["overlap"])  # type: ignore[call-overload]
    near = np.zeros(hours, bool)
    near[(np.flatnonzero(core)[:, None] + np.arange(-reach, reach + 1)) % hours] = True
    share = near.sum() / hours
    own = np.clip(owner, 0, hours - 1)
    annual = owner == ANNUAL
    rows = np.flatnonzero(((owner >= 0) & near[own]) | (owner == NO_HOUR) | (annual & (oracle is None)))
    ch = np.clip(col_hour, 0, hours - 1)
    inside, untimed = (col_hour >= 0) & near[ch], col_hour < 0
    sub = a[rows].tocoo()
    r, c, v = sub.row, sub.col, sub.data
    cut = annual[rows][r]  # an annual row keeps the window's columns and a share of the columns over no hour
    keep = ~cut | inside[c] | untimed[c]
    r, c, v = r[keep], c[keep], np.where(cut[keep] & untimed[c[keep]], v[keep] * share, v[keep])
    cols = np.unique(c)
    pos = np.full(a.shape[1], -1)
    pos[cols] = np.arange(len(cols))
    row_scale = np.where(annual[rows], share, 1.0)
    cost = lp.cost if oracle is None else oracle.priced_cost
    col_lower, col_upper = lp.col_lower[cols].copy(), lp.col_upper[cols].copy()
    if oracle is not None:
        held = pos[oracle.capacity] >= 0
        col_lower[pos[oracle.capacity[held]]] = col_upper[pos[oracle.capacity[held]]] = oracle.capacity_values[held]
    window = LinearProgram(
        a=sp.csc_array(sp.csr_array((v, (r, pos[c])), shape=(len(rows), len(cols)))),
        cost=cost[cols] * np.where(inside[cols], 1.0, np.where(untimed[cols], share, 0.0)),
        offset=0.0,
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=lp.row_lower[rows] * row_scale,
        row_upper=lp.row_upper[rows] * row_scale,
        columns=[],
    )
    return window, rows, cols, (col_hour[cols] >= 0) & core[ch[cols]], (owner[rows] >= 0) & core[own[rows]]


def solve_window(w: int) -> dict[str, object]:
    """Solve window ``w``: its rows and columns, which are its own, basis statuses, values and solve figures."""
    window, rows, cols, core_cols, core_rows = window_lp(w)
    h = new_highs(_SHARED["options"])  # type: ignore[arg-type]
    pass_lp(h, window)
    result = run_highs(h, window, _SHARED["options"], handoff_seconds=0.0)  # type: ignore[arg-type]
    basis = h.getBasis()
    return {
        "rows": rows,
        "cols": cols,
        "core_cols": core_cols,
        "core_rows": core_rows,
        "col_status": np.array([int(x) for x in basis.col_status], np.int8),
        "row_status": np.array([int(x) for x in basis.row_status], np.int8),
        "x": result.primal,
        "seconds": result.solve_seconds,
        "iterations": result.quality.simplex_iterations,
        "optimal": result.optimal,
    }


def assemble(
    lp: LinearProgram, col_hour: np.ndarray, owner: np.ndarray, parts: list[dict], oracle: Oracle | None
) -> highspy.HighsBasis:
    """A full-year basis from the windows' (module docstring); with the oracle, the columns no window held (gas
    tiers) take their status from the optimum, and the annual rows are nonbasic where priced."""
    ncols, nrows = lp.a.shape[1], lp.a.shape[0]
    col_status, row_status = np.full(ncols, LOWER, np.int8), np.full(nrows, BASIC, np.int8)
    x, best = np.zeros(ncols), np.full(ncols, -np.inf)
    votes, seen, held = np.zeros(nrows), np.zeros(nrows), np.zeros(ncols, bool)
    for p in parts:
        cols, rows = p["cols"], p["rows"]
        held[cols] = True
        col_status[cols[p["core_cols"]]] = p["col_status"][p["core_cols"]]
        x[cols[p["core_cols"]]] = p["x"][p["core_cols"]]
        larger = (col_hour[cols] < 0) & (p["x"] > best[cols])  # a column over no hour: the window where it is largest
        col_status[cols[larger]] = p["col_status"][larger]
        x[cols[larger]] = best[cols[larger]] = p["x"][larger]
        row_status[rows[p["core_rows"]]] = p["row_status"][p["core_rows"]]
        shared = owner[rows] < 0  # a row over no hour, or annual: basic if basic in most windows
        votes[rows[shared]] += p["row_status"][shared] == BASIC
        seen[rows[shared]] += 1
    shared = (owner < 0) & (seen > 0)
    row_status[shared] = np.where(2 * votes[shared] >= seen[shared], BASIC, LOWER)
    if oracle is not None:
        free = np.flatnonzero(~held)
        at_lower = oracle.optimum[free] <= lp.col_lower[free] + 1e-6
        at_upper = oracle.optimum[free] >= lp.col_upper[free] - 1e-6
        col_status[free] = np.where(at_lower, LOWER, np.where(at_upper, UPPER, BASIC))
        annual = np.flatnonzero(owner == ANNUAL)
        priced = (lp.row_lower[annual] == lp.row_upper[annual]) | (np.abs(oracle.annual_duals[annual]) > 1e-9)
        row_status[annual] = np.where(priced, LOWER, BASIC)
    missing = nrows - int((col_status == BASIC).sum() + (row_status == BASIC).sum())
    if missing < 0:  # too many basic: the basic columns nearest a bound leave at it
        basic = np.flatnonzero(col_status == BASIC)
        gap = np.minimum(np.abs(x[basic] - lp.col_lower[basic]), np.abs(lp.col_upper[basic] - x[basic]))
        leave = basic[np.argsort(gap)[:-missing]]
        at_lower = np.abs(x[leave] - lp.col_lower[leave]) <= np.abs(lp.col_upper[leave] - x[leave])
        col_status[leave] = np.where(at_lower, LOWER, UPPER)
    elif missing > 0:  # too few: slacks enter, rows over no hour or annual first
        nonbasic = np.flatnonzero(row_status != BASIC)
        enter = nonbasic[np.argsort(np.where(owner[nonbasic] < 0, 0, 1), kind="stable")[:missing]]
        row_status[enter] = BASIC
    for status, lower, upper in ((col_status, lp.col_lower, lp.col_upper), (row_status, lp.row_lower, lp.row_upper)):
        wrong = (status == LOWER) & ~np.isfinite(lower)  # nonbasic at a bound that does not exist
        status[wrong] = np.where(np.isfinite(upper[wrong]), UPPER, ZERO)
        wrong = (status == UPPER) & ~np.isfinite(upper)
        status[wrong] = np.where(np.isfinite(lower[wrong]), LOWER, ZERO)
    basis = highspy.HighsBasis()
    basis.col_status = [STATUS[int(s)] for s in col_status]
    basis.row_status = [STATUS[int(s)] for s in row_status]
    basis.valid = True
    return basis


def full_year(lp: LinearProgram, options: dict, basis: highspy.HighsBasis | None, oracle: Oracle | None) -> dict:
    """The full-year LP from scratch (presolve, dual simplex) or restarted from ``basis``; with the oracle, first
    with the new capacities fixed at the optimum. Seconds and iterations cover every pass."""
    h = new_highs(options)
    pass_lp(h, lp)
    seconds, iterations = 0.0, 0
    if basis is not None:
        h.setBasis(basis)
    if oracle is not None:
        _, seconds, iterations = fixed_pass(h, lp, oracle.capacity, oracle.capacity_values)
    result: SolveResult = run_highs(h, lp, options, handoff_seconds=0.0)
    return {
        "seconds": seconds + result.solve_seconds,
        "iterations": iterations + result.quality.simplex_iterations,
        "objective_mcny": result.objective / 1e6,
        "optimal": result.optimal,
        "result": result,
    }


def windowed(lp: LinearProgram, options: dict, windows: int, overlap: int, oracle: Oracle | None) -> dict:
    """Windows in two processes, then the full-year restart from their basis."""
    t0 = time.perf_counter()
    _SHARED.update(overlap=overlap, oracle=oracle)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(solve_window, range(windows)))
    window_seconds = time.perf_counter() - t0
    if not all(p["optimal"] for p in parts):
        raise RuntimeError("a window was not solved to optimality")
    basis = assemble(lp, _SHARED["col_hour"], _SHARED["owner"], parts, oracle)  # type: ignore[arg-type]
    restart = full_year(lp, options, basis, oracle)
    return {
        "windows_wall_s": window_seconds,
        "windows_highs_s": sum(p["seconds"] for p in parts),
        "window_iterations": sum(p["iterations"] for p in parts),
        "restart_s": restart["seconds"],
        "restart_iterations": restart["iterations"],
        "total_s": time.perf_counter() - t0,
        "objective_mcny": restart["objective_mcny"],
        "optimal": restart["optimal"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "jiaxing-2025-plan.yaml"))
    parser.add_argument("--windows", type=int, default=12, help="windows over the year, whole months each")
    parser.add_argument("--overlap", default="0,72", help="hours each window reaches into its neighbours")
    parser.add_argument("--oracle", action="store_true", help="also the oracle runs (module docstring)")
    args = parser.parse_args()

    inputs = es.build_inputs(es.load_scenario(args.scenario))
    options = json.loads(inputs.attrs["solver_options"])
    model = es.build_model(inputs, arrays_only=True)
    lp = compile_lp(model)
    col_hour, owner = tag_hours(model, lp)
    month = inputs["time"].values.astype("datetime64[M]").astype(int) % 12
    edges = np.linspace(0, 12, args.windows + 1).round().astype(int)
    window_of = np.searchsorted(edges, month, side="right") - 1
    _SHARED.update(a=lp.a.tocsr(), lp=lp, col_hour=col_hour, owner=owner, window_of=window_of, options=options)
    print(f"LP {lp.a.shape[0]:,} rows, {lp.a.shape[1]:,} columns; annual rows {int((owner == ANNUAL).sum())}")
    base = full_year(lp, options, None, None)
    print(f"fresh: {base['seconds']:.1f} s, {base['iterations']:,} iterations, {base['objective_mcny']:,.1f} MCNY")
    rows = [{"run": "fresh (presolve, dual simplex)", "seconds": base["seconds"], "iterations": base["iterations"]}]
    answer: SolveResult = base["result"]
    capacity = capacity_columns(model, lp)
    annual = owner == ANNUAL
    duals = np.where(annual, answer.row_dual, 0.0)
    oracle = Oracle(lp.cost - lp.a.T @ duals, capacity, answer.primal[capacity], answer.primal, duals)
    runs = [(int(o), None) for o in args.overlap.split(",")]
    runs += [(o, oracle) for o, _ in runs] if args.oracle else []
    for overlap, given in runs:
        r = windowed(lp, options, args.windows, overlap, given)
        name = f"{args.windows} windows, overlap {overlap} h" + (", oracle" if given is not None else "")
        rows.append({"run": name, **r})
        print(
            f"{name}: windows {r['windows_wall_s']:.1f} s wall ({r['windows_highs_s']:.1f} s HiGHS, "
            f"{r['window_iterations']:,} it.), restart {r['restart_s']:.1f} s ({r['restart_iterations']:,} it.), "
            f"total {r['total_s']:.1f} s, {r['objective_mcny']:,.1f} MCNY",
            flush=True,
        )
        if not r["optimal"] or abs(r["objective_mcny"] - base["objective_mcny"]) > 1e-6 * abs(base["objective_mcny"]):
            raise RuntimeError("the restart did not reach the fresh solve's optimum")
    out = ROOT / "benchmarks" / "out" / "windows.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
