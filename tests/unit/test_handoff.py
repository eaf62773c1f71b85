"""The fast hand-off must produce the same LP as Pyomo's own standard-form compiler."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

import energysim as es
from energysim.handoff import compile_lp
from tests.conftest import DEFAULT_SCENARIO


def test_matrix_bounds_and_costs_match_pyomo_standard_form():
    inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO), hours=6)
    m = es.build_model(inputs)
    ours = compile_lp(m)
    ref = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=pyo.minimize)

    col = {id(v): i for i, v in enumerate(ours.columns)}
    perm = np.array([col[id(v)] for v in ref.columns])
    row = {id(c): i for i, c in enumerate(ours.rows)}
    rows = np.array([row[id(r.constraint)] for r in ref.rows])
    np.testing.assert_allclose(ours.a.toarray()[np.ix_(rows, perm)], ref.A.toarray(), atol=1e-12)
    np.testing.assert_allclose(ours.cost[perm], ref.c.toarray()[0], atol=1e-9)
    kinds = np.array([r.bound_type for r in ref.rows])
    rhs = np.asarray(ref.rhs, float)
    np.testing.assert_allclose(np.where(kinds >= 0, ours.row_upper[rows], rhs), rhs)
    np.testing.assert_allclose(np.where(kinds <= 0, ours.row_lower[rows], rhs), rhs)
    assert ours.offset == ref.c_offset[0]


def test_generic_expressions_fall_back_to_pyomo_repn():
    """A row written with operators (not ``model.sets.row``) still compiles correctly."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, None))
    m.y = pyo.Var(bounds=(None, 4))
    m.c = pyo.Constraint(expr=2 * (m.x + 3) - m.y <= 10)
    m.o = pyo.Objective(expr=m.x + 2 * m.y + 5, sense=pyo.maximize)
    lp = compile_lp(m)
    np.testing.assert_allclose(lp.a.toarray(), [[2, -1]])
    assert lp.row_upper[0] == 4 and lp.row_lower[0] == -np.inf
    np.testing.assert_allclose(lp.cost, [-1, -2])  # maximisation handed over as minimisation
    assert lp.offset == -5
    np.testing.assert_allclose(lp.col_lower, [0, -np.inf])
    np.testing.assert_allclose(lp.col_upper, [np.inf, 4])
