"""Helpers shared by the input builders."""

from __future__ import annotations

import xarray as xr

INPUT_ROLE = "input"


def da(values: object, dims: tuple[str, ...], units: str, long_name: str) -> xr.Variable:
    """An input array marked as an input, with its units and long name (an ``xr.Variable``: the Dataset is built
    from them in one go, with no index alignment per array)."""
    return xr.Variable(dims, values, attrs={"units": units, "long_name": long_name, "role": INPUT_ROLE})


def capital_recovery_factor(rate: float, years: float) -> float:
    """Annuity per unit of investment, 1/yr: r(1+r)^n / ((1+r)^n − 1); 1/n when r = 0."""
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)
