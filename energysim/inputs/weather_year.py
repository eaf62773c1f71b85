"""A scenario's inputs in another weather year: its demand, variable renewables and steam demand taken from one
of the seeded weather years (:func:`energysim.profiles.weather_years.weather_years`, year 0 the shipped one).

The mapping keeps what the scenario asked for and moves what the weather moves:

- **demand**: a region's demand that is an affine map d = a·s + b of the shipped year's column s (as the
  scenario's ``annual_twh``/``peak_mw`` rescale makes it) gets the same map applied to weather year k,
  d_k = a·s_k + b. Any other region's demand d (the rest of Zhejiang, a user's own file) shares Jiaxing's
  weather: each day moves with the ratio of s_k's daily mean to s's, r_k(day), and the result is rescaled
  (affine, as the profiles are) to the energy Σd · Σs_k/Σs and the peak max d · max s_k/max s, so its year is
  as much hotter or milder as Jiaxing's. (Moved hour by hour with s_k/s alone, the rest of Zhejiang's peak rose
  2.8–5.5 % in each of 9 generated 2025 years, also in those whose Jiaxing peak was up to 4.3 % lower: its own
  shape, observed in 2018, peaks on other days and hours than Jiaxing's synthetic weather, and the product of
  the two peaked higher than either. Now its summer peak moves as Jiaxing's, its winter peak within −4 to +2
  points of Jiaxing's winter peak change);
- **variable renewables**: an availability proportional to a weather column (``pv``, ``wind_offshore``) gets
  that column of year k, with the same factor, capped at 1; any other keeps its one profile;
- **steam demand**: moves hour by hour with the ratio of year k's ``steam_t_per_h`` to the shipped year's.

Used by ``energysim run --weather-year K``, the weather-year switch of ``energysim robustness`` and the
sampled weather of ``energysim adequacy``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.model.sets import column

MAX_WEATHER_YEAR = 999
"""The largest weather year ``run --weather-year`` makes (years 0…K are generated, ≈0.2 s each)."""

SHARES_THE_WEATHER = "demand moves day by day with the weather years' demand, rescaled to their energy and peak"
"""The note on a region whose demand is not an affine map of the weather column (module docstring)."""


def weather_rows(inputs: xr.Dataset, weather: xr.Dataset) -> np.ndarray:
    """Positions of the inputs' hours in the weather years' time axis (an error if any is missing)."""
    rows = pd.DatetimeIndex(weather.time.values).get_indexer(pd.DatetimeIndex(inputs.time.values))
    if (rows < 0).any():
        raise ValueError(f"the weather years cover {weather.attrs.get('year')}, not the scenario's horizon")
    return rows


def weather_demand(inputs: xr.Dataset, weather: xr.Dataset | None, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(W, T, R) demand in MW of each weather year (module docstring) and notes on regions mapped by ratio."""
    demand = column(inputs, "demand", ("time", "region"))
    if weather is None:
        return demand[None], []
    shipped = weather.demand_mw.values[0, rows]
    years = weather.demand_mw.values[:, rows]
    out = np.empty((len(years), *demand.shape))
    notes = []
    for r, name in enumerate(inputs.region.values):
        d = demand[:, r]
        a, b = np.polyfit(shipped, d, 1) if shipped.std() > 0 else (0.0, float(d.mean()))
        if np.abs(a * shipped + b - d).max() <= 1e-6 * max(1.0, float(np.abs(d).max())):
            out[:, :, r] = a * years + b
        else:
            out[:, :, r] = _shares_the_weather(d, shipped, years, pd.DatetimeIndex(inputs.time.values))
            notes.append(f"{name}: {SHARES_THE_WEATHER}")
    return out, notes


def _shares_the_weather(d: np.ndarray, shipped: np.ndarray, years: np.ndarray, time: pd.DatetimeIndex) -> np.ndarray:
    """(W, T) demand of a region that shares the weather column's weather but not its shape (module docstring):
    ``d`` × the daily ratio r_k(day), rescaled to energy Σd·Σs_k/Σs and peak max d·max s_k/max s (MW)."""
    from energysim.timeseries import rescale

    day = time.normalize()
    daily = pd.DataFrame(years.T, index=day).groupby(level=0).transform("mean").to_numpy().T  # (W, T)
    out = np.empty_like(years, dtype=float)
    out[0] = d
    if d.std() == 0 or shipped.sum() <= 0 or shipped.max() <= 0:
        out[1:] = d * daily[1:] / np.where(daily[0] > 0, daily[0], 1.0)
        return out
    for k in range(1, len(years)):
        moved = d * daily[k] / np.where(daily[0] > 0, daily[0], 1.0)
        energy = d.sum() * years[k].sum() / shipped.sum()
        peak = d.max() * years[k].max() / shipped.max()
        out[k] = np.clip(rescale(moved, energy_mwh=energy, peak_mw=peak), 0.0, None) if moved.std() > 0 else moved
    return out


