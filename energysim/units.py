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

MWH_PER_GJ = 1 / 3.6

T_PER_H = "t/h"
CNY_PER_T = "CNY/t"

STEAM_GJ_PER_T = 2.69
"""Heat delivered with one tonne of process steam, GJ/t: the enthalpy rise from make-up water at 20 °C
(h = 84 kJ/kg) to saturated steam at 1.0 MPa (h″ = 2,777 kJ/kg), IAPWS-IF97; the same rise as 1.0 MPa / 250 °C
steam (2,943 kJ/kg) from 60 °C condensate. Industrial process steam (dyeing, paper) mostly returns no condensate.
Other conditions: 2.86 GJ/t for 1.0 MPa / 250 °C from 20 °C, 2.51 from 104 °C deaerated feedwater, 2.96 for
1.3 MPa / 300 °C from 20 °C (shared facts §7). 2.69 reproduces the sourced fuel per tonne of Jiaxing's boilers
(data/README.md): 0.12 tce/t at 77 % (2.71 GJ/t), 770 kWh/t at 97 % (2.69), 75 m³/t of gas at 92 % (2.69)."""

STEAM_MWH_PER_T = STEAM_GJ_PER_T * MWH_PER_GJ
"""The same heat in MWh per tonne (≈0.747): 1 t/h of steam carries ≈0.747 MW of heat (MWth)."""

GAS_GJ_PER_M3 = 0.03893
"""Heating value of natural gas, GJ/m³ (GB/T 2589-2020: 38,931 kJ/m³)."""

GAS_MWH_PER_1E4M3 = 1e4 * GAS_GJ_PER_M3 * MWH_PER_GJ
"""10⁴ m³ of natural gas in MWh (≈108.1); the model's gas balance is in MWh, planners read 10⁴ m³."""

COAL_GJ_PER_T_RAW = 5.5 * 4.1868
"""Heating value of 5,500 kcal/kg thermal coal, GJ/t (≈23.03), to show raw tonnes next to tce."""
