"""Commands that solve many times: ``stress``, ``sweep``, ``aggregate``, ``regress``, ``phaseout``, ``adequacy``,
``robustness``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from energysim.cli.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_NOT_OPTIMAL,
    EXIT_OK,
    EXIT_USAGE,
    VIEWS,
    compose_options,
    default_output,
    lang_option,
    load,
    writable,
)
from energysim.errors import Problem, ScenarioError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the study commands."""
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
    compose_options(agg)
    agg.set_defaults(handler=_aggregate)
    stress = sub.add_parser("stress", help="replay stress cases against the fleet the scenario builds")
    stress.add_argument("scenario", type=Path)
    stress.add_argument("--cases", type=Path, nargs="+", help="stress YAML files (default: stress/*.yaml beside it)")
    stress.add_argument("--hours", type=int, help="keep only the first N hours")
    stress.add_argument("--view", choices=VIEWS, help="override the scenario's view")
    lang_option(stress)
    stress.set_defaults(handler=_stress)
    sw = sub.add_parser("sweep", help="solve a grid of variants into a folder of results, one file per variant")
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
        help="folder for the variants' results, sweep.json and one NNNN.nc per variant, resumable (default "
        "results/<name>[-<N>h][-<override,key=value>]-sweep/)",
    )
    sw.add_argument("--workers", type=int, help="solve variants on a local Dask cluster of this many processes")
    sw.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="solve variants on an existing Dask cluster")
    compose_options(sw)
    lang_option(sw)
    sw.set_defaults(handler=_sweep)
    reg = sub.add_parser("regress", help="re-run scenarios and compare their KPIs with stored baselines")
    reg.add_argument("scenarios", type=Path, nargs="*", help="scenario files (default: scenarios/*.yaml)")
    reg.add_argument("--hours", type=int, help="keep only the first N hours (baselines are per horizon)")
    reg.add_argument("--baselines", type=Path, default=Path("scenarios/baselines"), help="baseline folder")
    reg.add_argument("--update", action="store_true", help="rewrite the baselines from these runs")
    reg.add_argument("--all", action="store_true", help="list every KPI with its difference, solver noise included")
    reg.set_defaults(handler=_regress)
    phase = sub.add_parser("phaseout", help="solve with and without the coal-boiler phase-out and compare")
    phase.add_argument("scenario", type=Path)
    phase.add_argument("--hours", type=int, help="keep only the first N hours")
    phase.add_argument("--view", choices=VIEWS, help="override the scenario's view")
    lang_option(phase)
    phase.set_defaults(handler=_phaseout)
    adq = sub.add_parser("adequacy", help="sample peak seasons: LOLE, EUE, loss-of-load probability, worst events")
    adq.add_argument("scenario", type=Path)
    adq.add_argument("--results", type=Path, help="a solved run of the scenario (its built fleet and CHP steam)")
    adq.add_argument("--samples", type=int, default=1000, help="sampled years (default 1000)")
    adq.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    adq.add_argument("--weather-years", type=int, default=10, help="weather years, the shipped one first (10)")
    adq.add_argument("--season", choices=("peak", "year"), default="peak", help="simulate the peak seasons or the year")
    adq.add_argument("--hours", type=int, help="keep only the first N hours")
    adq.add_argument("--outages", type=Path, help="outage classes (default data/outages.csv)")
    adq.add_argument(
        "-o",
        "--output",
        type=Path,
        help="results file (default <run>-adequacy.nc beside --results, else beside "
        "the scenario's run: results/<name>[-<N>h][-<override,key=value>]-adequacy.nc)",
    )
    _cluster_options(adq)
    compose_options(adq)
    lang_option(adq)
    adq.set_defaults(handler=_adequacy)
    rob = sub.add_parser("robustness", help="how sure is each verdict: tornadoes, flip points, probabilities")
    rob.add_argument("scenario", type=Path)
    rob.add_argument("--samples", type=int, default=256, help="joint Latin-hypercube samples (default 256)")
    rob.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    rob.add_argument("--weather-years", type=int, default=10, help="weather years, the shipped one first (10)")
    rob.add_argument("--adequacy-samples", type=int, default=100, help="sampled peak seasons per variant (100)")
    rob.add_argument("--hours", type=int, help="keep only the first N hours")
    rob.add_argument("--view", choices=VIEWS, help="override the scenario's view")
    rob.add_argument("--base", type=Path, help="base-year results for targets measured as a change")
    rob.add_argument("--uncertainty", type=Path, help="uncertain inputs (default data/uncertainty.csv)")
    rob.add_argument("--outages", type=Path, help="outage classes (default data/outages.csv)")
    rob.add_argument(
        "--days",
        type=int,
        metavar="N",
        help="solve every variant on N representative days (picked once from the base) and anchor the values on "
        "the base solved on every hour: full-year base + (variant − base on the days)",
    )
    rob.add_argument(
        "-o",
        "--output",
        type=Path,
        help="folder (default beside the scenario's run: "
        "results/<name>[-<view>][-<N>h][-<override,key=value>]-robustness/)",
    )
    _cluster_options(rob)
    compose_options(rob)
    lang_option(rob)
    rob.set_defaults(handler=_robustness)


