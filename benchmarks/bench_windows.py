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
(Lagrangian, rows dropped) and the boilers' new capacities fixed at the fresh optimum, then the full-year restart
runs with those capacities fixed and frees them after. It bounds what better annual coordination could buy.

Writes a Markdown table to stdout and JSON to ``benchmarks/out/windows.json``. Linux (fork) only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse as sp

import energysim as es
from energysim.model.lp import lp_of
from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.highs import COST_SCALE, new_highs, pass_lp

ROOT = Path(__file__).resolve().parents[1]
WRAP_HOURS = 48
"""A row over more hours than this is annual; a row whose hours span more (but are few) wraps round the year."""
STATUS = {
    0: highspy.HighsBasisStatus.kLower,
    1: highspy.HighsBasisStatus.kBasic,
    2: highspy.HighsBasisStatus.kUpper,
    3: highspy.HighsBasisStatus.kZero,
}
LOWER, BASIC, UPPER, ZERO = 0, 1, 2, 3

_SHARED: dict[str, object] = {}
"""The full-year LP and its tags, set before the worker processes fork."""


def tag_hours(model: object, lp: LinearProgram) -> tuple[np.ndarray, np.ndarray]:
    """(col_hour, row_owner): each column's hour (-1: none) and each row's (-1: no hour, -2: annual)."""
    builder = lp_of(model)
    hours = len(model.T)  # type: ignore[attr-defined]
    col_hour = np.full(lp.a.shape[1], -1, np.int64)
    for name, cols in builder.columns.items():
        sets = builder.var_sets[name]
        if not sets or not cols.size:
            continue
        if sets[-1] is model.T:  # type: ignore[attr-defined]
            col_hour[cols.reshape(-1, hours)] = np.arange(hours)
        elif len(sets[-1]) == hours // 24:  # daily (the gas pool): the day's last hour
            col_hour[cols.reshape(-1, hours // 24)] = np.arange(hours // 24) * 24 + 23
    owner = _row_owner(lp.a.tocsr(), col_hour, hours)
    # columns over no hour whose rows all belong to one hour (e.g. reserve shortfalls) take that hour
    csc = lp.a.tocsc()
    for c in np.flatnonzero(col_hour < 0):
        own = owner[csc.indices[csc.indptr[c] : csc.indptr[c + 1]]]
        if len(own) and own.min() >= 0 and own.min() == own.max():
            col_hour[c] = own[0]
    return col_hour, _row_owner(lp.a.tocsr(), col_hour, hours)


def _row_owner(a: sp.csr_array, col_hour: np.ndarray, hours: int) -> np.ndarray:
    row = np.repeat(np.arange(a.shape[0]), np.diff(a.indptr))
    h = col_hour[a.indices]
    timed = h >= 0
    row, h = row[timed], h[timed]
    count = np.bincount(np.unique(row * hours + h) // hours, minlength=a.shape[0])
    latest = np.full(a.shape[0], -1)
    np.maximum.at(latest, row, h)
    earliest = np.full(a.shape[0], hours)
    np.minimum.at(earliest, row, h)
    owner = np.where(latest - earliest > WRAP_HOURS, earliest, latest)
    return np.where(count == 0, -1, np.where(count > WRAP_HOURS, -2, owner))


def solve_window(w: int) -> dict[str, object]:
    """Solve window ``w``; its columns, rows, basis statuses and values."""
    s = _SHARED
    a: sp.csr_array = s["a"]  # type: ignore[assignment]
    lp: LinearProgram = s["lp"]  # type: ignore[assignment]
    col_hour, owner, window_of = s["col_hour"], s["owner"], s["window_of"]
    hours = len(window_of)  # type: ignore[arg-type]
    core = window_of == w
    near = core.copy()
    for k in range(1, int(s["overlap"]) + 1):  # type: ignore[call-overload]
        near |= np.roll(core, k) | np.roll(core, -k)
    share = near.sum() / hours
    own = np.clip(owner, 0, hours - 1)
    oracle = s["oracle"]
    annual = owner == -2
    rows = np.flatnonzero(((owner >= 0) & near[own]) | (owner == -1) | (annual & (oracle is None)))
    sub = a[rows].tocoo()
    ch = np.clip(col_hour, 0, hours - 1)
    inside = (col_hour >= 0) & near[ch]
    untimed = col_hour < 0
    r, c, v = sub.row, sub.col, sub.data
    cut = annual[rows][r]
    keep = ~cut | inside[c] | untimed[c]
    r, c, v = r[keep], c[keep], np.where(cut[keep] & untimed[c[keep]], v[keep] * share, v[keep])
    cols = np.unique(c)
    pos = np.full(a.shape[1], -1)
    pos[cols] = np.arange(len(cols))
    row_lower, row_upper = lp.row_lower[rows].copy(), lp.row_upper[rows].copy()
    row_lower[annual[rows]] *= share
    row_upper[annual[rows]] *= share
    cost = lp.cost.copy()
    col_lower, col_upper = lp.col_lower.copy(), lp.col_upper.copy()
    if oracle is not None:
        duals, fixed = oracle[0], oracle[1][:2]
        cost -= a[np.flatnonzero(annual)].T @ duals[annual]  # the annual rows priced out
        col_lower[fixed[0]] = col_upper[fixed[0]] = fixed[1]
    cost = cost[cols] * np.where(inside[cols], 1.0, np.where(untimed[cols], share, 0.0))
    window = LinearProgram(
        a=sp.csc_array(sp.csr_array((v, (r, pos[c])), shape=(len(rows), len(cols)))),
        cost=cost,
        offset=0.0,
        col_lower=col_lower[cols],
        col_upper=col_upper[cols],
        row_lower=row_lower,
        row_upper=row_upper,
        columns=[],
    )
    h = new_highs(s["options"])  # type: ignore[arg-type]
    pass_lp(h, window)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    basis = h.getBasis()
    return {
        "w": w,
        "rows": rows,
        "cols": cols,
        "core_cols": ((col_hour[cols] >= 0) & core[ch[cols]]),
        "core_rows": (owner[rows] >= 0) & core[own[rows]],
        "col_status": np.array([int(x) for x in basis.col_status], np.int8),
        "row_status": np.array([int(x) for x in basis.row_status], np.int8),
        "x": np.array(h.getSolution().col_value),
        "seconds": seconds,
        "iterations": h.getInfo().simplex_iteration_count,
        "status": h.modelStatusToString(h.getModelStatus()),
    }


def assemble(
    lp: LinearProgram, col_hour: np.ndarray, owner: np.ndarray, parts: list[dict], oracle: tuple | None
) -> highspy.HighsBasis:
    """A full-year basis from the windows' (see the module docstring); with the oracle, the columns no window
    held (gas tiers) take their status from the fresh optimum, and the annual rows are nonbasic where priced."""
    ncols, nrows = lp.a.shape[1], lp.a.shape[0]
    col_status, row_status = np.full(ncols, LOWER, np.int8), np.full(nrows, BASIC, np.int8)
    x, best = np.zeros(ncols), np.full(ncols, -np.inf)
    votes = np.zeros(nrows)
    seen = np.zeros(nrows)
    for p in parts:
        cols, rows = p["cols"], p["rows"]
        col_status[cols[p["core_cols"]]] = p["col_status"][p["core_cols"]]
        x[cols[p["core_cols"]]] = p["x"][p["core_cols"]]
        untimed = col_hour[cols] < 0
        larger = untimed & (p["x"] > best[cols])
        col_status[cols[larger]] = p["col_status"][larger]
        x[cols[larger]] = best[cols[larger]] = p["x"][larger]
        row_status[rows[p["core_rows"]]] = p["row_status"][p["core_rows"]]
        shared = owner[rows] < 0
        votes[rows[shared]] += p["row_status"][shared] == BASIC
        seen[rows[shared]] += 1
    shared = (owner < 0) & (seen > 0)
    row_status[shared] = np.where(2 * votes[shared] >= seen[shared], BASIC, LOWER)
    if oracle is not None:
        duals, (_, _, optimum) = oracle
        held = np.zeros(ncols, bool)
        for p in parts:
            held[p["cols"]] = True
        free = np.flatnonzero(~held)
        at_lower = optimum[free] <= lp.col_lower[free] + 1e-6
        at_upper = optimum[free] >= lp.col_upper[free] - 1e-6
        col_status[free] = np.where(at_lower, LOWER, np.where(at_upper, UPPER, BASIC))
        annual = np.flatnonzero(owner == -2)
        priced = (lp.row_lower[annual] == lp.row_upper[annual]) | (np.abs(duals[annual]) > 1e-9)
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
        wrong = (status == LOWER) & ~np.isfinite(lower)
        status[wrong] = np.where(np.isfinite(upper[wrong]), UPPER, ZERO)
        wrong = (status == UPPER) & ~np.isfinite(upper)
        status[wrong] = np.where(np.isfinite(lower[wrong]), LOWER, ZERO)
    basis = highspy.HighsBasis()
    basis.col_status = [STATUS[int(s)] for s in col_status]
    basis.row_status = [STATUS[int(s)] for s in row_status]
    basis.valid = True
    return basis


def fresh(lp: LinearProgram, options: dict) -> dict[str, object]:
    """The full-year LP from scratch (presolve, dual simplex): seconds, iterations, objective, values, duals."""
    h = new_highs(options)
    pass_lp(h, lp)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    solution = h.getSolution()
    return {
        "seconds": seconds,
        "iterations": h.getInfo().simplex_iteration_count,
        "objective_mcny": (h.getInfo().objective_function_value / COST_SCALE + lp.offset) / 1e6,
        "x": np.array(solution.col_value),
        "row_dual": np.array(solution.row_dual) / COST_SCALE,
    }


def windowed(lp: LinearProgram, options: dict, windows: int, overlap: int, oracle: tuple | None) -> dict[str, object]:
    """Windows in two processes, then the full-year restart from their basis."""
    t0 = time.perf_counter()
    _SHARED.update(overlap=overlap, oracle=oracle)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(solve_window, range(windows)))
    window_seconds = time.perf_counter() - t0
    bad = [p["status"] for p in parts if p["status"] != "Optimal"]
    if bad:
        raise RuntimeError(f"windows not optimal: {bad}")
    basis = assemble(lp, _SHARED["col_hour"], _SHARED["owner"], parts, oracle)  # type: ignore[arg-type]
    h = new_highs(options)
    pass_lp(h, lp)
    fixed = oracle[1][:2] if oracle is not None else None
    if fixed is not None:
        h.changeColsBounds(len(fixed[0]), fixed[0].astype(np.int32), fixed[1], fixed[1])
    h.setBasis(basis)
    t = time.perf_counter()
    h.run()
    iterations = h.getInfo().simplex_iteration_count
    if fixed is not None:
        h.changeColsBounds(len(fixed[0]), fixed[0].astype(np.int32), lp.col_lower[fixed[0]], lp.col_upper[fixed[0]])
        h.run()
        iterations += h.getInfo().simplex_iteration_count
    restart_seconds = time.perf_counter() - t
    return {
        "windows_wall_s": window_seconds,
        "windows_highs_s": sum(p["seconds"] for p in parts),
        "window_iterations": sum(p["iterations"] for p in parts),
        "restart_s": restart_seconds,
        "restart_iterations": iterations,
        "total_s": time.perf_counter() - t0,
        "objective_mcny": (h.getInfo().objective_function_value / COST_SCALE + lp.offset) / 1e6,
        "status": h.modelStatusToString(h.getModelStatus()),
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
    _SHARED.update(
        a=lp.a.tocsr(),
        lp=lp,
        col_hour=col_hour,
        owner=owner,
        window_of=np.searchsorted(edges, month, side="right") - 1,
        options=options,
    )
    print(f"LP {lp.a.shape[0]:,} rows, {lp.a.shape[1]:,} columns; annual rows {int((owner == -2).sum())}")
    base = fresh(lp, options)
    rows = [{"run": "fresh (presolve, dual simplex)", **{k: base[k] for k in ("seconds", "iterations")}}]
    print(f"fresh: {base['seconds']:.1f} s, {base['iterations']:,} iterations, {base['objective_mcny']:,.1f} MCNY")
    capacity = np.arange(lp.a.shape[1])[lp.col_blocks[id(model.steam.new_capacity)]]  # type: ignore[attr-defined]
    oracle = (base["row_dual"], (capacity, base["x"][capacity], base["x"]))
    runs = [(o, None) for o in map(int, args.overlap.split(","))]
    runs += [(o, oracle) for o, _ in runs] if args.oracle else []
    for overlap, given in runs:
        r = windowed(lp, options, args.windows, overlap, given)
        name = f"{args.windows} windows, overlap {overlap} h" + (", oracle" if given is not None else "")
        rows.append({"run": name, **r})
        print(
            f"{name}: windows {r['windows_wall_s']:.1f} s wall ({r['windows_highs_s']:.1f} s HiGHS, "
            f"{r['window_iterations']:,} it.), restart {r['restart_s']:.1f} s ({r['restart_iterations']:,} it.), "
            f"total {r['total_s']:.1f} s, {r['objective_mcny']:,.1f} MCNY ({r['status']})",
            flush=True,
        )
        if abs(r["objective_mcny"] - base["objective_mcny"]) > 1e-6 * abs(base["objective_mcny"]):
            raise RuntimeError("the restart's optimum differs from the fresh solve's")
    out = ROOT / "benchmarks" / "out" / "windows.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=1, default=float))


if __name__ == "__main__":
    main()
