"""energysim: energy supply and decarbonisation scenarios — Pyomo capacity-and-dispatch, HiGHS, xarray.

Flow: :func:`load_scenario` → :func:`build_inputs` → :func:`build_model` → :func:`solve` →
:func:`to_results` → :func:`write_results`; :func:`run` does it all (the writing only with ``out=``, and then
the inputs are written while HiGHS solves).
"""

from importlib.metadata import PackageNotFoundError, version

from energysim.errors import InfeasibleError, ScenarioError, SolverError
from energysim.inputs import build_inputs
from energysim.model import build_model
from energysim.pipeline import run, run_inputs
from energysim.results import inputs_from_results, read_results, to_results, write_results
from energysim.scenario import Scenario, load_scenario
from energysim.solver import SolveResult, Status, solve
from energysim.studies.distributed import open_sweep

try:
    __version__ = version("energysim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

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
