"""Where the full-year plan's solve time goes: the same inputs with parts of unit commitment switched off.

    python benchmarks/bench_commitment.py [linear off no_min_times warm ipm ...]

Variants of the plan scenario's inputs (built once): ``linear`` (the shipped model), ``off`` (no commitment
rows), ``no_min_times`` (commitment without minimum up/down windows), ``coal_only`` (no start costs, start fuel
or minimum times on gas), ``no_deep`` (no deep peaking), ``no_ramp`` (no ramp limits), ``warm`` (typical-day
warm start), ``ipm`` and ``ipm_nox`` (interior point with and without crossover), and HiGHS's other simplex
settings (``sip``, ``pami``: parallel dual simplex on every core; ``primal``; ``steepest``: dual steepest-edge
pricing; ``no_presolve``). For each: LP rows, columns and
nonzeros, HiGHS wall time, this process's CPU time during the solve (a fairer figure on a shared machine),
simplex iterations and the objective. Writes a Markdown table to stdout and JSON to
``benchmarks/out/commitment.json``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import xarray as xr

import energysim as es
from energysim.solver import solve
from energysim.solver.handoff import compile_lp

ROOT = Path(__file__).resolve().parents[1]
SIMPLEX_STRATEGIES = {
    "sip": {"simplex_strategy": 2, "parallel": "on"},  # dual simplex, parallel (SIP)
    "pami": {"simplex_strategy": 3, "parallel": "on"},  # dual simplex, parallel (PAMI)
    "primal": {"simplex_strategy": 4},  # primal simplex
    "steepest": {"simplex_dual_edge_weight_strategy": 2},  # dual steepest edge instead of devex
    "no_presolve": {"presolve": "off"},
}
"""HiGHS simplex options tried on the shipped plan (variant name → HiGHS options)."""


def variant(base: xr.Dataset, name: str) -> xr.Dataset:
    """A copy of the plan's inputs with one part of the model changed (see the module docstring)."""
    x = base.copy(deep=True)
    options = json.loads(x.attrs["solver_options"])
    if name == "off":
        x.attrs["commitment"] = "off"
    elif name == "no_min_times":
        x["min_up_hours"][:] = 1
        x["min_down_hours"][:] = 1
    elif name == "coal_only":
        gas = (x.fuel != "coal") & (x.tech_kind == "thermal")
        for key, neutral in (("startup_cost", 0.0), ("startup_fuel", 0.0), ("min_up_hours", 1), ("min_down_hours", 1)):
            x[key] = x[key].where(~gas, neutral)
    elif name.startswith("block"):
        x.attrs["commitment_block_hours"] = int(name.removeprefix("block") or 24)
    elif name == "no_deep":
        x["deep_floor"][:] = np.nan
    elif name == "no_ramp":
        x["ramp_fraction"][:] = 1.0
    elif name == "warm":
        options["warm_start"] = {"days": 12, "seed": 0, "oversize": 0.1}
    elif name in ("ipm", "ipm_nox"):
        options["method"] = "ipm"
        options["crossover"] = name == "ipm"
    elif name in SIMPLEX_STRATEGIES:
        options["highs_options"] = {**options.get("highs_options", {}), **SIMPLEX_STRATEGIES[name]}
    elif name != "linear":
        raise SystemExit(f"unknown variant {name!r}")
    x.attrs["solver_options"] = json.dumps(options)
    return x


def main(names: list[str]) -> None:
    base = es.build_inputs(es.load_scenario(ROOT / "scenarios" / "jiaxing-2025-plan.yaml"))
    rows = []
    print("| variant | rows | columns | nonzeros | HiGHS wall s | CPU s | iterations | objective MCNY |")
    print("|---|---|---|---|---|---|---|---|")
    for name in names:
        inputs = variant(base, name)
        model = es.build_model(inputs, arrays_only=True)
        lp = compile_lp(model)
        wall, cpu = time.perf_counter(), time.process_time()
        answer = solve(model, inputs.attrs["solver_options"])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        row = {
            "variant": name, "rows": lp.a.shape[0], "columns": lp.a.shape[1], "nonzeros": lp.a.nnz,
            "highs_s": answer.solve_seconds, "wall_s": wall, "cpu_s": cpu,
            "iterations": answer.quality.simplex_iterations, "objective_cny": answer.objective,
            "status": str(answer.status),
        }  # fmt: skip
        rows.append(row)
        print(
            f"| {name} | {row['rows']:,} | {row['columns']:,} | {row['nonzeros']:,} | {answer.solve_seconds:.1f} | "
            f"{cpu:.1f} | {row['iterations']:,} | {answer.objective / 1e6:,.1f} |",
            flush=True,
        )
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "commitment.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or ["linear", "off", "no_min_times"])
