"""What HiGHS is doing while it runs: phase, iterations, objective and elapsed time, for a live line.

Read through HiGHS's callbacks, at a cost a solve does not notice: its log lines (the logging callback, a few
hundred per solve: the phase, the simplex and interior-point iteration lines with their objective) and, twice a
second, one call of the interrupt callbacks (the simplex iteration count between its log lines, the MIP's nodes
and bounds), switched off again at once — kept on, they take the GIL at every iteration (+0.9 s on an 8 s
full-year solve, see :func:`energysim.solver.highs._ask_to_stop`).

Progress goes to the ``energysim.progress`` logger at INFO, each record carrying a :class:`SolveProgress` as
``record.progress``; nothing is read unless that logger is enabled (the command line enables it on a terminal,
or with ``--progress``: :mod:`energysim.cli.live`).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import highspy

LOG = logging.getLogger("energysim.progress")
EVERY_S = 0.5
"""Seconds between two progress records."""
FIRST_S = 1.0
"""No record before this: a solve shorter than it shows nothing."""

_T = highspy.cb.HighsCallbackType
SAMPLED = (_T.kCallbackSimplexInterrupt, _T.kCallbackIpmInterrupt, _T.kCallbackMipInterrupt)
"""Callbacks switched on for one call per sample."""
_NUMBER = r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf)"
_SIMPLEX = re.compile(rf"^\s*(\d+)\s+({_NUMBER})\s+(Ph1|Pr|Du)", re.IGNORECASE)
"""A simplex log line: iteration, objective, phase (Ph1: the objective is of feasibility, not shown)."""
_IPM = re.compile(rf"^\s*(\d+)\*?\s+({_NUMBER})\s+({_NUMBER})\s+{_NUMBER}")
"""An interior-point (IPX) log line: iteration, primal objective, dual objective, …"""
_PHASES = (
    ("Presolving", "presolve"),
    ("Solving MIP", "branch and bound"),
    ("simplex", "simplex"),
    ("IPX", "interior point"),
    ("HiPO", "interior point"),
    ("PDLP", "PDLP"),
    ("Crossover", "crossover"),
    ("postsolve", "postsolve"),
)
"""A log message containing the first text starts the phase named second."""


@dataclass(frozen=True)
class SolveProgress:
    """One look at a running HiGHS. ``objective`` is HiGHS's current one in CNY, of the presolved problem it is
    solving (without the offset of fixed terms: an indication, not the answer); NaN until it is known."""

    elapsed_s: float
    phase: str
    iterations: int = 0
    objective_cny: float = float("nan")
    mip_gap: float = float("nan")
    mip_nodes: int = 0
    done: bool = False

    def __str__(self) -> str:
        parts = [self.phase]
        if self.iterations:
            parts.append(f"{self.iterations:,} iterations")
        if self.mip_nodes or self.mip_gap == self.mip_gap:
            parts.append(f"{self.mip_nodes:,} nodes, gap {self.mip_gap:.2%}")
        if self.objective_cny == self.objective_cny:
            parts.append(f"objective {self.objective_cny / 1e6:,.1f} MCNY")
        return f"HiGHS: {', '.join(parts)} · {self.elapsed_s:.1f} s"


def wanted() -> bool:
    """Whether anyone listens to solve progress."""
    return LOG.isEnabledFor(logging.INFO)


class Probe:
    """Reads a running HiGHS through its callbacks (it installs :meth:`callback` as HiGHS's user callback) and
    reports from the waiting thread (:meth:`tick`). Also HiGHS's stop switch: once :attr:`stopping`, the interrupt
    callbacks ask HiGHS to stop (:func:`energysim.solver.highs.run_interruptibly`)."""

    def __init__(self, h: highspy.Highs, cost_scale: float) -> None:
        self.h, self.cost_scale = h, cost_scale
        self.stopping = False
        self.lock = threading.Lock()  # between a sample switching its callback off and a stop switching it on
        self.t0 = time.perf_counter()
        self.next_report = self.t0 + FIRST_S
        self.phase, self.iterations, self.objective = "starting", 0, float("nan")
        self.mip_gap, self.mip_nodes = float("nan"), 0
        self._log_settings = (h.getOptionValue("output_flag")[1], h.getOptionValue("log_to_console")[1])
        if not self._log_settings[0]:  # the log to this callback only, not to the console
            h.setOptionValue("output_flag", True)
            h.setOptionValue("log_to_console", False)
        h.setCallback(self.callback, None)  # before starting any: setting the callback stops them all
        h.startCallback(_T.kCallbackLogging)

    def callback(
        self,
        kind: highspy.cb.HighsCallbackType,
        message: str,
        data_out: highspy.cb.HighsCallbackOutput,
        data_in: highspy.cb.HighsCallbackInput,
        user_data: Any,
    ) -> None:
        """HiGHS user callback: read a log line, or take one sample; stop HiGHS once :attr:`stopping`."""
        if kind == _T.kCallbackLogging:
            self._read(message)
            return
        with self.lock:
            if self.stopping:
                data_in.user_interrupt = True
                return
            self.h.stopCallback(_T(int(kind)))  # an int in highspy 1.15, the enum in its stubs
        if kind == _T.kCallbackSimplexInterrupt and data_out.simplex_iteration_count > self.iterations:
            self.iterations = int(data_out.simplex_iteration_count)
        elif kind == _T.kCallbackMipInterrupt:
            self.phase, self.mip_nodes = "branch and bound", int(max(data_out.mip_node_count, 0))
            self.mip_gap = float(data_out.mip_gap) if abs(data_out.mip_gap) < 1e20 else float("nan")
            if abs(data_out.mip_primal_bound) < 1e20:
                self.objective = float(data_out.mip_primal_bound) / self.cost_scale

    def _read(self, message: str) -> None:
        for line in message.splitlines():
            if match := _SIMPLEX.match(line):
                self.phase = "simplex" if self.phase not in ("crossover", "branch and bound") else self.phase
                self.iterations = max(self.iterations, int(match[1]))
                if match[3].lower() != "ph1":
                    self.objective = float(match[2]) / self.cost_scale
                continue
            if (match := _IPM.match(line)) and self.phase in ("interior point", "crossover"):
                self.iterations = int(match[1])
                self.objective = float(match[2]) / self.cost_scale
                continue
            for text, phase in _PHASES:
                if text.lower() in line.lower():
                    if phase != self.phase and phase in ("interior point", "simplex"):
                        self.iterations, self.objective = 0, float("nan")
                    self.phase = phase
                    break

    def tick(self) -> None:
        """From the waiting thread: ask for one sample, and report if it is time."""
        now = time.perf_counter()
        if now < self.next_report:
            return
        self.next_report = now + EVERY_S
        with self.lock:
            if not self.stopping:
                for kind in SAMPLED:
                    self.h.startCallback(kind)
        LOG.info("%s", self.snapshot(now), extra={"progress": self.snapshot(now)})

    def snapshot(self, now: float | None = None, *, done: bool = False) -> SolveProgress:
        elapsed = (now or time.perf_counter()) - self.t0
        return SolveProgress(
            elapsed, self.phase, self.iterations, self.objective, self.mip_gap, self.mip_nodes, done=done
        )

    def _settle(self) -> None:
        """The last record says what ran even if the log never said it (older highspy releases send the log
        elsewhere): the phase and iterations from HiGHS's own counts."""
        info = self.h.getInfo()
        simplex, ipm = max(int(info.simplex_iteration_count), 0), max(int(info.ipm_iteration_count), 0)
        if self.phase == "starting":
            self.phase = "interior point" if ipm else "simplex" if simplex else "postsolve"
        self.iterations = max(self.iterations, simplex if self.phase != "interior point" else ipm)

    def close(self) -> None:
        """After the run: the callbacks off, the log settings back, a last record (``done``) to end the line."""
        for kind in (*SAMPLED, _T.kCallbackLogging):
            self.h.stopCallback(kind)
        self.h.setOptionValue("output_flag", self._log_settings[0])
        self.h.setOptionValue("log_to_console", self._log_settings[1])
        if time.perf_counter() >= self.t0 + FIRST_S:
            self._settle()
            final = self.snapshot(done=True)
            LOG.info("%s", final, extra={"progress": final})
