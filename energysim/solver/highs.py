"""Room 4: hand the Pyomo model to HiGHS in memory (sparse matrices, no LP file) and read the answer.

The model is compiled once into scipy sparse arrays (:mod:`energysim.solver.handoff`), which are passed to
``highspy`` with ``passModel``. Primal values and row duals come back as numpy arrays; results are read by
component, never by setting values on the Pyomo model.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.progress import Probe
from energysim.solver.progress import wanted as progress_wanted

INF = highspy.kHighsInf
nan = float("nan")


class Status(StrEnum):
    """How the solve ended, in plain words."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible or unbounded"
    TIME_LIMIT = "time limit reached"
    ITERATION_LIMIT = "iteration limit reached"
    INTERRUPTED = "interrupted"
    UNKNOWN = "stopped without proof of optimality"
    NOT_ACCEPTED = "reported optimal but fails energysim's acceptance rule"
    ERROR = "solver error"


_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kModelEmpty: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: Status.UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE_OR_UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: Status.ITERATION_LIMIT,
    highspy.HighsModelStatus.kInterrupt: Status.INTERRUPTED,
    highspy.HighsModelStatus.kUnknown: Status.UNKNOWN,
}


@dataclass
class LPSize:
    """Rows, columns and non-zeros of the LP as handed to HiGHS."""

    rows: int
    columns: int
    nonzeros: int


COST_SCALE = 1e-3
"""HiGHS sees costs in kCNY (energysim's objective and duals stay in CNY): dual simplex measured 5–24 % faster
than with CNY on the plan, 2024 base and reference LPs, same objectives to 1e-12 (benchmarks/README.md)."""

ACCEPT_PRIMAL_INFEASIBILITY = 1e-5
"""Largest row or bound violation accepted in an answer, in the row's own unit (MW, t/h, MWh, tCO2)."""
ACCEPT_DUAL_INFEASIBILITY = 1e-3
"""Largest reduced-cost violation accepted, CNY per unit (prices are read from the duals)."""


@dataclass
class Quality:
    """How good HiGHS's answer is: the method that actually ran, residuals, iterations, vertex or not."""

    method: str
    max_primal_infeasibility: float
    max_dual_infeasibility: float
    vertex: bool
    simplex_iterations: int
    ipm_iterations: int
    pdlp_iterations: int

    def acceptable(self, primal: float = ACCEPT_PRIMAL_INFEASIBILITY, dual: float = ACCEPT_DUAL_INFEASIBILITY) -> bool:
        """The acceptance rule: both residuals within the limits (an optimal status alone is not enough: PDLP
        and IPM without crossover stop at relative tolerances)."""
        return self.max_primal_infeasibility <= primal and self.max_dual_infeasibility <= dual


def _quality(h: highspy.Highs) -> Quality:
    info = h.getInfo()
    ran = [
        ("simplex", info.simplex_iteration_count),
        ("ipm", info.ipm_iteration_count),
        ("pdlp", info.pdlp_iteration_count),
    ]
    method = next((name for name, count in reversed(ran) if count > 0), "presolve")
    if method == "ipm" and (info.crossover_iteration_count > 0 or info.basis_validity):
        method = "ipm+crossover"
    finite = lambda x: float(x) if x >= 0 else float("nan")  # noqa: E731 (HiGHS reports -1 when unknown)
    return Quality(
        method=method,
        max_primal_infeasibility=finite(info.max_primal_infeasibility),
        max_dual_infeasibility=finite(info.max_dual_infeasibility) / COST_SCALE,  # CNY per unit
        vertex=bool(info.basis_validity),
        simplex_iterations=int(max(info.simplex_iteration_count, 0)),
        ipm_iterations=int(max(info.ipm_iteration_count, 0)),
        pdlp_iterations=int(max(info.pdlp_iteration_count, 0)),
    )


