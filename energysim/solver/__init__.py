"""Room 4: from a Pyomo model to an answer — hand-off to HiGHS (:mod:`.handoff`), one solve (:mod:`.highs`),
re-solves of variants in one instance (:mod:`.resolve`), the warm start from typical days (:mod:`.warmstart`),
typical-day answers read onto the year (:mod:`.expand`) and infeasibility in planner terms (:mod:`.diagnose`)."""

from energysim.solver.highs import (
    ACCEPT_DUAL_INFEASIBILITY,
    ACCEPT_PRIMAL_INFEASIBILITY,
    COST_SCALE,
    INF,
    SIMPLEX_PRICING,
    LPSize,
    Quality,
    SolveResult,
    Status,
    highs_options,
    keep_only_the_basis,
    new_highs,
    pass_lp,
    run_highs,
    solve,
)

__all__ = [
    "ACCEPT_DUAL_INFEASIBILITY",
    "ACCEPT_PRIMAL_INFEASIBILITY",
    "COST_SCALE",
    "INF",
    "SIMPLEX_PRICING",
    "LPSize",
    "Quality",
    "SolveResult",
    "Status",
    "highs_options",
    "keep_only_the_basis",
    "new_highs",
    "pass_lp",
    "run_highs",
    "solve",
]
