"""Benchmark verdict robustness on the full-year plan: a variant through the persistent re-solve against a fresh
solve, and the joint sample on one process, one Dask worker and two.

    python benchmarks/bench_robustness.py [--samples 12] [--hours 8760]

Each run is `energysim.studies.robustness.robustness_study` on `scenarios/jiaxing-2025-plan.yaml` with the
shipped uncertain inputs, the joint sample only (no one-at-a-time variants), 10 weather years and 100 sampled
peak seasons per variant for LOLE, in a fresh folder. Per variant: its seconds from the worker (inputs applied,
LP built and re-solved, results read, KPIs, targets, adequacy); the first variant on each process is a fresh
solve. Writes a Markdown table to stdout and JSON to ``benchmarks/out/robustness.json``. The full study (one at a
time + 200 joint samples) is timed by running ``energysim robustness`` itself (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import energysim as es
from energysim.studies.robustness import Source, robustness_study

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=12)
    parser.add_argument("--hours", type=int, default=None)
    args = parser.parse_args()
    inputs = es.build_inputs(es.load_scenario(PLAN), hours=args.hours)
    t0 = time.perf_counter()
    es.run_inputs(inputs)
    fresh = time.perf_counter() - t0
    rows = [{"run on": "fresh solve (es.run_inputs)", "wall s": fresh, "variants": 1}]
    for label, workers in (("this process", None), ("1 Dask worker", 1), ("2 Dask workers", 2)):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            ds = robustness_study(
                Source(str(PLAN), hours=args.hours),
                Path(tmp) / "study",
                samples=args.samples,
                workers=workers,
                one_at_a_time=False,
            )
            wall = time.perf_counter() - t0
        seconds = ds.variant_seconds.values
        warm = [s for s, kind in zip(seconds, ds.variant_solve.values, strict=True) if kind == "changes"]
        rows.append({"run on": label, "wall s": wall, "variants": len(seconds),
                     "median re-solve variant s": statistics.median(warm) if warm else float("nan"),
                     "fresh variant s": max(seconds)})  # fmt: skip
    base = rows[1]["wall s"]
    print(f"plan, {args.hours or 8760} h, {args.samples} joint samples (+ the base)\n")
    print("| run on | variants | wall s | median re-solve variant s | speed-up vs this process |")
    print("|---|---|---|---|---|")
    for r in rows:
        median = r.get("median re-solve variant s", float("nan"))
        print(f"| {r['run on']} | {r['variants']} | {r['wall s']:.1f} | {median:.1f} | {base / r['wall s']:.2f} |")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "robustness.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
