"""``energysim run|validate``: one-line errors, progress by stage, a summary table, distinct exit codes.

Exit codes: 0 ok · 1 invalid input · 2 usage · 3 infeasible or not optimal · 4 internal error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from energysim.errors import InfeasibleError, ScenarioError, SolverError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NOT_OPTIMAL, EXIT_INTERNAL = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="energysim", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks and solver logs")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="solve a scenario, print a summary and write results (netCDF)")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument("-o", "--output", type=Path, help="results file (default results/<scenario>.nc)")
    run.add_argument("--hours", type=int, help="keep only the first N hours (annual values prorated)")
    run.add_argument("--view", choices=("sited", "local"), help="override the scenario's view")
    run.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the summary (zh: 中文)")
    _compose_options(run)
    run.add_argument(
        "--allow-non-optimal",
        action="store_true",
        help="write results even if HiGHS did not prove optimality (status in the file)",
    )
    val = sub.add_parser("validate", help="check a scenario and its profile files without solving")
    val.add_argument("scenario", type=Path)
    val.add_argument("--view", choices=("sited", "local"), help="override the scenario's view")
    _compose_options(val)
    agg = sub.add_parser("aggregate", help="pick typical days and report their fidelity, before any solve")
    agg.add_argument("scenario", type=Path)
    agg.add_argument("--days", type=int, help="typical days (default: the scenario's `time.aggregate.days`, or 12)")
    agg.add_argument("--seed", type=int, help="random seed (default: the scenario's, or 0)")
    agg.add_argument("--no-extremes", action="store_true", help="do not add the peak and residual-load days")
    agg.add_argument(
        "--check",
        action="store_true",
        help="also solve on the typical days, then the full year with the capacities they built, and show how "
        "cost, CO2 and unserved energy moved",
    )
    _compose_options(agg)
    show = sub.add_parser("show", help="print the effective scenario and where each value came from")
    show.add_argument("scenario", type=Path)
    _compose_options(show)
    summ = sub.add_parser("summary", help="print the summary table of a results file")
    summ.add_argument("results", type=Path)
    summ.add_argument("--lang", choices=("en", "zh"), default="en")
    tgt = sub.add_parser("targets", help="evaluate a results file against the plan's target registry")
    tgt.add_argument("results", type=Path)
    tgt.add_argument("--targets", type=Path, help="registry YAML (default: the one the scenario names)")
    tgt.add_argument("--base", type=Path, help="base-year results for targets measured as a change")
    stress = sub.add_parser("stress", help="replay stress cases against the fleet the scenario builds")
    stress.add_argument("scenario", type=Path)
    stress.add_argument("--cases", type=Path, nargs="+", help="stress YAML files (default: stress/*.yaml beside it)")
    stress.add_argument("--hours", type=int, help="keep only the first N hours")
    stress.add_argument("--view", choices=("sited", "local"), help="override the scenario's view")
    sw = sub.add_parser("sweep", help="solve a grid of variants into one results file with a scenario dimension")
    sw.add_argument("scenario", type=Path)
    sw.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY.PATH=V1,V2,…",
        help="values to sweep (repeatable; every combination is solved); default: the file's `sweep:`",
    )
    sw.add_argument("--hours", type=int, help="keep only the first N hours")
    sw.add_argument(
        "-o",
        "--output",
        type=Path,
        help="results file (default results/<scenario>-sweep.nc); with --workers/--scheduler a folder with one file "
        "per variant (default results/<scenario>-sweep/)",
    )
    sw.add_argument("--workers", type=int, help="solve variants on a local Dask cluster of this many processes")
    sw.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="solve variants on an existing Dask cluster")
    _compose_options(sw)
    plot = sub.add_parser("plot", help="draw the figures of a results file into a folder (PNG)")
    plot.add_argument("results", type=Path)
    plot.add_argument("-o", "--output", type=Path, default=Path("figures"))
    plot.add_argument("--lang", choices=("en", "zh"), default="en", help="labels in English or Chinese")
    rep = sub.add_parser("report", help="one self-contained page (HTML or Markdown) of a results file")
    rep.add_argument("results", type=Path)
    rep.add_argument("-o", "--output", type=Path, default=Path("report.html"))
    rep.add_argument("--base", type=Path, help="base-year results for the target verdicts")
    rep.add_argument("--lang", choices=("en", "zh"), default="en", help="report in English or Chinese")
    cmp_ = sub.add_parser("compare", help="compare results files: input changes, KPIs, cost and CO2 waterfall")
    cmp_.add_argument("results", type=Path, nargs="+")
    cmp_.add_argument("--waterfall", type=Path, help="write the waterfall of the first two runs (PNG)")
    reg = sub.add_parser("regress", help="re-run scenarios and compare their KPIs with stored baselines")
    reg.add_argument("scenarios", type=Path, nargs="*", help="scenario files (default: scenarios/*.yaml)")
    reg.add_argument("--hours", type=int, help="keep only the first N hours (baselines are per horizon)")
    reg.add_argument("--baselines", type=Path, default=Path("scenarios/baselines"), help="baseline folder")
    reg.add_argument("--update", action="store_true", help="rewrite the baselines from these runs")
    reg.add_argument("--all", action="store_true", help="list every KPI, not only those that moved")
    phase = sub.add_parser("phaseout", help="solve with and without the coal-boiler phase-out and compare")
    phase.add_argument("scenario", type=Path)
    phase.add_argument("--hours", type=int, help="keep only the first N hours")
    phase.add_argument("--view", choices=("sited", "local"), help="override the scenario's view")
    prof = sub.add_parser("profiles", help="rebuild the default hourly profiles, or draw them")
    prof_sub = prof.add_subparsers(dest="action", required=True)
    build = prof_sub.add_parser("build", help="rewrite data/profiles/ (seeded, byte-identical)")
    build.add_argument("--out", type=Path, default=Path("data/profiles"))
    plot = prof_sub.add_parser("plot", help="draw a year's profiles: two weeks, Spring Festival, duration curve")
    plot.add_argument("year", type=int, choices=(2024, 2025))
    plot.add_argument("-o", "--output", type=Path, help="PNG file (default profiles-<year>.png)")
    plot.add_argument("--data", type=Path, default=Path("data/profiles"))
    return p


def _compose_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY.PATH=VALUE",
        help="change one value (repeatable), e.g. --set policy.co2_price_cny_per_t=100",
    )
    parser.add_argument(
        "--override",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME",
        help="apply a named override set (overrides/NAME.yaml beside the scenario, or a path)",
    )


def _load(args: argparse.Namespace) -> object:
    from energysim.scenario import load_scenario

    return load_scenario(args.scenario, overrides=args.overrides, sets=args.sets)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(message)s")
    try:
        return _dispatch(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except InfeasibleError as exc:
        print(f"error: {exc}\nNo results were written.", file=sys.stderr)
        return EXIT_NOT_OPTIMAL
    except SolverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_OPTIMAL
    except BrokenPipeError:  # output piped into `head` and the like
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; no results were written.", file=sys.stderr)
        return 130
    except Exception as exc:  # an energysim bug: say so plainly, traceback only on request
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace) -> int:
    from energysim.report.tables import format_summary

    handlers = {
        "aggregate": _aggregate,
        "stress": _stress,
        "sweep": _sweep,
        "plot": _pictures,
        "report": _pictures,
        "compare": _pictures,
        "regress": _regress,
        "phaseout": _phaseout,
        "profiles": _profiles,
    }
    if args.command in handlers:
        return handlers[args.command](args)
    if args.command == "validate":
        from energysim.inputs import build_inputs

        scenario = _load(args)
        inputs = build_inputs(scenario.in_view(args.view))  # type: ignore[attr-defined]
        print(
            f"{args.scenario}: valid — {inputs.sizes['time']} h, {inputs.sizes['region']} region(s), "
            f"{inputs.sizes['tech']} technologies, {inputs.sizes['link']} link(s), {inputs.attrs['view']} view"
        )
        return EXIT_OK
    if args.command == "show":
        scenario = _load(args)
        for key, origin in sorted(scenario.provenance.items()):  # type: ignore[attr-defined]
            value = _value_at(scenario, key)
            where = origin if origin.file == "--set" else f"{os.path.relpath(origin.file)}:{origin.line}"
            print(f"{'.'.join(key):<56} {value!s:<24} # {where}")
        return EXIT_OK
    if args.command == "targets":
        from energysim.results import read_results

        print(_targets_table(read_results(args.results), args.targets, args.base))
        return EXIT_OK
    if args.command == "summary":
        from energysim.results import read_results

        print(format_summary(read_results(args.results), args.lang))
        return EXIT_OK
    return _run(args, format_summary)


def _value_at(scenario: object, key: tuple[str, ...]) -> object:
    """The effective value at a key path of the composed scenario (as written, before defaults)."""
    node = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)  # type: ignore[attr-defined]
    for part in key:
        if not isinstance(node, dict) or part not in node:
            return "?"
        node = node[part]
    return node


def _targets_table(results: object, targets: Path | None, base: Path | None) -> str:
    """The target table for a results Dataset; registry and base from the arguments or the results' attrs."""
    from energysim.report.targets import evaluate_targets, format_targets
    from energysim.results import read_results
    from energysim.scenario.targets import load_targets

    attrs = results.attrs  # type: ignore[attr-defined]
    registry_path = targets or (Path(attrs["targets_file"]) if attrs.get("targets_file") else None)
    if registry_path is None:
        return "no target registry: pass --targets FILE or name `targets:` in the scenario"
    base_path = base or (Path(attrs["base_results_file"]) if attrs.get("base_results_file") else None)
    base_ds = read_results(base_path) if base_path is not None and base_path.exists() else None
    registry = load_targets(registry_path)
    note = "" if base_ds is not None else f"\n(no base-year results at {base_path}: changes against the base are n/a)"
    return f"plan targets — {registry.plan}\n" + format_targets(evaluate_targets(results, registry, base_ds)) + note


