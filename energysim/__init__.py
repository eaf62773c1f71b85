"""energysim: energy supply and decarbonisation scenarios — Pyomo capacity-and-dispatch, HiGHS, xarray.

Flow: :func:`load_scenario` → :func:`build_inputs` → :func:`build_model` → :func:`solve` →
:func:`to_results` → :func:`write_results`; :func:`run` does it all (the writing only with ``out=``, and then
the inputs are written while HiGHS solves).

The names below are imported on first use (PEP 562), so that ``import energysim`` — and with it
``energysim --help`` — does not load numpy, xarray, Pyomo and HiGHS (2-6 s on a busy machine).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from energysim.errors import InfeasibleError, ScenarioError, SolverError
    from energysim.inputs import build_inputs
    from energysim.model import build_model
    from energysim.pipeline import run, run_inputs
    from energysim.results import inputs_from_results, read_results, to_results, write_results
    from energysim.scenario import Scenario, load_scenario
    from energysim.solver import SolveResult, Status, solve
    from energysim.studies.distributed import open_sweep

_WHERE = {
    "InfeasibleError": "energysim.errors",
    "ScenarioError": "energysim.errors",
    "SolverError": "energysim.errors",
    "build_inputs": "energysim.inputs",
    "build_model": "energysim.model",
    "run": "energysim.pipeline",
    "run_inputs": "energysim.pipeline",
    "inputs_from_results": "energysim.results",
    "read_results": "energysim.results",
    "to_results": "energysim.results",
    "write_results": "energysim.results",
    "Scenario": "energysim.scenario",
    "load_scenario": "energysim.scenario",
    "SolveResult": "energysim.solver",
    "Status": "energysim.solver",
    "solve": "energysim.solver",
    "open_sweep": "energysim.studies.distributed",
}
"""Public name → the module that defines it."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("energysim")
        except PackageNotFoundError:  # running from a source tree that is not installed
            value = "0+unknown"
    elif name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'energysim' has no attribute {name!r}")
    globals()[name] = value  # once only
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


__all__ = [
    "InfeasibleError",
    "Scenario",
    "ScenarioError",
    "SolveResult",
    "SolverError",
    "Status",
    "__version__",
    "build_inputs",
    "build_model",
    "inputs_from_results",
    "load_scenario",
    "open_sweep",
    "read_results",
    "run",
    "run_inputs",
    "solve",
    "to_results",
    "write_results",
]
