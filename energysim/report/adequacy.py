"""Tables and a figure of a probabilistic adequacy study (an ``energysim adequacy`` Dataset): every estimate with
its Monte Carlo standard error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.profiles.weather_years import against_facts

WEATHER_PREFIX = "weather_"


def _pm(mean: float, se: float, digits: int = 2) -> str:
    return f"{mean:,.{digits}f} ± {se:,.{digits}f}"


def adequacy_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per region: LOLE (h/yr, d/yr), EUE (MWh/yr), the probability of orderly power use and the worst event of
    the year, each ``mean ± standard error``, and whether the estimates converged."""
    rows = []
    for region in ds.region.values:
        r = ds.sel(region=region)

        def pm(name: str, digits: int = 2, r: xr.Dataset = r) -> str:
            return _pm(float(r[name]), float(r[f"{name}_se"]), digits)

        converged = "yes" if bool(r.converged) else f"no (relative s.e. {float(r.lole_relative_se):.0%})"
        if float(r.lole_hours) == 0:
            converged = f"no loss of load seen: P(year) < {float(r.no_loss_upper_bound):.2g} at 95 %"
        rows.append(
            {
                "region": str(region),
                "LOLE h/yr": pm("lole_hours", 3),
                "LOLE d/yr": pm("lole_days", 3),
                "EUE MWh/yr": pm("eue", 1),
                "P(orderly power use)": pm("orderly_power_use_probability", 3),
                "worst event MW": pm("worst_event_depth", 0),
                "converged": converged,
            }
        )
    return pd.DataFrame(rows).set_index("region")


def events_table(ds: xr.Dataset, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest sampled events: region, when, duration, depth, energy, weather year, sample."""
    if "event" not in ds.dims or not ds.sizes["event"]:
        return pd.DataFrame(columns=["region", "start", "duration h", "depth MW", "energy MWh", "weather year"])
    frame = pd.DataFrame(
        {
            "region": ds.event_region.values,
            "start": pd.to_datetime(ds.event_start.values).strftime("%Y-%m-%d %H:00"),
            "duration h": ds.event_duration_h.values,
            "depth MW": ds.event_depth_mw.values,
            "energy MWh": ds.event_energy_mwh.values,
            "weather year": ds.event_weather_year.values,
            "sample": ds.event_sample.values,
        }
    )
    return frame.head(n)


def weather_statistics(ds: xr.Dataset) -> pd.DataFrame | None:
    """The heatwave statistics of the weather years the study sampled (None if it carries none)."""
    names = [v for v in ds.data_vars if v.startswith(WEATHER_PREFIX)]
    if not names:
        return None
    frame = pd.DataFrame({v[len(WEATHER_PREFIX) :]: ds[v].values for v in names})
    frame.index = pd.Index(ds.weather_year.values, name="weather_year")
    return frame


def with_weather_statistics(ds: xr.Dataset, stats: pd.DataFrame) -> xr.Dataset:
    """``ds`` with the heatwave statistics (:func:`energysim.profiles.weather_years.heatwave_statistics`)."""
    data = {
        f"{WEATHER_PREFIX}{name}": (("weather_year",), stats[name].to_numpy(), {"long_name": name.replace("_", " ")})
        for name in stats.columns
    }
    return ds.assign(data).assign_coords(weather_year=stats.index.to_numpy())


def format_adequacy(ds: xr.Dataset) -> str:
    """The printed report: what was sampled, the table, LOLP by hour and month, the worst events, the weather."""
    a = ds.attrs
    lines = [
        f"probabilistic adequacy — {a.get('scenario_name', '')}: {a['samples']:,} sampled years (seed {a['seed']}, "
        f"chunks of {a['chunk']}), {a['simulated_hours']:,} h each ({a['simulated_from'][:10]} … "
        f"{a['simulated_to'][:10]}), {a['weather_years']} weather years, {a['units_sampled']} units, ties and links "
        f"sampled; {a['seconds']:.1f} s ({a['samples_per_second']:,.0f} samples/s)",
        f"  ({a['lole_scope']}; mean ± Monte Carlo standard error)",
        "",
        adequacy_table(ds).to_string(),
    ]
    lolp = ds.lolp_hour.max("region")
    if float(lolp.max()) > 0:
        top = lolp.to_series().sort_values(ascending=False).head(5)
        lines += ["", "hours of the day most often short: " + ", ".join(f"{h:02d} h {p:.2%}" for h, p in top.items())]
        months = ds.lolp_month.max("region").to_series().dropna()
        lines += ["by month: " + ", ".join(f"{m}: {p:.2%}" for m, p in months.items())]
        events = events_table(ds).to_string(index=False, float_format=lambda x: f"{x:,.0f}")
        lines += ["", "worst sampled events:", events]
    stats = weather_statistics(ds)
    if stats is not None:
        lines += ["", "weather years against the facts:", against_facts(stats).to_string()]
    if a.get("notes"):
        lines += ["", f"notes: {a['notes']}"]
    return "\n".join(lines)


def lolp_figure(ds: xr.Dataset) -> object:
    """LOLP by hour of day and by month, per region, with ±2 standard errors."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for region in ds.region.values:
        for ax, name, dim in ((axes[0], "lolp_hour", "hour"), (axes[1], "lolp_month", "month")):
            mean = ds[name].sel(region=region)
            se = ds[f"{name}_se"].sel(region=region)
            x = ds[dim].values
            ax.plot(x, mean.values, marker="o", label=str(region))
            ax.fill_between(x, np.clip(mean - 2 * se, 0, None), mean + 2 * se, alpha=0.2)
            ax.set_xlabel(dim)
            ax.set_ylabel(f"{ds[name].attrs.get('long_name', name)} [{ds[name].attrs.get('units', '')}]")
    axes[0].legend()
    fig.suptitle(f"loss-of-load probability, {ds.attrs['samples']:,} sampled years (band: ±2 s.e.)")
    fig.tight_layout()
    return fig