def _say(lang: str) -> Callable[[str], None]:
    """A study's progress lines, on stderr, in ``lang``."""
    from energysim.report.i18n import tr_line

    return lambda text: print(tr_line(text, lang), file=sys.stderr, flush=True)  # type: ignore[arg-type]


def _cluster_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="run on a local Dask cluster of this many processes")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask cluster")


def _stress(args: argparse.Namespace) -> int:
    import pandas as pd

    from energysim.cli.live import Steps
    from energysim.inputs import build_inputs
    from energysim.pipeline import run_inputs
    from energysim.report.i18n import table_text, tr
    from energysim.scenario import load_scenario
    from energysim.scenario.stress import load_stress_case
    from energysim.studies.stress import run_stress, stress_report

    files = args.cases or sorted((args.scenario.parent / "stress").glob("*.yaml"))
    if not files:
        print(f"error: no stress cases given and none in {args.scenario.parent / 'stress'}", file=sys.stderr)
        return EXIT_USAGE
    cases = [(f, load_stress_case(f)) for f in files]
    lang = args.lang
    step = Steps(2 + len(cases), lang=lang)
    step(tr("reading the scenario and its profiles", lang))
    inputs = build_inputs(load_scenario(args.scenario).in_view(args.view), hours=args.hours)
    step(tr("solving the scenario: the fleet it builds", lang))
    base = run_inputs(inputs)
    rows, skipped = [], []
    for file, case in cases:
        name = case.name_in(lang)
        step(tr("stress case {name}", lang, name=name))
        try:
            rows.append(stress_report(base, run_stress(inputs, base, case, str(file)), case, lang))
        except ScenarioError as exc:  # e.g. an outage of a unit this scenario does not have
            problem = exc.problems[0]
            skipped.append(f"  {name}: {tr('not applicable here', lang)} — {problem.found} ({problem.expected})")
    if skipped:
        print(tr("skipped:", lang) + "\n" + "\n".join(skipped))
    if not rows:
        return EXIT_INPUT
    table = pd.DataFrame(rows).set_index("case")
    shown = table.drop(columns="carried_by_MW")
    if lang == "zh":
        shown = shown.rename(columns=lambda c: tr(c, lang)).rename_axis(tr("stress case", lang))
    print(table_text(shown, float_format="{:,.1f}"))
    print("\n" + tr("resources carrying the peak hour of each stress period (MW):", lang))
    for case, row in table.iterrows():
        at = tr("{hour}, demand {mw} MW", lang, hour=row.peak_hour, mw=f"{row.peak_MW:,.0f}")
        print(f"  {case} ({at}): {row.carried_by_MW}")
    return EXIT_OK


