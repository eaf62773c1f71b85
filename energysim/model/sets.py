"""Pyomo sets from Dataset coordinates, and array helpers that refuse misaligned dims instead of broadcasting."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyomo.environ as pyo
import xarray as xr
from pyomo.core.expr.numeric_expr import LinearExpression


def column(inputs: xr.Dataset, name: str, dims: tuple[str, ...]) -> np.ndarray:
    """``inputs[name]`` as a numpy array whose dims are exactly ``dims`` (in that order).

        >>> import xarray as xr
    from pyomo.core.expr.numeric_expr import LinearExpression
        >>> ds = xr.Dataset({"a": (("tech",), [1.0])})
        >>> column(ds, "a", ("time", "tech"))
        Traceback (most recent call last):
        ...
        ValueError: input `a` has dims ('tech',), the model needs ('time', 'tech')
    """
    da = inputs[name]
    if set(da.dims) != set(dims):
        raise ValueError(f"input `{name}` has dims {da.dims}, the model needs {dims}")
    return da.transpose(*dims).to_numpy()


def active(inputs: xr.Dataset) -> np.ndarray:
    """Technologies with any capacity, existing or buildable (others get no variables or rows)."""
    capacity = (
        inputs.capacity_existing
        + inputs.max_new_capacity
        + inputs.export_capacity
        + inputs.steam_capacity_existing
        + inputs.max_new_steam_capacity
    )
    return np.asarray(capacity.values > 0)


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


def row(
    coefs: list[float], variables: list[pyo.Var], *, lower: float | None = None, upper: float | None = None
) -> tuple[float | None, LinearExpression, float | None]:
    """The linear row ``lower ≤ Σ coefs·variables ≤ upper`` in the tuple form a Pyomo rule may return.

    Built without operator overloading, so rules stay cheap and the hand-off can read terms directly.
    """
    return (lower, LinearExpression(constant=0.0, linear_coefs=coefs, linear_vars=variables), upper)


def linear_sum(coefs: np.ndarray, variables: list[pyo.Var]) -> LinearExpression:
    """Σ coefs·variables as one LinearExpression, dropping zero coefficients (for objectives and caps)."""
    coefs = np.asarray(coefs, dtype=float).ravel()
    keep = coefs != 0
    return LinearExpression(
        constant=0.0,
        linear_coefs=coefs[keep].tolist(),
        linear_vars=[v for v, k in zip(variables, keep, strict=True) if k],
    )


def rates_for(rate: xr.DataArray, members: Sequence[str]) -> np.ndarray:
    """A (time, tech) or (tech,) rate for a tech subset, laid out tech-major like Var(subset, T).values()."""
    picked = rate.sel(tech=list(members))
    return picked.transpose("tech", ...).values


def balance_row(
    coefs: list[float], terms: list[pyo.Var], *, unserved: pyo.Var, surplus: pyo.Var | None, need: float
) -> tuple[float | None, LinearExpression, float | None]:
    """A balance ``Σ coefs·terms + unserved (− surplus) = need``: the shared shape of the power, steam and gas
    balances; ``surplus`` is the diagnosis model's slack (None in a normal run)."""
    coefs = [*coefs, 1.0]
    terms = [*terms, unserved]
    if surplus is not None:
        coefs.append(-1.0)
        terms.append(surplus)
    return row(coefs, terms, lower=need, upper=need)