def _stress(args: argparse.Namespace) -> int:
    import pandas as pd

    from energysim.inputs import build_inputs
    from energysim.pipeline import run_inputs
    from energysim.scenario import load_scenario
    from energysim.scenario.stress import load_stress_case
    from energysim.stress import run_stress, stress_report

    files = args.cases or sorted((args.scenario.parent / "stress").glob("*.yaml"))
    if not files:
        print(f"error: no stress cases given and none in {args.scenario.parent / 'stress'}", file=sys.stderr)
        return EXIT_USAGE
    cases = [(f, load_stress_case(f)) for f in files]
    inputs = build_inputs(load_scenario(args.scenario).in_view(args.view), hours=args.hours)
    base = run_inputs(inputs)
    rows, skipped = [], []
    for file, case in cases:
        print(f"  stress case {case.name} …", file=sys.stderr, flush=True)
        try:
            rows.append(stress_report(base, run_stress(inputs, base, case, str(file)), case))
        except ScenarioError as exc:  # e.g. a provincial unit's outage in the local view
            skipped.append(f"  {case.name}: not applicable here — {exc.problems[0].found} ({exc.problems[0].expected})")
    if skipped:
        print("skipped:\n" + "\n".join(skipped))
    if not rows:
        return EXIT_INPUT
    table = pd.DataFrame(rows).set_index("case")
    print(table.drop(columns="carried_by_MW").to_string(float_format=lambda x: f"{x:,.1f}"))
    print("\nresources carrying the peak hour of each stress period (MW):")
    for case, row in table.iterrows():
        print(f"  {case} ({row.peak_hour}, demand {row.peak_MW:,.0f} MW): {row.carried_by_MW}")
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    from ruamel.yaml import YAML

    from energysim.results import write_results
    from energysim.sweep import run_sweep

    params: dict[str, list[object]] = {}
    for text in args.param:
        key, _, values = text.partition("=")
        params[key.strip()] = [YAML(typ="safe", pure=True).load(v) for v in values.split(",") if v.strip()]
    if not params:
        params = dict(_load(args).sweep or {})  # type: ignore[attr-defined]
    if not params:
        print("error: nothing to sweep: give --param KEY=V1,V2 or a `sweep:` block", file=sys.stderr)
        return EXIT_USAGE

    if args.workers or args.scheduler:
        return _distributed_sweep(args, params)

    def progress(i: int, n: int, name: str) -> None:
        print(f"  [{i}/{n}] {name}", file=sys.stderr, flush=True)

    results = run_sweep(args.scenario, params, hours=args.hours, sets=args.sets, progress=progress)
    out = args.output or Path("results") / f"{args.scenario.stem}-sweep.nc"
    write_results(results, out)
    table = results.objective_cny.to_series() / 1e6
    print(table.to_string(float_format=lambda x: f"{x:,.1f} MCNY"))
    print(f"\nresults written to {out}")
    return EXIT_OK


