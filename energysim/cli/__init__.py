"""energysim: one-line errors, progress by stage, summary tables, distinct exit codes.

Exit codes: 0 ok · 1 invalid input · 2 usage · 3 infeasible or not optimal · 4 internal error.
Commands by group: :mod:`.scenario` (run, validate, show), :mod:`.results` (summary, targets, plot, report,
compare), :mod:`.studies` (stress, sweep, aggregate, regress, phaseout), :mod:`.profiles`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from energysim.cli import profiles, results, scenario, studies
from energysim.cli.common import EXIT_INPUT, EXIT_INTERNAL, EXIT_NOT_OPTIMAL, EXIT_OK, EXIT_USAGE
from energysim.errors import InfeasibleError, ScenarioError, SolverError

GROUPS = (scenario, results, studies, profiles)
"""Each group's ``add_parsers(sub)`` registers its commands with a ``handler`` default."""


def parser() -> argparse.ArgumentParser:
    """The command-line parser: every group's commands."""
    p = argparse.ArgumentParser(prog="energysim", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks and solver logs")
    p.add_argument(
        "--data-root",
        action="append",
        default=[],
        metavar="DIR",
        help="also let scenarios read files under DIR (repeatable; default: only the scenario's project, the "
        "nearest folder above it holding data/; same as ENERGYSIM_DATA_ROOT)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; returns the exit code."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(message)s")
    if args.data_root:  # the process's setting, so that sweep workers started from here see it too
        from energysim.scenario.paths import DATA_ROOT_ENV

        given = [str(Path(d).expanduser().resolve()) for d in args.data_root]
        os.environ[DATA_ROOT_ENV] = os.pathsep.join([*given, *filter(None, [os.environ.get(DATA_ROOT_ENV)])])
    try:
        return args.handler(args)
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


__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_NOT_OPTIMAL", "EXIT_OK", "EXIT_USAGE", "main", "parser"]
