"""energysim against PyPSA on one shared reference problem: same LP, same HiGHS options, objectives compared.

    pip install -e ".[bench]"        # PyPSA is a benchmark-only extra, never a runtime dependency
    python benchmarks/bench_pypsa.py [--hours 8760] [--methods simplex ipm] [--repeats 1]

The problem is ``benchmarks/reference/reference.yaml`` (capacity expansion with coal, nuclear, gas, PV, a 2-hour
battery, imports and a binding CO2 cap). energysim solves it from the YAML; the PyPSA network is built from the
numbers energysim read (its input Dataset), so both state the same LP: buildable capacity as a separate
extendable generator beside the existing one (PyPSA charges capital cost on all of ``p_nom``), unserved energy
as a load-shedding generator at the value of lost load, the CO2 cap as a primary-energy global constraint.
Times are end to end in one process each: energysim = load + inputs + build + hand-off + HiGHS + results;
PyPSA = network + ``optimize``. Writes a table and ``benchmarks/out/pypsa.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "benchmarks" / "reference" / "reference.yaml"


def _scenario(method: str):
    import energysim as es

    scenario = es.load_scenario(REFERENCE)
    base, _, variant = method.partition("-")  # simplex, simplex-warm, ipm, ipm-no-crossover
    update = {"method": base, "crossover": variant != "no-crossover"}
    if variant == "warm":  # energysim's typical-day warm start; PyPSA solves the same LP with plain `base`
        update["warm_start"] = es.scenario.schema.WarmStart(days=12)
    return scenario.model_copy(update={"solver": scenario.solver.model_copy(update=update)})


def run_energysim(method: str, hours: int) -> dict[str, float]:
    import energysim as es

    t0 = time.perf_counter()
    ds = es.run(_scenario(method), hours=hours)
    return {
        "seconds": time.perf_counter() - t0,
        "highs_seconds": ds.attrs["solve_seconds"],
        "objective_cny": ds.attrs["objective_cny"],
        "rows": ds.attrs["lp_rows"],
        "columns": ds.attrs["lp_columns"],
    }


def pypsa_network(inputs):
    """The reference problem as a PyPSA network, from energysim's input Dataset (CNY, MW, MWh, tCO2)."""
    import pandas as pd
    import pypsa

    from energysim.costs import capacity_cost_rates, co2_cap_for_horizon, co2_counted, generation_cost_rates

    n = pypsa.Network()
    n.set_snapshots(pd.DatetimeIndex(inputs.time.values))
    n.add("Bus", "node")
    [region] = [str(r) for r in inputs.region.values]
    n.add("Load", "demand", bus="node", p_set=inputs.demand.sel(region=region).to_series())
    marginal = sum(generation_cost_rates(inputs).values())  # CNY/MWh (time, tech)
    capital = sum(capacity_cost_rates(inputs).values())  # CNY/MW over the horizon
    counted = co2_counted(inputs)
    for tech in map(str, inputs.tech.values):
        t = inputs.sel(tech=tech)
        kind = str(t.tech_kind.values)
        n.add("Carrier", tech, co2_emissions=float(t.co2_intensity * counted.sel(tech=tech)))
        if kind == "storage":
            n.add(
                "StorageUnit",
                tech,
                bus="node",
                carrier=tech,
                p_nom_extendable=True,
                p_nom_min=float(t.capacity_existing),
                p_nom_max=float(t.capacity_existing + t.max_new_capacity),
                capital_cost=float(capital.sel(tech=tech)),
                max_hours=float(t.duration_hours),
                efficiency_store=float(t.efficiency_charge),
                efficiency_dispatch=float(t.efficiency_discharge),
                standing_loss=float(t.self_discharge),
                cyclic_state_of_charge=True,
                marginal_cost=0.0,
            )
            assert float(t.capacity_existing) == 0, "reference battery: all new"
            continue
        cost = marginal.sel(tech=tech).to_series()
        limit = (t.availability * t.in_service).to_series()
        existing = float(t.capacity_existing)  # a grid: its import limit
        if existing > 0:
            n.add("Generator", tech, bus="node", carrier=tech, p_nom=existing, p_max_pu=limit, marginal_cost=cost)
        if float(t.max_new_capacity) > 0:
            n.add(
                "Generator",
                f"{tech}_new",
                bus="node",
                carrier=tech,
                p_nom_extendable=True,
                p_nom_max=float(t.max_new_capacity),
                capital_cost=float(capital.sel(tech=tech)),
                p_max_pu=t.availability.to_series(),
                marginal_cost=cost,
            )
    n.add("Carrier", "shed")
    n.add(
        "Generator",
        "shed",
        bus="node",
        carrier="shed",
        p_nom=float(inputs.demand.max()),
        marginal_cost=float(inputs.attrs["value_of_lost_load_cny_per_mwh"]),
    )
    n.add(
        "GlobalConstraint",
        "co2",
        type="primary_energy",
        carrier_attribute="co2_emissions",
        sense="<=",
        constant=co2_cap_for_horizon(inputs),
    )
    return n


