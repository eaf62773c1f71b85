"""What every command group shares: exit codes, the compose options, loading a scenario, the target table."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NOT_OPTIMAL, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as a shell reports them
VIEWS = ("sited", "local")
LANGS = ("en", "zh")
"""The languages of :data:`energysim.report.i18n.Lang` (written here too: the parser imports no report module)."""


def lang_option(parser: argparse.ArgumentParser, what: str = "report") -> None:
    """``--lang en|zh`` (default English): ``what`` the command prints or draws in that language."""
    parser.add_argument("--lang", choices=LANGS, default="en", help=f"{what} in English or Chinese")


def compose_options(parser: argparse.ArgumentParser) -> None:
    """``--set KEY.PATH=VALUE`` and ``--override NAME`` (both repeatable)."""
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


def load(args: argparse.Namespace) -> object:
    """The scenario named on the command line, with its ``--override`` and ``--set``."""
    from energysim.scenario import load_scenario

    return load_scenario(args.scenario, overrides=args.overrides, sets=args.sets)


def default_output(scenario: object, args: argparse.Namespace, suffix: str = ".nc") -> Path:
    """Where a command writes when no ``-o`` is given: ``results/`` + the run's name (scenario, view, horizon,
    overrides and sets, :mod:`energysim.results.naming`) + ``suffix`` (a study's: ``-sweep``, ``-adequacy.nc``,
    ``-robustness``), where ``energysim targets`` and ``report`` look for it; a study of ``--results RUN.nc``
    goes beside that run, ``RUN<suffix>``."""
    from energysim.results.naming import default_results_path

    given = getattr(args, "results", None)
    if given is not None:
        return given.with_name(given.stem + suffix)
    return default_results_path(
        scenario,  # type: ignore[arg-type]
        view=getattr(args, "view", None),
        hours=args.hours,
        overrides=args.overrides,
        sets=[*args.sets, *([f"weather_year={args.weather_year}"] if getattr(args, "weather_year", 0) else [])],
        suffix=suffix,
    )


def writable(path: Path, option: str, *, folder: bool = False) -> Path:
    """``path`` if energysim can write it (a new or regular file, or a folder with ``folder``); checked before any
    solve, so that a bad ``-o`` never costs a run."""
    from energysim.errors import ScenarioError
    from energysim.scenario.paths import output_problems

    problems = output_problems(path, option, folder=folder)
    if problems:
        raise ScenarioError(problems, subject="the command line")
    return path


def open_results(path: Path, option: str = "results", variant: str | None = None) -> object:
    """The results of the one run at ``path`` (a run's file, or a sweep's variant), checked
    (:func:`energysim.cli.reading.open_results`)."""
    from energysim.cli.reading import open_results as read

    return read(path, option, variant)


def named_by(results: object, results_path: Path | None, attr: str) -> Path | None:
    """A file a results file names in its attrs (``targets_file``, ``base_results_file``), if it lies inside the
    results file's project, the working folder's project or a data root (a results file from elsewhere could
    name any file on the machine)."""
    from energysim.errors import Problem, ScenarioError
    from energysim.scenario.paths import allowed_roots, inside

    value = results.attrs.get(attr)  # type: ignore[attr-defined]
    if not value:
        return None
    path = Path(value)
    roots = allowed_roots(Path.cwd() / "results.nc")
    roots += allowed_roots(results_path) if results_path is not None else []
    if not inside(path, roots):
        option = "--targets" if attr == "targets_file" else "--base"
        problem = Problem(
            str(results_path or "results"),
            attr,
            f"a file inside the working folder's or the results file's project ({roots[0]})",
            f"{value!r}, which is outside it",
            f"give the file with {option} FILE, or allow its folder with --data-root DIR",
        )
        raise ScenarioError([problem], subject="the results file")
    return path


def base_results(results: object, base: Path | None, results_path: Path | None = None) -> tuple[object, Path | None]:
    """The base-year results (``--base``, else the scenario's ``base_results`` if inside the allowed roots) and
    their path; None if absent."""
    path = base or named_by(results, results_path, "base_results_file")
    return (open_results(path, "base results") if path is not None and path.exists() else None), path


def targets_table(
    results: object,
    targets: Path | None,
    base: Path | None,
    results_path: Path | None = None,
    adequacy: object = None,
    lang: str = "en",
) -> str:
    """The target table for a results Dataset, with both files' view, horizon and accounting above it; registry
    and base from the arguments or the results' attrs; adequacy targets read from ``adequacy`` (a study); the
    table in ``lang``."""
    from energysim.report.i18n import tr
    from energysim.report.targets import evaluate_targets, format_targets, targets_context
    from energysim.scenario.targets import load_targets

    registry_path = targets or named_by(results, results_path, "targets_file")
    if registry_path is None:
        return "no target registry: pass --targets FILE or name `targets:` in the scenario"
    base_ds, base_path = base_results(results, base, results_path)
    registry = load_targets(registry_path)
    context = targets_context(results, base_ds, base_path, lang)  # type: ignore[arg-type]
    lines = [f"{tr('plan targets', lang)} — {registry.plan}", *context]  # type: ignore[arg-type]
    table = evaluate_targets(results, registry, base_ds, adequacy=adequacy)  # type: ignore[arg-type]
    return "\n".join([*lines, format_targets(table, lang)])  # type: ignore[arg-type]
