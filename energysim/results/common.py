"""Helpers to lay solution values on the input coordinates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

RESULT_ROLE = "result"


def result_da(values: object, dims: tuple[str, ...], units: str, long_name: str) -> xr.DataArray:
    """A DataArray marked as a result, with its units and long name."""
    return xr.DataArray(values, dims=dims, attrs={"units": units, "long_name": long_name, "role": RESULT_ROLE})


def by_tech(inputs: xr.Dataset, members: Sequence[str], values: np.ndarray, *, hourly: bool = True) -> xr.DataArray:
    """Values of a tech subset (tech-major, as Var(subset, T).values()) as a full (tech[, time]) array, 0 elsewhere."""
    techs = [str(t) for t in inputs.tech.values]
    shape = (len(techs), inputs.sizes["time"]) if hourly else (len(techs),)
    out = np.zeros(shape)
    if len(members):
        out[[techs.index(g) for g in members]] = np.asarray(values).reshape((len(members), *shape[1:]))
    return xr.DataArray(out, dims=("tech", "time") if hourly else ("tech",), coords={"tech": techs})


def spread(inputs: xr.Dataset, per_tech: xr.DataArray) -> xr.DataArray:
    """(…, tech) → (…, region, tech): each tech's values in its own region, zeros elsewhere."""
    techs = inputs["tech"].values
    if "tech" in per_tech.coords and not np.array_equal(per_tech["tech"].values, techs):
        per_tech = per_tech.reindex(tech=techs)
    per_tech = per_tech.transpose(..., "tech")
    sited = inputs["tech_region"].values[None, :] == inputs["region"].values[:, None]  # (region, tech)
    coords = {k: v for k, v in per_tech.coords.items() if k != "tech"}
    coords.update(region=inputs["region"], tech=inputs["tech"])
    return xr.DataArray(
        per_tech.values[..., None, :] * sited, dims=(*per_tech.dims[:-1], "region", "tech"), coords=coords
    )