def _aggregate(args: argparse.Namespace) -> int:
    """Typical days and their fidelity; with --check, the KPIs of the full year at the capacities they built."""
    import json as _json

    import pandas as pd

    from energysim.aggregate import check_against_full_year, fidelity, typical_days
    from energysim.inputs import build_inputs
    from energysim.pipeline import run_inputs
    from energysim.scenario.schema import Aggregate

    scenario = _load(args)
    own = scenario.time.aggregate  # type: ignore[attr-defined]
    spec = Aggregate(
        days=args.days or (own.days if own else 12),
        seed=args.seed if args.seed is not None else (own.seed if own else 0),
        keep_extremes=not args.no_extremes and (own.keep_extremes if own else True),
    )
    inputs = build_inputs(scenario)  # type: ignore[arg-type]
    agg = typical_days(inputs, spec.days, seed=spec.seed, keep_extremes=spec.keep_extremes)
    days = pd.DatetimeIndex(inputs.time.values[agg.rep_day * 24]).strftime("%m-%d")
    print(f"{len(agg.rep_day)} typical days (seed {spec.seed}); each with the days of the year it stands for:")
    marks = zip(days, agg.weight, agg.extreme, strict=True)
    print("  " + ", ".join(f"{d}{'*' if x else ''} ×{w:.0f}" for d, w, x in marks))
    print("  (* kept as an extreme day)\n")
    print("fidelity, the year rebuilt from its typical days against the year itself:")
    table = fidelity(inputs, agg)
    table["difference"] = table["difference"].map(lambda x: "" if x != x else f"{x:+.2%}")
    print(table.to_string(float_format=lambda x: f"{x:,.2f}"))
    if args.check:
        inputs.attrs["aggregate"] = _json.dumps(spec.model_dump())
        moved = check_against_full_year(inputs, run_inputs(inputs))
        print("\nfull year at the capacities the typical days built:")
        print(moved.to_string(float_format=lambda x: f"{x:,.2f}"))
    return EXIT_OK


