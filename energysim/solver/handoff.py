"""Pyomo model → sparse LP arrays for HiGHS, without an LP file and without walking expressions.

A model built by energysim carries its LP as arrays (:mod:`energysim.model.lp`): row blocks are stacked as
they are, and only components added by hand (extra Vars, Constraints, another Objective) are compiled term by
term, through Pyomo's ``generate_standard_repn`` where needed. Any linear Pyomo model compiles the same way.
Variable bounds and fixings are always read from the Pyomo Vars, so the model stays the source of truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, SumExpression
from pyomo.repn import generate_standard_repn

from energysim.model.lp import LPBuilder, RowBlock, lp_of

INF = float("inf")
_NUMBER = (int, float)


@dataclass
class LinearProgram:
    """min c·x + offset  s.t.  row_lower ≤ A x ≤ row_upper,  col_lower ≤ x ≤ col_upper (dense bounds, CSC A).

    ``col_blocks``/``row_blocks`` map a Var or row-block component (by id) to its contiguous columns/rows;
    ``col_of``/``row_of`` map single VarData/ConstraintData added by hand (by id).
    """

    a: sp.csc_array
    cost: np.ndarray
    offset: float
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    columns: list[pyo.Var] = field(repr=False)
    col_blocks: dict[int, slice] = field(default_factory=dict, repr=False)
    row_blocks: dict[int, slice] = field(default_factory=dict, repr=False)
    col_of: dict[int, int] = field(default_factory=dict, repr=False)
    row_of: dict[int, int] = field(default_factory=dict, repr=False)
    row_components: list[tuple[object, slice]] = field(default_factory=list, repr=False)
    integer: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)
    """Integer columns (bool per column); none in an LP."""

    @property
    def rows(self) -> list[object]:
        """Every row's ConstraintData, in row order."""
        out: list[object] = []
        for component, _ in self.row_components:
            out.extend(component.values() if isinstance(component, RowBlock) else [component])
        return out


def _terms(expr: object) -> Iterator[tuple[float, object]]:
    """(coefficient, variable) pairs of a linear expression; (value, None) for constants."""
    cls = expr.__class__
    if cls is LinearExpression or cls is SumExpression:
        for arg in expr.args:  # type: ignore[attr-defined]
            yield from _terms(arg)
    elif cls is MonomialTermExpression:
        coef, var = expr.args  # type: ignore[attr-defined]
        yield (float(pyo.value(coef)), var)
    elif cls in _NUMBER:
        yield (float(expr), None)  # type: ignore[arg-type]
    elif getattr(expr, "is_variable_type", lambda: False)():
        yield (1.0, expr)
    else:
        repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
        if repn.nonlinear_expr is not None:
            raise ValueError(f"expression is not linear: {expr}")
        yield (float(repn.constant), None)
        yield from zip(map(float, repn.linear_coefs), repn.linear_vars, strict=True)


