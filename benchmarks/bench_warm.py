"""Warm start from typical days (``solver.warm_start``) against a cold solve, on the reference problem, four
variants of it and the plan scenario: wall time, HiGHS passes, and the objective gap (it must be ~0: the last pass
is the full-year LP itself).

    pip install -e ".[aggregate]"
    python benchmarks/bench_warm.py [--hours 8760] [--cases reference co2-24mt ...]

Each run is a fresh process (``es.run``, no write). Writes a table and ``benchmarks/out/warm.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "benchmarks" / "reference" / "reference.yaml"
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"
CASES = {
    "reference": (REFERENCE, {}),
    "co2-24mt": (REFERENCE, {"policy.co2_cap_t": 24e6}),
    "co2-36mt": (REFERENCE, {"policy.co2_cap_t": 36e6}),
    "pv-2400": (REFERENCE, {"technologies.pv.capex_cny_per_kw": 2400}),
    "battery-350": (REFERENCE, {"technologies.battery.capex_cny_per_kwh": 350}),
    "plan": (PLAN, {}),
}


def _scenario(case: str, warm: bool):
    import energysim as es
    from energysim.scenario.schema import WarmStart

    path, changes = CASES[case]
    scenario = es.load_scenario(path, sets=[f"{key}={value}" for key, value in changes.items()])
    solver = scenario.solver.model_copy(update={"warm_start": WarmStart() if warm else None})
    return scenario.model_copy(update={"solver": solver})


def one_run(case: str, warm: bool, hours: int | None) -> dict[str, object]:
    import energysim as es

    t0 = time.perf_counter()
    ds = es.run(_scenario(case, warm), hours=hours)
    return {
        "seconds": time.perf_counter() - t0,
        "solve_s": ds.attrs["solve_seconds"],
        "objective_cny": ds.attrs["objective_cny"],
        "iterations": ds.attrs["solver_iterations"],
        "warm_start": json.loads(ds.attrs.get("solver_warm_start", "{}")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=None)
    parser.add_argument("--cases", nargs="+", default=list(CASES))
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # internal: CASE cold|warm in a fresh process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one[0], args.one[1] == "warm", args.hours)))
        return
    rows = []
    for case in args.cases:
        row: dict[str, object] = {"case": case}
        for mode in ("cold", "warm"):
            hours = ["--hours", str(args.hours)] if args.hours else []
            proc = subprocess.run(
                [sys.executable, __file__, *hours, "--one", case, mode], capture_output=True, text=True, check=False
            )
            if proc.returncode:
                sys.exit(f"{case} {mode} failed:\n{proc.stderr[-2000:]}")
            row[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
        cold, warm = row["cold"], row["warm"]
        row["speedup"] = cold["seconds"] / warm["seconds"]
        row["objective_rel_diff"] = abs(warm["objective_cny"] - cold["objective_cny"]) / abs(cold["objective_cny"])
        rows.append(row)
        print(f"{case} done", file=sys.stderr, flush=True)
    lines = [
        "| case | cold s (HiGHS s) | warm s | typical days s | fixed pass s | final pass s (iterations) | speed-up "
        "| objective relative difference |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        c, w, p = r["cold"], r["warm"], r["warm"]["warm_start"]
        lines.append(
            f"| {r['case']} | {c['seconds']:.1f} ({c['solve_s']:.1f}) | {w['seconds']:.1f} | "
            f"{p['typical_days_seconds']:.2f} | {p['fixed_pass_seconds']:.2f} | "
            f"{p['final_pass_seconds']:.2f} ({p['final_pass_iterations']}) | {r['speedup']:.1f}× | "
            f"{r['objective_rel_diff']:.1e} |"
        )
    print("\n".join(lines))
    (ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "out" / "warm.json").write_text(json.dumps({"rows": rows}, indent=2))


if __name__ == "__main__":
    main()