def _sweep(args: argparse.Namespace) -> int:
    """Every variant into one sweep folder (here, or on Dask workers with --workers/--scheduler); exit 0 only if
    every variant has results, else 1 if every failure is invalid input, 4 if any is an internal error, 3
    otherwise (a variant infeasible or not optimal)."""
    from energysim.report.i18n import pad, tr
    from energysim.studies.sweep import VariantOutcome, run_sweep_folder

    params = _params(args.param)
    scenario = load(args)
    if not params:
        params = dict(scenario.sweep or {})  # type: ignore[attr-defined]
    if not params:
        print("error: nothing to sweep: give --param KEY=V1,V2 or a `sweep:` block", file=sys.stderr)
        return EXIT_USAGE
    out = writable(args.output or default_output(scenario, args, "-sweep"), "--output", folder=True)
    if out.suffix == ".nc" or _holds_other_files(out):
        raise ScenarioError([_not_a_folder(out)], subject="the command line")

    lang = args.lang

    def progress(o: VariantOutcome) -> None:
        if o.state == "failed":  # said once, at the end
            return
        detail = o.error
        if o.state == "solved":
            detail = tr(
                "{cost} MCNY in {seconds} s", lang, cost=f"{o.objective_cny / 1e6:,.1f}", seconds=f"{o.seconds:.1f}"
            )
        print(f"  {pad(tr(o.state, lang), 8)} {o.name} {detail}".rstrip(), file=sys.stderr, flush=True)

    def starting(i: int, n: int, name: str) -> None:
        print(f"  [{i}/{n}] {name} …", file=sys.stderr, flush=True)  # the variant's settings: key=value

    options = {"hours": args.hours, "sets": args.sets, "overrides": args.overrides, "progress": progress}
    try:
        if args.workers or args.scheduler:
            from energysim.studies.distributed import run_distributed_sweep

            outcomes = run_distributed_sweep(
                args.scenario, params, out, workers=args.workers or 2, scheduler=args.scheduler, **options
            )
        else:
            outcomes = run_sweep_folder(args.scenario, params, out, starting=starting, **options)
    except (ValueError, RuntimeError) as exc:  # another sweep in the folder; Dask not installed
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return _sweep_outcomes(outcomes, out, lang)


def _holds_other_files(out: Path) -> bool:
    """Whether ``out`` is a folder with files in it but no sweep (a sweep's folder is resumed)."""
    from energysim.studies.sweep import is_sweep_folder

    return out.is_dir() and not is_sweep_folder(out) and any(not p.name.startswith(".") for p in out.iterdir())


def _not_a_folder(out: Path) -> Problem:
    found = "a .nc file name" if out.suffix == ".nc" else "a folder with other files in it (not a sweep's)"
    return Problem(
        "--output",
        str(out),
        "a new or empty folder for the sweep (sweep.json and one NNNN.nc per variant), or a sweep's to resume",
        found,
        f"give a folder, e.g. {out.with_suffix('')}" if out.suffix == ".nc" else "give a new folder",
    )


def _sweep_outcomes(outcomes: list, out: Path, lang: str = "en") -> int:
    """The objective of each variant, then one line per failure; the exit code by the failures' kinds."""
    from energysim.report.i18n import tr, unit_name
    from energysim.studies.sweep import INPUT, INTERNAL

    failed = [o for o in outcomes if o.state == "failed"]
    for o in outcomes:
        cost = tr(o.state, lang)  # type: ignore[arg-type]
        if o.objective_cny == o.objective_cny:
            cost = f"{o.objective_cny / 1e6:,.1f} {unit_name('MCNY', lang)}"  # type: ignore[arg-type]
        print(f"  {o.index:4d}  {o.name}  {cost}")
    done = len(outcomes) - len(failed)
    said = (
        "{done} of {total} variants have results in {out} (read one with `energysim summary {out} --variant "
        "NAME|INDEX`; all with energysim.open_sweep)"
    )
    print("\n" + tr(said, lang, done=done, total=len(outcomes), out=out))  # type: ignore[arg-type]
    for o in failed:
        print(f"error: variant {o.name} failed ({o.kind}): {o.error}", file=sys.stderr)
    kinds = {o.kind for o in failed}
    if not failed:
        return EXIT_OK
    if kinds == {INPUT}:
        return EXIT_INPUT
    return EXIT_INTERNAL if INTERNAL in kinds else EXIT_NOT_OPTIMAL


def _params(texts: list[str]) -> dict[str, list[object]]:
    """``--param KEY.PATH=V1,V2,…`` → key → values (each read as YAML); a malformed one is an input error."""
    from energysim.scenario.compose import parse_value

    params: dict[str, list[object]] = {}
    problems = []
    for text in texts:
        key, sign, values = text.partition("=")
        items = [v for v in values.split(",") if v.strip()]
        if not sign or not key.strip() or not items:
            problems.append(
                Problem(
                    "--param", text, "KEY.PATH=V1,V2,…", repr(text), "e.g. --param policy.co2_price_cny_per_t=75,150"
                )
            )
            continue
        try:
            params[key.strip()] = [parse_value(v, "--param", key.strip()) for v in items]
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems, subject="the command line")
    return params


