"""Figures of a results Dataset (never a Pyomo model): dispatch in the peak weeks with the price, duration
curves, capacity and generation mix, emissions, gas supply, steam supply, and scenario comparison bars.

The power figures show the city: its regions (``role: city``) with every plant sited in them, and what flows in
from the province (or out to it); the province's own plants are in the summary and the results, not drawn here.

Axis labels come from the ``units`` and ``long_name`` attrs; every technology keeps one colour across figures.
Figures are built with the object API (``matplotlib.figure.Figure``), so no global pyplot state is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from energysim import units as u
from energysim.report.accounting import city_regions
from energysim.report.i18n import Lang, font_context, tech_names, tr

KIND_COLOURS = {
    "must_run": ["#7d3c98", "#a569bd", "#5b2c6f"],
    "thermal": ["#2c3e50", "#566573", "#808b96", "#abb2b9", "#17202a", "#34495e"],
    "chp": ["#a04000", "#e67e22"],
    "variable": ["#f1c40f", "#b7950b", "#27ae60", "#82e0aa"],
    "storage": ["#16a085", "#76d7c4"],
    "grid": ["#2e86c1", "#85c1e9"],
    "boiler": ["#6e2c00", "#ca6f1e", "#f5b041", "#fad7a0", "#d35400", "#935116"],
    "heat_pump": ["#48c9b0"],
    "steam_storage": ["#1abc9c"],
    "demand_shift": ["#ec7063"],
    "demand_curtail": ["#c0392b"],
}
"""Colour lists per technology kind; the n-th technology of a kind takes the n-th colour."""
A4_LANDSCAPE = (11.7, 8.3)


def label(da: xr.DataArray, lang: Lang = "en") -> str:
    """``long_name [units]`` from a DataArray's attrs (xarray's convention), in ``lang``."""
    name = tr(str(da.attrs.get("long_name", da.name or "")), lang)
    units = da.attrs.get("units", "")
    return f"{name} [{units}]" if units else str(name)


def tech_colours(ds: xr.Dataset) -> dict[str, str]:
    """One colour per technology: the n-th of its kind takes the n-th colour of the kind's list; past the end of
    the list, the colours come round again blended towards white (a province adds many of each kind)."""
    from matplotlib.colors import to_hex, to_rgb

    colours, seen = {}, {}
    for tech, kind in zip(ds.tech.values, ds.tech_kind.values, strict=True):
        palette = KIND_COLOURS.get(str(kind), ["#7f8c8d"])
        n = seen.get(kind, 0)
        seen[kind] = n + 1
        lap, base = divmod(n, len(palette))
        white = 1 - 0.6**lap  # 0, 0.4, 0.64, …
        colours[str(tech)] = to_hex(tuple(c + (1 - c) * white for c in to_rgb(palette[base])))
    return colours


def city_part(ds: xr.Dataset) -> xr.Dataset:
    """The results on the city's regions only (every plant sited there; the province's are zero)."""
    return ds.sel(region=ds.region.values[city_regions(ds).values])


def from_province(city: xr.Dataset) -> xr.DataArray:
    """(time) What flows into the city's regions over links, MW (negative: out to the province)."""
    net = (city.generation - city.consumption).sum(["region", "tech"])
    return (city.demand - city.unserved).sum("region") - net


def _peak_week(ds: xr.Dataset, months: Sequence[int]) -> slice | None:
    demand = ds.demand.sum("region")
    season = demand.where(demand.time.dt.month.isin(list(months)), drop=True)
    if season.sizes["time"] == 0:
        return None
    peak = pd.Timestamp(season.idxmax("time").values)
    start = max(pd.Timestamp(ds.time.values[0]), peak - pd.Timedelta(days=3))
    return slice(start, start + pd.Timedelta(hours=167))


