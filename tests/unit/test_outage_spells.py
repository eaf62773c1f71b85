"""Outage spells drawn per unit as its cycles need, geometric spells by inversion, and storage charging in store
order; each against a value by hand."""

from __future__ import annotations

import numpy as np
import pytest

from energysim.studies import outage_sampling
from energysim.studies.outage_sampling import Units, _geometric_scale, forced_intervals
from energysim.studies.sequential import Stores, _charge, _earlier_in_region


def units(rate: list[float], mttr_h: list[float]) -> Units:
    n = len(rate)
    return Units(mw=np.full(n, 100.0), pool=np.zeros(n, int), forced_rate=np.array(rate), mttr_h=np.array(mttr_h),
                 planned=np.zeros((n, 0, 2)), maintenance_days=np.zeros(n), maintenance_share=np.zeros(n))  # fmt: skip


def test_a_spell_by_inversion_is_geometric():
    """⌊E · scale⌋ + 1, scale = 1/−ln(1 − p): P(spell = 1) = p, mean 1/p; p = 0.2 → 0.2 and 5; p = 1 → always 1."""
    e = np.random.default_rng(0).standard_exponential(400_000)
    spell = np.floor(e * _geometric_scale(np.array([0.2]))) + 1
    assert (spell == 1).mean() == pytest.approx(0.2, abs=0.003)
    assert spell.mean() == pytest.approx(5.0, rel=0.01)
    assert set(np.floor(e * _geometric_scale(np.array([1.0]))) + 1) == {1.0}


def test_spells_drawn_past_the_first_batch_keep_the_process_right(monkeypatch):
    """Two units: q = 0.1, R = 10 h (cycle F + R = 100 h) and q = 0.5, R = 2 h (cycle 4 h). With one spell drawn
    at first (SPELLS_FIRST → 0, k = 4 spells, far fewer than a 2,000 h horizon holds), each sample must draw more
    until it is past the horizon: the share of hours out stays q, the outages per sample 2,000/cycle, and no
    interval starts beyond the horizon."""
    monkeypatch.setattr(outage_sampling, "SPELLS_FIRST", 0.0)
    hours, samples = 2000, 400
    down = forced_intervals(np.random.default_rng(1), units([0.1, 0.5], [10.0, 2.0]), samples, hours)
    assert down.start.max() < hours and down.end.max() <= hours
    for u, (q, cycle) in enumerate([(0.1, 100.0), (0.5, 4.0)]):
        mine = down.unit == u
        share = (down.end[mine] - down.start[mine]).sum() / (samples * hours)
        assert share == pytest.approx(q, rel=0.03)
        assert mine.sum() / samples == pytest.approx(hours / cycle, rel=0.03)


def test_a_unit_that_never_fails_has_no_intervals():
    down = forced_intervals(np.random.default_rng(0), units([0.0, 0.1], [5.0, 5.0]), 50, 500)
    assert set(down.unit) == {1}


def test_stores_charge_from_their_regions_surplus_in_order():
    """Region 0 has 50 MW spare: store 0 wants min(P 30, room 100/0.8 = 125) = 30, store 1 min(40, (60 − 20)/1)
    = 40 but gets the 20 left; store 2 in region 1 (10 MW spare) wants 25, gets 10. Levels: 100 + 30 × 0.8 = 124,
    20 + 20 = 40, 0 + 10 × 0.5 = 5."""
    stores = Stores(region=np.array([0, 0, 1]), power=np.array([[30.0], [40.0], [25.0]]),
                    energy=np.array([[200.0], [60.0], [100.0]]), eta_charge=np.array([0.8, 1.0, 0.5]),
                    eta_discharge=np.ones(3), loss=np.zeros(3))  # fmt: skip
    soc = np.array([[100.0], [20.0], [0.0]])
    _charge(stores, soc, stores.power[:, 0:1], np.array([[50.0], [10.0]]), 0, _earlier_in_region(stores.region))
    np.testing.assert_allclose(soc[:, 0], [124.0, 40.0, 5.0])