def _aggregate(args: argparse.Namespace) -> int:
    """Typical days and their fidelity; with --check, the KPIs of the full year at the capacities they built."""
    import json as _json

    import pandas as pd
    from pydantic import ValidationError

    from energysim.cli.live import Steps
    from energysim.errors import Problem
    from energysim.inputs import build_inputs
    from energysim.inputs.typical_days import fidelity, typical_days
    from energysim.pipeline import run_inputs
    from energysim.scenario.schema import Aggregate
    from energysim.studies.aggregate import check_against_full_year

    scenario = load(args)
    own = scenario.time.aggregate  # type: ignore[attr-defined]
    try:
        spec = Aggregate(
            days=args.days if args.days is not None else (own.days if own else 12),
            seed=args.seed if args.seed is not None else (own.seed if own else 0),
            keep_extremes=not args.no_extremes and (own.keep_extremes if own else True),
        )
    except ValidationError as exc:  # --days or --seed out of range
        problems = [
            Problem(f"--{e['loc'][0]}", str(e["loc"][0]), e["msg"].removeprefix("Input should be "), repr(e["input"]))
            for e in exc.errors()
        ]
        raise ScenarioError(problems, subject="the command line") from None
    step = Steps(5 if args.check else 3)
    step("reading the scenario and its profiles")
    inputs = build_inputs(scenario)  # type: ignore[arg-type]
    step(f"picking {spec.days} typical days (seed {spec.seed})")
    agg = typical_days(inputs, spec.days, seed=spec.seed, keep_extremes=spec.keep_extremes)
    step("measuring their fidelity")
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
        step("solving on the typical days")
        reduced = run_inputs(inputs)
        step("solving the full year at the capacities they built")
        moved = check_against_full_year(inputs, reduced)
        print("\nfull year at the capacities the typical days built:")
        print(moved.to_string(float_format=lambda x: f"{x:,.2f}"))
    return EXIT_OK


def _regress(args: argparse.Namespace) -> int:
    """Every scenario, each reported before the next (a failing one does not stop the others); then one line
    naming those that changed or failed. Exit 0 if none; else 4 if one hit an internal error, 1 if every
    failure is invalid input, 3 otherwise (changed, infeasible or not optimal)."""
    from energysim.studies.sweep import INPUT, INTERNAL, NOT_OPTIMAL, failure_kind, one_line

    files = args.scenarios or sorted(Path("scenarios").glob("*.yaml"))
    if args.update:
        writable(args.baselines, "--baselines", folder=True)
    problems: dict[str, str] = {}  # scenario → kind of failure
    for file in files:
        t0 = time.perf_counter()
        try:
            changed = _regress_one(file, args)
        except Exception as exc:  # reported, and the next scenario runs (Ctrl-C and SIGTERM still stop)
            print(f"{file.stem}: failed ({failure_kind(exc)}): {one_line(exc)}   ({time.perf_counter() - t0:.1f} s)")
            problems[file.stem] = failure_kind(exc)
            continue
        if changed:
            problems[file.stem] = NOT_OPTIMAL
    if not problems:
        return EXIT_OK
    print(
        f"\nregression: {len(problems)} of {len(files)} scenario(s) changed or failed: {', '.join(problems)}",
        file=sys.stderr,
    )
    kinds = set(problems.values())
    if INTERNAL in kinds:
        return EXIT_INTERNAL
    return EXIT_INPUT if kinds == {INPUT} else EXIT_NOT_OPTIMAL


