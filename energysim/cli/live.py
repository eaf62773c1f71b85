"""The live line during a solve: HiGHS's phase, iterations, objective and elapsed time on stderr.

On a terminal the line is rewritten in place (carriage return) twice a second and erased when HiGHS finishes;
with ``--progress`` on a pipe or file, a plain line every :data:`PLAIN_EVERY_S` seconds instead; ``--no-progress``
turns both off. The solver reports through the ``energysim.progress`` logger (:mod:`energysim.solver.progress`);
this module only draws.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import time
from collections.abc import Iterator
from typing import TextIO

PLAIN_EVERY_S = 5.0
"""Seconds between two plain progress lines (not on a terminal)."""
CLEAR = "\r\033[K"
"""Back to the start of the line, and erase it."""


class LiveLine(logging.Handler):
    """Draws progress records: in place on a terminal (``live``), else as plain lines every ``every_s``."""

    def __init__(self, stream: TextIO, *, live: bool, every_s: float = PLAIN_EVERY_S) -> None:
        super().__init__(logging.INFO)
        self.stream, self.live, self.every_s = stream, live, every_s
        self.shown = False
        self.last = float("-inf")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            progress = getattr(record, "progress", None)
            done = bool(getattr(progress, "done", False))
            text = f"  {record.getMessage()}"
            if self.live:
                if done:
                    self.clear()
                    return
                width = shutil.get_terminal_size((100, 20)).columns - 1
                self.stream.write(CLEAR + text[:width])
                self.shown = True
            elif not done and time.monotonic() - self.last >= self.every_s:
                self.stream.write(text + "\n")
                self.last = time.monotonic()
            self.stream.flush()
        except Exception:  # a closed or broken stream: progress is not worth a failure
            self.handleError(record)

    def clear(self) -> None:
        """Erase the live line, if one is shown."""
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.shown = False


@contextlib.contextmanager
def solve_progress(wanted: bool | None, stream: TextIO | None = None) -> Iterator[LiveLine | None]:
    """While a command runs, draw HiGHS's progress on ``stream`` (stderr): ``wanted`` None — live on a terminal
    only; True — live on a terminal, plain lines elsewhere; False — never. Leaves the logger as it found it."""
    stream = stream or sys.stderr
    terminal = bool(getattr(stream, "isatty", lambda: False)())
    if wanted is False or (wanted is None and not terminal):
        yield None
        return
    log = logging.getLogger("energysim.progress")
    handler = LiveLine(stream, live=terminal)
    before = (log.level, log.propagate)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # not also through --debug's root handler
    try:
        yield handler
    finally:
        handler.clear()
        log.removeHandler(handler)
        log.setLevel(before[0])
        log.propagate = before[1]


class Steps:
    """One line per step of a long command, on stderr: its number, the time since the command began, what it
    does (``aggregate``, ``stress``, ``phaseout``; sweeps print one line per variant)."""

    def __init__(self, total: int, stream: TextIO | None = None, *, lang: str = "en") -> None:
        self.total, self.stream = total, stream or sys.stderr
        self.seconds = "秒" if lang == "zh" else " s"
        self.done = 0
        self.t0 = time.perf_counter()

    def __call__(self, text: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.t0
        print(f"  [{self.done}/{self.total}] {elapsed:6.1f}{self.seconds}  {text} …", file=self.stream, flush=True)
