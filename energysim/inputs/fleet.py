"""A built fleet as inputs: what a run built becomes existing capacity (stress cases, the typical-day check)."""

from __future__ import annotations

import xarray as xr


def fix_fleet(inputs: xr.Dataset, results: xr.Dataset) -> xr.Dataset:
    """Inputs whose existing capacity is what ``results`` built, hour by hour, with no further expansion."""
    out = inputs.copy()
    new = results.new_capacity.sum("region")
    new_steam = results.new_steam_capacity.sum("region")
    before = inputs.capacity_existing * inputs.in_service
    steam_before = inputs.steam_capacity_existing * inputs.in_service
    electric = inputs.capacity_existing + new
    steam = inputs.steam_capacity_existing + new_steam
    share = xr.where(new > 0, (before + new) / electric.where(electric > 0, 1.0), inputs.in_service)
    share = xr.where(new_steam > 0, (steam_before + new_steam) / steam.where(steam > 0, 1.0), share)
    out["in_service"] = share.transpose("time", "tech")
    out["capacity_existing"] = electric.assign_attrs(inputs.capacity_existing.attrs)
    out["steam_capacity_existing"] = steam.assign_attrs(inputs.steam_capacity_existing.attrs)
    out["max_new_capacity"] = xr.zeros_like(inputs.max_new_capacity)
    out["max_new_steam_capacity"] = xr.zeros_like(inputs.max_new_steam_capacity)
    out["in_service"].attrs = inputs.in_service.attrs
    return out