@dataclass
class SolveResult:
    """The solver's answer: status, objective (CNY), primal values and row duals by Pyomo component."""

    status: Status
    objective: float
    size: LPSize
    handoff_seconds: float
    solve_seconds: float
    solver: str
    options: dict[str, Any] = field(default_factory=dict)
    primal: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    row_dual: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    lp: LinearProgram | None = field(repr=False, default=None)
    quality: Quality | None = None
    warm_start: str = ""
    """JSON report of a typical-day warm start (``solver.warm_start``; see :mod:`energysim.solver.warmstart`)."""
    mip_gap: float = float("nan")
    """Relative gap HiGHS proved for a MIP (integer unit commitment); NaN for an LP."""

    @property
    def optimal(self) -> bool:
        return self.status is Status.OPTIMAL

    def values(self, component: pyo.Var) -> np.ndarray:
        """Primal values of a Var, in its index order (0 where HiGHS returned no values)."""
        return _pick(self.primal, self.lp.col_blocks, self.lp.col_of, component, self.lp.a.shape[1])

    def duals(self, component: pyo.Constraint) -> np.ndarray:
        """Row duals of a Constraint or row block, in its index order: d objective / d right-hand side."""
        return _pick(self.row_dual, self.lp.row_blocks, self.lp.row_of, component, len(self.lp.row_lower))


def _pick(
    values: np.ndarray, blocks: dict[int, slice], single: dict[int, int], component: object, size: int
) -> np.ndarray:
    """A component's entries of a solution vector: a contiguous block, or entry by entry (0 where missing)."""
    if not len(values):
        values = np.zeros(size)
    if id(component) in blocks:
        return values[blocks[id(component)]]
    at = np.fromiter((single.get(id(c), -1) for c in component.values()), int, len(component))
    return np.where(at >= 0, values[np.maximum(at, 0)] if len(values) else 0.0, 0.0)


SIMPLEX_PRICING = {"auto": -1, "choose": -1, "dantzig": 0, "devex": 1, "steepest_edge": 2}
"""``solver.simplex_pricing`` → HiGHS ``simplex_dual_edge_weight_strategy``. The default, ``auto``, is HiGHS's
own choice (dual steepest edge on these LPs), from scratch and on restarts from a basis: on the provincial
full-year LPs it needs a fifth fewer iterations than devex and takes 0.55-0.65 × the time (benchmarks/README.md);
devex, faster on the Jiaxing-only LPs before the province, stays available."""


def highs_options(solver_options: dict[str, Any]) -> dict[str, Any]:
    """HiGHS option names and values from the scenario's ``solver`` section."""
    opts: dict[str, Any] = {
        "solver": solver_options.get("method", "ipm"),
        "time_limit": float(solver_options.get("time_limit_s", 3600.0)),
        "run_crossover": "on" if solver_options.get("crossover", True) else "off",
    }
    if opts["solver"] in ("simplex", "choose"):  # dual simplex pricing; an explicit highs_options entry wins below
        opts["simplex_dual_edge_weight_strategy"] = SIMPLEX_PRICING[solver_options.get("simplex_pricing", "auto")]
    if solver_options.get("threads"):
        opts["threads"] = int(solver_options["threads"])
    opts.update(solver_options.get("highs_options", {}))
    return opts


class _Highs(highspy.Highs):
    """``highspy.Highs`` that starts silent: highspy 1.16 registers its callbacks while it is created, and HiGHS
    then prints its banner ("Running HiGHS …") on stdout before ``output_flag`` can be set."""

    def enableCallbacks(self) -> None:  # called by highspy.Highs.__init__, before anything logs
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


def new_highs(solver_options: dict[str, Any], *, log: bool = False) -> highspy.Highs:
    """A HiGHS instance with the scenario's ``solver`` options (log to the console only if ``log``)."""
    h = _Highs()
    h.setOptionValue("output_flag", log)
    for key, value in highs_options(solver_options).items():
        if h.setOptionValue(key, value) == highspy.HighsStatus.kError:  # HiGHS would carry on without it
            from energysim.errors import Problem, ScenarioError

            problem = Problem(
                "solver options", key, "an option and value HiGHS accepts", repr(value), "see HiGHS's options"
            )
            raise ScenarioError([problem])
    return h


def solve(
    m: pyo.ConcreteModel,
    solver_options: dict[str, Any] | str | None = None,
    *,
    log: bool = False,
    on_passed: Callable[[LinearProgram], None] | None = None,
) -> SolveResult:
    """Solve the LP with HiGHS; never raises for a non-optimal status (see ``SolveResult.status``).

    ``on_passed(lp)`` is called once the LP is in HiGHS, just before it runs (HiGHS then releases the GIL, so a
    background thread started there, e.g. the results writer, costs no wall time).
    """
    if isinstance(solver_options, str):
        solver_options = json.loads(solver_options)
    t0 = time.perf_counter()
    lp = compile_lp(m)
    h = new_highs(solver_options or {}, log=log)
    pass_lp(h, lp)
    handoff_seconds = time.perf_counter() - t0
    if on_passed is not None:
        on_passed(lp)
    return run_highs(h, lp, solver_options or {}, handoff_seconds=handoff_seconds)


