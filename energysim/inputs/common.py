"""Helpers shared by the input builders."""

from __future__ import annotations

import math

import xarray as xr

INPUT_ROLE = "input"


def da(values: object, dims: tuple[str, ...], units: str, long_name: str) -> xr.Variable:
    """An input array marked as an input, with its units and long name (an ``xr.Variable``: the Dataset is built
    from them in one go, with no index alignment per array)."""
    return xr.Variable(dims, values, attrs={"units": units, "long_name": long_name, "role": INPUT_ROLE})


def capital_recovery_factor(rate: float, years: float) -> float:
    """Annuity per unit of investment, 1/yr: r(1+r)^n / ((1+r)^n − 1) = r / (1 − (1+r)^−n); 1/n when r = 0.

    Computed as r / −expm1(−n·log1p(r)), which stays exact for tiny rates and cannot overflow for long lives
    (the textbook form divided by zero at r = 1e-17 and overflowed at n = 1e30).

    >>> round(capital_recovery_factor(0.06, 25), 6), round(capital_recovery_factor(1e-17, 25), 6)
    (0.078227, 0.04)
    """
    if rate == 0:
        return 1.0 / years
    return rate / -math.expm1(-years * math.log1p(rate))
