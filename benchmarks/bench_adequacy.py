"""Benchmark probabilistic adequacy: sampled peak seasons per second for Jiaxing alone and for Jiaxing with a
province-sized second region, and how the time grows with units, hours and workers.

    python benchmarks/bench_adequacy.py [--samples 1000] [--repeats 3]

The two-region system is the plan scenario with every technology placed in `jiaxing` and a synthetic `zhejiang`
region beside it (the rest of Zhejiang at the scale of ZJ facts §2: 46 GW of coal in 1,000/630/330/75 MW units,
13 GW of gas, 2.5 GW of nuclear, 41 GW of PV, 6 GW of wind, 10.7 GW of storage, 6 GW of demand response, 24 GW
of UHV DC infeeds and 33 GW of AC ties; 642 TWh and 117 GW of demand on Jiaxing's hourly shape), joined by a
16 GW link. It exists to time the sampler at provincial size; its loss of load is not a result. Writes a Markdown
table to stdout and JSON to ``benchmarks/out/adequacy.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

import energysim as es
from energysim.profiles.weather_years import weather_years
from energysim.studies.adequacy import simulate, simulate_chunk
from energysim.studies.adequacy_system import adequacy_system
from energysim.studies.distributed import cluster_client, map_on_cluster

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"
PROVINCE = {
    "zj_coal_1000": {"kind": "thermal", "capacity_mw": 14000, "unit_size_mw": 1000, "fuel": "coal"},
    "zj_coal_600": {"kind": "thermal", "capacity_mw": 17000, "unit_size_mw": 630, "fuel": "coal"},
    "zj_coal_300": {"kind": "thermal", "capacity_mw": 4000, "unit_size_mw": 330, "fuel": "coal"},
    "zj_coal_chp": {"kind": "thermal", "capacity_mw": 11370, "unit_size_mw": 75, "fuel": "coal"},
    "zj_gas": {"kind": "thermal", "capacity_mw": 13400, "unit_size_mw": 400, "fuel": "gas"},
    "zj_nuclear": {"kind": "must_run", "capacity_mw": 2500},
    "zj_pv": {"kind": "variable", "capacity_mw": 41000, "profile": {"column": "pv"}},
    "zj_wind": {"kind": "variable", "capacity_mw": 6000, "profile": {"column": "wind_offshore"}},
    "zj_pumped_hydro": {"kind": "storage", "capacity_mw": 9200, "duration_hours": 6},
    "zj_battery": {"kind": "storage", "capacity_mw": 1500, "duration_hours": 2},
    "zj_demand_response": {
        "kind": "demand_curtail",
        "capacity_mw": 6000,
        "max_events_per_year": 15,
        "max_hours_per_event": 4,
    },
    "zj_uhv_dc": {"kind": "grid", "import_capacity_mw": 24000, "firm_capacity_credit": 1.0},
    "zj_ac_ties": {"kind": "grid", "import_capacity_mw": 33000, "firm_capacity_credit": 0.5},
}


def two_region_inputs(folder: Path) -> object:
    """The plan with a synthetic province region (module docstring), as inputs."""
    yaml = YAML(typ="safe", pure=True)
    plan = yaml.load(PLAN.read_text(encoding="utf-8"))
    profiles = str((ROOT / "data" / "profiles" / "jiaxing-2025.csv.gz").resolve())

    def absolute(tree: object) -> None:
        if isinstance(tree, dict):
            for key, value in tree.items():
                if key == "file":
                    tree[key] = str((PLAN.parent / value).resolve())
                absolute(value)

    absolute(plan)
    for tech in plan["technologies"].values():
        tech["region"] = "jiaxing"
    for name, tech in PROVINCE.items():
        tech = dict(tech, region="zhejiang")
        if "profile" in tech:
            tech["profile"] = {"file": profiles, **tech["profile"]}
        if tech["kind"] == "thermal":
            tech["heat_rate_gj_per_mwh"] = 8.5
        plan["technologies"][name] = tech
    demand = {"file": profiles, "column": "demand_mw", "annual_twh": 642.0, "peak_mw": 117000}
    plan["regions"]["zhejiang"] = {"demand": demand}
    plan["links"] = {"jiaxing_zhejiang": {"from": "jiaxing", "to": "zhejiang", "capacity_mw": 16000,
                                          "loss_fraction": 0.01}}  # fmt: skip
    for key in ("targets", "base_results"):
        plan.pop(key, None)
    path = folder / "two-regions.yaml"
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(plan, stream)
    return es.build_inputs(es.load_scenario(path))


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
    with tempfile.TemporaryDirectory() as tmp:
        both = two_region_inputs(Path(tmp))
    cases = {}
    for name, inputs in (("Jiaxing", plan), ("Jiaxing + province", both)):
        for season in ("peak", "year"):
            t0 = time.perf_counter()
            system = adequacy_system(inputs, weather=weather, season=season)
            cases[(name, season)] = (system, time.perf_counter() - t0)
    rows = []
    for (name, season), (system, build_s) in cases.items():
        seconds, ds = timed(system, args.samples, args.repeats)
        rows.append(_row(name, season, "1 process", system, build_s, seconds, args.samples, ds))
    system, build_s = cases[("Jiaxing + province", "peak")]
    with cluster_client(workers=2) as client:

        def on_workers(system: object, jobs: object) -> list:
            return map_on_cluster(simulate_chunk, jobs, shared=system, client=client)

        on_workers(system, [(0, 10, 0)])  # workers import energysim and receive the system once, untimed
        seconds, ds = timed(system, args.samples, args.repeats, run_chunks=on_workers)
    rows.append(_row("Jiaxing + province", "peak", "2 Dask workers", system, build_s, seconds, args.samples, ds))
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
