"""The LP behind the Pyomo model, assembled as numpy arrays while the Pyomo components are created.

Each variable block is a labelled Pyomo ``Var`` (indexed by the model's sets) whose columns are numbered in
creation order; each row block is a :class:`RowBlock`, Pyomo's own sparse-matrix constraint, holding its rows in
CSR form. The formulation therefore never builds one Pyomo expression per row (the cost that makes Pyomo
models slow to build), the hand-off reads the arrays directly, and the Pyomo model is still the whole LP for
anyone who wants Pyomo: its writers, its other solvers, extra constraints added by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import prod

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression
from pyomo.repn.beta.matrix import MatrixConstraint, _LinearMatrixConstraintData

from energysim.costs import CostRates

INF = float("inf")
_ATTRIBUTE = "_energysim_lp"


class _RowData(_LinearMatrixConstraintData):
    """One row of a :class:`RowBlock`; also answers ``expr`` (Pyomo's APPSI interfaces ask for it)."""

    __slots__ = ()

    @property
    def expr(self) -> object:
        lower, body, upper = self.to_bounded_expression()
        if self.equality:
            return body == upper
        return (
            pyo.inequality(lower, body, upper)
            if lower is not None and upper is not None
            else (body >= lower if lower is not None else body <= upper)
        )


class _LazyRows(Sequence):
    """A row block's ConstraintData, each created the first time it is asked for (most never are: the hand-off
    reads the CSR arrays, not the rows)."""

    def __init__(self, component: RowBlock, n: int) -> None:
        self._component = component
        self._rows: list[_RowData | None] = [None] * n

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int) -> _RowData:  # type: ignore[override]
        row = self._rows[i]
        if row is None:
            row = self._rows[i] = _RowData(i, component=self._component)
        return row


class RowBlock(MatrixConstraint):
    """Rows ``lower ≤ A x ≤ upper`` stored as CSR (Pyomo's ``MatrixConstraint``), indexed 0…n−1."""

    def construct(self, data: object = None) -> None:
        if self._constructed:
            return
        self._constructed = True
        self._data = _LazyRows(self, len(self._range_types))


class Rows:
    """A block of rows under construction: a grid of row ids and the (row, column, coefficient) entries.

    ``add(cols, coef)`` adds ``coef · x[cols]`` to every row of the grid, broadcasting ``cols`` and ``coef``
    against the grid's shape (so a per-tech column such as new capacity spreads over hours);
    ``add(cols, coef, rows=ids)`` adds to chosen rows (e.g. every hour of a day into that day's row).
    """

    def __init__(self, *shape: int) -> None:
        self.shape = shape
        self.size = prod(shape)
        self.ids = np.arange(self.size).reshape(shape)
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._coefs: list[np.ndarray] = []

    def add(self, cols: np.ndarray, coef: float | np.ndarray = 1.0, *, rows: np.ndarray | None = None) -> Rows:
        target = self.ids if rows is None else np.asarray(rows)
        cols = np.broadcast_to(np.asarray(cols), target.shape)
        coef = np.broadcast_to(np.asarray(coef, dtype=float), target.shape)
        keep = coef != 0
        self._rows.append(target[keep])
        self._cols.append(cols[keep])
        self._coefs.append(coef[keep])
        return self

    def csr(self, ncols: int) -> sp.csr_array:
        """The rows as CSR over all columns so far; repeated (row, column) entries are summed."""
        if not self._rows:
            return sp.csr_array((self.size, ncols))
        coo = sp.coo_array(
            (np.concatenate(self._coefs), (np.concatenate(self._rows), np.concatenate(self._cols))),
            shape=(self.size, ncols),
        )
        out = coo.tocsr()
        out.sum_duplicates()
        return out


