"""Capacity lost to outages, mapped onto the simulated hours by hand (the peak seasons are a subset of the year)."""

from __future__ import annotations

import numpy as np

from energysim.studies.outage_sampling import Intervals, Units, lost_capacity


def test_forced_and_planned_outages_are_counted_once_on_the_simulated_hours():
    """One 100 MW unit, one sample: forced out [2.5, 7), planned out [6, 9) and a planned interval that is empty
    (end ≤ start: none); simulated hours 0, 2, 3, 5, 6, 8, 10. Hour 2 is before the failure (2.5), hours 3-6 lost
    to the forced outage, hour 6 to both but counted once, hour 8 planned, hour 10 back: 0 0 100 100 100 100 0."""
    units = Units(mw=np.array([100.0]), pool=np.array([0]), forced_rate=np.array([0.1]), mttr_h=np.array([5.0]),
                  planned=np.zeros((1, 0, 2)), maintenance_days=np.zeros(1), maintenance_share=np.zeros(1))  # fmt: skip
    forced = Intervals(sample=np.array([0]), unit=np.array([0]), start=np.array([2.5]), end=np.array([7.0]))
    planned = (np.array([[[6.0, 5.0]]]), np.array([[[9.0, 4.0]]]))  # (S, U, M)
    positions = np.array([0, 2, 3, 5, 6, 8, 10])
    lost = lost_capacity(units, forced, planned, positions, pools=1)
    np.testing.assert_array_equal(lost[0, 0], [0, 0, 100, 100, 100, 100, 0])


def test_each_pool_loses_only_its_own_units():
    """Two pools: unit 0 (50 MW, pool 1) out over the whole horizon, unit 1 (30 MW, pool 0) never."""
    units = Units(mw=np.array([50.0, 30.0]), pool=np.array([1, 0]), forced_rate=np.array([0.1, 0.1]),
                  mttr_h=np.array([5.0, 5.0]), planned=np.zeros((2, 0, 2)), maintenance_days=np.zeros(2),
                  maintenance_share=np.zeros(2))  # fmt: skip
    forced = Intervals(sample=np.array([0]), unit=np.array([0]), start=np.array([0.0]), end=np.array([4.0]))
    planned = (np.zeros((1, 2, 0)), np.zeros((1, 2, 0)))
    lost = lost_capacity(units, forced, planned, np.arange(4), pools=2)
    np.testing.assert_array_equal(lost[:, 0], [[0, 0, 0, 0], [50, 50, 50, 50]])
