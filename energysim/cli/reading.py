"""Reading results for a command: a run's file, or one variant (or every variant) of a sweep, each checked and
said in one line (file, variant, scenario, view, horizon, accounting, created) above the command's output.

A sweep is a folder written by ``energysim sweep`` (``sweep.json`` and ``NNNN.nc`` per variant) or a single
file with a ``scenario`` dimension (``es.write_results(run_sweep(...))``); ``--variant NAME|INDEX`` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from energysim.errors import Problem, ScenarioError, UsageError

if TYPE_CHECKING:
    import xarray as xr

RESULTS_CORE = ("generation", "consumption", "capacity", "new_capacity", "demand", "unserved", "cost", "tech_kind")
"""Variables every energysim results file has (the results contract's core)."""

EXPECTED = "an energysim results file (.nc, written by `energysim run`) or sweep (written by `energysim sweep`)"
_LISTED = 20
"""Variants named in the message of a sweep read without ``--variant``; the rest are counted."""


@dataclass(frozen=True)
class Run:
    """One run a command reads: the path given, the file read, its results, and for a sweep the variant's name
    and index (from 0) among ``of`` variants."""

    given: Path
    file: Path
    ds: xr.Dataset
    variant: str | None = None
    index: int | None = None
    of: int | None = None

    @property
    def label(self) -> str:
        """How tables name this run: the file's stem, and the variant of a sweep."""
        stem = self.given.stem if self.given.suffix == ".nc" else self.given.name
        return stem if self.variant is None else f"{stem}[{self.variant}]"


def _refuse(path: Path, option: str, found: str, hint: str = "") -> ScenarioError:
    return ScenarioError([Problem(option, str(path), EXPECTED, found, hint)], subject="the command line")


def read_file(path: Path, option: str = "results") -> xr.Dataset:
    """A results file read into memory (a sweep's ``scenario`` dimension kept); anything else (missing, not
    netCDF, damaged, another program's file) is a :class:`ScenarioError` saying what it is instead."""
    from energysim.results import read_results

    if not path.exists():
        raise _refuse(path, option, "no such file")
    if not path.is_file():
        raise _refuse(path, option, "a folder without sweep.json" if path.is_dir() else "not a regular file")
    try:
        ds = read_results(path)
    except Exception as exc:  # h5py, h5netcdf, xarray: a file that is not netCDF, or a damaged one
        found = f"a file that cannot be read as netCDF ({type(exc).__name__})"
        raise _refuse(path, option, found, "is it damaged or cut short?") from None
    missing = [name for name in RESULTS_CORE if name not in ds.variables]
    objective = "objective_cny" in ds.attrs or "objective_cny" in ds.data_vars
    if missing or not objective:
        found = f"a netCDF file without {', '.join(missing) or 'an objective'}"
        raise _refuse(path, option, found, "another program's file?")
    from energysim.report.accounting import has_record

    if not has_record(ds):
        found = "results written before the accounting bases were recorded (no tech_dispatch, grid_co2_t_per_mwh)"
        raise _refuse(path, option, found, "run the scenario again with this energysim")
    return ds


def read_runs(
    path: Path, option: str = "results", variant: str | None = None, *, every: bool = False, single_ok: bool = False
) -> list[Run]:
    """The runs at ``path``: a run's file; the sweep variant ``variant`` names (its name or index); without
    it, every variant if ``every``, else the only one. A sweep of several variants read without ``--variant``
    (and not ``every``), or an unknown variant, is a :class:`UsageError` listing the variants; so is a
    ``variant`` for a run's file, unless ``single_ok`` (``compare``: the variant of the sweeps among its files)."""
    from energysim.studies.sweep import is_sweep_folder, select_variant, sweep_variants

    if path.is_dir() and is_sweep_folder(path):
        listed = sweep_variants(path)
        names = [v.name for v in listed]
        labels = [v.name if v.file else f"{v.name} (no results)" for v in listed]
        chosen = _choose(path, labels, variant, every, names)
        missing = [listed[i] for i in chosen if listed[i].file is None]
        if variant is not None and missing:
            hint = "it failed or is not solved yet: run the same `energysim sweep` again (it resumes)"
            raise _refuse(path, "--variant", f"variant {missing[0].index} ({missing[0].name}) without results", hint)
        runs = []
        for i in chosen:
            if listed[i].file is None:
                continue
            ds = select_variant(read_file(listed[i].file, option), 0)
            runs.append(Run(path, listed[i].file, ds, names[i], i, len(names)))
        if not runs:
            raise _refuse(path, option, "a sweep folder without finished variants", "run the sweep (again)")
        return runs
    ds = read_file(path, option)
    if "scenario" not in ds.dims:
        if variant is not None and not single_ok:
            found = f"--variant {variant!r} for a single run (no variants)"
            raise UsageError([Problem("--variant", str(path), "a sweep", found, "leave --variant out")])
        return [Run(path, path, ds)]
    names = [str(n) for n in ds.scenario.values]
    return [
        Run(path, path, select_variant(ds, i), names[i], i, len(names)) for i in _choose(path, names, variant, every)
    ]


def read_run(path: Path, option: str = "results", variant: str | None = None) -> Run:
    """Exactly one run at ``path`` (:func:`read_runs` without ``every``)."""
    return read_runs(path, option, variant)[0]


def open_results(path: Path, option: str = "results", variant: str | None = None) -> xr.Dataset:
    """The results of the one run at ``path`` (a run's file, or a sweep's variant)."""
    return read_run(path, option, variant).ds


def _choose(
    path: Path, labels: list[str], variant: str | None, every: bool, names: list[str] | None = None
) -> list[int]:
    """Indices of the variants to read; ``labels`` name them in messages (default: their ``names``)."""
    names = names or labels
    if variant is None:
        if every or len(names) == 1:
            return list(range(len(names)))
        _unknown(path, labels, "no --variant")
    if variant in names:
        return [names.index(variant)]
    if variant.isdigit() and int(variant) < len(names):
        return [int(variant)]
    _unknown(path, labels, repr(variant))


def _unknown(path: Path, names: list[str], found: str) -> NoReturn:
    shown = ", ".join(f"{i} {name}" for i, name in enumerate(names[:_LISTED]))
    more = f" … and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    expected = f"--variant NAME or INDEX (from 0) of one of the sweep's {len(names)} variants: {shown}{more}"
    hint = "`energysim summary` prints every variant; `energysim compare` compares them"
    raise UsageError([Problem("--variant", str(path), expected, found, hint)])


def read_line(run: Run, view: str | None = None, lang: str = "en") -> str:
    """What a command read, in one line: file (and variant), scenario, view, horizon, accounting basis, created;
    in ``lang``. ``view``: the view the command attributes the results in, if not the file's."""
    from energysim.report.accounting import hours_of_year, is_full_year, weather_year_note
    from energysim.report.i18n import tr

    def w(text: str, **fields: object) -> str:
        return tr(text, lang, **fields)  # type: ignore[arg-type]

    ds, attrs = run.ds, run.ds.attrs
    where = str(run.file)
    if run.variant is not None:
        where = w("{given} variant {index} of {of} ({variant})", given=run.given, index=run.index, of=run.of,
                  variant=run.variant)  # fmt: skip
    solved, year = hours_of_year(ds)
    whole = w("full year" if is_full_year(ds) else "partial year") + weather_year_note(ds, lang)
    horizon = w("{solved} of {year} h from {start} ({whole})", solved=solved, year=year,
                start=str(ds.time.values[0])[:10], whole=whole)  # fmt: skip
    own = attrs.get("view", "?")
    seen = w(f"{own} view")
    if view and view != own:
        seen = w("{view} (attributed; solved file: {own})", view=w(f"{view} view"), own=w(own))
    grid = attrs.get("grid_co2_t_per_mwh")
    accounting = w("CO2 policy on the {basis} basis", basis=w(str(attrs.get("co2_basis", "territorial"))))
    accounting += w(", consumption basis at {grid} tCO2/MWh", grid=f"{float(grid):g}") if grid is not None else ""
    created = str(attrs.get("created_utc", "?")).replace("T", " ").replace("+00:00", " UTC")
    return w("read {where}: {scenario} · {view} · {horizon} · {accounting} · created {created}", where=where,
             scenario=attrs.get("scenario_name", "?"), view=seen, horizon=horizon, accounting=accounting,
             created=created)  # fmt: skip
