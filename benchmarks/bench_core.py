"""Benchmark the core pipeline: LP size, stage seconds and peak memory, beside HiGHS alone on the same LP.

    python benchmarks/bench_core.py [--hours 168 2190 8760] [--districts 8760] [--repeats 3] [--scenario PATH]

Cases: the plan scenario (all sectors) at each of ``--hours``, and its seven-district variant
(``benchmarks/districts.py``) at ``--districts`` hours. Each run is a fresh subprocess, so peak memory (max RSS,
MB) is that run's own. After each run the LP's arrays are saved and a second fresh process, the *reference*,
loads them, passes them to ``highspy`` (``passModel``) and solves with the same options: that is the limit, the
time and memory HiGHS needs with nothing else around it. *write* is the time after the results are ready: as
``run(out=...)`` does, a background thread writes the inputs part of the file and lays out the result variables
while HiGHS solves, so *write* is filling in the numbers (or all of it, when the solve was too short). Writes
a Markdown table to stdout and JSON to ``benchmarks/out/core.json``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import districts

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("inputs_s", "build_s", "handoff_s", "solve_s", "extract_s", "write_s", "total_s")


def one_run(scenario: str, hours: int, save_lp: str | None = None) -> dict[str, float]:
    """Run the pipeline once in this process and time each stage (called in a subprocess); ``save_lp`` saves
    the LP's arrays (after timing) for the reference run."""
    import resource
    import time

    import energysim as es
    from energysim.results import results_template
    from energysim.results.io import ResultsWriter
    from energysim.solver import COST_SCALE

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        inputs = es.build_inputs(es.load_scenario(scenario), hours=hours)
        t1 = time.perf_counter()
        model = es.build_model(inputs, arrays_only=True)  # as `run` builds it
        t2 = time.perf_counter()
        writer = ResultsWriter(Path(tmp) / "bench.nc")  # as `run(out=...)`: inputs and layout during the solve

        def start_writing(lp: object) -> None:
            writer.start(inputs, template=lambda: results_template(model, inputs, lp))

        solution = es.solve(model, inputs.attrs["solver_options"], on_passed=start_writing)
        t3 = time.perf_counter()
        results = es.to_results(model, inputs, solution, build_seconds=t2 - t1)
        t4 = time.perf_counter()
        writer.finish(results)
        t5 = time.perf_counter()
    if save_lp:
        lp = solution.lp
        np.savez(
            save_lp,
            data=lp.a.data,
            indices=lp.a.indices,
            indptr=lp.a.indptr,
            shape=lp.a.shape,
            cost=lp.cost,
            col_lower=lp.col_lower,
            col_upper=lp.col_upper,
            row_lower=lp.row_lower,
            row_upper=lp.row_upper,
            offset=lp.offset,
            cost_scale=COST_SCALE,
            options=json.dumps(solution.options),
        )
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
        "filled_in": len(writer.filled_in),
        "total_s": t5 - t0,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def reference_run(path: str) -> dict[str, float]:
    """HiGHS alone: load saved LP arrays (not timed), pass them to highspy and solve with the same options."""
    import resource
    import time

    import highspy  # and nothing of energysim: this process is HiGHS alone

    saved = np.load(path)
    inf = highspy.kHighsInf
    scale = float(saved["cost_scale"])  # the same internal cost unit (kCNY) as energysim hands over
    rows, columns = (int(x) for x in saved["shape"])
    options = json.loads(str(saved["options"]))
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.passModel(
        columns,
        rows,
        len(saved["data"]),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        saved["cost"] * scale,
        np.clip(saved["col_lower"], -inf, inf),
        np.clip(saved["col_upper"], -inf, inf),
        np.clip(saved["row_lower"], -inf, inf),
        np.clip(saved["row_upper"], -inf, inf),
        saved["indptr"].astype(np.int32),
        saved["indices"].astype(np.int32),
        saved["data"],
        np.zeros(columns, dtype=np.int32),
    )
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    return {
        "ref_pass_s": t1 - t0,
        "ref_solve_s": t2 - t1,
        "ref_objective_cny": h.getInfo().objective_function_value / scale + float(saved["offset"]),
        "ref_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ref_rss_before_highs_mb": rss_loaded,
    }