def weather_availability(inputs: xr.Dataset, weather: xr.Dataset | None, rows: np.ndarray, g: int) -> np.ndarray:
    """(W, T) availability (per unit of capacity) of variable technology ``g`` in each weather year."""
    a0 = inputs.availability.transpose("tech", "time").values[g]
    if weather is None:
        return a0[None]
    for name in ("pv", "wind_offshore"):
        if name not in weather:
            continue
        cf = weather[name].values[:, rows]
        scale = float(a0 @ cf[0]) / max(float(cf[0] @ cf[0]), 1e-12)
        if scale > 0 and np.abs(scale * cf[0] - a0).max() <= 1e-6:
            return np.clip(scale * cf, 0.0, 1.0)
    return np.repeat(a0[None], weather.sizes["weather_year"], axis=0)


def with_weather_year(inputs: xr.Dataset, weather: xr.Dataset, k: int) -> xr.Dataset:
    """``inputs`` with the demand, variable renewables and steam demand of weather year ``k`` (module
    docstring; year 0 gives the inputs back to the fit's tolerance, 1e-6 of the peak; :func:`in_weather_year`
    returns them unchanged). ``attrs["weather_year"]`` records ``k``."""
    rows = weather_rows(inputs, weather)
    demand, _ = weather_demand(inputs, weather, rows)
    out = inputs.copy()
    out["demand"] = xr.Variable(("time", "region"), demand[k], inputs.demand.attrs)
    avail = inputs.availability.transpose("time", "tech").values.copy()
    kind = inputs.variables["tech_kind"].values.astype(str)
    for g in np.flatnonzero(kind == "variable"):
        avail[:, g] = weather_availability(inputs, weather, rows, int(g))[k]
    out["availability"] = xr.Variable(("time", "tech"), avail, inputs.availability.attrs)
    out["availability"] = out.availability.transpose(*inputs.availability.dims)
    out["demand"] = out.demand.transpose(*inputs.demand.dims)
    if k and "steam_t_per_h" in weather and "steam_demand" in inputs:
        shipped = weather.steam_t_per_h.values[0, rows]
        ratio = np.where(shipped > 0, weather.steam_t_per_h.values[k, rows] / np.where(shipped > 0, shipped, 1), 1)
        steam = column(inputs, "steam_demand", ("time", "region")) * ratio[:, None]
        out["steam_demand"] = xr.Variable(("time", "region"), steam, inputs.steam_demand.attrs)
        out["steam_demand"] = out.steam_demand.transpose(*inputs.steam_demand.dims)
    out.attrs["weather_year"] = int(k)
    return out


def in_weather_year(inputs: xr.Dataset, k: int) -> xr.Dataset:
    """``inputs`` in weather year ``k`` ≥ 0 of their calendar year (:func:`with_weather_year`; 0: unchanged).

    Makes years 0…k (≈0.25 s each). Raises :class:`~energysim.errors.ScenarioError` for a negative ``k`` or a
    horizon the weather years do not cover (one calendar year)."""
    from energysim.errors import Problem, ScenarioError
    from energysim.profiles.weather_years import weather_years

    if not 0 <= k <= MAX_WEATHER_YEAR:
        problem = Problem(
            "the command line", "--weather-year", f"0 (the shipped year) to {MAX_WEATHER_YEAR}", str(k), ""
        )
        raise ScenarioError([problem], subject="the command line")
    if k == 0:
        return inputs
    time = pd.DatetimeIndex(inputs.time.values)
    if time[0].year != time[-1].year:
        hint = "weather years are made one calendar year at a time"
        found = f"{time[0]} – {time[-1]}"
        problem = Problem("the command line", "--weather-year", "a horizon inside one year", found, hint)
        raise ScenarioError([problem], subject="the command line")
    return with_weather_year(inputs, weather_years(time[0].year, k + 1), k)
