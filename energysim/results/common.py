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
    v = inputs.variables
    if "tech" in per_tech.indexes and not per_tech.indexes["tech"].equals(inputs.indexes["tech"]):
        per_tech = per_tech.reindex(tech=v["tech"].values)
    per_tech = per_tech.transpose(..., "tech")
    sited = v["tech_region"].values[None, :] == v["region"].values[:, None]  # (region, tech)
    coords = {k: c.variable for k, c in per_tech.coords.items() if k != "tech"}
    coords.update(region=v["region"], tech=v["tech"])
    return xr.DataArray(
        per_tech.values[..., None, :] * sited, dims=(*per_tech.dims[:-1], "region", "tech"), coords=coords
    )