def dispatch_week(ds: xr.Dataset, months: Sequence[int] = (7, 8), ax: object = None, *, lang: Lang = "en") -> Figure:
    """The city's supply by technology in the week around its peak hour of ``months``, what flows in from the
    province (stacked on top; below zero when it flows out), its demand and its price."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained") if ax is None else ax.figure  # type: ignore[attr-defined]
    ax = ax or fig.subplots()
    ds = city_part(ds)
    week = _peak_week(ds, months) or slice(None)
    part = ds.sel(time=week)
    gen = part.generation.sum("region")
    colours, names = tech_colours(ds), tech_names(ds, lang)
    order = [t for t in gen.tech.values if float(gen.sel(tech=t).sum()) > 0]
    ax.stackplot(
        part.time.values,
        *[gen.sel(tech=t).values for t in order],
        colors=[colours[str(t)] for t in order],
        labels=[names[str(t)] for t in order],
    )
    cons = part.consumption.sum("region")
    taking = [t for t in cons.tech.values if float(cons.sel(tech=t).sum()) > 0]
    if taking:  # exports, storage charging, electric boilers: below zero
        ax.stackplot(
            part.time.values, *[-cons.sel(tech=t).values for t in taking], colors=[colours[str(t)] for t in taking]
        )
    inflow = from_province(part)
    if float(abs(inflow).max()) > 1e-6:
        top = gen.sum("tech")
        ax.fill_between(
            part.time.values, top, top + inflow.clip(min=0), color="#85c1e9", label=tr("from the province", lang)
        )
        below = -cons.sum("tech")
        ax.fill_between(
            part.time.values, below, below + inflow.clip(max=0), color="#d6eaf8", label=tr("to the province", lang)
        )
    ax.plot(part.time.values, part.demand.sum("region").values, color="black", lw=1.2, label=tr("demand", lang))
    ax.axhline(0, color="black", lw=0.5)
    ax.set_ylabel(label(ds.generation, lang) + "; " + tr("consumption below zero", lang))
    twin = ax.twinx()
    twin.plot(
        part.time.values, part.price.mean("region").values, color="#c0392b", lw=0.8, ls="--", label=tr("price", lang)
    )
    twin.set_ylabel(label(ds.price, lang))
    ax.set_title(f"{tr('Dispatch around the peak of months', lang)} {', '.join(map(str, months))}")
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    return fig


def duration_curves(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """The city's load and residual load (demand less its variable renewables) duration curves."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    ds = city_part(ds)
    demand = ds.demand.sum("region")
    variable = ds.generation.where(ds.tech_kind == "variable", 0).sum(["region", "tech"])
    for series, name in ((demand, "load"), (demand - variable, "residual load")):
        ax.plot(np.sort(series.values)[::-1], label=tr(name, lang))
    ax.set_xlabel(f"{tr('hours', lang)} [h]")
    ax.set_ylabel(label(ds.demand, lang))
    ax.set_title(tr("Load and residual-load duration curves", lang))
    ax.legend()
    return fig


