"""Picking 12 typical days of the plan's year with tsam: wall and CPU seconds and fidelity of its clustering options,
on the threads scikit-learn takes by itself (OpenMP, one per core) and on one.

    pip install -e ".[aggregate]"
    python benchmarks/bench_typical_days.py [--repeats 3] [--seeds 1]

Fidelity is that of :func:`energysim.inputs.typical_days.fidelity` (residual-load duration curve RMSE, % of the
peak; annual demand). Writes a table and ``benchmarks/out/typical_days.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"
VARIANTS = {  # name: (tsam cluster method, k-means restarts, threads or None for scikit-learn's own)
    "k-means, 100 restarts, own threads": ("kmeans", 100, None),
    "k-means, 100 restarts, 1 thread (energysim)": ("kmeans", 100, 1),
    "k-means, 50 restarts, 1 thread": ("kmeans", 50, 1),
    "k-means, 30 restarts, 1 thread": ("kmeans", 30, 1),
    "k-means, 10 restarts, 1 thread": ("kmeans", 10, 1),
    "Ward (hierarchical), 1 thread": ("hierarchical", None, 1),
}


def pick(inputs, method: str, restarts: int | None, threads: int | None, seed: int):
    import tsam
    from threadpoolctl import threadpool_limits
    from tsam import ClusterConfig, ExtremeConfig, KMeans

    from energysim.inputs.typical_days import Aggregation, features

    cluster = KMeans(n_init=restarts, random_state=seed) if method == "kmeans" else method
    extremes = ExtremeConfig(method="append", max_value=["demand_total", "residual_load"], min_value=["residual_load"])
    limit = threadpool_limits(limits=threads) if threads else contextlib.nullcontext()
    t0, c0 = time.perf_counter(), time.process_time()
    with limit:
        result = tsam.aggregate(features(inputs), 12, period_duration=24,
                                cluster=ClusterConfig(method=cluster, representation="medoid"), extremes=extremes,
                                preserve_column_means=False, numerical_tolerance=1e-6)  # fmt: skip
    seconds = (time.perf_counter() - t0, time.process_time() - c0)
    assigned = np.asarray(result.cluster_assignments, int)
    centers = np.asarray(result.clustering.cluster_centers, int)
    order = np.argsort(centers, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    weights = np.bincount(assigned, minlength=len(centers)).astype(float)
    return seconds, Aggregation(rank[assigned], centers[order], weights[order], np.zeros(len(centers), bool), seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args()
    import energysim as es
    from energysim.inputs.typical_days import fidelity

    inputs = es.build_inputs(es.load_scenario(PLAN))
    rows = []
    print("| option | wall s | CPU s | duration-curve RMSE, % of peak | demand |\n|---|---|---|---|---|")
    for name, (method, restarts, threads) in VARIANTS.items():
        walls, cpus, rmse, demand = [], [], [], []
        for seed in range(args.seeds):
            for _ in range(args.repeats):
                (wall, cpu), agg = pick(inputs, method, restarts, threads, seed)
                walls.append(wall)
                cpus.append(cpu)
            table = fidelity(inputs, agg)
            rmse.append(float(table.loc["residual-load duration curve RMSE", "typical days"]))
            demand.append(float(table.loc["electricity demand", "difference"]))
        row = {"option": name, "wall_s": walls, "cpu_s": cpus, "rmse_pct_peak": rmse, "demand_change": demand}
        rows.append(row)
        print(f"| {name} | {min(walls):.2f}–{max(walls):.2f} | {np.median(cpus):.2f} | {np.mean(rmse):.2f} | "
              f"{np.mean(demand):+.2%} |", flush=True)  # fmt: skip
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "typical_days.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