class _NoVariables(Sequence):
    """The column list of a lean (arrays-only) model: its length, and no Pyomo variable objects."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> object:  # type: ignore[override]
        raise LookupError("a model built with arrays_only=True has no Pyomo variable objects; use build_model()")


@dataclass
class LPBuilder:
    """Columns, rows and costs of the LP in creation order; one per model (see :func:`lp_of`)."""

    variables: list[pyo.Var] = field(default_factory=list, repr=False)  # every VarData, column order
    col_lower: list[np.ndarray] = field(default_factory=list, repr=False)
    col_upper: list[np.ndarray] = field(default_factory=list, repr=False)
    col_integer: list[np.ndarray] = field(default_factory=list, repr=False)
    col_blocks: dict[int, tuple[pyo.Var, int, int]] = field(default_factory=dict, repr=False)
    columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False)  # "power.generation" → cols
    members: dict[str, dict[object, int]] = field(default_factory=dict, repr=False)  # position on the first set
    var_sets: dict[str, list[object]] = field(default_factory=dict, repr=False)  # the sets each Var is over
    row_blocks: list[tuple[RowBlock, sp.csr_array, np.ndarray, np.ndarray]] = field(default_factory=list, repr=False)
    cost_cols: list[np.ndarray] = field(default_factory=list, repr=False)
    cost_coefs: list[np.ndarray] = field(default_factory=list, repr=False)
    offset: float = 0.0
    objective: pyo.Objective | None = None
    arrays_only: bool = False  # no VarData or objective expression: the lean build runs and sweeps use
    ncols: int = 0
    rates: CostRates | None = None  # the cost rates the objective was built from

    def var(
        self,
        block: pyo.Block,
        name: str,
        sets: Sequence[pyo.Set],
        *,
        lower: float | np.ndarray = 0.0,
        upper: float | np.ndarray = INF,
        integer: bool = False,
    ) -> np.ndarray:
        """Add Var ``block.name`` over ``sets`` (dense, product order) with the given bounds (±inf: none), integer
        if asked; returns its column numbers shaped like the sets."""
        shape = tuple(len(s) for s in sets)
        domain = pyo.Integers if integer else pyo.Reals
        component = pyo.Var(*sets, dense=not self.arrays_only, within=domain) if sets else pyo.Var(within=domain)
        block.add_component(name, component)
        lower = np.broadcast_to(np.asarray(lower, dtype=float), shape).ravel()
        upper = np.broadcast_to(np.asarray(upper, dtype=float), shape).ravel()
        if not self.arrays_only:
            data = list(component._data.values())  # dense: every index, in product order (as values(), 2× faster)
            if len(data) != prod(shape):
                raise AssertionError(f"Var {name}: {len(data)} entries for sets of sizes {shape}")
            for v, lo, up in zip(data, _pyomo_bounds(lower), _pyomo_bounds(upper), strict=True):
                v._lb, v._ub = lo, up  # the VarData slots (``setlb`` checks each value and is ~5× slower)
            self.variables.extend(data)
        start = self.ncols
        self.ncols += prod(shape)
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.col_integer.append(np.full(prod(shape), integer))
        self.col_blocks[id(component)] = (component, start, self.ncols)
        cols = self.columns[component.name] = np.arange(start, self.ncols).reshape(shape)
        self.members[component.name] = {x: i for i, x in enumerate(sets[0])} if sets else {}
        self.var_sets[component.name] = list(sets)
        return cols

    def cols(self, var: pyo.Var, members: Sequence[object] | None = None) -> np.ndarray:
        """Column numbers of ``var`` (shaped like its sets), or of the given members of its first set."""
        cols = self.columns[var.name]
        if members is None:
            return cols
        order = self.members[var.name]
        return cols[np.array([order[x] for x in members], dtype=int)]

    def rows(
        self,
        block: pyo.Block,
        name: str,
        rows: Rows,
        *,
        lower: float | np.ndarray = -INF,
        upper: float | np.ndarray = INF,
    ) -> None:
        """Add the rows as :class:`RowBlock` ``block.name``: ``lower ≤ Σ coef·x ≤ upper`` (±inf: unbounded)."""
        a = rows.csr(self.ncols)
        lower = np.broadcast_to(np.asarray(lower, dtype=float), rows.shape).ravel().copy()
        upper = np.broadcast_to(np.asarray(upper, dtype=float), rows.shape).ravel().copy()
        kinds = np.where(np.isfinite(lower), MatrixConstraint.LowerBound, 0) | np.where(
            np.isfinite(upper), MatrixConstraint.UpperBound, 0
        )
        kinds = np.where((lower == upper), MatrixConstraint.Equality, kinds).astype(np.uint8)
        ranges = np.column_stack([lower, upper]).ravel()
        varmap = self.variables if not self.arrays_only else _NoVariables(self.ncols)
        component = RowBlock(rows.size, self.ncols, a.nnz, a.indptr, a.indices, a.data, ranges, kinds, varmap)
        block.add_component(name, component)
        if not self.arrays_only:
            component._varmap = self.variables  # shared and growing: later columns never appear in earlier rows
        self.row_blocks.append((component, a, lower, upper))

    def cost(self, cols: np.ndarray, coef: float | np.ndarray) -> None:
        """Add ``Σ coef · x[cols]`` (CNY) to the objective."""
        cols = np.asarray(cols)
        self.cost_cols.append(cols.ravel())
        self.cost_coefs.append(np.broadcast_to(np.asarray(coef, dtype=float), cols.shape).ravel())

    def cost_vector(self) -> np.ndarray:
        """Objective coefficient per column, CNY per unit."""
        if not self.cost_cols:
            return np.zeros(self.ncols)
        return np.bincount(
            np.concatenate(self.cost_cols), weights=np.concatenate(self.cost_coefs), minlength=self.ncols
        )

    def add_objective(self, m: pyo.ConcreteModel, name: str) -> None:
        """The Pyomo objective ``min Σ c·x + offset`` from the collected costs (none when arrays only)."""
        if self.arrays_only:
            return
        c = self.cost_vector()
        nonzero = np.flatnonzero(c)
        expr = LinearExpression(
            constant=self.offset, linear_coefs=c[nonzero].tolist(), linear_vars=[self.variables[i] for i in nonzero]
        )
        self.objective = pyo.Objective(expr=expr, sense=pyo.minimize)
        m.add_component(name, self.objective)


def _pyomo_bounds(values: np.ndarray) -> list[float | None]:
    """Bounds as Pyomo stores them: None for an infinite bound."""
    out: list[float | None] = values.tolist()
    if not np.isfinite(values).all():
        out = [None if x in (INF, -INF) else x for x in out]
    return out


def new_builder(m: pyo.ConcreteModel, *, arrays_only: bool = False) -> LPBuilder:
    """Attach a fresh :class:`LPBuilder` to the model (``arrays_only``: see :attr:`LPBuilder.arrays_only`)."""
    builder = LPBuilder(arrays_only=arrays_only)
    setattr(m, _ATTRIBUTE, builder)
    return builder


def lp_of(m: pyo.Block) -> LPBuilder | None:
    """The model's :class:`LPBuilder` (None for a Pyomo model energysim did not build)."""
    return getattr(m.model(), _ATTRIBUTE, None)