def run_pypsa(method: str, hours: int) -> dict[str, float]:
    import energysim as es
    from energysim.solver import highs_options

    scenario = _scenario(method)
    inputs = es.build_inputs(scenario, hours=hours)  # not timed: the numbers PyPSA is given
    options = highs_options(json.loads(inputs.attrs["solver_options"]))
    t0 = time.perf_counter()
    n = pypsa_network(inputs)
    status, condition = n.optimize(solver_name="highs", solver_options=options)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "objective_cny": float(n.objective), "status": f"{status}/{condition}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--methods", nargs="+", default=["simplex", "simplex-warm", "ipm", "ipm-no-crossover"])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # internal: TOOL METHOD in a fresh process
    args = parser.parse_args()
    if args.one:
        tool, method = args.one
        out = (run_energysim if tool == "energysim" else run_pypsa)(method, args.hours)
        print(json.dumps(out))
        return
    rows = []
    for method in args.methods:
        runs: dict[str, list[dict]] = {"energysim": [], "pypsa": []}
        for _ in range(args.repeats):
            for tool in runs:
                proc = subprocess.run(
                    [sys.executable, __file__, "--hours", str(args.hours), "--one", tool, method],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if proc.returncode:
                    sys.exit(f"{tool} with {method} failed:\n{proc.stderr[-2000:]}")
                runs[tool].append(json.loads(proc.stdout.strip().splitlines()[-1]))
        es_s = statistics.median(r["seconds"] for r in runs["energysim"])
        py_s = statistics.median(r["seconds"] for r in runs["pypsa"])
        es_obj, py_obj = runs["energysim"][0]["objective_cny"], runs["pypsa"][0]["objective_cny"]
        rows.append(
            {
                "method": method,
                "energysim_s": es_s,
                "energysim_highs_s": statistics.median(r["highs_seconds"] for r in runs["energysim"]),
                "pypsa_s": py_s,
                "ratio": es_s / py_s,
                "energysim_objective_cny": es_obj,
                "pypsa_objective_cny": py_obj,
                "objective_rel_diff": abs(es_obj - py_obj) / abs(py_obj),
                "rows": runs["energysim"][0]["rows"],
                "columns": runs["energysim"][0]["columns"],
                "runs": runs,
            }
        )
        print(f"{method} done", file=sys.stderr, flush=True)
    lines = [
        "| HiGHS method | energysim s (HiGHS s) | PyPSA s | energysim / PyPSA | objective CNY | relative difference |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['method']} | {r['energysim_s']:.1f} ({r['energysim_highs_s']:.1f}) | {r['pypsa_s']:.1f} | "
            f"{r['ratio']:.2f} | {r['energysim_objective_cny']:,.0f} | {r['objective_rel_diff']:.1e} |"
        )
    print("\n".join(lines))
    (ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "out" / "pypsa.json").write_text(json.dumps({"hours": args.hours, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
