"""Ctrl-C and SIGTERM stop a solve at HiGHS's next check and leave no file behind; HiGHS's interrupt callbacks
work on the installed highspy."""

from __future__ import annotations

import _thread
import signal
import subprocess
import sys
import threading
import time

import highspy
import numpy as np
import pytest

import energysim as es
from energysim.cli import EXIT_INTERRUPTED, EXIT_TERMINATED
from energysim.solver.handoff import compile_lp
from energysim.solver.highs import _INTERRUPTS, _stop, new_highs, pass_lp, run_interruptibly
from tests.conftest import DEFAULT_SCENARIO

PROMPT_S = 2.0
"""The longest accepted time from a signal during HiGHS's iterations to the exit (HiGHS checks at each one)."""


def _tiny_lp(h: highspy.Highs) -> None:
    """min x + y, x + 2y ≥ 1 (x, y ≥ 0): a few iterations, optimum 0.5."""
    colwise, minimize, inf = int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), highspy.kHighsInf
    start, index, value = np.array([0, 1, 2], np.int32), np.zeros(2, np.int32), np.array([1.0, 2.0])
    bounds = (np.zeros(2), np.full(2, inf), np.ones(1), np.full(1, inf))
    h.passModel(2, 1, 2, colwise, minimize, 0.0, np.ones(2), *bounds, start, index, value, np.zeros(2, np.int32))


@pytest.mark.compat
@pytest.mark.parametrize("method", ["simplex", "ipm"])
def test_highs_stops_at_its_interrupt_callback(method):
    h = new_highs({"method": method, "highs_options": {"presolve": "off"}})
    _tiny_lp(h)
    h.setCallback(_stop, None)
    for callback_type in _INTERRUPTS:
        h.startCallback(callback_type)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kInterrupt, h.version()


@pytest.mark.compat
def test_ctrl_c_stops_highs_and_leaves_the_instance_as_it_was():
    """``_thread.interrupt_main`` is Ctrl-C for this process; HiGHS stops, the KeyboardInterrupt goes on, and
    the instance afterwards has its time limit back and no interrupt callback active."""
    inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO, sets=["solver.method=ipm"]), hours=24 * 60)
    options = {"method": "ipm", "time_limit_s": 1800.0}
    h = new_highs(options)
    pass_lp(h, compile_lp(es.build_model(inputs, arrays_only=True)))
    threading.Timer(0.3, _thread.interrupt_main).start()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        run_interruptibly(h)
    assert time.perf_counter() - t0 < PROMPT_S + 0.3
    assert h.getModelStatus() in (highspy.HighsModelStatus.kInterrupt, highspy.HighsModelStatus.kTimeLimit)
    assert h.getOptionValue("time_limit")[1] == 1800.0
    h.clearModel()
    _tiny_lp(h)
    run_interruptibly(h)
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getInfo().objective_function_value == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGINT, EXIT_INTERRUPTED, "interrupted"), (signal.SIGTERM, EXIT_TERMINATED, "terminated")],
)
def test_a_signal_during_a_long_solve_stops_it_at_once_and_leaves_no_file(tmp_path, signum, code, said):
    """Two weeks of the plan by interior point (iteration 0 some 6 s after the start, then about 5 s of
    iterations of a fraction of a second each on two loaded cores; the full year takes 30 s to reach iteration 0):
    the signal comes at its first iteration (HiGHS's log, on stdout with --debug, says when)."""
    out = tmp_path / "plan.nc"
    args = ["--debug", "run", str(DEFAULT_SCENARIO), "--hours", "336", "--set", "solver.method=ipm", "-o", str(out)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "energysim.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal, even under CI
    )
    try:
        log = []
        for line in proc.stdout:
            log.append(line)
            if line.split()[:1] == ["0"]:  # IPX's iteration 0
                break
        assert [p.name for p in tmp_path.iterdir()] != [], "the results writer has begun: " + "".join(log)
        t0 = time.perf_counter()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
        seconds = time.perf_counter() - t0
    finally:
        proc.kill()
    assert proc.returncode == code, "".join(log) + err
    assert said in err
    assert seconds < PROMPT_S, f"{seconds:.1f} s from the signal to the exit"
    assert list(tmp_path.iterdir()) == []  # no temporary file, no results
