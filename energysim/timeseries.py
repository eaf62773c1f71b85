"""Small helpers on hourly series shared by the profile generator and the input builder."""

from __future__ import annotations

import numpy as np


def rescale(values: np.ndarray, *, energy_mwh: float | None = None, peak_mw: float | None = None) -> np.ndarray:
    """Scale a load series to a target energy (MWh over its length) and/or peak (MW).

    With both targets the transform is affine, d' = a·d + b, matching mean and maximum exactly; with one it is
    a plain multiplication.

    >>> rescale(np.array([1.0, 2.0, 3.0]), energy_mwh=12.0, peak_mw=6.0).tolist()
    [2.0, 4.0, 6.0]
    """
    if energy_mwh is not None and peak_mw is not None:
        mean, peak = values.mean(), values.max()
        target_mean = energy_mwh / len(values)
        a = (peak_mw - target_mean) / (peak - mean)
        return a * values + (target_mean - a * mean)
    if energy_mwh is not None:
        return values * energy_mwh / values.sum()
    if peak_mw is not None:
        return values * peak_mw / values.max()
    return values
