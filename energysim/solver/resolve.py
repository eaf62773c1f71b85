"""Re-solve variants of one scenario through a single persistent HiGHS instance.

A sweep over prices, caps, demand scale or capacities changes numbers, not the LP's shape. Each variant's LP is
assembled as arrays only (no Pyomo variable data, see ``build_model(arrays_only=True)``) and compared with the
LP HiGHS holds: changed costs, bounds, right-hand sides and matrix coefficients are sent as changes, and HiGHS
re-solves from its last basis (warm start). A variant whose LP has another shape (a technology switched on or
off, another horizon) is passed whole, as a fresh model.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from energysim.solver.handoff import LinearProgram, compile_lp
from energysim.solver.highs import (
    COST_SCALE,
    SolveResult,
    keep_only_the_basis,
    new_highs,
    pass_lp,
    run_highs,
)


@dataclass
class ResolveStats:
    """What each re-solve did: ``"changes"`` (how many numbers were updated) or ``"fresh"`` (whole LP passed)."""

    kinds: list[str] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)


def _same_shape(a: LinearProgram, b: LinearProgram) -> bool:
    """Same rows, columns and sparsity pattern (so only numbers differ)."""
    return (
        a.a.shape == b.a.shape
        and a.a.nnz == b.a.nnz
        and np.array_equal(a.a.indptr, b.a.indptr)
        and np.array_equal(a.a.indices, b.a.indices)
    )


def _clip(values: np.ndarray) -> np.ndarray:
    return np.clip(values, -highspy.kHighsInf, highspy.kHighsInf)


class PersistentSolver:
    """One HiGHS instance kept across the variants of a sweep."""

    def __init__(self, solver_options: dict[str, Any] | None = None) -> None:
        self.solver_options = solver_options or {}
        self.highs = new_highs(self.solver_options)
        self.lp: LinearProgram | None = None
        self.stats = ResolveStats()
        self.year_layout: dict = {}  # the full-year model typical-day answers are read onto (solver.expand)

    def _update(self, new: LinearProgram) -> int:
        """Send the numbers that differ from the LP HiGHS holds; returns how many were sent."""
        old, h = self.lp, self.highs
        assert old is not None
        sent = 0
        cols = np.flatnonzero(old.cost != new.cost)
        if len(cols):
            h.changeColsCost(len(cols), cols.astype(np.int32), new.cost[cols] * COST_SCALE)
        sent += len(cols)
        cols = np.flatnonzero((old.col_lower != new.col_lower) | (old.col_upper != new.col_upper))
        if len(cols):
            h.changeColsBounds(len(cols), cols.astype(np.int32), _clip(new.col_lower[cols]), _clip(new.col_upper[cols]))
        sent += len(cols)
        rows = np.flatnonzero((old.row_lower != new.row_lower) | (old.row_upper != new.row_upper))
        if len(rows):
            h.changeRowsBounds(len(rows), rows.astype(np.int32), _clip(new.row_lower[rows]), _clip(new.row_upper[rows]))
        sent += len(rows)
        entries = np.flatnonzero(old.a.data != new.a.data)
        if len(entries):
            col_of_entry = np.repeat(np.arange(new.a.shape[1]), np.diff(new.a.indptr))
            for k in entries:  # coefficient changes are few (availability of buildable plant)
                h.changeCoeff(int(new.a.indices[k]), int(col_of_entry[k]), float(new.a.data[k]))
        return sent + len(entries)

    def solve(self, m: pyo.ConcreteModel) -> SolveResult:
        """Solve one variant's model (best built with ``build_model(inputs, arrays_only=True)``), warm-started
        from the previous answer when the LP's shape is unchanged."""
        t0 = time.perf_counter()
        lp = compile_lp(m)
        h = self.highs
        restart = self.lp is not None and _same_shape(self.lp, lp) and not lp.integer.any()  # a MIP starts afresh
        if restart:
            basis = h.getBasis()
            self.stats.changed.append(self._update(lp))
            self.stats.kinds.append("changes")
            keep_only_the_basis(h, basis)
        else:
            pass_lp(h, lp)
            self.stats.changed.append(lp.a.nnz)
            self.stats.kinds.append("fresh")
        self.lp = lp
        return run_highs(h, lp, self.solver_options, handoff_seconds=time.perf_counter() - t0, label=" (persistent)")
