"""Nightly regression: re-run scenarios, compare KPIs (not hourly variables) with stored baselines.

Each KPI has a class that decides what a difference means:
- ``objective`` — the optimal cost; a difference beyond its tolerance is a real change;
- ``given`` — quantities fixed by the inputs (demand, steam demand, unserved energy); a difference is a change;
- ``mix`` — how the optimum is reached (generation by technology, CO2, imports, builds, prices): LPs often have
  several optima with the same cost, so a difference with an unchanged objective is reported as an
  *alternative optimum*, and only counts as a change when the objective moved too.
Differences within the tolerances are *solver noise* and pass; they are counted, not listed (``--all`` lists
every KPI with its difference). Every tolerance's absolute part is coarser than the printed precision
(:data:`PRINT_DECIMALS`), so a KPI listed as changed never prints the same before and after.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from energysim.report.accounting import city_kpis
from energysim.results import total_cost

TOLERANCES = {"objective": (1e-6, 1.0), "given": (1e-6, 1e-3), "mix": (1e-4, 1e-3)}
"""KPI class → (relative, absolute) tolerance; a difference passes when within either."""

PRINT_DECIMALS = 4
"""Decimals the KPIs are printed with: finer than every tolerance's absolute part."""


def kpis(ds: xr.Dataset) -> dict[str, tuple[str, float]]:
    """KPI name → (class, value) for a results Dataset."""
    grid = ds.tech_kind == "grid"
    city = city_kpis(ds)
    out: dict[str, tuple[str, float]] = {
        "objective_cny": ("objective", float(ds.attrs["objective_cny"])),
        "total_cost_cny": ("objective", total_cost(ds)),
        "demand_mwh": ("given", float(ds.demand.sum())),
        "unserved_mwh": ("given", float(ds.unserved.sum())),
        "steam_demand_t": ("given", float(ds.steam_demand.sum())),
        "steam_unserved_t": ("given", float(ds.steam_unserved.sum())),
        "co2_system_t": ("mix", float(ds.emissions.where(~grid, 0).sum())),
        "co2_grid_imports_t": ("mix", float(ds.emissions.where(grid, 0).sum())),
        "grid_imports_mwh": ("mix", float(ds.generation.where(grid, 0).sum())),
        "grid_exports_mwh": ("mix", float(ds.consumption.where(grid, 0).sum())),
        "city_co2_territorial_t": ("mix", city["co2_territorial_Mt"] * 1e6),
        "city_co2_consumption_t": ("mix", city["co2_consumption_Mt"] * 1e6),
        "city_imports_mwh": ("mix", city["imports_TWh"] * 1e6),
        "city_exports_mwh": ("mix", city["exports_TWh"] * 1e6),
        "gas_supply_mwh": ("mix", float(ds.gas_supply.sum())),
        "reserve_shortfall_max_mw": ("mix", float(ds.reserve_shortfall.max())),
    }
    for tech in ds.tech.values:
        out[f"generation_mwh.{tech}"] = ("mix", float(ds.generation.sel(tech=tech).sum()))
        out[f"new_capacity_mw.{tech}"] = ("mix", float(ds.new_capacity.sel(tech=tech).sum()))
    return out


def inputs_fingerprint(ds: xr.Dataset) -> str:
    """Hash of the resolved scenario and the profile totals: tells changed inputs from changed results."""
    totals = [round(float(ds[name].sum()), 3) for name in ("demand", "steam_demand", "availability", "import_price")]
    text = str(ds.attrs.get("scenario_resolved", "")) + repr(totals)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_baseline(ds: xr.Dataset, path: Path) -> None:
    """Store the KPIs of a run as the baseline (JSON, sorted, small)."""
    record = {
        "inputs": inputs_fingerprint(ds),
        "solver": ds.attrs.get("solver", ""),
        "kpis": {k: {"class": c, "value": v} for k, (c, v) in sorted(kpis(ds).items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@dataclass
class Comparison:
    """The verdict of one scenario against its baseline."""

    scenario: str
    verdict: str  # "unchanged", "solver noise", "alternative optimum", "changed", "inputs changed", "no baseline"
    rows: list[tuple[str, str, float, float, str]]  # kpi, class, baseline, now, status

    @property
    def failed(self) -> bool:
        return self.verdict in ("changed", "inputs changed", "no baseline")


REAL = ("differs", "new", "gone")
"""Row statuses that are real differences (listed); ``same`` and ``solver noise`` are not."""


def _close(a: float, b: float, kind: str) -> bool:
    rel, abs_ = TOLERANCES[kind]
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def compare(ds: xr.Dataset, baseline_path: Path) -> Comparison:
    """Compare a run with its stored baseline and classify every difference: ``same``, ``solver noise``
    (within the KPI class's tolerance), ``differs``, ``new`` (no baseline value) or ``gone`` (a baseline KPI
    the run no longer has, e.g. a technology removed)."""
    name = str(ds.attrs.get("scenario_name", baseline_path.stem))
    if not baseline_path.exists():
        return Comparison(name, "no baseline", [])
    base = json.loads(baseline_path.read_text(encoding="utf-8"))
    now = kpis(ds)
    rows = []
    objective_moved = False
    for key, (kind, value) in now.items():
        old = base["kpis"].get(key, {}).get("value")
        if old is None:
            rows.append((key, kind, float("nan"), value, "new"))
            continue
        close = _close(old, value, kind)
        status = "same" if value == old else ("solver noise" if close else "differs")
        objective_moved |= kind in ("objective", "given") and not close
        rows.append((key, kind, old, value, status))
    for key, record in base["kpis"].items():
        if key not in now:
            rows.append((key, record.get("class", "mix"), record["value"], float("nan"), "gone"))
            objective_moved |= record.get("class") in ("objective", "given")
    if base.get("inputs") != inputs_fingerprint(ds):
        verdict = "inputs changed"
    elif objective_moved:
        verdict = "changed"
    elif any(r[4] in REAL for r in rows):
        verdict = "alternative optimum"
    elif any(r[4] == "solver noise" for r in rows):
        verdict = "solver noise"
    else:
        verdict = "unchanged"
    return Comparison(name, verdict, rows)


def _number(value: float) -> str:
    return "—" if value != value else f"{value:,.{PRINT_DECIMALS}f}"


def format_comparison(c: Comparison, *, all_rows: bool = False) -> str:
    """Verdict line, then the KPIs that really moved (beyond their tolerance, new or gone); with ``all_rows``
    every KPI, with its difference. Solver noise is counted on the verdict line, not listed."""
    noise = sum(1 for r in c.rows if r[4] == "solver noise")
    lines = [f"{c.scenario}: {c.verdict}"]
    if noise and not all_rows:
        lines[0] += f" ({noise} KPI(s) moved within tolerance, not listed; --all lists every KPI)"
    for key, kind, old, new, status in c.rows:
        if all_rows or status in REAL:
            delta = "" if status in ("new", "gone") else f"  Δ {new - old:+.3g}"
            lines.append(f"  {key:<40} {kind:<9} {_number(old):>18} → {_number(new):>18}  {status}{delta}")
    return "\n".join(lines)
