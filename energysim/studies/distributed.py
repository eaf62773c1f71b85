"""Studies on a Dask cluster whose workers share nothing with the client but the installed package.

The client resolves everything that reads files — the scenario and its overrides, the profiles, the data
tables — and ships numbers: a sweep's base inputs once to every worker (``scatter(broadcast=True)``) and each
variant as its changes to them (:func:`inputs_changes`); an adequacy study its system of arrays; a robustness
study its base inputs and each sample's changes. Workers solve (each keeps a persistent HiGHS instance per
solver-option set, so its later variants are warm-started) and *return* results; the client writes them. So a
scheduler and workers started anywhere (``dask scheduler``, ``dask worker`` in another folder, on other
machines) work, and resuming needs nothing from the workers.

``run_distributed_sweep`` runs a sweep this way (a local cluster of processes by default, or an existing
scheduler given by address), into the same folder layout as a sweep solved in one process
(:mod:`energysim.studies.sweep`). A variant's file is written atomically by the client when its results come
back (``NNNN.nc`` in the output folder), so a killed sweep resumes where it stopped: variants whose file is complete
(it opens and was written to the end, :func:`energysim.results.io.is_complete`) are not solved again; a
cut-short file is solved again. A variant that fails is reported with its error, on one line and by kind
(invalid input, not optimal, internal), and does not stop the others; the task itself returns the failure, so
workers log no traceback. :func:`open_sweep` opens the folder lazily as one Dataset along ``scenario``;
:func:`map_on_cluster` runs any function over many jobs with shared data.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import xarray as xr

from energysim.results.io import is_complete, write_results
from energysim.studies.sweep import (
    INPUT,
    INTERNAL,
    MANIFEST,
    NOT_OPTIMAL,
    VariantOutcome,
    as_variant,
    failure_kind,
    one_line,
    start_folder,
    variant_file,
    variant_inputs,
    variant_name,
)

__all__ = [
    "INPUT",
    "INTERNAL",
    "MANIFEST",
    "NOT_OPTIMAL",
    "VariantOutcome",
    "cluster_client",
    "failure_kind",
    "inputs_changes",
    "map_on_cluster",
    "one_line",
    "open_sweep",
    "run_distributed_sweep",
    "with_changes",
]

_SOLVERS: dict[str, Any] = {}
"""Per worker process: the persistent solver of each solver-option set (warm starts across its variants)."""


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        raise RuntimeError("sweeps on workers and open_sweep need Dask: pip install 'energysim[dask]'") from exc
    return distributed


@contextlib.contextmanager
def cluster_client(*, workers: int = 2, scheduler: str | None = None) -> Iterator[Any]:
    """A Dask client: on the cluster at ``scheduler`` (``tcp://HOST:PORT``), or on a local cluster of ``workers``
    processes (one thread each) started here and closed after."""
    distributed = _require_dask()
    import dask

    logging.getLogger("distributed").setLevel(logging.ERROR)  # shutdown chatter ("Lost all workers") is no news
    cluster = None
    if scheduler is None:
        with dask.config.set({"distributed.nanny.pre-spawn-environ": _worker_environ()}):
            cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
    client = distributed.Client(cluster or scheduler)
    try:
        if cluster is not None:  # a user's own cluster keeps its logging
            client.run(_quiet_worker_logs)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _worker_environ() -> dict[str, Any]:
    """The environment Dask's nanny gives the workers it starts, less ``MALLOC_TRIM_THRESHOLD_``.

    Dask sets it to 64 KiB so that workers hand freed memory back to the system at once; a variant allocates and
    frees hundreds of MB of arrays (the LP, the adequacy samples, the year's results), so each was faulted in
    afresh: 13 typical-day variants of the plan in one process took 94.5 s (25.2 s of it in the kernel, 4.5 M page
    faults) with it against 70.3 s (9.5 s, 0.87 M) without (benchmarks/README.md)."""
    import dask

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


def _quiet_worker_logs() -> None:
    """Run on each worker of our own local cluster: its logs at CRITICAL only.

    A task's failure reaches the caller as one line through its result; what a worker would log besides is
    shutdown chatter (a heartbeat racing the scheduler's close logs a traceback at ERROR).
    """
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def map_on_cluster(
    func: Callable[..., Any],
    jobs: Iterable[tuple[Any, ...]],
    *,
    shared: Any = None,
    client: Any = None,
    workers: int = 2,
    scheduler: str | None = None,
    done: Callable[[int, Any], None] = lambda i, result: None,
) -> list[Any]:
    """``[func(shared, *job) for job in jobs]`` on Dask workers, ``shared`` sent once to each worker; ``done(i,
    result)`` is called as each finishes (in any order); results are returned in job order. ``jobs`` may be a
    generator: jobs are made and submitted as workers free up (at most two waiting per worker), so workers start
    while the client prepares the rest and the client never holds every job at once."""
    distributed = _require_dask()
    if client is None:
        with cluster_client(workers=workers, scheduler=scheduler) as own:
            return map_on_cluster(func, jobs, shared=shared, client=own, done=done)
    data = None  # scattered as one object under a key of its own (a dict would be scattered value by value under
    # its own keys, and content-hash keys let a map of the same data right after another lose it to its release)
    if shared is not None:
        [data] = client.scatter([shared], broadcast=True, hash=False)
    in_flight = 3 * max(1, len(client.scheduler_info().get("workers", {})))
    pending = iter(enumerate(jobs))
    futures: dict[Any, int] = {}

    def submit_next() -> Any:
        item = next(pending, None)
        if item is None:
            return None
        with warnings.catch_warnings():  # each job is its own numbers, meant to travel: no advice to print
            warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
            future = client.submit(func, data, *item[1], pure=False)
        futures[future] = item[0]
        return future

    queue = distributed.as_completed([f for f in (submit_next() for _ in range(in_flight)) if f is not None])
    results: dict[int, Any] = {}
    for future in queue:
        i = futures.pop(future)
        results[i] = future.result()
        future.release()
        done(i, results[i])
        following = submit_next()
        if following is not None:
            queue.add(following)
    return [results[i] for i in range(len(results))]


def inputs_changes(base: xr.Dataset, inputs: xr.Dataset) -> dict[str, Any]:
    """What ``inputs`` changes in ``base``: the variables that differ, those it drops, and its attrs; or the
    whole Dataset when its coordinates differ (another shape). :func:`with_changes` applies them."""
    same_coords = set(base.coords) == set(inputs.coords) and all(
        base.coords[c].identical(inputs.coords[c]) for c in inputs.coords
    )
    if not same_coords:
        return {"whole": inputs}
    changed = {
        name: inputs.variables[name]
        for name in inputs.data_vars
        if name not in base.data_vars or not base.variables[name].identical(inputs.variables[name])
    }
    dropped = [name for name in base.data_vars if name not in inputs.data_vars]
    return {"variables": changed, "dropped": dropped, "attrs": dict(inputs.attrs)}


def with_changes(base: xr.Dataset, changes: Mapping[str, Any]) -> xr.Dataset:
    """``base`` with :func:`inputs_changes` applied."""
    if "whole" in changes:
        return changes["whole"]
    out = base.drop_vars(changes["dropped"]).copy()
    for name, variable in changes["variables"].items():
        out[name] = variable
    out.attrs = dict(changes["attrs"])
    return out


def persistent_solver(inputs: xr.Dataset, role: str = "") -> Any:
    """This process's persistent HiGHS instance for the inputs' solver options (warm starts across variants);
    ``role`` keeps another instance beside it (e.g. ``"year"`` for full-year LPs between typical-day ones)."""
    from energysim.solver.resolve import PersistentSolver

    key = inputs.attrs["solver_options"] + role
    if key not in _SOLVERS:
        _SOLVERS[key] = PersistentSolver(json.loads(inputs.attrs["solver_options"]))
    return _SOLVERS[key]


def release_solver(inputs: xr.Dataset, role: str) -> None:
    """Drop this process's persistent instance of ``role`` (its LP and basis: ≈1.5 GB for a full year)."""
    _SOLVERS.pop(inputs.attrs["solver_options"] + role, None)


def solve_shipped(
    base: xr.Dataset, changes: Mapping[str, Any], name: str, variant: Mapping[str, Any]
) -> dict[str, Any]:
    """Worker task: solve one sweep variant shipped as changes to ``base``; returns its results Dataset (along
    ``scenario``), objective and seconds, or, if it failed, its error (one line) and kind. Returning the
    failure, not raising it, keeps Dask from logging a traceback block on the worker for what is reported here
    anyway."""
    try:
        from energysim.pipeline import run_inputs

        t0 = time.perf_counter()
        inputs = with_changes(base, changes)
        ds = as_variant(run_inputs(inputs, persistent=persistent_solver(inputs)), name, variant)
        return {"results": ds, "objective_cny": float(ds.attrs["objective_cny"]), "seconds": time.perf_counter() - t0}
    except Exception as exc:
        return {"error": one_line(exc), "kind": failure_kind(exc)}


def run_distributed_sweep(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    out: str | Path,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    hours: int | None = None,
    sets: Sequence[str] = (),
    overrides: Sequence[str] = (),
    progress: Callable[[VariantOutcome], None] = lambda outcome: None,
) -> list[VariantOutcome]:
    """Solve every variant not yet in ``out`` on Dask workers; returns one outcome per variant, in grid order.

    ``scheduler`` (``tcp://HOST:PORT``) uses an existing cluster; otherwise a local cluster of ``workers``
    processes (one thread each) is started and closed. The client builds each variant's inputs and ships them
    as changes to the scenario's own; the workers return results, which the client writes. The folder has the
    layout of a sweep solved in this process (:mod:`energysim.studies.sweep`: ``sweep.json`` and a file per
    finished variant), so either can resume the other; running again with another grid in the same folder is
    refused.
    """
    distributed = _require_dask()
    out = Path(out)
    grid, todo, outcomes = start_folder(
        path, params, out, hours=hours, sets=sets, overrides=overrides, progress=progress
    )
    if not todo:
        return [outcomes[i] for i in range(len(grid))]

    with cluster_client(workers=workers, scheduler=scheduler) as client:
        base_inputs = _base_inputs(path, grid[todo[0]], hours=hours, sets=sets, overrides=overrides)
        base = client.scatter(base_inputs, broadcast=True, hash=False)
        futures = {}
        for i in todo:
            name = variant_name(grid[i])
            try:
                inputs = variant_inputs(path, grid[i], hours=hours, sets=sets, overrides=overrides)
            except Exception as exc:  # invalid input: reported without a worker
                outcomes[i] = VariantOutcome(i, name, "failed", error=one_line(exc), kind=failure_kind(exc))
                progress(outcomes[i])
                continue
            changes = inputs_changes(base_inputs, inputs)
            futures[client.submit(solve_shipped, base, changes, name, grid[i], pure=False)] = i
        for future in distributed.as_completed(futures):
            i = futures[future]
            name = variant_name(grid[i])
            if future.status == "error":  # the task itself did not run to the end (e.g. its worker died)
                exc = future.exception()
                outcomes[i] = VariantOutcome(i, name, "failed", error=one_line(exc), kind=failure_kind(exc))
            elif "error" in (result := future.result()):
                outcomes[i] = VariantOutcome(i, name, "failed", error=result["error"], kind=result["kind"])
            else:
                write_results(result["results"], variant_file(out, i))
                outcomes[i] = VariantOutcome(i, name, "solved", result["objective_cny"], result["seconds"])
            future.release()
            progress(outcomes[i])
    return [outcomes[i] for i in range(len(grid))]


def _base_inputs(path: str | Path, first: Mapping[str, Any], **options: Any) -> xr.Dataset:
    """The inputs the variants are shipped as changes to: the scenario's own, or the first variant's if the
    scenario alone does not build."""
    try:
        return variant_inputs(path, {}, **options)
    except Exception:
        return variant_inputs(path, first, **options)


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
