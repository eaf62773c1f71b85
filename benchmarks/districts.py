"""A seven-district variant of the plan scenario, for the multi-region benchmark (synthetic split).

Jiaxing's seven county-level districts become regions joined by a ring and a star of links around Nanhu (where
the 500 kV hub and the link to the rest of Zhejiang are put; the provincial region and its fleet stay as they
are). Demand is split by assumed shares (an estimate for benchmarking, not data); large plants go to their real
district (Jiaxing PP and offshore wind to Pinghu, Qinshan to Haiyan, gas CHP to Tongxiang, coal CHPs to Haining);
distributed PV, batteries and the VPP are split by the same shares into one copy per district; steam demand and
boilers sit in the two CHP districts.

    python benchmarks/districts.py OUT.yaml
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "scenarios" / "jiaxing-2025-plan.yaml"

DEMAND_SHARE = {  # estimate: rough shares of Jiaxing's electricity use, for benchmarking only
    "nanhu": 0.14,
    "xiuzhou": 0.12,
    "jiashan": 0.13,
    "haiyan": 0.10,
    "haining": 0.18,
    "pinghu": 0.15,
    "tongxiang": 0.18,
}
STEAM_SHARE = {"haining": 0.7, "tongxiang": 0.3}
SITE = {
    "jpp_": "pinghu",
    "offshore_wind": "pinghu",
    "qinshan": "haiyan",
    "gas_chp": "tongxiang",
    "coal_chp": "haining",
    "coal_bp_chp": "haining",
    "waste_biomass": "xiuzhou",
}
SPLIT_KINDS = ("variable", "storage", "demand_shift", "demand_curtail")
SCALED = ("capacity_mw", "max_new_mw", "capacity_t_per_h", "max_new_t_per_h")
RING = ["nanhu", "xiuzhou", "tongxiang", "haining", "haiyan", "pinghu", "jiashan"]
LINK_MW = 8000.0  # estimate: generous, so the benchmark measures the model, not congestion


def _absolute(node: object) -> object:
    """Profile file paths relative to the scenarios folder → absolute (the variant is written elsewhere)."""
    if isinstance(node, dict):
        return {k: (str((PLAN.parent / v).resolve()) if k == "file" else _absolute(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute(x) for x in node]
    return node


def _scaled(tech: dict, share: float) -> dict:
    out = copy.deepcopy(tech)
    for key in SCALED:
        if out.get(key) is not None:
            out[key] = out[key] * share
    return out


def seven_districts() -> dict:
    """The variant as a scenario mapping."""
    plan = _absolute(YAML(typ="safe").load(PLAN.read_text(encoding="utf-8")))
    out = {k: v for k, v in plan.items() if k not in ("regions", "technologies", "targets", "base_results")}
    out["name"] = "jiaxing-2025-plan-7-districts"
    out["description"] = "Benchmark variant: the 2025 plan split over seven districts (synthetic shares)."
    region = plan["regions"]["jiaxing"]
    out["regions"] = {"zhejiang": plan["regions"]["zhejiang"]}
    for district, share in DEMAND_SHARE.items():
        demand = dict(region["demand"], annual_twh=region["demand"]["annual_twh"] * share)
        demand["peak_mw"] = region["demand"]["peak_mw"] * share
        entry = {"demand": demand}
        if district in STEAM_SHARE:
            steam = region["steam_demand"]
            entry["steam_demand"] = dict(steam, annual_mt=steam["annual_mt"] * STEAM_SHARE[district])
        out["regions"][district] = entry
    techs = {}
    for name, tech in plan["technologies"].items():
        site = next((d for prefix, d in SITE.items() if name.startswith(prefix)), None)
        if tech.get("region") == "zhejiang":
            techs[name] = tech
        elif site:
            techs[name] = dict(tech, region=site)
        elif tech["kind"] == "boiler":
            for district, share in STEAM_SHARE.items():
                techs[f"{name}_{district}"] = dict(_scaled(tech, share), region=district)
        elif tech["kind"] in SPLIT_KINDS:
            for district, share in DEMAND_SHARE.items():
                techs[f"{name}_{district}"] = dict(_scaled(tech, share), region=district)
        else:
            raise ValueError(f"technology {name}: no district rule")
    out["technologies"] = techs
    pairs = list(zip(RING, RING[1:] + RING[:1], strict=True)) + [("nanhu", d) for d in RING[2:-1]]
    out["links"] = {f"{a}-{b}": {"from": a, "to": b, "capacity_mw": LINK_MW, "loss_fraction": 0.01} for a, b in pairs}
    for name, link in plan["links"].items():  # the city's link to the province leaves from the 500 kV hub
        out["links"][name] = dict(link, **{"from": "nanhu"})
    return out


def write(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(seven_districts(), stream)
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1])))
