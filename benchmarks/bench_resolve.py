"""Benchmark sweep re-solves: a persistent, warm-started HiGHS instance against building and solving each variant.

    python benchmarks/bench_resolve.py [--hours 8760] [--chain] [--pricing auto]

Variants of the plan scenario that change only numbers (a fuel price, the CO2 price, demand, PV capacity). For
each: seconds per variant from scratch (build + hand-off + HiGHS + results) and through the persistent instance
(arrays-only build + changes + warm HiGHS + results), and the objectives of both. Inputs (the same for both) are
not timed. By default each variant is one change away from the LP the instance holds (it is reset to the base
answer, untimed, before each variant), as in a sweep over one parameter; ``--chain`` solves the variants one
after another instead, so each differs from the previous in two parameters. Writes a Markdown table to stdout
and JSON to ``benchmarks/out/resolve.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import energysim as es
from energysim.solver.resolve import PersistentSolver

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = [
    [],
    ["fuels.coal.price_cny_per_gj=38"],
    ["gas.sources.lng.tiers=[{price_cny_per_m3: 4.0}]"],  # the pool sets gas prices in the plan, not fuels.gas
    ["policy.co2_price_cny_per_t=150"],
    ["regions.jiaxing.demand.annual_twh=82"],
    ["technologies.pv.capacity_mw=7000"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--chain", action="store_true", help="each variant from the previous one, not from the base")
    parser.add_argument("--pricing", default=None, help="solver.simplex_pricing for every variant (default: auto)")
    parser.add_argument("--variants", default=None, help="comma-separated indices of the variants to run (0 = base)")
    args = parser.parse_args()
    chosen = [VARIANTS[int(i)] for i in args.variants.split(",")] if args.variants else VARIANTS
    scenario = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"
    solver = None
    rows = []
    for sets in chosen:
        variant = es.load_scenario(scenario, sweep_sets=sets)
        if args.pricing:
            solver_section = variant.solver.model_copy(update={"simplex_pricing": args.pricing})
            variant = variant.model_copy(update={"solver": solver_section})
        inputs = es.build_inputs(variant, hours=args.hours)
        t0 = time.perf_counter()
        fresh = es.run_inputs(inputs)
        t1 = time.perf_counter()
        if solver is None:
            solver, base = PersistentSolver(json.loads(inputs.attrs["solver_options"])), inputs
        elif not args.chain:
            es.run_inputs(base, persistent=solver)  # back to the base answer (not timed)
        t2 = time.perf_counter()
        warm = es.run_inputs(inputs, persistent=solver)
        t3 = time.perf_counter()
        rows.append(
            {
                "variant": ",".join(sets) or "base",
                "fresh_s": t1 - t0,
                "persistent_s": t3 - t2,
                "persistent_highs_s": warm.attrs["solve_seconds"],
                "fresh_highs_s": fresh.attrs["solve_seconds"],
                "kind": solver.stats.kinds[-1],
                "numbers_sent": solver.stats.changed[-1],
                "objective_fresh_cny": fresh.attrs["objective_cny"],
                "objective_persistent_cny": warm.attrs["objective_cny"],
            }
        )
        print(rows[-1], flush=True)
    lines = [
        "| variant | from scratch s (HiGHS) | persistent s (HiGHS) | speed-up | sent | objective rel. diff |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        diff = abs(r["objective_persistent_cny"] / r["objective_fresh_cny"] - 1)
        lines.append(
            f"| {r['variant']} | {r['fresh_s']:.2f} ({r['fresh_highs_s']:.2f}) | {r['persistent_s']:.2f} "
            f"({r['persistent_highs_s']:.2f}) | {r['fresh_s'] / r['persistent_s']:.1f}× | "
            f"{r['kind']}: {r['numbers_sent']:,} | {diff:.1e} |"
        )
    print("\n".join(lines))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "resolve.json").write_text(json.dumps({"hours": args.hours, "chain": args.chain, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
