"""Commands that read results files: ``summary``, ``targets``, ``plot``, ``report``, ``compare``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from energysim.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    VIEWS,
    base_results,
    named_by,
    open_results,
    targets_table,
    writable,
)

if TYPE_CHECKING:
    import xarray as xr


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the results commands."""
    summ = sub.add_parser("summary", help="print the summary table of a results file")
    summ.add_argument("results", type=Path)
    summ.add_argument("--lang", choices=("en", "zh"), default="en")
    summ.add_argument("--view", choices=VIEWS, help="attribute the city's results in this view (no re-solve)")
    summ.set_defaults(handler=_summary)
    tgt = sub.add_parser("targets", help="evaluate a results file against the plan's target registry")
    tgt.add_argument("results", type=Path)
    tgt.add_argument("--view", choices=VIEWS, help="attribute the city's results in this view (no re-solve)")
    tgt.add_argument("--targets", type=Path, help="registry YAML (default: the one the scenario names)")
    tgt.add_argument("--base", type=Path, help="base-year results for targets measured as a change")
    tgt.add_argument("--adequacy", type=Path, help="adequacy study (default: <results>-adequacy.nc beside it)")
    tgt.add_argument("--lang", choices=("en", "zh"), default="en", help="table in English or Chinese")
    tgt.set_defaults(handler=_targets)
    plot = sub.add_parser("plot", help="draw the figures of a results file into a folder (PNG)")
    plot.add_argument("results", type=Path)
    plot.add_argument("-o", "--output", type=Path, default=Path("figures"))
    plot.add_argument("--lang", choices=("en", "zh"), default="en", help="labels in English or Chinese")
    plot.set_defaults(handler=_plot)
    rep = sub.add_parser("report", help="one self-contained page (HTML or Markdown) of a results file")
    rep.add_argument("results", type=Path)
    rep.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    rep.add_argument("--base", type=Path, help="base-year results for the target verdicts")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="report in English or Chinese")
    rep.add_argument("--adequacy", type=Path, help="adequacy study (default: <results>-adequacy.nc beside it)")
    rep.add_argument(
        "--robustness", type=Path, help="robustness study (default: <results>-robustness/robustness.nc beside it)"
    )
    rep.set_defaults(handler=_report)
    cmp_ = sub.add_parser("compare", help="compare results files: input changes, KPIs, cost and CO2 waterfall")
    cmp_.add_argument("results", type=Path, nargs="+")
    cmp_.add_argument("--waterfall", type=Path, help="write the waterfall of the first two runs (PNG)")
    cmp_.set_defaults(handler=_compare)


def _read(path: Path, view: str | None = None) -> xr.Dataset:
    """A results file (refused with what it is when it is not one), attributed in ``view`` if given (views change
    accounting only, the solution is the same)."""
    ds = open_results(path)
    return ds.assign_attrs(view=view) if view else ds  # type: ignore[attr-defined]


def _summary(args: argparse.Namespace) -> int:
    from energysim.report.tables import format_summary

    print(format_summary(_read(args.results, args.view), args.lang))
    return EXIT_OK


def _targets(args: argparse.Namespace) -> int:
    results = _read(args.results, args.view)
    adequacy = _study(args.results, args.adequacy, "-adequacy.nc", "--adequacy")
    print(targets_table(results, args.targets, args.base, args.results, adequacy, args.lang))
    return EXIT_OK


def _study(results: Path, given: Path | None, suffix: str, option: str) -> object:
    """A study of the run: the file given, else ``<results stem><suffix>`` beside it if there; None if absent.
    A file that cannot be read is a :class:`ScenarioError` naming the option."""
    from energysim.errors import Problem, ScenarioError
    from energysim.results import read_results

    path = given or results.parent / (results.stem + suffix)  # suffix may hold a folder: not with_name
    if not path.is_file():
        if given is None:
            return None
        problem = Problem(option, str(path), "a study file written by energysim", "no such file")
        raise ScenarioError([problem], subject="the command line")
    try:
        return read_results(path)
    except Exception as exc:  # not netCDF, damaged
        found = f"a file that cannot be read as netCDF ({type(exc).__name__})"
        raise ScenarioError(
            [Problem(option, str(path), "a study file written by energysim", found)], subject="the command line"
        ) from None


def _plot(args: argparse.Namespace) -> int:
    from energysim.report.plots import save_all

    writable(args.output, "--output", folder=True)
    for path in save_all(open_results(args.results), args.output, lang=args.lang):
        print(path)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from energysim.errors import ScenarioError
    from energysim.report.document import write_report
    from energysim.report.targets import evaluate_targets, targets_context
    from energysim.scenario.targets import load_targets

    writable(args.output, "--output")
    ds = open_results(args.results)
    adequacy = _study(args.results, args.adequacy, "-adequacy.nc", "--adequacy")
    robustness = _study(args.results, args.robustness, "-robustness/robustness.nc", "--robustness")
    targets, context = None, []
    try:
        registry = named_by(ds, args.results, "targets_file")
    except ScenarioError as exc:  # the report has no --targets: leave the verdicts out and say why
        print(f"note: plan targets left out of the report: {exc.problems[0]}", file=sys.stderr)
        registry = None
    if registry is not None:
        base_ds, base_path = base_results(ds, args.base, args.results)
        targets = evaluate_targets(ds, load_targets(registry), base_ds, adequacy=adequacy)  # type: ignore[arg-type]
        context = targets_context(ds, base_ds, base_path, args.lang)  # type: ignore[arg-type]
    report = write_report(
        ds, args.output, targets=targets, context=context, lang=args.lang, adequacy=adequacy, robustness=robustness
    )
    print(report)
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from energysim.report.accounting import co2_basis_text, run_bases
    from energysim.report.compare import input_differences, kpi_table, target_verdicts, waterfall

    if args.waterfall:
        writable(args.waterfall, "--waterfall")
    runs = {path.stem: open_results(path) for path in args.results}
    names = list(runs)
    if len(names) < 2:
        print("error: compare needs at least two results files", file=sys.stderr)
        return EXIT_USAGE
    for name in names[1:]:
        diff = input_differences(runs[names[0]], runs[name])
        print(f"inputs changed from {names[0]} to {name}:")
        print(diff.to_string() if len(diff) else "  (none)")
    print("\nruns:")
    for ds in runs.values():
        print(f"  {run_bases(ds)}")
    views = {ds.attrs.get("view") for ds in runs.values()}
    if len(views) > 1:
        note = "the runs are in different views: territorial CO2 counts different plants, consumption-based does not"
        print(f"  note: {note}")
    print("  " + co2_basis_text(runs[names[0]]))
    print("\nKPIs:")
    print(kpi_table(runs).to_string(float_format=lambda x: f"{x:,.3f}"))
    bases = {name: base_results(ds, None, path)[0] for (name, ds), path in zip(runs.items(), args.results, strict=True)}
    verdicts = target_verdicts(runs, bases)
    if verdicts is not None:
        print("\ntarget verdicts (against each run's `base_results`, if written):")
        print(verdicts.to_string())
    if args.waterfall:
        waterfall(runs[names[0]], runs[names[1]], (names[0], names[1])).savefig(args.waterfall, dpi=110)
        print(f"\nwaterfall written to {args.waterfall}")
    return EXIT_OK
