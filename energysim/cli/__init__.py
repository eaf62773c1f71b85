"""energysim: one-line errors, progress by stage, summary tables, distinct exit codes.

Exit codes: 0 ok · 1 invalid input · 2 usage · 3 infeasible or not optimal · 4 internal error · 130 interrupted
(Ctrl-C) · 143 terminated (SIGTERM). Both signals stop HiGHS within an iteration and remove temporary files.
Commands by group: :mod:`.scenario` (run, validate, show), :mod:`.results` (summary, targets, plot, report,
compare), :mod:`.studies` (stress, sweep, aggregate, regress, phaseout), :mod:`.profiles`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from energysim.cli import profiles, results, scenario, studies
from energysim.cli.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NOT_OPTIMAL,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_USAGE,
)
from energysim.cli.live import solve_progress
from energysim.errors import InfeasibleError, ScenarioError, SolverError, UsageError

GROUPS = (scenario, results, studies, profiles)
"""Each group's ``add_parsers(sub)`` registers its commands with a ``handler`` default."""


def parser() -> argparse.ArgumentParser:
    """The command-line parser: every group's commands."""
    p = argparse.ArgumentParser(prog="energysim", description=__doc__.splitlines()[0])
    p.add_argument("--version", action=_Version, help="print energysim's version and exit")
    p.add_argument("--debug", action="store_true", help="show tracebacks and solver logs")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a live line while HiGHS solves (iterations, objective, time); default: on a terminal only; "
        "--progress on a pipe or file writes a plain line every 5 s",
    )
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


class _Version(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked (``importlib.metadata`` scans
    every installed distribution)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        import energysim

        print(f"energysim {energysim.__version__}")
        parser.exit()


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the command unwinds as on Ctrl-C: HiGHS is stopped, temporary
    files are removed (a ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` takes it)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While a command runs, SIGTERM raises :class:`Terminated` (by default it kills at once, leaving temporary
    files behind). Only the main thread can set a handler; the previous one is put back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; returns the exit code.

    Called as the ``energysim`` command (no ``argv``), the process ends right after: the objects left are frozen,
    so that Python's last garbage collection at exit does not walk them (3 s of a 3.3 s exit on a busy 2-core
    machine, after Ctrl-C as after any run).
    """
    try:
        return _main(argv)
    finally:
        if argv is None:
            gc.freeze()


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.debug:  # energysim's own messages: DEBUG everywhere made Pyomo print (and fail on) every component
        logging.getLogger("energysim").setLevel(logging.DEBUG)
    if args.data_root:  # the process's setting, so that sweep workers started from here see it too
        from energysim.scenario.paths import DATA_ROOT_ENV

        given = [str(Path(d).expanduser().resolve()) for d in args.data_root]
        os.environ[DATA_ROOT_ENV] = os.pathsep.join([*given, *filter(None, [os.environ.get(DATA_ROOT_ENV)])])
    try:
        with _sigterm_unwinds(), solve_progress(args.progress):
            return args.handler(args)
    except UsageError as exc:  # e.g. a sweep read without --variant: what to add is in the message
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
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
        print("interrupted; no partial results were written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("terminated; no partial results were written.", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as exc:  # an energysim bug: say so plainly, traceback only on request
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_OPTIMAL",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "Terminated",
    "main",
    "parser",
]