REF_STAGES = ("ref_pass_s", "ref_solve_s", "ref_peak_rss_mb")


def summarise(case: str, runs: list[dict[str, float]]) -> dict[str, object]:
    """Median and spread (max − min) of each timing; sizes from the first run; overheads from the medians."""
    out: dict[str, object] = {"case": case}
    out.update({k: runs[0][k] for k in ("hours", "status", "objective_cny", "ref_objective_cny", "rows", "columns")})
    out["nonzeros"] = runs[0]["nonzeros"]
    for key in (*STAGES, "peak_rss_mb", *REF_STAGES):
        values = [r[key] for r in runs]
        out[key] = statistics.median(values)
        out[key + "_spread"] = max(values) - min(values)
    not_solver = out["total_s"] - out["solve_s"]  # type: ignore[operator]
    out["not_highs_s"] = not_solver
    out["overhead_share_of_solve"] = not_solver / out["solve_s"]  # type: ignore[operator]
    limit = out["ref_pass_s"] + out["ref_solve_s"]  # type: ignore[operator]
    out["overhead_vs_reference_s"] = out["total_s"] - limit  # type: ignore[operator]
    out["memory_vs_reference"] = out["peak_rss_mb"] / out["ref_peak_rss_mb"]  # type: ignore[operator]
    return out


def table(rows: list[dict[str, object]]) -> str:
    head = (
        "| case | hours | rows | columns | nonzeros | inputs s | build s | hand-off s | HiGHS s | extract s | "
        "write s | total s | not-HiGHS s (share of HiGHS) | HiGHS alone s | total − HiGHS alone s | peak MB | "
        "HiGHS alone MB |"
    )
    lines = [head, "|" + "---|" * 17]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['hours']} | {r['rows']:,} | {r['columns']:,} | {r['nonzeros']:,} | "
            f"{r['inputs_s']:.2f} | {r['build_s']:.2f} | {r['handoff_s']:.2f} | "
            f"{r['solve_s']:.2f} ± {r['solve_s_spread']:.2f} | {r['extract_s']:.2f} | {r['write_s']:.2f} | "
            f"{r['total_s']:.2f} ± {r['total_s_spread']:.2f} | {r['not_highs_s']:.2f} "
            f"({r['overhead_share_of_solve']:.0%}) | {r['ref_pass_s'] + r['ref_solve_s']:.2f} | "
            f"{r['overhead_vs_reference_s']:.2f} | {r['peak_rss_mb']:.0f} | {r['ref_peak_rss_mb']:.0f} |"
        )
    return "\n".join(lines)


def _python(*args: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(case: str, scenario: str, hours: int, repeats: int) -> dict[str, object]:
    """``repeats`` fresh-process runs of the pipeline, each followed by its HiGHS-alone reference run."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = str(Path(tmp) / "lp.npz")
        for _ in range(repeats):
            run = _python("--scenario", scenario, "--one", str(hours), "--save-lp", saved)
            run.update(_python("--reference", saved))
            runs.append(run)
    print(f"{case} {hours} h done", file=sys.stderr)
    return summarise(case, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, nargs="*", default=[168, 2190, 8760])
    parser.add_argument("--districts", type=int, nargs="*", default=[8760], help="hours of the 7-district case")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "jiaxing-2025-plan.yaml"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run once, print JSON
    parser.add_argument("--save-lp", help=argparse.SUPPRESS)
    parser.add_argument("--reference", help=argparse.SUPPRESS)  # internal: HiGHS alone on saved arrays
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.scenario, args.one, args.save_lp)))
        return
    if args.reference:
        print(json.dumps(reference_run(args.reference)))
        return
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    rows = []
    for hours in args.hours:
        rows.append(measure("plan", args.scenario, hours, args.repeats))
        print(table(rows[-1:]), flush=True)  # each case as it ends: a later failure loses nothing
    if args.districts:
        # inside the project, so the variant may name the shipped profiles (the path policy, scenario/paths.py)
        variant = str(districts.write(out / "districts.yaml"))
        for hours in args.districts:
            rows.append(measure("7 districts", variant, hours, args.repeats))
            print(table(rows[-1:]), flush=True)
    print(table(rows))
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "repeats": args.repeats,
        "scenario": args.scenario,
    }
    (out / "core.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
