"""Sweeps: a grid of scenario variants (every combination of the given values), solved one after another.

One layout on disk, whoever solves the variants (this process, :func:`run_sweep_folder`, or Dask workers,
:func:`energysim.studies.distributed.run_distributed_sweep`): a folder holding ``sweep.json`` (the scenario,
its ``--override``/``--set`` and the grid) and one results file per finished variant, ``NNNN.nc`` (its index in
the grid, from 0), each with a ``scenario`` dimension of length 1 labelled by the variant's name and a
``sweep.<key>`` coordinate per swept key. A variant's file is written atomically as soon as it is solved, so
a stopped sweep resumes where it stopped; :func:`sweep_variants` lists a folder's variants and
:func:`read_variant` reads one as a single run. :func:`run_sweep` returns the whole grid in memory as one
Dataset along ``scenario`` (what ``energysim.open_sweep`` gives for a folder).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from energysim.errors import InfeasibleError, ScenarioError, SolverError

MANIFEST = "sweep.json"

INPUT, NOT_OPTIMAL, INTERNAL = "invalid input", "not optimal", "internal error"
"""The kinds of failure a variant can have (the CLI's exit codes 1, 3 and 4)."""


def variants(params: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the parameter values, in order (the first key varies slowest)."""
    keys = list(params)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(params[k] for k in keys))]


def variant_name(variant: Mapping[str, Any]) -> str:
    """``key=value`` pairs joined by commas (the label on the ``scenario`` dimension)."""
    return ",".join(f"{k}={v}" for k, v in variant.items())


def variant_file(folder: str | Path, index: int) -> Path:
    """The results file of variant ``index`` (from 0) in a sweep folder: ``NNNN.nc``."""
    return Path(folder) / f"{index:04d}.nc"


RUN_ATTRS = "run_attrs"
"""Variable of a sweep (along ``scenario``) holding each variant's own attributes as JSON: stacking variants
drops the attributes that differ between them (the resolved scenario, the objective, timings, …)."""


def as_variant(ds: xr.Dataset, name: str, variant: Mapping[str, Any]) -> xr.Dataset:
    """A run's results as one variant of a sweep: the objective and the run's attributes (:data:`RUN_ATTRS`) as
    variables, a ``scenario`` dimension of length 1 labelled ``name``, and a ``sweep.<key>`` coordinate for each
    swept value."""
    ds = ds.copy()
    ds["objective_cny"] = xr.DataArray(ds.attrs["objective_cny"], attrs={"units": "CNY", "long_name": "objective"})
    own = json.dumps(ds.attrs, default=lambda v: v.item() if hasattr(v, "item") else str(v))
    ds[RUN_ATTRS] = xr.DataArray(own, attrs={"long_name": "the variant's own run attributes (JSON)"})
    ds = ds.expand_dims(scenario=[name])
    for key, value in variant.items():
        ds = ds.assign_coords({f"sweep.{key}": ("scenario", [value])})
    return ds


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


def variant_inputs(
    path: str | Path,
    variant: Mapping[str, Any],
    *,
    hours: int | None = None,
    sets: Sequence[str] = (),
    overrides: Sequence[str] = (),
) -> xr.Dataset:
    """A variant's inputs: the scenario with its ``overrides`` and ``sets``, then the variant's values."""
    from energysim.inputs import build_inputs
    from energysim.scenario import load_scenario

    sweep_sets = [f"{k}={v}" for k, v in variant.items()]
    scenario = load_scenario(path, overrides=overrides, sets=sets, sweep_sets=sweep_sets)
    return build_inputs(scenario.in_view(), hours=hours)


def write_json(path: Path, record: Any) -> None:
    """Write ``record`` as JSON atomically: to a temporary file beside ``path``, named as results files' are
    (host and process id: :func:`energysim.results.io.remove_stale_temp_files` clears it if the process dies),
    then renamed; a crash leaves no half file under the name."""
    from energysim.results.io import _HOST

    tmp = path.with_name(f".{path.name}.{_HOST}.{os.getpid()}.json.tmp")
    try:
        tmp.write_text(json.dumps(record, indent=2, default=float), encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def claim_folder(out: str | Path, name: str, manifest: Mapping[str, Any], *, other: str, hint: str = "") -> None:
    """Make the study folder ``out`` with ``manifest`` in it as ``name``, or resume it if the manifest there is
    the same; a folder of ``other`` (another scenario, options or design) is refused with a :class:`ValueError`.
    Sweeps (``sweep.json``) and robustness studies (``design.json``) share this."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = json.loads(json.dumps(manifest, default=float))
    path = out / name
    if not path.exists():
        write_json(path, wanted)
        return
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path} is not readable ({exc}); give an empty folder") from None
    if previous != wanted:
        also = f" or {hint}" if hint else ""
        raise ValueError(f"{out} holds {other} ({path}); give an empty folder{also}")


def start_folder(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    out: str | Path,
    *,
    hours: int | None = None,
    sets: Sequence[str] = (),
    overrides: Sequence[str] = (),
    progress: Callable[[VariantOutcome], None] = lambda outcome: None,
) -> tuple[list[dict[str, Any]], list[int], dict[int, VariantOutcome]]:
    """Make or resume the sweep folder ``out``: (the grid, the indices still to solve, the outcomes of the
    variants whose complete file is there). ``redo`` is reported for a file that was cut short. A folder of
    another sweep (other scenario, options or grid) is refused with a :class:`ValueError`."""
    from energysim.results.io import is_complete

    grid = variants(params)
    manifest: dict[str, Any] = {"scenario": str(Path(path).resolve()), "sets": list(sets), "hours": hours}
    if overrides:  # only when given: folders of sweeps without overrides keep their manifest
        manifest["overrides"] = list(overrides)
    manifest["variants"] = grid
    claim_folder(out, MANIFEST, manifest, other="another sweep", hint="the same scenario and grid")
    done: dict[int, VariantOutcome] = {}
    todo = []
    for i, variant in enumerate(grid):
        file = variant_file(out, i)
        if is_complete(file):
            done[i] = VariantOutcome(i, variant_name(variant), "resumed")
            progress(done[i])
            continue
        if file.exists():  # e.g. cut short by a crash of the machine: replaced when solved again
            progress(VariantOutcome(i, variant_name(variant), "redo", error=f"{file.name} is incomplete"))
        todo.append(i)
    return grid, todo, done


def run_sweep_folder(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    out: str | Path,
    *,
    hours: int | None = None,
    sets: Sequence[str] = (),
    overrides: Sequence[str] = (),
    progress: Callable[[VariantOutcome], None] = lambda outcome: None,
    starting: Callable[[int, int, str], None] = lambda i, n, name: None,
) -> list[VariantOutcome]:
    """Solve, in this process, every variant not yet in the sweep folder ``out``; one outcome per variant, in
    grid order. Variants are re-solved in one persistent HiGHS instance (only what changed is sent); a variant
    that fails is reported (``failed``, with its error and kind) and does not stop the others. ``starting(i,
    n, name)`` is called before each solve (i from 1)."""
    from energysim.pipeline import run_inputs
    from energysim.results.io import write_results
    from energysim.solver.resolve import PersistentSolver

    grid, todo, outcomes = start_folder(
        path, params, out, hours=hours, sets=sets, overrides=overrides, progress=progress
    )
    solver: PersistentSolver | None = None
    for i in todo:
        name = variant_name(grid[i])
        starting(i + 1, len(grid), name)
        t0 = time.perf_counter()
        try:
            inputs = variant_inputs(path, grid[i], hours=hours, sets=sets, overrides=overrides)
            options = json.loads(inputs.attrs["solver_options"])
            if solver is None or solver.solver_options != options:
                solver = PersistentSolver(options)
            ds = run_inputs(inputs, persistent=solver)
            write_results(as_variant(ds, name, grid[i]), variant_file(out, i))
            outcomes[i] = VariantOutcome(i, name, "solved", float(ds.attrs["objective_cny"]), time.perf_counter() - t0)
        except Exception as exc:  # reported by kind; the others go on (Ctrl-C and SIGTERM stop the sweep)
            outcomes[i] = VariantOutcome(i, name, "failed", error=one_line(exc), kind=failure_kind(exc))
            solver = None  # the next variant starts afresh
        progress(outcomes[i])
    return [outcomes[i] for i in range(len(grid))]


def run_sweep(
    path: str | Path,
    params: Mapping[str, Sequence[Any]],
    *,
    hours: int | None = None,
    sets: Sequence[str] = (),
    overrides: Sequence[str] = (),
    progress: Callable[[int, int, str], None] = lambda i, n, name: None,
    persistent: bool = True,
) -> xr.Dataset:
    """Solve every variant of the scenario at ``path`` and stack the results along ``scenario`` (in memory; the
    command line writes a folder, :func:`run_sweep_folder`).

    Each variant is the scenario with ``--set key=value`` for its values, so every key must exist in the scenario
    (the override rules apply). The objective of each variant is in ``objective_cny`` (scenario), CNY.
    ``persistent`` re-solves the variants in one HiGHS instance, warm-started, sending only what changed
    (:mod:`energysim.solver.resolve`); otherwise each variant is built and solved from scratch.
    """
    from energysim.pipeline import run_inputs
    from energysim.solver.resolve import PersistentSolver

    grid = variants(params)
    runs = []
    solver: PersistentSolver | None = None
    for i, variant in enumerate(grid, start=1):
        name = variant_name(variant)
        progress(i, len(grid), name)
        inputs = variant_inputs(path, variant, hours=hours, sets=sets, overrides=overrides)
        options = json.loads(inputs.attrs["solver_options"])
        if persistent and (solver is None or solver.solver_options != options):
            solver = PersistentSolver(options)
        runs.append(as_variant(run_inputs(inputs, persistent=solver), name, variant))
    return xr.concat(runs, dim="scenario", data_vars="all", coords="minimal", compat="override",
                     combine_attrs="drop_conflicts", join="outer")  # fmt: skip


@dataclass(frozen=True)
class SweepVariant:
    """One variant of a sweep: its index in the grid (from 0), its name, and its file (None if it has no
    complete results yet: failed, not run, or cut short)."""

    index: int
    name: str
    file: Path | None


def is_sweep_folder(path: str | Path) -> bool:
    """Whether ``path`` is a sweep folder (it holds ``sweep.json``)."""
    return (Path(path) / MANIFEST).is_file()


def sweep_variants(folder: str | Path) -> list[SweepVariant]:
    """Every variant of the sweep folder's grid, in order, with its file if complete."""
    from energysim.results.io import is_complete

    manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    out = []
    for i, variant in enumerate(manifest["variants"]):
        file = variant_file(folder, i)
        out.append(SweepVariant(i, variant_name(variant), file if is_complete(file) else None))
    return out


def select_variant(ds: xr.Dataset, index: int) -> xr.Dataset:
    """Variant ``index`` of a Dataset along ``scenario`` as a single run: the ``scenario`` dimension and the
    ``sweep.*`` coordinates dropped, the variant's name in ``attrs["variant"]``. The variant's own attributes
    are restored (:data:`RUN_ATTRS`; in sweeps written before it, the objective at least), and technologies
    the variant does not have (padded when stacked) are dropped."""
    name = str(ds.scenario.values[index])
    one = ds.isel(scenario=index)
    one = one.drop_vars([c for c in one.coords if c == "scenario" or str(c).startswith("sweep.")])
    if RUN_ATTRS in one.data_vars:
        one.attrs = json.loads(str(one[RUN_ATTRS].values))
        one = one.drop_vars(RUN_ATTRS)
    if "objective_cny" in one.data_vars:
        one.attrs["objective_cny"] = float(one.objective_cny)
        one = one.drop_vars("objective_cny")
    if ds.sizes["scenario"] > 1 and "tech_kind" in one:  # padded by the outer join of other variants' techs
        one = one.sel(tech=one.tech_kind.notnull().values)
    one.attrs["variant"] = name
    return one
