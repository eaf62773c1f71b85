"""Small helpers on hourly series shared by the profile generator and the input builder."""

from __future__ import annotations

import numpy as np


class RescaleError(ValueError):
    """A profile cannot be rescaled to its targets; ``target`` is the key at fault (``peak_mw``, ``annual_twh``)
    or empty when the profile's shape is."""

    def __init__(self, target: str, expected: str, found: str, hint: str) -> None:
        self.target, self.expected, self.found, self.hint = target, expected, found, hint
        super().__init__(f"{target or 'profile'}: expected {expected}, found {found}. {hint}")


def rescale(values: np.ndarray, *, energy_mwh: float | None = None, peak_mw: float | None = None) -> np.ndarray:
    """Scale a load series to a target energy (MWh over its length) and/or peak (MW).

    With both targets the transform is affine, d' = a·d + b, matching mean and maximum exactly; with one it is
    a plain multiplication. Raises :class:`RescaleError` when the targets cannot be met: a peak below the mean
    (the affine map would turn the profile upside down), a flat profile given both targets, a profile of zeros,
    or a result beyond floating-point range.

    >>> rescale(np.array([1.0, 2.0, 3.0]), energy_mwh=12.0, peak_mw=6.0).tolist()
    [2.0, 4.0, 6.0]
    """
    if energy_mwh is not None and peak_mw is not None:
        out = _affine(values, energy_mwh / len(values), peak_mw)
    elif energy_mwh is not None:
        total = values.sum()
        if not total > 0:
            raise RescaleError("", "a profile with hours above 0", f"values summing to {total:.4g}", _SHAPE_HINT)
        out = values * (energy_mwh / total)
    elif peak_mw is not None:
        peak = values.max()
        if not peak > 0:
            raise RescaleError("", "a profile with hours above 0", f"a maximum of {peak:.4g}", _SHAPE_HINT)
        out = values * (peak_mw / peak)
    else:
        out = values
    if not np.isfinite(out).all():
        raise RescaleError("", "values that can be rescaled", "a result beyond floating-point range", _SHAPE_HINT)
    return out


_SHAPE_HINT = "an energy or peak target scales the profile's shape: the profile needs hours above 0"


def _affine(values: np.ndarray, target_mean: float, peak_mw: float) -> np.ndarray:
    mean, peak = values.mean(), values.max()
    if peak_mw < target_mean:
        raise RescaleError(
            "peak_mw",
            f"a peak of at least the mean demand the energy target gives, {target_mean:,.1f} MW",
            f"{peak_mw:,.6g} MW",
            "raise `peak_mw` or lower `annual_twh`: below the mean, the profile would be turned upside down",
        )
    if not peak - mean > 1e-12 * max(abs(peak), 1.0):
        if np.isclose(peak_mw, target_mean):
            return np.full_like(values, target_mean, dtype=float)
        raise RescaleError(
            "",
            "a profile that varies from hour to hour",
            "the same value in every hour",
            "a flat profile cannot meet both a peak and an energy target: give only one of them",
        )
    a = (peak_mw - target_mean) / (peak - mean)
    return a * values + (target_mean - a * mean)