def mix(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """Capacity (MW) and generation (TWh) by technology sited in the city, side by side."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    left, right = fig.subplots(1, 2)
    colours, names = tech_colours(ds), tech_names(ds, lang)
    ds = city_part(ds)
    cap = ds.capacity.sum("region").to_series()
    gen = ds.generation.sum(["time", "region"]).to_series() / 1e6
    for ax, series, title, unit in (
        (left, cap, tr("Capacity", lang), label(ds.capacity, lang)),
        (right, gen, tr("Generation", lang), "TWh"),
    ):
        series = series[series > 0]
        ax.barh([names[t] for t in series.index], series.values, color=[colours[t] for t in series.index])
        ax.set_title(title)
        ax.set_xlabel(unit)
    return fig


def emissions(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """CO2 by technology sited in the city (grid: embodied in imports at the model's import factor); the title
    names the bases."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    colours = tech_colours(ds)
    whole, ds = ds, city_part(ds)
    co2 = ds.emissions.sum(["time", "region"]).to_series() / 1e6
    co2 = co2[co2 > 0].sort_values()
    names = tech_names(ds, lang)
    ax.barh([names[t] for t in co2.index], co2.values, color=[colours[t] for t in co2.index])
    ax.set_xlabel("CO2 [Mt]")
    grid = ds.tech_kind.to_series()[co2.index] == "grid"
    title = (
        f"{tr('Emissions by source', lang)}: territorial {co2[~grid].sum():.2f} Mt "
        f"({ds.attrs.get('view', '?')} view) + grid imports at the import factor {co2[grid].sum():.2f} Mt"
    )
    if "tech_dispatch" in ds:
        from energysim.report.accounting import co2_accounts

        accounts = co2_accounts(whole)
        title += (
            f"\nconsumption basis {accounts['consumption'] / 1e6:.2f} Mt, leakage {accounts['leakage'] / 1e6:+.2f} Mt"
        )
    ax.set_title(title)
    return fig


def gas_supply(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """Daily gas supply by source (10⁴ m³/day) and the gas price."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    if not ds.sizes.get("gas_source", 0):
        ax.set_title(tr("No gas pool in this scenario", lang))
        return fig
    daily = ds.gas_supply.resample(time="D").sum() / u.GAS_MWH_PER_1E4M3
    ax.stackplot(
        daily.time.values,
        *[daily.sel(gas_source=s).values for s in daily.gas_source.values],
        labels=[str(n) for n in ds.gas_source_name.values],
    )
    ax.set_ylabel(f"{tr('gas supplied', lang)} [10^4 m3/day]")
    twin = ax.twinx()
    twin.plot(ds.time.values, ds.gas_price.values, color="#c0392b", lw=0.8, label="gas price")
    twin.set_ylabel(label(ds.gas_price, lang))
    ax.set_title(tr("Gas supply by source", lang))
    ax.legend(loc="upper right", fontsize=8)
    return fig


def steam_supply(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """Daily steam output by technology (t/h, daily mean) against demand."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    steam = ds.steam_output.sum("region").resample(time="D").mean()
    used = [t for t in steam.tech.values if float(steam.sel(tech=t).sum()) > 0]
    colours, names = tech_colours(ds), tech_names(ds, lang)
    if used:
        ax.stackplot(
            steam.time.values,
            *[steam.sel(tech=t).values for t in used],
            colors=[colours[str(t)] for t in used],
            labels=[names[str(t)] for t in used],
        )
        ax.plot(
            steam.time.values,
            ds.steam_demand.sum("region").resample(time="D").mean().values,
            color="black",
            lw=1,
            label="demand",
        )
        ax.legend(loc="upper right", fontsize=8)
    ax.set_ylabel(label(ds.steam_output, lang))
    ax.set_title(tr("Steam supply by technology (daily mean)", lang))
    return fig


def comparison_bars(results: dict[str, xr.Dataset], *, lang: Lang = "en") -> Figure:
    """Total cost, CO2 on both bases (territorial, consumption) and imports of several runs side by side."""
    from energysim.report.accounting import co2_accounts
    from energysim.report.tables import kpis

    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    axes = fig.subplots(1, 4)
    rows = {
        name: kpis(ds) | {"co2_consumption_Mt": co2_accounts(ds)["consumption"] / 1e6} for name, ds in results.items()
    }
    table = pd.DataFrame(rows).T
    columns = ("total_cost_MCNY", "co2_territorial_Mt", "co2_consumption_Mt", "imports_TWh")
    for ax, column, unit in zip(axes, columns, ("MCNY", "Mt", "Mt", "TWh"), strict=True):
        ax.bar(table.index, table[column], color="#2e86c1")
        ax.set_title(column.rsplit("_", 1)[0].replace("_", " "))
        ax.set_ylabel(unit)
        ax.tick_params(axis="x", labelrotation=30)
    return fig


FIGURES = {
    "dispatch_summer": lambda ds, lang="en": dispatch_week(ds, (7, 8), lang=lang),
    "dispatch_winter": lambda ds, lang="en": dispatch_week(ds, (12, 1), lang=lang),
    "duration_curves": duration_curves,
    "mix": mix,
    "emissions": emissions,
    "gas_supply": gas_supply,
    "steam_supply": steam_supply,
}
"""Name → function drawing one figure of a results Dataset."""


def save_all(ds: xr.Dataset, folder: str | Path, *, dpi: int = 110, lang: Lang = "en") -> list[Path]:
    """Draw every figure of :data:`FIGURES` into ``folder`` as PNG, labelled in ``lang``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with font_context(lang):
        for name, draw in FIGURES.items():
            path = folder / f"{name}.png"
            draw(ds, lang=lang).savefig(path, dpi=dpi)
            paths.append(path)
    return paths
