"""Commands on one scenario: ``run``, ``validate``, ``show``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from energysim.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    VIEWS,
    compose_options,
    default_output,
    lang_option,
    load,
    targets_table,
    writable,
)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``run``, ``validate`` and ``show``."""
    run = sub.add_parser("run", help="solve a scenario, print a summary and write results (netCDF)")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument(
        "-o",
        "--output",
        type=Path,
        help="results file (default results/<name>[-<view>][-<N>h][-<override,key=value>].nc: the scenario's "
        "name, then the view if not its own, the hours if not the full year, the --override/--set given)",
    )
    run.add_argument("--hours", type=int, help="keep only the first N hours (annual values prorated)")
    run.add_argument("--view", choices=VIEWS, help="override the scenario's view")
    run.add_argument(
        "--weather-year",
        type=int,
        default=0,
        metavar="K",
        help="demand, PV, offshore wind and steam of seeded weather year K (0, the default: the shipped profiles; "
        "the years of `energysim adequacy` and `robustness`)",
    )
    lang_option(run, "summary")
    compose_options(run)
    run.add_argument(
        "--allow-non-optimal",
        action="store_true",
        help="write results even if HiGHS did not prove optimality (status in the file)",
    )
    run.set_defaults(handler=_run)
    val = sub.add_parser("validate", help="check a scenario and its profile files without solving")
    val.add_argument("scenario", type=Path)
    val.add_argument("--view", choices=VIEWS, help="override the scenario's view")
    compose_options(val)
    val.set_defaults(handler=_validate)
    show = sub.add_parser("show", help="print the effective scenario and where each value came from")
    show.add_argument("scenario", type=Path)
    compose_options(show)
    show.set_defaults(handler=_show)


def _validate(args: argparse.Namespace) -> int:
    from energysim.inputs import build_inputs

    scenario = load(args)
    inputs = build_inputs(scenario.in_view(args.view))  # type: ignore[attr-defined]
    print(
        f"{args.scenario}: valid — {inputs.sizes['time']} h, {inputs.sizes['region']} region(s), "
        f"{inputs.sizes['tech']} technologies, {inputs.sizes['link']} link(s), {inputs.attrs['view']} view"
    )
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    scenario = load(args)
    for key, origin in sorted(scenario.provenance.items()):  # type: ignore[attr-defined]
        value = _value_at(scenario, key)
        where = origin if origin.file == "--set" else f"{os.path.relpath(origin.file)}:{origin.line}"
        print(f"{'.'.join(key):<56} {value!s:<24} # {where}")
    return EXIT_OK


def _value_at(scenario: object, key: tuple[str, ...]) -> object:
    """The effective value at a key path of the composed scenario (as written, before defaults)."""
    node = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)  # type: ignore[attr-defined]
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return "?"
        node = node[part]
    return node


def _run(args: argparse.Namespace) -> int:
    from energysim.inputs.weather_year import MAX_WEATHER_YEAR
    from energysim.pipeline import run
    from energysim.report.tables import format_summary

    if args.hours is not None and args.hours < 1:
        print("error: --hours must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if not 0 <= args.weather_year <= MAX_WEATHER_YEAR:
        print(f"error: --weather-year must be 0 (the shipped profiles) to {MAX_WEATHER_YEAR}", file=sys.stderr)
        return EXIT_USAGE

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage:<32} {seconds:8.2f} s", file=sys.stderr, flush=True)

    scenario = load(args)
    out = writable(args.output or default_output(scenario, args), "--output")
    print(f"energysim: {args.scenario}", file=sys.stderr)
    results = run(
        scenario,  # type: ignore[arg-type]
        hours=args.hours,
        view=args.view,
        allow_non_optimal=args.allow_non_optimal,
        progress=progress,
        solver_log=args.debug,
        out=out,
        weather_year=args.weather_year,
    )
    print(format_summary(results, args.lang))
    if results.attrs.get("targets_file"):
        attrs = results.attrs  # the scenario named these files, inside its tree (checked when it was loaded)
        base = Path(attrs["base_results_file"]) if attrs.get("base_results_file") else None
        print("\n" + targets_table(results, Path(attrs["targets_file"]), base, lang=args.lang))
    print(f"\nresults written to {out}")
    return EXIT_OK
