"""Explain an infeasible scenario in planner terms: which balance or cap fails, in which hours, by how much.

The scenario is re-solved with penalised slacks on the hourly power balance (surplus that cannot be absorbed)
and the CO2 cap; the slacks that the solver had to use are the diagnosis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.costs import co2_cap_for_horizon
from energysim.model import build_model
from energysim.solver.highs import solve

SLACK_TOL = 1e-3
"""Slack below this (MW or tCO2) counts as zero."""


def diagnose(inputs: xr.Dataset) -> list[str]:
    """Plain-language findings for an infeasible input Dataset (empty list: no cause located)."""
    m = build_model(inputs, elastic=True, arrays_only=True)
    solution = solve(m, inputs.attrs.get("solver_options"))
    if not solution.optimal:
        return _not_relaxed(inputs, str(solution.status))
    findings = []
    n_time = inputs.sizes["time"]
    surplus = solution.values(m.power.surplus).reshape(len(inputs.region), n_time)
    times = pd.DatetimeIndex(inputs.time.values)
    for r, row in zip(inputs.region.values, surplus, strict=True):
        hours = np.flatnonzero(row > SLACK_TOL)
        if len(hours):
            worst = hours[np.argmax(row[hours])]
            findings.append(
                f"power balance, region {r}: supply that must run exceeds what can be used in {len(hours)} "
                f"hour(s), first {times[hours[0]]:%Y-%m-%d %H:00}, worst {row[worst]:.1f} MW at "
                f"{times[worst]:%Y-%m-%d %H:00} ({row[hours].sum():.0f} MWh in all). Lower must-run or "
                "minimum-stable shares, or allow exports, storage or links to absorb it."
            )
    if hasattr(m.policy, "co2_excess"):
        excess = float(solution.values(m.policy.co2_excess)[0])
        if excess > SLACK_TOL:
            cap = co2_cap_for_horizon(inputs) or 0.0
            over = f"{excess:,.0f} t ({excess / cap:.1%}) over" if cap >= 1.0 else f"{excess:,.0f} t over"
            findings.append(
                f"CO2 cap: {cap:,.0f} tCO2 for this horizon cannot be met; the least possible emissions are "
                f"{cap + excess:,.0f} tCO2, {over}. Raise the cap, allow cleaner capacity to be built, or lower "
                "must-run fossil output."
            )
    for name, short in zip(m.policy.TARGET, solution.values(m.policy.target_short), strict=True):
        if short > SLACK_TOL:
            findings.append(
                f"plan target `{name}`: {short:,.1f} MW short even with every allowed build; raise `max_new_mw` of "
                "its technologies or lower the target."
            )
    return findings


def _not_relaxed(inputs: xr.Dataset, status: str) -> list[str]:
    """Findings when even the relaxed model fails: the renewable share (not relaxed there) if dropping it is
    enough, else the limits the relaxation does not cover."""
    share = float(inputs.attrs.get("renewable_min_share", 0.0))
    if share > 0:
        without = inputs.copy()
        without.attrs = {**inputs.attrs, "renewable_min_share": 0.0}
        m = build_model(without, elastic=True, arrays_only=True)
        if solve(m, inputs.attrs.get("solver_options")).optimal:
            return [
                f"renewable share: {share:.0%} of consumption cannot be reached with the renewable capacity, green "
                "imports and certificates allowed (without that rule the scenario can be solved). Lower "
                "`policy.renewable_share.min_share`, or allow more renewable capacity (`max_new_mw`), green imports "
                "or certificates (`certificates.max_mwh_per_year`)."
            ]
    return [
        f"even with relaxed balances and caps the problem is {status}: the limits not relaxed are ramp rates, "
        "must-run and minimum-stable shares against availability, storage and shift windows, gas contracts "
        "(take-or-pay against what can be burnt) and the renewable share; check those"
    ]
