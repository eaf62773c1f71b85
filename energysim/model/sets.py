"""Pyomo sets from Dataset coordinates, and array helpers that refuse misaligned dims instead of broadcasting."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyomo.environ as pyo
import xarray as xr


def column(inputs: xr.Dataset, name: str, dims: tuple[str, ...]) -> np.ndarray:
    """``inputs[name]`` as a numpy array whose dims are exactly ``dims`` (in that order).

    >>> import xarray as xr
    >>> ds = xr.Dataset({"a": (("tech",), [1.0])})
    >>> column(ds, "a", ("time", "tech"))
    Traceback (most recent call last):
    ...
    ValueError: input `a` has dims ('tech',), the model needs ('time', 'tech')
    """
    var = inputs.variables[name]
    if set(var.dims) != set(dims):
        raise ValueError(f"input `{name}` has dims {var.dims}, the model needs {dims}")
    return var.transpose(*dims).to_numpy()


def active(inputs: xr.Dataset) -> np.ndarray:
    """Technologies with any capacity, existing or buildable (others get no variables or rows)."""
    names = ("capacity_existing", "max_new_capacity", "export_capacity", "steam_capacity_existing")
    capacity = inputs.variables["max_new_steam_capacity"].values.copy()  # all on dim tech
    for name in names:
        capacity += inputs.variables[name].values
    return capacity > 0


def techs_where(inputs: xr.Dataset, mask: np.ndarray) -> list[str]:
    """Names of the active technologies (see :func:`active`) for which ``mask`` (aligned with ``inputs.tech``)
    is true."""
    keep = np.asarray(mask) & active(inputs)
    return [str(t) for t, k in zip(inputs.tech.values, keep, strict=True) if k]


def add_sets(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """``m.T`` (hour index 0…N−1), ``m.REGION``, ``m.TECH``, ``m.LINK`` from the Dataset's coordinates."""
    m.T = pyo.RangeSet(0, inputs.sizes["time"] - 1)
    m.REGION = pyo.Set(initialize=[str(r) for r in inputs.region.values], ordered=True)
    m.TECH = pyo.Set(initialize=[str(t) for t in inputs.tech.values], ordered=True)
    m.LINK = pyo.Set(initialize=[str(x) for x in inputs.link.values], ordered=True)


def subset(parent: pyo.Set, members: Sequence[str]) -> pyo.Set:
    """An ordered Pyomo subset with the given members (kept in the parent's order)."""
    keep = set(members)
    return pyo.Set(within=parent, initialize=[x for x in parent if x in keep], ordered=True)


def positions(inputs: xr.Dataset, members: Sequence[str]) -> np.ndarray:
    """Positions of ``members`` along ``inputs.tech`` (to pick per-tech arrays for a subset)."""
    order = {str(t): i for i, t in enumerate(inputs.variables["tech"].values)}
    return np.array([order[g] for g in members], dtype=int)


def per_tech(inputs: xr.Dataset, name: str, members: Sequence[str]) -> np.ndarray:
    """``inputs[name]`` for a tech subset: shape (members,) or (members, time)."""
    return inputs.variables[name].transpose("tech", ...).values[positions(inputs, members)]


class TechArrays:
    """Base of the sector data classes: per-tech input arrays picked for a subset of technologies."""

    def __init__(self, inputs: xr.Dataset) -> None:
        self.inputs = inputs
        self.kind = inputs.variables["tech_kind"].values.astype(str)

    def pick(self, values: np.ndarray | str, members: Sequence[str], *, hourly: bool = False) -> np.ndarray:
        """A per-tech array (or input name) for a tech subset; ``hourly`` shapes a per-tech one (members, 1)."""
        array = self.inputs.variables[values].values if isinstance(values, str) else values
        picked = array[positions(self.inputs, members)]
        return picked[:, None] if hourly else picked

    def members(self, parent: pyo.Set, mask: np.ndarray) -> list[str]:
        """Members of ``parent`` whose per-tech ``mask`` is true."""
        keep = dict(zip(self.inputs.variables["tech"].values.astype(str), mask, strict=True))
        return [g for g in parent if keep[g]]


def rates_for(rate: xr.DataArray, members: Sequence[str]) -> np.ndarray:
    """A (time, tech) or (tech,) rate for a tech subset, laid out tech-major like Var(subset, T)."""
    order = {str(t): i for i, t in enumerate(rate["tech"].values)}
    return rate.transpose("tech", ...).values[np.array([order[g] for g in members], dtype=int)]


def previous_hour(cols: np.ndarray, period: int | None = None) -> np.ndarray:
    """Columns of the hour before, cyclic within each period of ``period`` hours (default: the whole horizon, so
    the last hour precedes the first); time is the last axis.

        >>> previous_hour(np.arange(6), period=3).tolist()
        [2, 0, 1, 5, 3, 4]
    """
    n = cols.shape[-1]
    period = period or n
    if n == 0 or period == n:
        return np.roll(cols, 1, axis=-1)
    blocks = cols.reshape(*cols.shape[:-1], n // period, period)
    return np.roll(blocks, 1, axis=-1).reshape(cols.shape)


def aggregated(inputs: xr.Dataset) -> bool:
    """True for representative-day inputs (hours weighted by the days they stand for)."""
    return "time_weight" in inputs


def hour_weights(inputs: xr.Dataset) -> np.ndarray:
    """Hours of the year each model hour stands for: 1 at full resolution, the days a typical day represents
    when aggregated."""
    return inputs["time_weight"].values if aggregated(inputs) else np.ones(inputs.sizes["time"])


def period_hours(inputs: xr.Dataset) -> int:
    """Length of the periods that intertemporal rows cycle within: 24 for typical days, else the horizon."""
    return int(inputs.attrs.get("period_hours", inputs.sizes["time"])) if aggregated(inputs) else inputs.sizes["time"]