def _distributed_sweep(args: argparse.Namespace, params: dict[str, list[object]]) -> int:
    """Variants on Dask workers, a file each; exit 0 only if every variant has results."""
    from energysim.distributed import VariantOutcome, run_distributed_sweep

    out = args.output or Path("results") / f"{args.scenario.stem}-sweep"

    def progress(o: VariantOutcome) -> None:
        detail = f"{o.objective_cny / 1e6:,.1f} MCNY in {o.seconds:.1f} s" if o.state == "solved" else o.error
        print(f"  {o.state:8s} {o.name} {detail}".rstrip(), file=sys.stderr, flush=True)

    try:
        outcomes = run_distributed_sweep(
            args.scenario,
            params,
            out,
            workers=args.workers or 2,
            scheduler=args.scheduler,
            hours=args.hours,
            sets=args.sets,
            progress=progress,
        )
    except (ValueError, RuntimeError) as exc:  # another sweep in the folder; Dask not installed
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = [o for o in outcomes if o.state == "failed"]
    done = len(outcomes) - len(failed)
    print(f"{done} of {len(outcomes)} variants have results in {out} (open with energysim.open_sweep)")
    for o in failed:
        print(f"error: variant {o.name} failed: {o.error}", file=sys.stderr)
    return EXIT_NOT_OPTIMAL if failed else EXIT_OK


def _pictures(args: argparse.Namespace) -> int:
    from energysim.results import read_results

    if args.command == "plot":
        from energysim.report.plots import save_all

        for path in save_all(read_results(args.results), args.output, lang=args.lang):
            print(path)
        return EXIT_OK
    if args.command == "report":
        from energysim.report.document import write_report
        from energysim.report.targets import evaluate_targets
        from energysim.scenario.targets import load_targets

        ds = read_results(args.results)
        targets = None
        if ds.attrs.get("targets_file"):
            base = args.base or (Path(ds.attrs["base_results_file"]) if ds.attrs.get("base_results_file") else None)
            base_ds = read_results(base) if base is not None and base.exists() else None
            targets = evaluate_targets(ds, load_targets(ds.attrs["targets_file"]), base_ds)
        print(write_report(ds, args.output, targets=targets, lang=args.lang))
        return EXIT_OK
    from energysim.report.compare import input_differences, kpi_table, target_verdicts, waterfall

    runs = {path.stem: read_results(path) for path in args.results}
    names = list(runs)
    if len(names) < 2:
        print("error: compare needs at least two results files", file=sys.stderr)
        return EXIT_USAGE
    for name in names[1:]:
        diff = input_differences(runs[names[0]], runs[name])
        print(f"inputs changed from {names[0]} to {name}:")
        print(diff.to_string() if len(diff) else "  (none)")
    print("\nKPIs:")
    print(kpi_table(runs).to_string(float_format=lambda x: f"{x:,.3f}"))
    verdicts = target_verdicts(runs)
    if verdicts is not None:
        print("\ntarget verdicts (changes against the base year need --base in `energysim targets`):")
        print(verdicts.to_string())
    if args.waterfall:
        waterfall(runs[names[0]], runs[names[1]], (names[0], names[1])).savefig(args.waterfall, dpi=110)
        print(f"\nwaterfall written to {args.waterfall}")
    return EXIT_OK


