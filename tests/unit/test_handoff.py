"""The fast hand-off must produce the same LP as Pyomo's own standard-form compiler."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

import energysim as es
from energysim.solver.handoff import compile_lp
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
    lower = np.array([-np.inf if v.lb is None else v.lb for v in ref.columns])
    upper = np.array([np.inf if v.ub is None else v.ub for v in ref.columns])
    np.testing.assert_array_equal(ours.col_lower[perm], lower)
    np.testing.assert_array_equal(ours.col_upper[perm], upper)


def _six_hours() -> tuple[object, pyo.ConcreteModel]:
    inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO), hours=6)
    return inputs, es.build_model(inputs)


def test_the_pyomo_model_is_the_whole_lp_for_another_pyomo_solver():
    """Pyomo's own HiGHS interface (which reads every row through Pyomo) reaches energysim's objective."""
    inputs, m = _six_hours()
    ours = es.solve(m, inputs.attrs["solver_options"])
    pyo.SolverFactory("appsi_highs").solve(m)
    assert pyo.value(m.total_cost) == pytest.approx(ours.objective, rel=1e-7)


def test_rows_and_bounds_added_by_hand_are_honoured():
    """An analyst's extra Var, Constraint and fixing go into the LP next to the array-built blocks."""
    inputs, m = _six_hours()
    base = es.solve(m, inputs.attrs["solver_options"])
    gen = m.power.generation
    output = base.values(gen).reshape(len(m.power.POWER), -1)
    free = np.array([all(gen[g, t].lb == 0 for t in m.T) for g in m.power.POWER])  # no must-run floor
    busiest = int(np.argmax(np.where(free, output.sum(axis=1), -1)))
    unit = list(m.power.POWER)[busiest]
    half = output[busiest].sum() / 2
    m.extra = pyo.Var(bounds=(0, None))
    m.halved = pyo.Constraint(expr=sum(gen[unit, t] for t in m.T) + m.extra <= half)
    capped = es.solve(m, inputs.attrs["solver_options"])
    total = capped.values(gen).reshape(len(m.power.POWER), -1)[busiest].sum()
    assert capped.optimal and total + capped.values(m.extra)[0] == pytest.approx(half, rel=1e-9)
    assert capped.objective > base.objective
    assert capped.duals(m.halved)[0] < 0  # relaxing the cap would save money

    m.halved.deactivate()
    m.power.generation[unit, 0].fix(0.0)
    fixed = es.solve(m, inputs.attrs["solver_options"])
    assert fixed.values(gen).reshape(len(m.power.POWER), -1)[busiest, 0] == 0.0
    assert fixed.objective >= base.objective
    m.power.generation[unit, 0].unfix()
    m.policy.reserve.deactivate()  # a whole row block can be switched off
    assert es.solve(m, inputs.attrs["solver_options"]).size.rows == base.size.rows - len(m.policy.reserve)


def test_row_blocks_stack_exactly_as_scipy_vstack():
    import scipy.sparse as sp

    from energysim.solver.handoff import _stack_rows

    rng = np.random.default_rng(0)
    blocks = [
        sp.random_array((rows, 9), density=0.3, format="csr", rng=rng) for rows in (4, 0, 7, 1)
    ]  # includes a block without rows
    stacked = _stack_rows(blocks, 9)
    expected = sp.vstack(blocks, format="csr")
    assert stacked.shape == expected.shape
    np.testing.assert_array_equal(stacked.toarray(), expected.toarray())
    np.testing.assert_array_equal(stacked.tocsc().indptr, expected.tocsc().indptr)
    assert _stack_rows([], 9).shape == (0, 9)
