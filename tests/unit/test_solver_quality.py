"""Every answer carries its quality, and an answer that fails the acceptance rule never passes silently."""

from __future__ import annotations

import re

import pytest

import energysim as es
from energysim.solver import (
    ACCEPT_DUAL_INFEASIBILITY,
    ACCEPT_PRIMAL_INFEASIBILITY,
    Status,
    highs_options,
    new_highs,
)
from tests.conftest import DEFAULT_SCENARIO, OBJ_RTOL


def _day(**solver: object) -> es.Scenario:
    """The default scenario with these ``solver`` settings."""
    scenario = es.load_scenario(DEFAULT_SCENARIO)
    return scenario.model_copy(update={"solver": scenario.solver.model_copy(update=solver)})


def test_default_answer_is_a_simplex_vertex_within_the_limits():
    ds = es.run(_day(), hours=24)
    assert ds.attrs["solver_method"] == "simplex"
    assert ds.attrs["solver_vertex_solution"] == 1
    assert ds.attrs["solver_max_primal_infeasibility"] <= ACCEPT_PRIMAL_INFEASIBILITY
    assert ds.attrs["solver_max_dual_infeasibility"] <= ACCEPT_DUAL_INFEASIBILITY


def test_interior_point_without_crossover_is_no_vertex_but_the_same_optimum():
    simplex = es.run(_day(), hours=24)
    ipm = es.run(_day(method="ipm", crossover=False), hours=24)
    assert ipm.attrs["solver_method"] == "ipm" and ipm.attrs["solver_vertex_solution"] == 0
    assert ipm.attrs["objective_cny"] == pytest.approx(simplex.attrs["objective_cny"], rel=OBJ_RTOL)


def test_pdlp_answer_outside_the_acceptance_rule_is_refused_with_its_residuals():
    """PDLP stops at relative tolerances: on this day it violates rows by ~5e-3 MW, above the 1e-5 limit. The
    refusal is raised for :attr:`Status.NOT_ACCEPTED` alone and names the residuals (one PDLP solve, not two)."""
    inputs = es.build_inputs(_day(method="pdlp"), hours=24)
    with pytest.raises(es.SolverError, match="accept_primal_infeasibility") as refused:
        es.run_inputs(inputs)
    rows = re.search(r"reported optimal, but its answer violates rows by up to (\S+) \(limit", str(refused.value))
    assert rows and float(rows[1]) > ACCEPT_PRIMAL_INFEASIBILITY, refused.value
    loose = _day(method="pdlp", accept_primal_infeasibility=1.0, accept_dual_infeasibility=1.0)
    ds = es.run(loose, hours=24)
    assert ds.attrs["solver_method"] == "pdlp" and ds.attrs["termination_status"] == "optimal"


def test_a_stopped_solve_raises_instead_of_returning_values():
    stopped = _day(highs_options={"simplex_iteration_limit": 1})
    with pytest.raises(es.SolverError, match="iteration limit"):
        es.run(stopped, hours=24)
    ds = es.run(stopped, hours=24, allow_non_optimal=True)
    assert ds.attrs["termination_status"] == str(Status.ITERATION_LIMIT)


def test_simplex_pricing_reaches_highs_and_every_pricing_finds_the_same_optimum():
    """``auto``: HiGHS's own choice; an explicit ``highs_options`` entry still wins."""
    key = "simplex_dual_edge_weight_strategy"
    assert highs_options({"method": "simplex"})[key] == -1
    assert highs_options({"method": "simplex", "simplex_pricing": "devex"})[key] == 1
    assert highs_options({"method": "simplex", "simplex_pricing": "steepest_edge"})[key] == 2
    override = {"method": "simplex", "simplex_pricing": "devex", "highs_options": {key: 0}}
    assert highs_options(override)[key] == 0
    assert key not in highs_options({"method": "ipm"}) and key not in highs_options({"method": "pdlp"})
    assert new_highs({"method": "simplex", "simplex_pricing": "devex"}).getOptionValue(key)[1] == 1  # in HiGHS itself
    assert new_highs({"method": "simplex"}).getOptionValue(key)[1] == -1
    devex = es.run(_day(simplex_pricing="devex"), hours=24)
    steepest = es.run(_day(simplex_pricing="steepest_edge"), hours=24)
    chosen = es.run(_day(), hours=24)
    assert devex.attrs["objective_cny"] == pytest.approx(steepest.attrs["objective_cny"], rel=1e-9)
    assert chosen.attrs["objective_cny"] == pytest.approx(steepest.attrs["objective_cny"], rel=1e-9)
