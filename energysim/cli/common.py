"""What every command group shares: exit codes, the compose options, loading a scenario, the target table."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_NOT_OPTIMAL, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as a shell reports them
VIEWS = ("sited", "local")


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


def base_results(results: object, base: Path | None) -> tuple[object, Path | None]:
    """The base-year results (``--base``, else the scenario's ``base_results``) and their path; None if absent."""
    from energysim.results import read_results

    attrs = results.attrs  # type: ignore[attr-defined]
    path = base or (Path(attrs["base_results_file"]) if attrs.get("base_results_file") else None)
    return (read_results(path) if path is not None and path.exists() else None), path


def targets_table(results: object, targets: Path | None, base: Path | None, adequacy: object = None) -> str:
    """The target table for a results Dataset, with both files' view, horizon and accounting above it; registry
    and base from the arguments or the results' attrs; adequacy targets read from ``adequacy`` (a study)."""
    from energysim.report.targets import evaluate_targets, format_targets, targets_context
    from energysim.scenario.targets import load_targets

    attrs = results.attrs  # type: ignore[attr-defined]
    registry_path = targets or (Path(attrs["targets_file"]) if attrs.get("targets_file") else None)
    if registry_path is None:
        return "no target registry: pass --targets FILE or name `targets:` in the scenario"
    base_ds, base_path = base_results(results, base)
    registry = load_targets(registry_path)
    lines = [f"plan targets — {registry.plan}", *targets_context(results, base_ds, base_path)]  # type: ignore[arg-type]
    table = evaluate_targets(results, registry, base_ds, adequacy=adequacy)  # type: ignore[arg-type]
    return "\n".join([*lines, format_targets(table)])