def _regress(args: argparse.Namespace) -> int:
    from energysim.pipeline import run
    from energysim.regress import compare, format_comparison, write_baseline

    files = args.scenarios or sorted(Path("scenarios").glob("*.yaml"))
    failed = []
    for file in files:
        suffix = f"-{args.hours}h" if args.hours else ""
        baseline = args.baselines / f"{file.stem}{suffix}.json"
        t0 = time.perf_counter()
        results = run(file, hours=args.hours)
        if args.update:
            write_baseline(results, baseline)
            print(f"{file.stem}: baseline written to {baseline} ({time.perf_counter() - t0:.1f} s)")
            continue
        comparison = compare(results, baseline)
        print(format_comparison(comparison, all_rows=args.all) + f"   ({time.perf_counter() - t0:.1f} s)")
        if comparison.failed:
            failed.append(comparison.scenario)
    if failed:
        print(f"\nregression: {len(failed)} of {len(files)} scenario(s) changed: {', '.join(failed)}", file=sys.stderr)
        return EXIT_NOT_OPTIMAL
    return EXIT_OK


def _phaseout(args: argparse.Namespace) -> int:
    from energysim.pipeline import run
    from energysim.report.sectors import phaseout_report
    from energysim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    if scenario.policy.coal_boiler_phaseout is None:
        print(f"error: {args.scenario} has no `policy.coal_boiler_phaseout` to compare against", file=sys.stderr)
        return EXIT_INPUT
    without = scenario.model_copy(update={"policy": scenario.policy.model_copy(update={"coal_boiler_phaseout": None})})
    without._source = scenario.source
    results = [run(s, hours=args.hours, view=args.view) for s in (without, scenario)]
    rule = scenario.policy.coal_boiler_phaseout
    print(f"coal boilers of at most {rule.max_unit_size_t_per_h:g} t/h shut from {rule.from_date}:\n")
    print(phaseout_report(*results).to_string(float_format=lambda x: f"{x:,.2f}"))
    return EXIT_OK


def _profiles(args: argparse.Namespace) -> int:
    import pandas as pd

    from energysim.profiles import build_profiles

    if args.action == "build":
        for path in build_profiles(args.out):
            print(path)
        return EXIT_OK
    from energysim.report.profile_plots import plot_profiles

    table = pd.read_csv(args.data / f"jiaxing-{args.year}.csv.gz")
    print(plot_profiles(table, args.year, args.output or Path(f"profiles-{args.year}.png")))
    return EXIT_OK


def _run(args: argparse.Namespace, format_summary: object) -> int:
    from energysim.pipeline import run

    if args.hours is not None and args.hours < 1:
        print("error: --hours must be at least 1", file=sys.stderr)
        return EXIT_USAGE

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage:<32} {seconds:8.2f} s", file=sys.stderr, flush=True)

    print(f"energysim: {args.scenario}", file=sys.stderr)
    out = args.output or Path("results") / f"{args.scenario.stem}.nc"
    results = run(
        _load(args),  # type: ignore[arg-type]
        hours=args.hours,
        view=args.view,
        allow_non_optimal=args.allow_non_optimal,
        progress=progress,
        solver_log=args.debug,
        out=out,
    )
    print(format_summary(results, args.lang))  # type: ignore[operator]
    if results.attrs.get("targets_file"):
        print("\n" + _targets_table(results, None, None))
    print(f"\nresults written to {out}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
