"""Benchmark the core pipeline on the default scenario: LP size, stage seconds and peak memory.

    python benchmarks/bench_core.py [--hours 168 2190 8760] [--repeats 3] [--scenario PATH]

Each run is a fresh subprocess, so peak memory (max RSS, MB) is that run's own. Writes a Markdown table to
stdout and JSON to ``benchmarks/out/core.json``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("inputs_s", "build_s", "handoff_s", "solve_s", "extract_s", "write_s", "total_s")


def one_run(scenario: str, hours: int) -> dict[str, float]:
    """Run the pipeline once in this process and time each stage (called in a subprocess)."""
    import resource
    import time

    import energysim as es

    t0 = time.perf_counter()
    inputs = es.build_inputs(es.load_scenario(scenario), hours=hours)
    t1 = time.perf_counter()
    model = es.build_model(inputs)
    t2 = time.perf_counter()
    solution = es.solve(model, inputs.attrs["solver_options"])
    t3 = time.perf_counter()
    results = es.to_results(model, inputs, solution, build_seconds=t2 - t1)
    t4 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        es.write_results(results, Path(tmp) / "bench.nc")
    t5 = time.perf_counter()
    return {
        "hours": hours,
        "status": str(solution.status),
        "objective_cny": solution.objective,
        "rows": solution.size.rows,
        "columns": solution.size.columns,
        "nonzeros": solution.size.nonzeros,
        "inputs_s": t1 - t0,
        "build_s": t2 - t1,
        "handoff_s": solution.handoff_seconds,
        "solve_s": solution.solve_seconds,
        "extract_s": t4 - t3,
        "write_s": t5 - t4,
        "total_s": t5 - t0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def summarise(runs: list[dict[str, float]]) -> dict[str, object]:
    """Median and spread (max − min) of each timing; sizes from the first run."""
    out: dict[str, object] = {
        k: runs[0][k] for k in ("hours", "status", "objective_cny", "rows", "columns", "nonzeros")
    }
    for key in (*STAGES, "peak_rss_mb"):
        values = [r[key] for r in runs]
        out[key] = statistics.median(values)
        out[key + "_spread"] = max(values) - min(values)
    not_solver = out["total_s"] - out["solve_s"]  # type: ignore[operator]
    out["overhead_share_of_solve"] = not_solver / out["solve_s"]  # type: ignore[operator]
    return out


def table(rows: list[dict[str, object]]) -> str:
    head = (
        "| hours | rows | columns | nonzeros | inputs s | build s | hand-off s | HiGHS s | extract s | "
        "write s | total s | not-HiGHS / HiGHS | peak MB |"
    )
    lines = [head, "|" + "---|" * 13]
    for r in rows:
        lines.append(
            f"| {r['hours']} | {r['rows']:,} | {r['columns']:,} | {r['nonzeros']:,} | {r['inputs_s']:.2f} | "
            f"{r['build_s']:.2f} | {r['handoff_s']:.2f} | {r['solve_s']:.2f} ± {r['solve_s_spread']:.2f} | "
            f"{r['extract_s']:.2f} | {r['write_s']:.2f} | {r['total_s']:.2f} | "
            f"{r['overhead_share_of_solve']:.0%} | {r['peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, nargs="+", default=[168, 2190, 8760])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "jiaxing-2025-plan.yaml"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run once, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.scenario, args.one)))
        return
    rows = []
    for hours in args.hours:
        runs = []
        for _ in range(args.repeats):
            proc = subprocess.run(
                [sys.executable, __file__, "--scenario", args.scenario, "--one", str(hours)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        rows.append(summarise(runs))
        print(f"{hours} h done", file=sys.stderr)
    print(table(rows))
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "repeats": args.repeats,
        "scenario": args.scenario,
    }
    (out / "core.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
