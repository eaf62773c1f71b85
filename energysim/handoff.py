"""Pyomo model → sparse LP arrays for HiGHS, without an LP file and without Pyomo's generic expression walker
where the model's rows are plain linear expressions (as every energysim constraint is, see ``model.sets.row``).

Rows of another shape fall back to Pyomo's ``generate_standard_repn``, so any linear Pyomo model compiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, SumExpression
from pyomo.repn import generate_standard_repn

INF = float("inf")
_NUMBER = (int, float)


@dataclass
class LinearProgram:
    """min c·x + offset  s.t.  row_lower ≤ A x ≤ row_upper,  col_lower ≤ x ≤ col_upper (dense bounds, CSC A)."""

    a: sp.csc_array
    cost: np.ndarray
    offset: float
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    columns: list[pyo.Var]
    rows: list[pyo.Constraint]


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


def compile_lp(m: pyo.ConcreteModel) -> LinearProgram:
    """Columns are every Var of the model in component order; rows every active Constraint; one objective."""
    columns = list(m.component_data_objects(pyo.Var, descend_into=True))
    col_of = {id(v): i for i, v in enumerate(columns)}
    bounds = np.array([v.bounds for v in columns], dtype=float).reshape(-1, 2)  # None → nan
    col_lower = np.where(np.isnan(bounds[:, 0]), -INF, bounds[:, 0])
    col_upper = np.where(np.isnan(bounds[:, 1]), INF, bounds[:, 1])

    rows, lower, upper, indptr = [], [], [], [0]
    indices: list[int] = []
    data: list[float] = []
    for con in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        lo, body, up = con.to_bounded_expression(evaluate_bounds=True)
        shift = 0.0
        for coef, var in _terms(body):
            if var is None:
                shift += coef
            elif coef:
                indices.append(col_of[id(var)])
                data.append(coef)
        rows.append(con)
        lower.append(-INF if lo is None else lo - shift)
        upper.append(INF if up is None else up - shift)
        indptr.append(len(indices))
    csr = sp.csr_array(
        (np.asarray(data, float), np.asarray(indices, np.int64), np.asarray(indptr, np.int64)),
        shape=(len(rows), len(columns)),
    )
    csr.sum_duplicates()  # a variable may appear twice in one row (e.g. a one-hour cyclic storage balance)

    [objective] = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
    sign = 1.0 if objective.sense == pyo.minimize else -1.0
    cost = np.zeros(len(columns))
    offset = 0.0
    for coef, var in _terms(objective.expr):
        if var is None:
            offset += coef
        else:
            cost[col_of[id(var)]] += coef
    return LinearProgram(
        a=csr.tocsc(),
        cost=sign * cost,
        offset=sign * offset,
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=np.asarray(lower, float),
        row_upper=np.asarray(upper, float),
        columns=columns,
        rows=rows,
    )
