"""Qinshan's hourly availability: its nine units with their refuelling outages, instead of a flat 0.87.

Qinshan (6,564 MW, ≈50 TWh/yr, JX §2) has seven PWRs — Qinshan I (≈350 MW), Qinshan II (4 × ≈650) and
Fangjiashan (2 × ≈1,080) — refuelled every 12-18 months in outages of 20-35 days (record 18), with a 10-year
outage of 50-70 days about once a decade each, and two CANDU units (Qinshan III, 2 × 727) that refuel on
power and stop about every two years for 30-40 days (facts §3). That makes ≈5 PWR refuellings a year (one
of them a long 10-year outage in 2024) and one CANDU stop (a 10-year outage in 2025), all in spring
(March-May) or autumn (September-November), none in the peak seasons (July-August, December-January). The
dates below are estimates with those properties. The rest of the time the station runs at the factor that
makes the year's output 50 TWh (≈0.92 of nameplate: station service, forced outages, end-of-cycle
coast-down; E).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

QINSHAN_UNITS_MW = {
    "qinshan_1": 350.0,
    "qinshan_2_1": 650.0,
    "qinshan_2_2": 650.0,
    "qinshan_2_3": 650.0,
    "qinshan_2_4": 650.0,
    "qinshan_3_1": 727.0,
    "qinshan_3_2": 727.0,
    "fangjiashan_1": 1080.0,
    "fangjiashan_2": 1080.0,
}
"""Unit sizes, MW (JX §2: I ≈310-350, II 4 × ≈650, III 2 × 728 gross, Fangjiashan 2 × ≈1,080; III set to 727
so the station adds up to its 6,564 MW)."""

QINSHAN_TWH_PER_YEAR = 50.0
"""≈50 TWh/yr (China Daily 2024-02-27, JX §2, S)."""

OUTAGES: dict[int, tuple[tuple[str, str, int], ...]] = {
    2024: (
        ("qinshan_2_1", "2024-03-04", 28),
        ("fangjiashan_1", "2024-03-18", 60),  # 10-year outage (COD 2014-15)
        ("qinshan_2_3", "2024-04-22", 30),
        ("qinshan_3_1", "2024-05-06", 35),  # CANDU planned outage
        ("qinshan_2_2", "2024-09-23", 30),
        ("qinshan_1", "2024-10-14", 25),
    ),
    2025: (
        ("fangjiashan_2", "2025-03-03", 32),
        ("qinshan_2_4", "2025-03-24", 30),
        ("qinshan_2_1", "2025-04-21", 30),
        ("qinshan_3_2", "2025-09-15", 60),  # CANDU 10-year outage
        ("qinshan_2_3", "2025-10-06", 30),
        ("fangjiashan_1", "2025-10-27", 28),
    ),
}
"""Outages by year: unit, first day, days (E; five PWR refuellings a year, one long outage, one CANDU stop)."""


def qinshan_availability(year: int, index: pd.DatetimeIndex) -> np.ndarray:
    """Hourly available share of Qinshan's 6,564 MW, summing to :data:`QINSHAN_TWH_PER_YEAR` over the year."""
    total = sum(QINSHAN_UNITS_MW.values())
    online = np.full(len(index), total)
    days = index.normalize()
    for unit, first, n_days in OUTAGES[year]:
        start = pd.Timestamp(first)
        online[(days >= start) & (days < start + pd.Timedelta(days=n_days))] -= QINSHAN_UNITS_MW[unit]
    share = online / total
    return share * QINSHAN_TWH_PER_YEAR * 1e6 / (share.sum() * total)
