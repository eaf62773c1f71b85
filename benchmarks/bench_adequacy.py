"""Benchmark probabilistic adequacy: sampled peak seasons (and years) per second on the shipped plan, Jiaxing and
the rest of Zhejiang (every unit of the province's clusters, the UHV infeeds, the AC ties and the Jiaxing tie
sampled), in one process and on two Dask workers; and how the time grows with hours.

    python benchmarks/bench_adequacy.py [--samples 1000] [--repeats 3]

The fleet is the scenario's (no solved run: capacities the model would build are not added), so the loss of load
printed is a benchmark's, not a result (``energysim adequacy`` on a solved run is). Writes a Markdown table to
stdout and JSON to ``benchmarks/out/adequacy.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import energysim as es
from energysim.profiles.weather_years import weather_years
from energysim.studies.adequacy import simulate, simulate_chunk
from energysim.studies.adequacy_system import adequacy_system
from energysim.studies.distributed import cluster_client, map_on_cluster

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"


def timed(system: object, samples: int, repeats: int, **kw: object) -> tuple[float, object]:
    best, ds = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        ds = simulate(system, samples, seed=1, **kw)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - t0)
    return best, ds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    weather = weather_years(2025, 10)
    weather_s = time.perf_counter() - t0
    plan = es.build_inputs(es.load_scenario(PLAN))
    cases = {}
    for name, inputs in (("plan: Jiaxing + rest of Zhejiang", plan),):
        for season in ("peak", "year"):
            t0 = time.perf_counter()
            system = adequacy_system(inputs, weather=weather, season=season)
            cases[(name, season)] = (system, time.perf_counter() - t0)
    rows = []
    for (name, season), (system, build_s) in cases.items():
        seconds, ds = timed(system, args.samples, args.repeats)
        rows.append(_row(name, season, "1 process", system, build_s, seconds, args.samples, ds))
    system, build_s = cases[("plan: Jiaxing + rest of Zhejiang", "peak")]
    with cluster_client(workers=2) as client:

        def on_workers(system: object, jobs: object) -> list:
            return map_on_cluster(simulate_chunk, jobs, shared=system, client=client)

        on_workers(system, [(0, 10, 0)])  # workers import energysim and receive the system once, untimed
        seconds, ds = timed(system, args.samples, args.repeats, run_chunks=on_workers)
    rows.append(
        _row("plan: Jiaxing + rest of Zhejiang", "peak", "2 Dask workers", system, build_s, seconds, args.samples, ds)
    )
    print(f"{args.samples:,} samples, best of {args.repeats}; 10 weather years generated in {weather_s:.1f} s\n")
    head = "| system | season | run on | units | hours | build s | sample s | samples/s | μs per unit-hour-sample |"
    print(head + "\n|" + "---|" * 9)
    for r in rows:
        print(f"| {r['system']} | {r['season']} | {r['run_on']} | {r['units']} | {r['hours']:,} | {r['build_s']:.2f} | "
              f"{r['seconds']:.1f} | {r['samples_per_s']:,.0f} | {r['us_per_unit_hour']:.3f} |")  # fmt: skip
    print("\nloss of load in the benchmark systems (not results):")
    for r in rows:
        print(f"  {r['system']}, {r['season']}, {r['run_on']}: {r['lole']}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "adequacy.json").write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")


def _row(name: str, season: str, run_on: str, system: object, build_s: float, seconds: float, samples: int,
         ds: object) -> dict:  # fmt: skip
    units, hours = len(system.units), len(system.positions)  # type: ignore[attr-defined]
    lole = "; ".join(
        f"{r} LOLE {float(ds.lole_hours.sel(region=r)):.3f} ± {float(ds.lole_hours_se.sel(region=r)):.3f} h/yr, "
        f"EUE {float(ds.eue.sel(region=r)):,.0f} ± {float(ds.eue_se.sel(region=r)):,.0f} MWh/yr"
        for r in ds.region.values  # type: ignore[attr-defined]
    )
    per_unit_hour = seconds / (units * hours * samples) * 1e6
    return {
        "system": name, "season": season, "run_on": run_on, "units": units, "hours": hours, "build_s": build_s,
        "seconds": seconds, "samples_per_s": samples / seconds, "us_per_unit_hour": per_unit_hour, "lole": lole,
    }  # fmt: skip


if __name__ == "__main__":
    main()
