"""The gas pool's inputs: sources with price tiers and limits, interconnections, LNG tanks, city gas demand.

Volumes in the Dataset are MWh (thermal) and prices CNY/MWh; the scenario's 10⁴ m³ and CNY/m³ are converted
with ``energysim.units.GAS_MWH_PER_1E4M3``. Annual volumes stay annual (the model prorates them).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from energysim import units as u
from energysim.inputs.common import da
from energysim.inputs.reader import ProfileReader
from energysim.scenario import Scenario

MWH_PER_M3 = u.GAS_MWH_PER_1E4M3 / 1e4


def _mwh(volume_1e4m3: float | None) -> float:
    return np.nan if volume_1e4m3 is None else volume_1e4m3 * u.GAS_MWH_PER_1E4M3


def city_gas_demand(scenario: Scenario, reader: ProfileReader) -> np.ndarray | None:
    """Hourly non-power city gas demand, MW (thermal); zeros without a pool or a demand profile."""
    gas = scenario.gas
    if gas is None or gas.city_demand is None:
        return np.zeros(len(reader.index))
    values = reader.read(gas.city_demand, "gas.city_demand", lo=0.0)
    return None if values is None else values * u.GAS_MWH_PER_1E4M3


def gas_inputs(scenario: Scenario, city_demand: np.ndarray) -> tuple[dict[str, object], dict[str, xr.Variable]]:
    """The pool's coordinates (``gas_source``, ``gas_tier``, ``interconnection``, ``lng_tank``) and arrays (the
    hourly ones as long as ``city_demand``)."""
    gas = scenario.gas
    sources = gas.sources if gas else {}
    n_tiers = max((len(s.tiers) for s in sources.values()), default=0)
    volume = np.full((len(sources), n_tiers), np.nan)
    price = np.full((len(sources), n_tiers), np.nan)
    for i, src in enumerate(sources.values()):
        for k, tier in enumerate(src.tiers):
            volume[i, k] = _mwh(tier.volume_1e4m3_per_year) if tier.volume_1e4m3_per_year else np.inf
            price[i, k] = tier.price_cny_per_m3 / MWH_PER_M3
    links = gas.interconnections if gas else {}
    tanks = gas.lng_storage if gas else {}
    coords = {
        "gas_source": ("gas_source", list(sources)),
        "gas_tier": ("gas_tier", np.arange(n_tiers)),
        "interconnection": ("interconnection", list(links)),
        "lng_tank": ("lng_tank", list(tanks)),
    }
    out: dict[str, xr.Variable] = {}
    src = list(sources.values())
    out["gas_tier_volume"] = da(volume, ("gas_source", "gas_tier"), "MWh/yr", "gas tier block size (inf: open)")
    out["gas_tier_price"] = da(price, ("gas_source", "gas_tier"), u.CNY_PER_MWH, "gas tier price")
    out["gas_source_kind"] = da(np.array([s.kind for s in src], dtype=str), ("gas_source",), "", "pipeline or lng")
    out["gas_source_name"] = da(
        np.array([s.display_name or n for n, s in sources.items()], dtype=str), ("gas_source",), "", "display name"
    )
    out["gas_source_name_zh"] = da(
        np.array([s.display_name_zh or s.display_name or n for n, s in sources.items()], dtype=str),
        ("gas_source",),
        "",
        "display name in Chinese",
    )
    out["gas_source_via"] = da(
        np.array([s.via or "" for s in src], dtype=str),
        ("gas_source",),
        "",
        "interconnection the source flows through (empty: none)",
    )
    out["gas_max_daily"] = da(
        np.array([_mwh(s.max_1e4m3_per_day) for s in src], float),
        ("gas_source",),
        "MWh/day",
        "daily maximum (NaN: none)",
    )
    out["gas_max_annual"] = da(
        np.array([_mwh(s.annual_ceiling()) for s in src], float),
        ("gas_source",),
        "MWh/yr",
        "annual maximum (NaN: none)",
    )
    out["gas_take_or_pay"] = da(
        np.array([_mwh(s.take_or_pay_1e4m3_per_year) for s in src], float),
        ("gas_source",),
        "MWh/yr",
        "take-or-pay minimum",
    )
    out["gas_take_or_pay_penalty"] = da(
        np.array([s.take_or_pay_penalty_cny_per_m3 / MWH_PER_M3 for s in src], float),
        ("gas_source",),
        u.CNY_PER_MWH,
        "penalty per MWh taken below the minimum",
    )
    out["interconnection_capacity"] = da(
        np.array([_mwh(x.capacity_1e4m3_per_day) for x in links.values()], float),
        ("interconnection",),
        "MWh/day",
        "interconnection capacity",
    )
    tank = list(tanks.values())
    out["lng_tank_source"] = da(
        np.array([t.source for t in tank], dtype=str), ("lng_tank",), "", "LNG source filling the tank"
    )
    out["lng_tank_capacity"] = da(
        np.array([_mwh(t.capacity_1e4m3) for t in tank], float),
        ("lng_tank",),
        u.MWH,
        "LNG tank capacity (gas equivalent)",
    )
    out["lng_tank_boil_off"] = da(
        np.array([t.boil_off_per_day for t in tank], float), ("lng_tank",), "1/day", "share of the tank lost per day"
    )
    out["lng_tank_send_out"] = da(
        np.array([_mwh(t.send_out_max_1e4m3_per_day) for t in tank], float), ("lng_tank",), "MWh/day", "send-out limit"
    )
    out["gas_availability"] = da(
        np.ones((len(city_demand), len(sources))),
        ("time", "gas_source"),
        u.PU,
        "share of a source's daily maximum available (stress cases lower it)",
    )
    out["city_gas_demand"] = da(city_demand, ("time",), u.MW, "non-power city gas demand (thermal)")
    return coords, out


def gas_attrs(scenario: Scenario) -> dict[str, object]:
    """The pool's scalar settings as Dataset attrs."""
    gas = scenario.gas
    return {
        "gas_balance": gas.balance if gas else "none",
        "value_of_lost_gas_cny_per_mwh": gas.value_of_lost_gas_cny_per_m3 / MWH_PER_M3 if gas else 0.0,
    }
