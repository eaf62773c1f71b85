"""Unit strings and the few conversion constants, in one place."""

from __future__ import annotations

MW = "MW"
MWH = "MWh"
TCO2 = "tCO2"
CNY = "CNY"
CNY_PER_MWH = "CNY/MWh"
PU = "1"  # per unit (dimensionless)

HOURS_PER_YEAR = 8760.0
"""Hours in a non-leap year; used only to describe annual-to-hourly conversions in docs and tests."""

KW_PER_MW = 1000.0
"""kW per MW: ``capex_cny_per_kw`` × KW_PER_MW = CNY per MW."""

GJ_PER_MWH = 3.6
"""GJ of energy in one MWh (used when a heat rate is given as an efficiency)."""

GJ_PER_TCE = 29.3076
"""GJ in one tonne of standard coal equivalent (tce), GB/T 2589-2020."""
