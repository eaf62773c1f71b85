"""Progress a person can see: HiGHS's phase, iterations and objective read from its callbacks while it runs, drawn
as one line rewritten in place on a terminal (plain lines elsewhere with --progress), and a line per step of the
study commands."""

from __future__ import annotations

import io
import logging

import highspy
import numpy as np
import pytest

import energysim as es
from energysim.cli.live import CLEAR, solve_progress
from energysim.solver import progress
from energysim.solver.highs import _INTERRUPTS, COST_SCALE, new_highs, pass_lp, run_interruptibly
from energysim.solver.progress import Probe, SolveProgress
from tests.conftest import one_region, write_scenario

SIMPLEX_LOG = [
    "Presolving model",
    "Using dual simplex solver",
    "  Iteration        Objective     Infeasibilities num(sum)",
    "          0     3.3775200779e+06 Ph1: 2911(7.01592e+07) 1.2s",
    "       8000     1.2000000000e+07 Pr: 120(3.5e+03); Du: 0(1e-10) 6s",
]
IPX_LOG = [
    "IPX model has 40547 rows, 53569 columns and 369768 nonzeros",
    " Iter       primal obj         dual obj       pinf       dinf       gap      time",
    "  14    1.78568983e+07   7.60697497e+06   2.83e-07   3.47e-15  8.05e-01      11.3",
]
"""Lines of HiGHS 1.15's log (dual simplex; IPX) on a month of the plan."""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _tiny_lp(h: highspy.Highs) -> None:
    """min x + y, x + 2y ≥ 1 (x, y ≥ 0): optimum 0.5."""
    colwise, minimize, inf = int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), highspy.kHighsInf
    start, index, value = np.array([0, 1, 2], np.int32), np.zeros(2, np.int32), np.array([1.0, 2.0])
    bounds = (np.zeros(2), np.full(2, inf), np.ones(1), np.full(1, inf))
    h.passModel(2, 1, 2, colwise, minimize, 0.0, np.ones(2), *bounds, start, index, value, np.zeros(2, np.int32))


def test_the_probe_reads_phase_iterations_and_objective_from_the_log():
    """Objectives in the log are in kCNY (COST_SCALE); phase 1's is not shown; a new method restarts the count."""
    probe = Probe(new_highs({}), COST_SCALE)
    probe._read(SIMPLEX_LOG[0])
    assert probe.snapshot().phase == "presolve"
    probe._read("\n".join(SIMPLEX_LOG[1:4]))
    seen = probe.snapshot()
    assert (seen.phase, seen.iterations) == ("simplex", 0) and seen.objective_cny != seen.objective_cny
    probe._read(SIMPLEX_LOG[4])
    assert (probe.iterations, probe.objective) == (8000, pytest.approx(1.2e10))
    probe._read("\n".join(IPX_LOG))
    seen = probe.snapshot()
    assert (seen.phase, seen.iterations, seen.objective_cny) == ("interior point", 14, pytest.approx(1.78568983e10))
    assert str(seen).startswith("HiGHS: interior point, 14 iterations, objective 17,856.9 MCNY · ")


@pytest.mark.compat
def test_with_the_probe_on_highs_still_stops_when_asked():
    """The probe's callback replaces the plain stop callback: once stopping, it interrupts HiGHS."""
    h = new_highs({"method": "simplex", "highs_options": {"presolve": "off"}})
    _tiny_lp(h)
    probe = Probe(h, COST_SCALE)
    probe.stopping = True
    for kind in _INTERRUPTS:
        h.startCallback(kind)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kInterrupt


@pytest.mark.compat
def test_a_solve_reports_while_it_runs_and_ends_with_a_final_record(tmp_path, monkeypatch, caplog):
    """Reports from the first tick (FIRST_S 0 here); the last record is ``done``, with the simplex's iterations;
    HiGHS prints nothing of its own (its log goes to the probe only); the log settings come back."""
    monkeypatch.setattr(progress, "FIRST_S", 0.0)
    scenario, profiles = one_region([50.0, 80.0] * 12, {"coal": {"kind": "thermal", "capacity_mw": 100, "fuel": "coal",
                                                                 "heat_rate_gj_per_mwh": 10}})  # fmt: skip
    model = es.build_model(es.build_inputs(es.load_scenario(write_scenario(tmp_path, scenario, profiles))))
    from energysim.solver.handoff import compile_lp

    h = new_highs({"method": "simplex"})
    pass_lp(h, compile_lp(model))
    with caplog.at_level(logging.INFO, logger="energysim.progress"):
        run_interruptibly(h)
    records = [r.progress for r in caplog.records if r.name == "energysim.progress"]
    assert records and records[-1].done and not any(r.done for r in records[:-1])
    assert records[-1].phase in ("simplex", "postsolve") and records[-1].elapsed_s >= 0
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert h.getOptionValue("output_flag")[1] is False


def test_nothing_is_read_when_nobody_listens(monkeypatch):
    created = []
    monkeypatch.setattr("energysim.solver.highs.Probe", lambda *a: created.append(a))
    h = new_highs({})
    _tiny_lp(h)
    run_interruptibly(h)
    assert created == [] and not progress.wanted()


def _emit(record: SolveProgress) -> None:
    progress.LOG.info("%s", record, extra={"progress": record})


def test_on_a_terminal_the_line_is_rewritten_in_place_and_erased_at_the_end():
    stream = Terminal()
    with solve_progress(None, stream):
        _emit(SolveProgress(1.0, "presolve"))
        _emit(SolveProgress(1.5, "simplex", 1200, 3.2e9))
        _emit(SolveProgress(2.0, "simplex", 2400, 3.1e9, done=True))
    text = stream.getvalue()
    assert "\n" not in text
    assert (
        text
        == CLEAR
        + "  HiGHS: presolve · 1.0 s"
        + CLEAR
        + ("  HiGHS: simplex, 1,200 iterations, objective 3,200.0 MCNY · 1.5 s")
        + CLEAR
    )
    assert not progress.wanted()  # the logger as it was


def test_elsewhere_plain_lines_only_with_progress_and_never_with_no_progress():
    for wanted, expected in ((None, ""), (False, ""), (True, "  HiGHS: presolve · 1.0 s\n")):
        stream = io.StringIO()
        with solve_progress(wanted, stream):
            _emit(SolveProgress(1.0, "presolve"))
            _emit(SolveProgress(1.5, "presolve"))  # within 5 s of the last line: not repeated
            _emit(SolveProgress(9.0, "simplex", done=True))
        assert stream.getvalue() == expected, wanted
    with solve_progress(False, Terminal()):
        assert not progress.wanted()
