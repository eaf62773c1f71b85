"""Sweeps on a Dask cluster: one task per variant, one netCDF file per variant, resumable, failures reported.

``run_distributed_sweep`` sends each variant to a worker (a local cluster of processes by default, or an
existing scheduler given by address); each worker keeps a persistent HiGHS instance, so its later variants are
warm-started. A variant's file is written atomically when it finishes (``NNNN.nc`` in the output folder), so
a killed sweep resumes where it stopped: variants whose file is complete (it opens and was written to the end,
:func:`energysim.results.io.is_complete`) are not solved again; a cut-short file is solved again. A variant
that fails is reported with its error, on one line and by kind (invalid input, not optimal, internal), and does
not stop the others; the task itself returns the failure, so workers log no traceback. :func:`open_sweep` opens
the folder lazily as one Dataset along ``scenario``.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from energysim.errors import InfeasibleError, ScenarioError, SolverError
from energysim.results.io import is_complete
from energysim.studies.sweep import variant_name, variants

MANIFEST = "sweep.json"

INPUT, NOT_OPTIMAL, INTERNAL = "invalid input", "not optimal", "internal error"
"""The kinds of failure a variant can have (the CLI's exit codes 1, 3 and 4)."""

_SOLVERS: dict[str, Any] = {}
"""Per worker process: the persistent solver of each solver-option set (warm starts across its variants)."""


@dataclass
class VariantOutcome:
    """What became of one variant: ``solved``, ``resumed`` (its complete file already existed) or ``failed``
    (``kind`` says how: :data:`INPUT`, :data:`NOT_OPTIMAL` or :data:`INTERNAL`; ``error`` is one line).
    ``redo`` is reported, before the variant is solved again, for a file that was cut short."""

    index: int
    name: str
    state: str
    objective_cny: float = float("nan")
    seconds: float = float("nan")
    error: str = ""
    kind: str = ""


def one_line(exc: BaseException) -> str:
    """An error as one line: an input error's problems joined by ``;``, any other message's lines by spaces."""
    if isinstance(exc, ScenarioError):
        return "; ".join(str(p) for p in exc.problems)
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return text if isinstance(exc, InfeasibleError | SolverError) else f"{type(exc).__name__}: {text}"


def failure_kind(exc: BaseException) -> str:
    """:data:`INPUT`, :data:`NOT_OPTIMAL` or :data:`INTERNAL`."""
    if isinstance(exc, ScenarioError):
        return INPUT
    return NOT_OPTIMAL if isinstance(exc, InfeasibleError | SolverError) else INTERNAL


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise RuntimeError("sweeps on workers and open_sweep need Dask: pip install 'energysim[dask]'") from exc
    return distributed


def solve_variant(
    path: str, sets: Sequence[str], variant: Mapping[str, Any], index: int, hours: int | None, out: str
) -> dict[str, Any]:
    """Solve one variant on a worker and write its results file; returns its objective and seconds, or, if it
    failed, its error (one line) and kind. Returning the failure, not raising it, keeps Dask from logging a
    traceback block on the worker for what is reported here anyway."""
    try:
        return _solve_variant(path, sets, variant, index, hours, out)
    except Exception as exc:
        return {"error": one_line(exc), "kind": failure_kind(exc)}


def _solve_variant(
    path: str, sets: Sequence[str], variant: Mapping[str, Any], index: int, hours: int | None, out: str
) -> dict[str, Any]:
    import time

    from energysim.inputs import build_inputs
    from energysim.pipeline import run_inputs
    from energysim.results import write_results
    from energysim.scenario import load_scenario
    from energysim.solver.resolve import PersistentSolver

    t0 = time.perf_counter()
    name = variant_name(variant)
    scenario = load_scenario(path, sets=sets, sweep_sets=[f"{k}={v}" for k, v in variant.items()])
    inputs = build_inputs(scenario.in_view(), hours=hours)
    options = inputs.attrs["solver_options"]
    solver = _SOLVERS.setdefault(options, PersistentSolver(json.loads(options)))
    ds = run_inputs(inputs, persistent=solver)
    ds["objective_cny"] = xr.DataArray(ds.attrs["objective_cny"], attrs={"units": "CNY", "long_name": "objective"})
    ds = ds.expand_dims(scenario=[name])
    for key, value in variant.items():
        ds = ds.assign_coords({f"sweep.{key}": ("scenario", [value])})
    write_results(ds, Path(out) / f"{index:04d}.nc")
    return {"objective_cny": float(ds.attrs["objective_cny"]), "seconds": time.perf_counter() - t0}


def run_distributed_sweep(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    out: str | Path,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    hours: int | None = None,
    sets: Sequence[str] = (),
    progress: Callable[[VariantOutcome], None] = lambda outcome: None,
) -> list[VariantOutcome]:
    """Solve every variant not yet in ``out`` on Dask workers; returns one outcome per variant, in grid order.

    ``scheduler`` (``tcp://HOST:PORT``) uses an existing cluster; otherwise a local cluster of ``workers``
    processes (one thread each) is started and closed. The folder holds ``sweep.json`` (the grid) and a file per
    finished variant; running again with another grid in the same folder is refused.
    """
    distributed = _require_dask()
    logging.getLogger("distributed").setLevel(logging.ERROR)  # shutdown chatter ("Lost all workers") is no news
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    grid = variants(params)
    manifest = {"scenario": str(Path(path).resolve()), "sets": list(sets), "hours": hours, "variants": grid}
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        previous = json.loads(manifest_path.read_text(encoding="utf-8"))
        if previous != json.loads(json.dumps(manifest)):
            raise ValueError(
                f"{out} holds another sweep ({manifest_path}); give an empty folder or the same scenario and grid"
            )
    else:
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    outcomes: dict[int, VariantOutcome] = {}
    todo = []
    for i, variant in enumerate(grid):
        file = out / f"{i:04d}.nc"
        if is_complete(file):
            outcomes[i] = VariantOutcome(i, variant_name(variant), "resumed")
            progress(outcomes[i])
            continue
        if file.exists():  # e.g. cut short by a crash of the machine: replaced when solved again
            progress(VariantOutcome(i, variant_name(variant), "redo", error=f"{file.name} is incomplete"))
        todo.append(i)
    if not todo:
        return [outcomes[i] for i in range(len(grid))]

    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
    client = distributed.Client(cluster or scheduler)
    try:
        if cluster is not None:  # a user's own cluster keeps its logging
            client.run(_quiet_worker_logs)
        futures = {
            client.submit(solve_variant, str(path), list(sets), grid[i], i, hours, str(out), pure=False): i
            for i in todo
        }
        for future in distributed.as_completed(futures):
            i = futures[future]
            name = variant_name(grid[i])
            if future.status == "error":  # the task itself did not run to the end (e.g. its worker died)
                exc = future.exception()
                outcomes[i] = VariantOutcome(i, name, "failed", error=one_line(exc), kind=failure_kind(exc))
            elif "error" in (result := future.result()):
                outcomes[i] = VariantOutcome(i, name, "failed", error=result["error"], kind=result["kind"])
            else:
                outcomes[i] = VariantOutcome(i, name, "solved", result["objective_cny"], result["seconds"])
            progress(outcomes[i])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return [outcomes[i] for i in range(len(grid))]


def _quiet_worker_logs() -> None:
    """Run on each worker of our own local cluster: its logs at CRITICAL only.

    A task's failure reaches the caller as one line through its result; what a worker would log besides is
    shutdown chatter (a heartbeat racing the scheduler's close logs a traceback at ERROR).
    """
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def open_sweep(folder: str | Path) -> xr.Dataset:
    """Every finished variant of a sweep folder as one Dataset along ``scenario``, opened lazily (Dask arrays).

    A variant file that is not complete (cut short) is left out with a warning: running the sweep again redoes it.
    """
    files = sorted(Path(folder).glob("[0-9][0-9][0-9][0-9].nc"))
    broken = [f for f in files if not is_complete(f)]
    if broken:
        names = ", ".join(f.name for f in broken)
        message = f"{folder}: left out incomplete variant file(s) {names}; run the sweep again to redo them"
        warnings.warn(message, stacklevel=2)
        files = [f for f in files if f not in broken]
    if not files:
        raise FileNotFoundError(f"{folder}: no variant results (NNNN.nc) yet")
    _require_dask()  # lazy arrays are Dask arrays
    from energysim.results.io import NETCDF_ENGINE

    return xr.open_mfdataset(
        files,
        engine=NETCDF_ENGINE,
        combine="nested",
        concat_dim="scenario",
        data_vars="all",
        coords="minimal",
        compat="override",
        join="outer",
        combine_attrs="drop_conflicts",
        parallel=False,
    )