def _bounds(columns: list[pyo.Var]) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds as the Pyomo Vars hold them now (a fixed Var: both at its value)."""
    lower = np.array([v._lb for v in columns], dtype=float)  # None → nan
    upper = np.array([v._ub for v in columns], dtype=float)
    lower, upper = np.where(np.isnan(lower), -INF, lower), np.where(np.isnan(upper), INF, upper)
    fixed = np.flatnonzero(np.fromiter((v.fixed for v in columns), bool, len(columns)))
    for i in fixed:
        lower[i] = upper[i] = float(pyo.value(columns[i]))
    return lower, upper


def _generic_rows(
    constraints: list[object], col_of: dict[int, int], ncols: int
) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
    """Rows of hand-written constraints, compiled term by term."""
    lower, upper, indptr, indices, data = [], [], [0], [], []
    for con in constraints:
        lo, body, up = con.to_bounded_expression(evaluate_bounds=True)
        shift = 0.0
        for coef, var in _terms(body):
            if var is None:
                shift += coef
            elif coef:
                indices.append(col_of[id(var)])
                data.append(coef)
        lower.append(-INF if lo is None else lo - shift)
        upper.append(INF if up is None else up - shift)
        indptr.append(len(indices))
    csr = sp.csr_array(
        (np.asarray(data, float), np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
        shape=(len(constraints), ncols),
    )
    csr.sum_duplicates()  # a variable may appear twice in one row
    return csr, np.asarray(lower, float), np.asarray(upper, float)


def _stack_rows(blocks: list[sp.csr_array], ncols: int) -> sp.csr_array:
    """Row blocks (canonical CSR over ``ncols`` columns) stacked by concatenating their arrays (``sp.vstack``
    goes through COO: 0.025 s against 0.003 s on the full-year plan)."""
    nnz = sum(b.nnz for b in blocks)
    index = np.int32 if max(nnz, ncols) < np.iinfo(np.int32).max else np.int64
    indptr, offset = [np.zeros(1, index)], 0
    for b in blocks:
        indptr.append((b.indptr[1:] + offset).astype(index, copy=False))
        offset += b.nnz
    data = np.concatenate([b.data for b in blocks]) if blocks else np.zeros(0)
    indices = np.concatenate([b.indices.astype(index, copy=False) for b in blocks]) if blocks else np.zeros(0, index)
    rows = sum(b.shape[0] for b in blocks)
    return sp.csr_array((data, indices, np.concatenate(indptr)), shape=(rows, ncols))


def compile_lp(m: pyo.ConcreteModel) -> LinearProgram:
    """Columns: the builder's Vars in creation order, then any other Var; rows: the builder's active row blocks,
    then any other active Constraint; one active objective."""
    builder = lp_of(m) or LPBuilder()
    known = set(id(var) for var, _, _ in builder.col_blocks.values())
    extra_vars = [
        v for var in m.component_objects(pyo.Var, descend_into=True) if id(var) not in known for v in var.values()
    ]
    columns = builder.variables + extra_vars
    ncols = builder.ncols + len(extra_vars)
    if builder.arrays_only:  # no VarData: the builder's bounds are the model's
        col_lower = np.concatenate(builder.col_lower) if builder.col_lower else np.zeros(0)
        col_upper = np.concatenate(builder.col_upper) if builder.col_upper else np.zeros(0)
        if extra_vars:
            raise ValueError("a model built with arrays_only=True cannot take Vars added by hand")
    else:
        col_lower, col_upper = _bounds(columns)

    blocks = {id(c) for c, *_ in builder.row_blocks}
    extra_rows = [
        con
        for component in m.component_objects(pyo.Constraint, active=True, descend_into=True)
        if id(component) not in blocks
        for con in component.values()
        if con.active
    ]
    col_of = {id(v): i for i, v in enumerate(columns)} if extra_rows else {}
    parts, lowers, uppers, row_components = [], [], [], []
    start = 0
    for component, a, lower, upper in builder.row_blocks:
        if not component.active:
            continue
        parts.append(sp.csr_array((a.data, a.indices, a.indptr), shape=(a.shape[0], ncols)))
        lowers.append(lower)
        uppers.append(upper)
        row_components.append((component, slice(start, start + a.shape[0])))
        start += a.shape[0]
    if extra_rows:
        a, lower, upper = _generic_rows(extra_rows, col_of, ncols)
        parts.append(a)
        lowers.append(lower)
        uppers.append(upper)
        row_components += [(con, slice(start + i, start + i + 1)) for i, con in enumerate(extra_rows)]
    a = _stack_rows(parts, ncols).tocsc()

    objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if not builder.arrays_only and len(objectives) != 1:
        raise ValueError(f"the model needs exactly one active objective, found {len(objectives)}")
    objective = None if builder.arrays_only else objectives[0]
    sign = 1.0 if objective is None or objective.sense == pyo.minimize else -1.0
    if builder.arrays_only or objective is builder.objective:
        cost = np.zeros(ncols)
        cost[: builder.ncols] = builder.cost_vector()
        offset = builder.offset
    else:
        col_of = col_of or {id(v): i for i, v in enumerate(columns)}
        cost, offset = np.zeros(ncols), 0.0
        for coef, var in _terms(objective.expr):
            if var is None:
                offset += coef
            else:
                cost[col_of[id(var)]] += coef
    return LinearProgram(
        a=sp.csc_array(a),
        cost=sign * cost,
        offset=sign * offset,
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=np.concatenate(lowers) if lowers else np.zeros(0),
        row_upper=np.concatenate(uppers) if uppers else np.zeros(0),
        columns=columns,
        col_blocks={i: slice(s, e) for i, (_, s, e) in builder.col_blocks.items()},
        row_blocks={id(c): s for c, s in row_components if isinstance(c, RowBlock)},
        col_of={id(v): builder.ncols + i for i, v in enumerate(extra_vars)},
        row_of={id(c): s.start for c, s in row_components if not isinstance(c, RowBlock)},
        row_components=row_components,
        integer=np.concatenate([*builder.col_integer, np.array([v.is_integer() for v in extra_vars], bool)]).astype(
            bool
        )
        if builder.col_integer or extra_vars
        else np.zeros(ncols, bool),
    )
