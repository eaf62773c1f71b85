"""Outage spells drawn per unit as its cycles need, geometric spells by inversion, and storage charging in store
order; each against a value by hand."""

from __future__ import annotations

import numpy as np
import pytest

from energysim.inputs.outages import highest_rate
from energysim.studies import outage_sampling
from energysim.studies.outage_sampling import Units, _geometric_scale, forced_intervals
from energysim.studies.sequential import Stores, _by_region, _charge


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
    none = forced_intervals(np.random.default_rng(0), units([0.0], [5.0]), 50, 500)
    assert len(none.start) == 0 and none.unit.dtype.kind == "i"


def test_each_sampled_horizon_starts_in_the_stationary_state():
    """q = 0.3: a unit is down at hour 0 in 30 % of 20,000 samples (memoryless spells: it may start anywhere in an
    outage)."""
    down = forced_intervals(np.random.default_rng(2), units([0.3], [20.0]), 20_000, 100)
    assert (down.start == 0).sum() / 20_000 == pytest.approx(0.3, abs=0.01)


def test_a_rate_hourly_spells_cannot_hold_is_refused():
    """R = 2 h holds at most q = 2/3 (up one hour between two-hour outages); 0.8 is refused, not sampled wrong."""
    with pytest.raises(ValueError, match="whole hours"):
        forced_intervals(np.random.default_rng(0), units([0.8], [2.0]), 10, 100)


def test_the_highest_rate_itself_is_sampled():
    """q = R/(R + 1) exactly (what robustness clips a scaled rate to) gives F = R(1 − q)/q = 1 h up to rounding
    (0.9999999999999998 for R = 4): sampled, not refused; every up spell is one hour, so the down share is
    R/(R + 1) = 0.8."""
    rate = float(highest_rate(4.0))
    down = forced_intervals(np.random.default_rng(3), units([rate], [4.0]), 2_000, 500)
    assert (down.end - down.start).sum() / (2_000 * 500) == pytest.approx(0.8, abs=0.01)


def test_stores_charge_from_their_regions_surplus_in_order():
    """Region 0 has 50 MW spare: store 0 wants min(P 30, room 100/0.8 = 125) = 30, store 1 min(40, (60 − 20)/1)
    = 40 but gets the 20 left; store 2 in region 1 (10 MW spare) wants 25, gets 10. Levels: 100 + 30 × 0.8 = 124,
    20 + 20 = 40, 0 + 10 × 0.5 = 5."""
    stores = Stores(region=np.array([0, 0, 1]), power=np.array([[30.0], [40.0], [25.0]]),
                    energy=np.array([[200.0], [60.0], [100.0]]), eta_charge=np.array([0.8, 1.0, 0.5]),
                    eta_discharge=np.ones(3), loss=np.zeros(3))  # fmt: skip
    soc = np.array([[100.0], [20.0], [0.0]])
    _charge(stores, soc, stores.power[:, 0:1], np.array([[50.0], [10.0]]), 0, _by_region(stores.region))
    np.testing.assert_allclose(soc[:, 0], [124.0, 40.0, 5.0])


def test_charging_all_stores_at_once_equals_one_after_the_other():
    """Random levels, powers per sample, surpluses (some zero) and stores of interleaved regions (0, 1, 0, 2, 1, 0):
    the same levels as charging store by store, as the sequential dispatch did before."""
    rng = np.random.default_rng(5)
    region, samples = np.array([0, 1, 0, 2, 1, 0]), 40
    energy = rng.uniform(50, 200, (6, 1))
    stores = Stores(region=region, power=rng.uniform(0, 60, (6, 1)), energy=energy,
                    eta_charge=rng.uniform(0.7, 1.0, 6), eta_discharge=np.ones(6), loss=np.zeros(6))  # fmt: skip
    soc = rng.uniform(0, 1, (6, samples)) * energy
    power = rng.uniform(0, 60, (6, samples))
    spare = np.where(rng.random((3, samples)) < 0.3, 0.0, rng.uniform(0, 150, (3, samples)))
    expected, left = soc.copy(), spare.copy()
    for b, r in enumerate(region):  # the loop it replaces
        room = (energy[b, 0] - expected[b]) / stores.eta_charge[b]
        charge = np.minimum(np.minimum(left[r], power[b]), np.maximum(room, 0.0))
        expected[b] += charge * stores.eta_charge[b]
        left[r] -= charge
    _charge(stores, soc, power, spare, 0, _by_region(region))
    np.testing.assert_allclose(soc, expected, rtol=1e-12, atol=1e-9)


def test_an_outage_table_hourly_spells_cannot_sample_is_refused_with_every_problem(tmp_path):
    """A repair shorter than an hour, and a rate above R/(R + 1) (R = 3 h: at most 0.75), both named at once."""
    import pandas as pd

    from energysim.errors import ScenarioError
    from energysim.inputs.outages import OUTAGES_CSV, read_outage_classes

    table = pd.read_csv(OUTAGES_CSV).astype({"mttr_h": float})
    table.loc[0, "mttr_h"] = 0.5
    table.loc[1, ["mttr_h", "forced_outage_rate"]] = [3.0, 0.8]
    table.to_csv(tmp_path / "outages.csv", index=False)
    with pytest.raises(ScenarioError) as caught:
        read_outage_classes(tmp_path / "outages.csv")
    text = str(caught.value)
    assert f"{table['class'][0]}.mttr_h" in text and "at least 1 h" in text
    assert f"{table['class'][1]}.forced_outage_rate" in text and "0.75" in text
