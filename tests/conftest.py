"""Tiny scenarios written to a temporary folder: a YAML mapping plus one profile CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
from ruamel.yaml import YAML

if TYPE_CHECKING:
    import xarray as xr

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = REPO / "scenarios" / "jiaxing-2025-plan.yaml"
BASE_SCENARIO = REPO / "scenarios" / "jiaxing-2024-base.yaml"

COMPAT_MODULES = (
    "tests/unit/test_handoff.py",
    "tests/unit/test_solver_quality.py",
    "tests/formulation/test_warm_start.py",
    "tests/test_sweep.py",
)
"""Modules marked ``compat`` besides those that mark themselves (tests/test_compat.py, the in-process tests of
tests/test_signals.py): they use Pyomo and highspy beyond a plain solve (Pyomo's standard form and APPSI, solver
methods and answers, bases, re-solves). CI runs ``-m compat`` again with the lowest and the newest versions."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(REPO).as_posix() in COMPAT_MODULES:
            item.add_marker(pytest.mark.compat)


OBJ_RTOL = 1e-6
"""Relative tolerance on objectives and totals (HiGHS's default optimality tolerances are 1e-7)."""
MW_ATOL = 1e-4
"""Absolute tolerance on hourly MW values."""

MakeScenario = Callable[..., Path]


def write_scenario(
    folder: Path,
    scenario: dict[str, Any],
    profiles: dict[str, list[float]] | None = None,
    *,
    start: str = "2025-01-01 00:00",
) -> Path:
    """Write ``profiles.csv`` (hourly from ``start``) and ``scenario.yaml``; returns the YAML path. With a gas pool,
    its fuel is written without a price (the pool prices it; a price there is an error)."""
    pool = scenario.get("gas")
    fuel = pool.get("fuel", "gas") if isinstance(pool, dict) else None
    fuel = fuel if isinstance(fuel, str) else None
    fuels = scenario.get("fuels")
    if isinstance(fuels, dict) and isinstance(fuels.get(fuel), dict):
        fuels = {
            **scenario["fuels"],
            fuel: {k: v for k, v in scenario["fuels"][fuel].items() if k != "price_cny_per_gj"},
        }
        scenario = {**scenario, "fuels": fuels}
    if profiles:
        n = len(next(iter(profiles.values())))
        table = pd.DataFrame({"time": pd.date_range(start, periods=n, freq="h").strftime("%Y-%m-%d %H:%M"), **profiles})
        table.to_csv(folder / "profiles.csv", index=False)
    path = folder / "scenario.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(scenario, stream)
    return path


def one_region(demand: list[float], technologies: dict[str, Any], **extra: Any) -> tuple[dict, dict]:
    """A one-region scenario dict (hourly demand from the profile column ``load``) and its profiles."""
    scenario = {
        "name": "test",
        "time": {"start": "2025-01-01 00:00", "hours": len(demand)},
        "regions": {"r": {"demand": {"file": "profiles.csv", "column": "load"}}},
        "technologies": technologies,
        "fuels": {
            "coal": {"price_cny_per_gj": 30.0, "co2_t_per_gj": 0.1},
            "gas": {"price_cny_per_gj": 50.0, "co2_t_per_gj": 0.04},
        },
        **extra,
    }
    return scenario, {"load": demand}


def power_supplied(ds: xr.Dataset) -> xr.DataArray:
    """(time, region) what a results Dataset supplies to each region's demand, MW: Σ generation − Σ consumption
    + unserved + link inflow after losses − link outflow (the hourly balance, recomputed from the results)."""
    sent, back, keep = ds.link_flow.clip(min=0), (-ds.link_flow).clip(min=0), 1 - ds.link_loss
    into = (sent * keep).where(ds.link_to == ds.region, 0) + (back * keep).where(ds.link_from == ds.region, 0)
    out = sent.where(ds.link_from == ds.region, 0) + back.where(ds.link_to == ds.region, 0)
    return ds.generation.sum("tech") - ds.consumption.sum("tech") + ds.unserved + (into - out).sum("link")


def fuel_from_rates(ds: xr.Dataset) -> xr.DataArray:
    """(tech, region, time) fuel burnt, GJ, recomputed from a results Dataset: heat rate × MWh of power + GJ/t ×
    t of steam (CHP: heat rate × (P + β·q)) + start-up fuel × MW started."""
    starts = ds.startups * ds.unit_mw * ds.startup_fuel
    return ds.generation * ds.heat_rate + ds.steam_output * ds.steam_fuel_rate + starts


@pytest.fixture
def make_scenario(tmp_path: Path) -> MakeScenario:
    """``make_scenario(scenario_dict, profiles_dict)`` → path of a scenario written in ``tmp_path``."""

    def make(scenario: dict[str, Any], profiles: dict[str, list[float]] | None = None, **kw: Any) -> Path:
        return write_scenario(tmp_path, scenario, profiles, **kw)

    return make
