"""What energysim takes from Pyomo and highspy beyond their documented API: each test fails naming the installed
version and the energysim module that relies on it, so a new release that breaks the model says so at once.

CI runs these (``-m compat``) with the lowest supported and the newest Pyomo and HiGHS (see ``.ci/run``).
"""

from __future__ import annotations

import importlib

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.version import version as PYOMO

from energysim.solver.highs import new_highs

pytestmark = pytest.mark.compat

HIGHS = new_highs({}).version()


def _need(owner: object, name: str, user: str) -> object:
    """``getattr(owner, name)``, or a failure that names the Pyomo version and what needs it."""
    if not hasattr(owner, name):
        pytest.fail(
            f"Pyomo {PYOMO}: {getattr(owner, '__name__', owner)} has no {name!r}, which {user} relies on; "
            f"keep pyomo below {PYOMO} in pyproject.toml until it is ported"
        )
    return getattr(owner, name)


def test_pyomo_matrix_constraint_is_there():
    """``energysim/model/lp.py`` stores every row block in Pyomo's (beta) sparse-matrix constraint."""
    try:
        matrix = importlib.import_module("pyomo.repn.beta.matrix")
    except ImportError as exc:
        pytest.fail(f"Pyomo {PYOMO} has no pyomo.repn.beta.matrix ({exc}), which energysim/model/lp.py builds on")
    constraint = _need(matrix, "MatrixConstraint", "energysim.model.lp.RowBlock")
    row = _need(matrix, "_LinearMatrixConstraintData", "energysim.model.lp._RowData")
    for flag in ("LowerBound", "UpperBound", "Equality"):
        _need(constraint, flag, "LPBuilder.rows (the row kinds)")
    for method in ("to_bounded_expression", "equality", "body"):
        _need(row, method, "_RowData.expr and the hand-off of hand-written rows")


def _tiny_model() -> tuple[pyo.ConcreteModel, object]:
    """Two columns x[a], x[b] with bounds, one row block 1 ≤ x[a] + 2 x[b] ≤ 4, cost x[a] + x[b]."""
    from energysim.model.lp import Rows, new_builder

    m = pyo.ConcreteModel()
    m.S = pyo.Set(initialize=["a", "b"])
    lp = new_builder(m)
    cols = lp.var(m, "x", [m.S], lower=np.array([0.0, 0.5]), upper=np.array([3.0, np.inf]))
    lp.rows(m, "r", Rows(1).add(cols[0]).add(cols[1], 2.0), lower=1.0, upper=4.0)
    lp.cost(cols, 1.0)
    lp.add_objective(m, "obj")
    return m, lp


def test_private_pyomo_attributes_energysim_writes_and_reads():
    """``LPBuilder.var`` sets bounds through the VarData slots ``_lb``/``_ub`` and reads a dense Var's entries
    from ``_data``; ``RowBlock`` fills ``_data`` itself and shares ``_varmap``; the hand-off reads ``_lb``/``_ub``."""
    var_data = _need(pyo.Var, "_ComponentDataClass", "energysim.model.lp (the Var entries' class)")
    for slot in ("_lb", "_ub"):
        _need(var_data, slot, "LPBuilder.var and energysim.solver.handoff._bounds")
    m, _ = _tiny_model()
    _need(m.x, "_data", "LPBuilder.var (a dense Var's entries, in index order)")
    for name in ("_data", "_range_types", "_varmap", "_constructed"):
        _need(m.r, name, "energysim.model.lp.RowBlock")
    # The slots must still be the bounds Pyomo reports, not just exist.
    assert [(v.lb, v.ub) for v in m.x.values()] == [(0.0, 3.0), (0.5, None)], f"Pyomo {PYOMO}: _lb/_ub moved"
    row = m.r[0]
    m.x["a"].value, m.x["b"].value = 1.0, 3.0
    assert (row.lower, pyo.value(row.body), row.upper) == (1.0, 7.0, 4.0), f"Pyomo {PYOMO}: MatrixConstraint rows"


def test_the_tiny_model_solves_through_pyomo_and_through_highs():
    """The same LP through energysim's hand-off and through Pyomo's own HiGHS interface: min x_a + x_b with
    x_b ≥ 0.5 and x_a + 2 x_b ≥ 1 gives x = (0, 0.5), cost 0.5 (by hand)."""
    from energysim.solver import solve

    m, _ = _tiny_model()
    ours = solve(m, {"method": "simplex"})
    assert ours.optimal, f"HiGHS {HIGHS}: {ours.status}"
    assert ours.objective == pytest.approx(0.5, abs=1e-9)
    np.testing.assert_allclose(ours.values(m.x), [0.0, 0.5], atol=1e-9)
    pyo.SolverFactory("appsi_highs").solve(m)
    assert pyo.value(m.obj) == pytest.approx(0.5, abs=1e-9), f"Pyomo {PYOMO} with HiGHS {HIGHS}"


def test_the_highspy_calls_energysim_makes_are_there():
    """highspy methods beyond ``run``: the array ``passModel`` (hand-off), the change calls (sweeps), the basis
    (warm starts) and the user callbacks (Ctrl-C)."""
    h = new_highs({})
    users = {
        "passModel": "energysim.solver.highs.pass_lp",
        "changeColsCost": "energysim.solver.resolve",
        "changeColsBounds": "energysim.solver.resolve and warmstart",
        "changeRowsBounds": "energysim.solver.resolve (highspy >= 1.13)",
        "changeCoeff": "energysim.solver.resolve",
        "getBasis": "energysim.solver.highs.keep_only_the_basis",
        "setBasis": "energysim.solver.highs.keep_only_the_basis",
        "clearSolver": "energysim.solver.highs.keep_only_the_basis",
        "setCallback": "energysim.solver.highs.run_interruptibly",
        "startCallback": "energysim.solver.highs.run_interruptibly",
        "stopCallback": "energysim.solver.highs.run_interruptibly",
    }
    missing = [f"{name} ({user})" for name, user in users.items() if not hasattr(h, name)]
    assert not missing, f"highspy {HIGHS} lacks " + ", ".join(missing)
    kinds = highspy.cb.HighsCallbackType
    assert hasattr(kinds, "kCallbackSimplexInterrupt") and hasattr(kinds, "kCallbackIpmInterrupt"), HIGHS


def test_a_quiet_highs_prints_nothing(capfd):
    """highspy 1.16 printed HiGHS's banner on creating an instance, so every `energysim run` began with it."""
    new_highs({"method": "simplex"})
    assert capfd.readouterr() == ("", ""), f"HiGHS {HIGHS}"