_INTERRUPTS = (
    highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt,
    highspy.cb.HighsCallbackType.kCallbackIpmInterrupt,
)
"""The callbacks through which HiGHS can be asked to stop: once per simplex and per interior-point iteration
(IPX also asks during crossover)."""


def _stop(callback_type: int, message: str, data_out: object, data_in: Any, user_data: object) -> None:
    """HiGHS user callback: stop now (it is only switched on once the run is to be interrupted)."""
    data_in.user_interrupt = True


def run_interruptibly(h: highspy.Highs) -> None:
    """``h.run()`` that Ctrl-C (or any exception a signal handler raises, e.g. on SIGTERM) stops within a second,
    and that reports its progress while it runs if anyone listens (:mod:`energysim.solver.progress`).

    HiGHS runs in a helper thread while the main thread waits, so Python's signal handlers run at once (in the
    main thread they would wait until ``run()`` returned: 58 s with interior point on the full year). When the
    wait is broken, HiGHS is asked to stop (:func:`_ask_to_stop`), and once it has (further signals meanwhile
    are ignored) the exception goes on. Outside the main thread (Dask workers, which get no signals) HiGHS simply runs.
    """
    if threading.current_thread() is not threading.main_thread():
        h.run()
        return
    probe = Probe(h, COST_SCALE) if progress_wanted() else None  # it installs its own callback
    if probe is None:
        h.setCallback(_stop, None)
    failure: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            h.run()
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=target, name="energysim-highs", daemon=True)
    worker.start()
    try:
        # An Event, not Thread.join(): a join that a signal breaks marks a still running thread as stopped on
        # Python 3.11 (bpo-45274), and Python must not exit while HiGHS runs (C++ aborts at exit). In steps:
        # a signal delivered to another thread does not wake a plain wait.
        while not done.wait(0.1):
            if probe is not None:
                probe.tick()
    except BaseException:
        time_limit = _ask_to_stop(h, probe)
        _wait_out(done)
        for callback_type in _INTERRUPTS:
            h.stopCallback(callback_type)
        h.setOptionValue("time_limit", time_limit)
        raise
    finally:
        if probe is not None and done.is_set():
            probe.close()
    worker.join()
    if failure:
        raise failure[0]


def _wait_out(done: threading.Event) -> None:
    """Wait until HiGHS has stopped, through further signals (the first one is on its way up)."""
    while True:
        try:
            if done.wait(0.1):
                return
        except BaseException:  # a second Ctrl-C or SIGTERM: HiGHS is already stopping
            continue


def _ask_to_stop(h: highspy.Highs, probe: Probe | None = None) -> float:
    """Make a running HiGHS stop at its next check; returns the time limit to put back afterwards.

    Simplex and interior point call the interrupt callbacks at every iteration (IPX also in crossover and its
    linear solves); they stay off until now, because an active Python callback takes the GIL at every iteration
    (measured: +0.9 s on an 8 s full-year solve beside a busy Python thread, such as the results writer).
    Presolve calls no callback but checks the time limit every 1,024 reductions, so the limit goes to 0 too
    (1–2 s of presolve on the full year otherwise). HiGHS reads both switches at each check: setting them from
    this thread while it runs is a plain flag write that only this thread makes. With a progress ``probe``, its
    callback (installed in place of :func:`_stop`) stops HiGHS once told to.
    """
    time_limit = float(h.getOptionValue("time_limit")[1])
    h.setOptionValue("time_limit", 0.0)
    if probe is not None:  # its callback stops HiGHS from now on, and no sample switches it off
        with probe.lock:
            probe.stopping = True
    for callback_type in _INTERRUPTS:
        h.startCallback(callback_type)
    return time_limit


