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


def targets_table(results: object, targets: Path | None, base: Path | None) -> str:
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