def _regress_one(file: Path, args: argparse.Namespace) -> bool:
    """Run one scenario and print its comparison with its baseline (or write the baseline); True if it changed."""
    from energysim.pipeline import run
    from energysim.studies.regress import compare, format_comparison, write_baseline

    t0 = time.perf_counter()
    suffix = f"-{args.hours}h" if args.hours else ""
    baseline = args.baselines / f"{file.stem}{suffix}.json"
    results = run(file, hours=args.hours)
    if args.update:
        write_baseline(results, baseline)
        print(f"{file.stem}: baseline written to {baseline} ({time.perf_counter() - t0:.1f} s)")
        return False
    comparison = compare(results, baseline)
    print(format_comparison(comparison, all_rows=args.all) + f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    return comparison.failed


def _phaseout(args: argparse.Namespace) -> int:
    from energysim.cli.live import Steps
    from energysim.pipeline import run
    from energysim.report.accounting import co2_basis_text
    from energysim.report.i18n import table_text, tr
    from energysim.report.sectors import phaseout_report
    from energysim.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    if scenario.policy.coal_boiler_phaseout is None:
        print(f"error: {args.scenario} has no `policy.coal_boiler_phaseout` to compare against", file=sys.stderr)
        return EXIT_INPUT
    without = scenario.model_copy(update={"policy": scenario.policy.model_copy(update={"coal_boiler_phaseout": None})})
    without._source = scenario.source
    lang = args.lang
    step = Steps(2, lang=lang)
    results = []
    for s, text in ((without, "solving without the phase-out"), (scenario, "solving with it")):
        step(tr(text, lang))
        results.append(run(s, hours=args.hours, view=args.view))
    rule = scenario.policy.coal_boiler_phaseout
    print(tr("coal boilers of at most {size} t/h shut from {day}:", lang, size=f"{rule.max_unit_size_t_per_h:g}",
             day=rule.from_date))  # fmt: skip
    print(f"{co2_basis_text(results[1], lang)}\n")
    print(table_text(phaseout_report(*results, lang=lang), float_format="{:,.2f}"))
    return EXIT_OK


def _adequacy(args: argparse.Namespace) -> int:
    """Sample the scenario's built fleet over its peak seasons; print and write the adequacy study."""
    from energysim.studies.adequacy import run_adequacy

    scenario = load(args)
    out = writable(args.output or default_output(scenario, args, "-adequacy.nc"), "--output")
    ds = run_adequacy(
        scenario,  # type: ignore[arg-type]
        results_file=args.results,
        samples=args.samples,
        seed=args.seed,
        weather_years=args.weather_years,
        season=args.season,
        hours=args.hours,
        outages=args.outages,
        workers=args.workers,
        scheduler=args.scheduler,
        out=out,
        say=_say(args.lang),
    )
    from energysim.report.adequacy import format_adequacy
    from energysim.report.i18n import tr

    print(format_adequacy(ds, args.lang))
    if ds.attrs.get("targets_file"):
        print("\n" + _adequacy_targets(ds, args.lang))
    print("\n" + tr("adequacy study written to {out}", args.lang, out=out))
    return EXIT_OK


def _adequacy_targets(ds: object, lang: str) -> str:
    """The registry's adequacy targets judged on the study, as `energysim targets` shows them."""
    from energysim.report.i18n import tr
    from energysim.report.targets import evaluate_targets, format_targets
    from energysim.scenario.targets import ADEQUACY_METRICS, load_targets

    registry = load_targets(ds.attrs["targets_file"])  # type: ignore[attr-defined]
    mine = registry.model_copy(update={"targets": [t for t in registry.targets if t.metric in ADEQUACY_METRICS]})
    if not mine.targets:
        return tr("plan targets: none of the registry's targets is an adequacy metric", lang)  # type: ignore[arg-type]
    table = evaluate_targets(ds, mine, adequacy=ds)  # type: ignore[arg-type]
    return f"{tr('plan targets', lang)} — {registry.plan}\n" + format_targets(table, lang)  # type: ignore[arg-type]


def _robustness(args: argparse.Namespace) -> int:
    """Solve the one-at-a-time and joint variants (resuming a folder), print each verdict's probability and
    drivers; exit 0 if every variant solved, else 3 (the summary covers those that did)."""
    from energysim.report.i18n import tr
    from energysim.report.robustness import format_robustness
    from energysim.studies.robustness import Source, robustness_study

    out = writable(args.output or default_output(load(args), args, "-robustness"), "--output", folder=True)
    source = Source(str(args.scenario), tuple(args.overrides), tuple(args.sets), args.view, args.hours)
    try:
        ds = robustness_study(
            source,
            out,
            samples=args.samples,
            seed=args.seed,
            weather_years=args.weather_years,
            adequacy_samples=args.adequacy_samples,
            base_file=args.base,
            uncertainty=args.uncertainty,
            outages=args.outages,
            workers=args.workers,
            scheduler=args.scheduler,
            days=args.days,
            say=_say(args.lang),
        )
    except ScenarioError:  # bad input (e.g. --days on a horizon of part days): one line, exit 1
        raise
    except ValueError as exc:  # another study in the folder
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(format_robustness(ds, args.lang))
    written = "robustness study written to {out} (one JSON file per variant beside it)"
    print("\n" + tr(written, args.lang, out=out / "robustness.nc"))
    failed = int(ds.attrs["failed_variants"])
    if failed:
        print(f"error: {failed} variant(s) failed; see variant_error in the file", file=sys.stderr)
        return EXIT_NOT_OPTIMAL
    return EXIT_OK