def run_highs(
    h: highspy.Highs, lp: LinearProgram, solver_options: dict[str, Any], *, handoff_seconds: float, label: str = ""
) -> SolveResult:
    """Run HiGHS on the LP it holds and read the answer, applying the acceptance rule."""
    t1 = time.perf_counter()
    run_interruptibly(h)
    status = _STATUS.get(h.getModelStatus(), Status.ERROR)
    mip = bool(lp.integer.any()) if len(lp.integer) else False
    mip_gap, objective = (float(h.getInfo().mip_gap), h.getInfo().objective_function_value) if mip else (nan, nan)
    if mip and status is Status.OPTIMAL:
        _fix_integers(h, lp)  # the same answer as an LP, for prices (duals) and the acceptance rule
    solve_seconds = time.perf_counter() - t1
    quality = _quality(h)
    if status is Status.OPTIMAL and not quality.acceptable(
        float(solver_options.get("accept_primal_infeasibility", ACCEPT_PRIMAL_INFEASIBILITY)),
        float(solver_options.get("accept_dual_infeasibility", ACCEPT_DUAL_INFEASIBILITY)),
    ):
        status = Status.NOT_ACCEPTED
    solution = h.getSolution()
    has_values = solution.value_valid
    if not mip:
        objective = h.getInfo().objective_function_value
    return SolveResult(
        status=status,
        objective=objective / COST_SCALE + lp.offset if has_values else float("nan"),
        mip_gap=mip_gap,
        size=LPSize(rows=lp.a.shape[0], columns=lp.a.shape[1], nonzeros=int(lp.a.nnz)),
        handoff_seconds=handoff_seconds,
        solve_seconds=solve_seconds,
        solver=f"HiGHS {h.version()}{label}",
        options=highs_options(solver_options),
        primal=_floats(solution.col_value) if has_values else np.zeros(0),
        row_dual=_floats(solution.row_dual) / COST_SCALE if solution.dual_valid else np.zeros(0),
        lp=lp,
        quality=quality,
    )


def _fix_integers(h: highspy.Highs, lp: LinearProgram) -> None:
    """After a MIP: fix its integer columns at their values, make them continuous and solve the LP that remains,
    so prices are the duals given the commitment (the usual way to price a unit-commitment answer)."""
    columns = np.flatnonzero(lp.integer).astype(np.int32)
    values = np.round(_floats(h.getSolution().col_value)[columns])
    h.changeColsIntegrality(len(columns), columns, np.full(len(columns), highspy.HighsVarType.kContinuous))
    h.changeColsBounds(len(columns), columns, values, values)
    run_interruptibly(h)


def keep_only_the_basis(h: highspy.Highs, basis: highspy.HighsBasis | None = None) -> None:
    """Make HiGHS's next run start from ``basis`` (default: its current one) and nothing else it kept: a new
    factorisation and new edge weights. After costs changed, restarting with the kept solver state took twice the
    iterations (CO2 price 75 → 150 on the full-year plan: 16,602 against 11,695; benchmarks/README.md)."""
    basis = h.getBasis() if basis is None else basis
    if basis.valid:
        h.clearSolver()
        h.setBasis(basis)


def _floats(values: list[float]) -> np.ndarray:
    """highspy's solution list as an array (``fromiter``: 30 % faster than ``asarray`` on 350k values)."""
    return np.fromiter(values, float, len(values))


def pass_lp(h: highspy.Highs, lp: LinearProgram) -> None:
    """Hand the sparse arrays to HiGHS as they are (column-wise matrix, costs in kCNY, integer columns marked).

    The array overload of ``passModel`` copies each array once; filling a ``HighsLp`` first took 5× longer
    (0.15 s against 0.03 s on the full-year plan).
    """
    columns, rows = lp.a.shape[1], lp.a.shape[0]
    status = h.passModel(
        columns,
        rows,
        lp.a.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        lp.cost * COST_SCALE,
        np.clip(lp.col_lower, -INF, INF),
        np.clip(lp.col_upper, -INF, INF),
        np.clip(lp.row_lower, -INF, INF),
        np.clip(lp.row_upper, -INF, INF),
        lp.a.indptr.astype(np.int32, copy=False),
        lp.a.indices.astype(np.int32, copy=False),
        lp.a.data,
        lp.integer.astype(np.int32) if len(lp.integer) == columns else np.zeros(columns, dtype=np.int32),
    )
    if status == highspy.HighsStatus.kError:  # a warning (e.g. |coefficients| < 1e-9 dropped) is no refusal
        raise RuntimeError(f"HiGHS refused the LP ({status}): {rows} rows, {columns} columns")
