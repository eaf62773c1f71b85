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
    lang_option,
    named_by,
    targets_table,
    writable,
)

if TYPE_CHECKING:
    import xarray as xr

    from energysim.cli.reading import Run


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the results commands."""
    summ = sub.add_parser("summary", help="print the summary table of a results file")
    summ.add_argument("results", type=Path)
    lang_option(summ, "summary")
    summ.add_argument("--view", choices=VIEWS, help="attribute the city's results in this view (no re-solve)")
    _variant_option(summ, "default: a summary of every variant")
    summ.set_defaults(handler=_summary)
    tgt = sub.add_parser("targets", help="evaluate a results file against the plan's target registry")
    tgt.add_argument("results", type=Path)
    tgt.add_argument("--view", choices=VIEWS, help="attribute the city's results in this view (no re-solve)")
    tgt.add_argument("--targets", type=Path, help="registry YAML (default: the one the scenario names)")
    tgt.add_argument("--base", type=Path, help="base-year results for targets measured as a change")
    tgt.add_argument("--adequacy", type=Path, help="adequacy study (default: <results>-adequacy.nc beside it)")
    _variant_option(tgt)
    lang_option(tgt, "table")
    tgt.set_defaults(handler=_targets)
    plot = sub.add_parser("plot", help="draw the figures of a results file into a folder (PNG)")
    plot.add_argument("results", type=Path)
    plot.add_argument("-o", "--output", type=Path, default=Path("figures"))
    lang_option(plot, "labels")
    _variant_option(plot)
    plot.set_defaults(handler=_plot)
    rep = sub.add_parser("report", help="one self-contained page (HTML or Markdown) of a results file")
    rep.add_argument("results", type=Path)
    rep.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    rep.add_argument("--base", type=Path, help="base-year results for the target verdicts")
    lang_option(rep)
    rep.add_argument("--adequacy", type=Path, help="adequacy study (default: <results>-adequacy.nc beside it)")
    rep.add_argument(
        "--robustness", type=Path, help="robustness study (default: <results>-robustness/robustness.nc beside it)"
    )
    _variant_option(rep)
    rep.set_defaults(handler=_report)
    cmp_ = sub.add_parser("compare", help="compare results files: input changes, KPIs, cost and CO2 waterfall")
    cmp_.add_argument("results", type=Path, nargs="+")
    cmp_.add_argument("--waterfall", type=Path, help="write the waterfall of the first two runs (PNG)")
    _variant_option(cmp_, "of every sweep given; default: every variant of a sweep is a run to compare")
    lang_option(cmp_, "tables and waterfall")
    cmp_.set_defaults(handler=_compare)
    exp = sub.add_parser("export", help="write tidy tables (CSV folder or Excel workbook) with units in the headers")
    exp.add_argument("results", type=Path)
    exp.add_argument("--format", choices=("csv", "xlsx"), default="xlsx", help="xlsx (one sheet per table, the "
                     "default) or csv (a folder of files)")  # fmt: skip
    exp.add_argument(
        "-o", "--output", type=Path, help="workbook or folder (default: beside the results, <stem>.xlsx or <stem>-csv/)"
    )
    _variant_option(exp, "default: every variant, with a `variant` column")
    exp.set_defaults(handler=_export)


def _variant_option(parser: argparse.ArgumentParser, default: str = "required for a sweep of several variants") -> None:
    parser.add_argument(
        "--variant",
        metavar="NAME|INDEX",
        help=f"a sweep's variant: its name (policy.co2_price_cny_per_t=150) or index from 0 ({default})",
    )


def _read(args: argparse.Namespace, view: str | None = None) -> tuple[xr.Dataset, Path]:
    """The one run the command reads (refused with what it is when it is not one; a sweep's ``--variant``),
    said in one line, and the file it is in (studies and the files it names are looked up beside it);
    attributed in ``view`` if given (views change accounting only, the solution is the same)."""
    from energysim.cli.reading import read_line, read_run

    run = read_run(args.results, variant=args.variant)
    print(read_line(run, view, getattr(args, "lang", "en")))
    return (run.ds.assign_attrs(view=view) if view else run.ds), run.file


def _summary(args: argparse.Namespace) -> int:
    """A summary per run read: one for a run's file or a sweep's --variant, one per variant of a sweep."""
    from energysim.cli.reading import read_line, read_runs
    from energysim.report.tables import format_summary

    for i, run in enumerate(read_runs(args.results, variant=args.variant, every=True)):
        print(("\n" if i else "") + read_line(run, args.view, args.lang))
        ds = run.ds.assign_attrs(view=args.view) if args.view else run.ds
        print(format_summary(ds, args.lang))
    return EXIT_OK


def _targets(args: argparse.Namespace) -> int:
    results, file = _read(args, args.view)
    adequacy = _study(file, args.adequacy, "-adequacy.nc", "--adequacy")
    print(targets_table(results, args.targets, args.base, file, adequacy, args.lang))
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
    for path in save_all(_read(args)[0], args.output, lang=args.lang):
        print(path)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from energysim.errors import ScenarioError
    from energysim.report.document import write_report
    from energysim.report.targets import evaluate_targets, targets_context
    from energysim.scenario.targets import load_targets

    writable(args.output, "--output")
    ds, file = _read(args)
    adequacy = _study(file, args.adequacy, "-adequacy.nc", "--adequacy")
    robustness = _study(file, args.robustness, "-robustness/robustness.nc", "--robustness")
    targets, context, plan = None, [], None
    try:
        registry = named_by(ds, file, "targets_file")
    except ScenarioError as exc:  # the report has no --targets: leave the verdicts out and say why
        print(f"note: plan targets left out of the report: {exc.problems[0]}", file=sys.stderr)
        registry = None
    if registry is not None:
        base_ds, base_path = base_results(ds, args.base, file)
        loaded = load_targets(registry)  # type: ignore[arg-type]
        targets, plan = evaluate_targets(ds, loaded, base_ds, adequacy=adequacy), loaded.plan  # type: ignore[arg-type]
        context = targets_context(ds, base_ds, base_path, args.lang)  # type: ignore[arg-type]
    report = write_report(
        ds,
        args.output,
        targets=targets,
        context=context,
        lang=args.lang,
        adequacy=adequacy,
        robustness=robustness,
        plan=plan,
    )
    print(report)
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from energysim.cli.reading import read_line
    from energysim.report.accounting import co2_basis_text, run_bases
    from energysim.report.compare import input_differences, kpi_names, kpi_table, target_verdicts, waterfall
    from energysim.report.i18n import font_context, table_text, tr

    lang = args.lang
    if args.waterfall:
        writable(args.waterfall, "--waterfall")
    read = _compared_runs(args.results, args.variant)
    if len(read) < 2:
        print("error: compare needs at least two runs (results files, or a sweep of several variants)", file=sys.stderr)
        return EXIT_USAGE
    for run in read.values():
        print(read_line(run, lang=lang))
    runs = {name: run.ds for name, run in read.items()}
    names = list(runs)

    def table(frame: object, **options: object) -> str:  # English as before; Chinese aligned by display width
        if lang == "zh":
            return table_text(frame, float_format="{:,.3f}" if options else None)  # type: ignore[arg-type]
        return frame.to_string(**options)  # type: ignore[attr-defined]

    print()
    for name in names[1:]:
        diff = input_differences(runs[names[0]], runs[name])
        print(tr("inputs changed from {a} to {b}:", lang, a=names[0], b=name))
        diff = diff.rename(columns=lambda c: tr(c, lang)).rename_axis(tr("input", lang))
        print(table(diff) if len(diff) else f"  {tr('(none)', lang)}")
    print("\n" + tr("runs:", lang))
    for ds in runs.values():
        print(f"  {run_bases(ds, lang)}")
    views = {ds.attrs.get("view") for ds in runs.values()}
    if len(views) > 1:
        note = "the runs are in different views: territorial CO2 counts different plants, consumption-based does not"
        print(f"  {tr('note', lang)}: {tr(note, lang)}")
    print("  " + co2_basis_text(runs[names[0]], lang))
    print("\n" + tr("KPIs:", lang))
    print(table(kpi_names(kpi_table(runs), runs, lang), float_format=lambda x: f"{x:,.3f}", na_rep="n/a"))
    verdicts = target_verdicts(runs, **_verdict_inputs(read), lang=lang)
    if verdicts is not None:
        heading = "target verdicts (each run against its registry, base-year results and adequacy study, as `targets`):"
        print("\n" + tr(heading, lang))
        print(table(verdicts))
    if args.waterfall:
        with font_context(lang):
            figure = waterfall(runs[names[0]], runs[names[1]], (names[0], names[1]), lang=lang)
            figure.savefig(args.waterfall, dpi=110)
        print("\n" + tr("waterfall written to {path}", lang, path=args.waterfall))
    return EXIT_OK


def _compared_runs(paths: list[Path], variant: str | None) -> dict[str, Run]:
    """Every run named: files, and each sweep's variants (only ``variant`` if given); labelled by file stem (and
    variant), or by the path given where two stems are the same."""
    from energysim.cli.reading import read_runs

    runs: list[Run] = []
    for path in paths:
        runs += read_runs(path, variant=variant, every=True, single_ok=True)
    labels = [run.label for run in runs]
    doubled = {label for label in labels if labels.count(label) > 1}
    out = {}
    for run, label in zip(runs, labels, strict=True):
        if label in doubled:
            label = str(run.given) if run.variant is None else f"{run.given}[{run.variant}]"
        out[label] = run
    return out


def _verdict_inputs(runs: dict[str, Run]) -> dict[str, dict[str, object]]:
    """Each run's target registry, base-year results and adequacy study, looked up as `energysim targets` does
    (the files its results name, inside the allowed roots; ``<results>-adequacy.nc`` beside it). A registry
    outside them is left out with a note, as in the report."""
    from energysim.errors import ScenarioError

    registries, bases, adequacies = {}, {}, {}
    for name, run in runs.items():
        try:
            registries[name] = named_by(run.ds, run.file, "targets_file")
        except ScenarioError as exc:
            print(f"note: no target verdicts for {name}: {exc.problems[0]}", file=sys.stderr)
            registries[name] = None
        if registries[name] is not None:
            bases[name] = base_results(run.ds, None, run.file)[0]
            adequacies[name] = _study(run.file, None, "-adequacy.nc", "--adequacy")
    return {"registries": registries, "bases": bases, "adequacies": adequacies}


def _export(args: argparse.Namespace) -> int:
    """Tidy tables of a run (or of a sweep's variants, one below the other with a ``variant`` column)."""
    from energysim.cli.reading import read_line, read_runs
    from energysim.errors import Problem, UsageError
    from energysim.report.export import EXCEL_MAX_ROWS, stacked, tables, write_tables

    out = args.output or _export_path(args.results, args.variant, args.format)
    writable(out, "--output", folder=args.format == "csv")
    if args.format == "csv" and out.is_dir() and any(p.suffix != ".csv" for p in out.iterdir()):
        problem = Problem("--output", str(out), "a new folder or an earlier export (CSV files only)", "other files")
        raise UsageError([problem], subject="the command line")
    runs = read_runs(args.results, variant=args.variant, every=True)
    for run in runs:
        print(read_line(run))
    about = {run.variant: {"file": str(run.file)} for run in runs}
    sweep = runs[0].variant is not None and args.variant is None
    frames = stacked((run.variant if sweep else None, tables(run.ds, about=about[run.variant])) for run in runs)
    too_long = [name for name, frame in frames.items() if len(frame) >= EXCEL_MAX_ROWS]
    if args.format == "xlsx" and too_long:
        found = f"{', '.join(too_long)} with more rows than an Excel sheet holds ({EXCEL_MAX_ROWS:,})"
        hint = "export with --format csv, or one variant with --variant"
        raise UsageError([Problem("--format", "xlsx", "tables that fit a sheet", found, hint)])
    cells = sum(frame.size for frame in frames.values())
    if args.format == "xlsx" and cells > XLSX_SLOW_CELLS:
        seconds = cells / XLSX_CELLS_PER_SECOND
        print(f"  writing {cells:,} cells to a workbook (about {seconds:.0f} s of one core) …",
              file=sys.stderr, flush=True)  # fmt: skip
    write_tables(frames, out, fmt=args.format)
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    print(f"tables ({rows} rows) written to {out}")
    return EXIT_OK


XLSX_SLOW_CELLS, XLSX_CELLS_PER_SECOND = 1_000_000, 400_000
"""Cells above which ``export --format xlsx`` says how long it will take, and the workbook writer's rate
(:mod:`energysim.report.xlsx`; measured: 152,000 cells of a 720-hour plan run in 0.33 s of CPU, 2.2 s per million
cells, where openpyxl took 32 s)."""


def _export_path(results: Path, variant: str | None, fmt: str) -> Path:
    """Beside the results: ``<stem>[-<variant>].xlsx`` or ``<stem>[-<variant>]-csv/``."""
    from energysim.results.naming import safe_part

    stem = results.stem if results.suffix == ".nc" else results.name
    stem += f"-{safe_part(variant)}" if variant is not None else ""
    return results.with_name(f"{stem}.xlsx" if fmt == "xlsx" else f"{stem}-csv")
