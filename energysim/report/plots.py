"""Figures of a results Dataset (never a Pyomo model): dispatch in the peak weeks with the price, duration
curves, capacity and generation mix, emissions, gas supply, steam supply, and scenario comparison bars.

The power figures show the city: its regions (``role: city``) with every plant sited in them, and what flows in
from the province (or out to it); the province's own plants are in the summary and the results, not drawn here.

Axis labels come from the ``units`` and ``long_name`` attrs; every technology keeps one colour across figures.
Figures are built with the object API (``matplotlib.figure.Figure``), so no global pyplot state is touched.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from energysim import units as u
from energysim.report.accounting import city_regions, co2_accounts, has_record, own_techs
from energysim.report.i18n import Lang, font_context, gas_source_names, tech_names, tr

KIND_COLOURS = {
    "must_run": ["#7d3c98", "#a569bd", "#5b2c6f"],
    "thermal": ["#2c3e50", "#566573", "#808b96", "#abb2b9", "#17202a", "#34495e"],
    "variable": ["#f1c40f", "#b7950b", "#27ae60", "#82e0aa"],
    "storage": ["#16a085", "#76d7c4"],
    "grid": ["#2e86c1", "#85c1e9"],
    "heat_pump": ["#48c9b0"],
    "steam_storage": ["#1abc9c"],
    "demand_shift": ["#ec7063"],
    "demand_curtail": ["#c0392b"],
}
"""Colour lists per technology kind; the n-th technology of a kind takes the n-th colour."""
STEAM_FUEL_COLOURS = {
    "coal": ["#5d4037", "#a1887f", "#3e2723", "#d7ccc8", "#8d6e63"],
    "gas": ["#e67e22", "#f7c873", "#a04000", "#f0a35e", "#d35400"],
    "electricity": ["#1e8449", "#7dcea0"],
    "other": ["#7f8c8d", "#bfc9ca"],
}
"""CHP and boilers (the steam makers) take their colour from their fuel — brown coal, orange gas, green
electricity — the n-th of a fuel (CHP first) the n-th colour, so the steam figure tells fuels apart by hue, and
boilers from CHP by hatching (:data:`BOILER_HATCHES`)."""
BOILER_HATCHES = ("//", "\\\\", "xx", "..", "++")
"""Hatches of the n-th boiler of a fuel in the steam figure (CHP plain)."""
CONSUMPTION_HATCH = "////"
"""Hatch of what a technology draws from the power balance (charging, electric boilers) below zero."""
STACK_RANK = {"must_run": 0, "chp": 1, "thermal": 2, "grid": 3, "variable": 4, "storage": 5}
"""Order of the dispatch stack from the bottom: must-run (nuclear, waste), heat-led CHP, then thermal plant,
each kind by full-load hours in the window drawn (baseload below cycling units); weather-driven output, storage
and demand response on top (kinds not listed come last)."""
DRAWS = {"storage": "charging", "grid": "exports"}
"""What a technology's consumption is called in the dispatch legend, by kind (else "consumption")."""
A4_LANDSCAPE = (11.7, 8.3)


def label(da: xr.DataArray, lang: Lang = "en") -> str:
    """``long_name [units]`` from a DataArray's attrs (xarray's convention), in ``lang``."""
    name = tr(str(da.attrs.get("long_name", da.name or "")), lang)
    units = da.attrs.get("units", "")
    return f"{name} [{units}]" if units else str(name)


def fuel_family(fuel: str, kind: str) -> str:
    """``coal``, ``gas``, ``electricity`` or ``other`` for a fuel name (electric boilers name none or
    ``electricity``)."""
    name = fuel.lower()
    if "coal" in name:
        return "coal"
    if "gas" in name or "lng" in name:
        return "gas"
    if "electric" in name or (kind == "boiler" and not name):
        return "electricity"
    return "other"


def tech_colours(ds: xr.Dataset) -> dict[str, str]:
    """One colour per technology: the n-th of its kind takes the n-th colour of the kind's list (CHP and boilers:
    the n-th of their fuel, :data:`STEAM_FUEL_COLOURS`); past the end of the list, the colours come round again
    blended towards white (a province adds many of each kind)."""
    from matplotlib.colors import to_hex, to_rgb

    colours, seen = {}, {}
    fuels = ds.fuel.values if "fuel" in ds else [""] * ds.sizes["tech"]
    order = np.argsort([str(k) != "chp" for k in ds.tech_kind.values], kind="stable")  # CHP first in a fuel
    for i in order:
        tech, kind, fuel = str(ds.tech.values[i]), str(ds.tech_kind.values[i]), str(fuels[i])
        if kind in ("chp", "boiler"):
            group = fuel_family(fuel, kind)
            palette = STEAM_FUEL_COLOURS[group]
        else:
            group, palette = kind, KIND_COLOURS.get(kind, ["#7f8c8d"])
        n = seen.get(group, 0)
        seen[group] = n + 1
        lap, base = divmod(n, len(palette))
        white = 1 - 0.6**lap  # 0, 0.4, 0.64, …
        colours[tech] = to_hex(tuple(c + (1 - c) * white for c in to_rgb(palette[base])))
    return {str(t): colours[str(t)] for t in ds.tech.values}


def city_part(ds: xr.Dataset) -> xr.Dataset:
    """The results on the city's regions only (every plant sited there; the province's are zero)."""
    return ds.sel(region=ds.region.values[city_regions(ds).values])


def from_province(city: xr.Dataset) -> xr.DataArray:
    """(time) What flows into the city's regions over links, MW (negative: out to the province)."""
    net = (city.generation - city.consumption).sum(["region", "tech"])
    return (city.demand - city.unserved).sum("region") - net


WEEK = 168
"""Hours drawn by the dispatch figures."""


@dataclass(frozen=True)
class Window:
    """The hours a dispatch figure draws, and why those."""

    start: pd.Timestamp
    end: pd.Timestamp  # the last hour drawn
    peak: pd.Timestamp
    in_season: bool
    """True: the peak of the months asked for; False: the run has no hour in them, so its own peak."""
    whole_run: bool
    """The run is no longer than the window: all of it is drawn."""


def peak_window(demand: xr.DataArray, months: Sequence[int], hours: int = WEEK) -> Window:
    """``hours`` around the peak of ``demand`` (time) in ``months`` — three days before it, never past the run's
    ends — or around the run's own peak when it has no hour in those months (a January week asked for its
    summer)."""
    times = pd.DatetimeIndex(demand.time.values)
    season = times.month.isin(list(months))
    values = demand.values
    in_season = bool(season.any())
    at = int(np.argmax(np.where(season, values, -np.inf))) if in_season else int(np.argmax(values))
    first = min(max(at - 72, 0), max(len(times) - hours, 0))
    last = min(first + hours, len(times)) - 1
    return Window(times[first], times[last], times[at], in_season, first == 0 and last == len(times) - 1)


def _months(months: Sequence[int], lang: Lang) -> str:
    if lang == "zh":
        return "、".join(f"{m}月" for m in months)
    return ", ".join(calendar.month_abbr[m] for m in months)


def window_title(window: Window, months: Sequence[int], lang: Lang = "en") -> str:
    """What a dispatch figure draws: the period itself, then why that one."""
    period = f"{window.start:%Y-%m-%d %H:%M} – {window.end:%Y-%m-%d %H:%M}"
    peak = f"{window.peak:%Y-%m-%d %H:%M}"
    if window.in_season and window.whole_run:
        why = f"{tr('the whole run', lang)}; {tr('peak hour of', lang)} {_months(months, lang)}: {peak}"
    elif window.in_season:
        why = f"{tr('the week around the peak hour of', lang)} {_months(months, lang)}: {peak}"
    else:
        why = f"{tr('this run has no hour in', lang)} {_months(months, lang)}; "
        why += tr("the whole run", lang) if window.whole_run else f"{tr('the week around its peak hour', lang)}: {peak}"
    return f"{tr('Dispatch', lang)} {period}\n{why}"


def stack_order(gen: xr.DataArray, capacity: xr.DataArray, kinds: xr.DataArray) -> list[str]:
    """Technologies with output in ``gen`` (time, tech), bottom first: by kind (:data:`STACK_RANK`), then by
    full-load hours over the window (output ÷ capacity), highest first."""
    total = gen.sum("time")
    hours = (total / capacity.where(capacity > 0)).fillna(0.0)
    used = [str(t) for t in gen.tech.values if float(total.sel(tech=t)) > 0]
    rank = {
        str(t): STACK_RANK.get(str(k), len(STACK_RANK)) for t, k in zip(kinds.tech.values, kinds.values, strict=True)
    }
    return sorted(used, key=lambda t: (rank[t], -float(hours.sel(tech=t))))


def dispatch_week(ds: xr.Dataset, months: Sequence[int] = (7, 8), ax: object = None, *, lang: Lang = "en") -> Figure:
    """The city's supply by technology in the week around its peak hour of ``months`` (:func:`peak_window`),
    must-run plant at the bottom (:func:`stack_order`); what flows in from the province on top (below zero when
    it flows out); what storage charging, electric boilers and shifted demand draw below zero, hatched; its
    demand and its price. The title says which hours are drawn and why."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained") if ax is None else ax.figure  # type: ignore[attr-defined]
    ax = ax or fig.subplots()
    ds = city_part(ds)
    window = peak_window(ds.demand.sum("region"), months)
    part = ds.sel(time=slice(window.start, window.end))
    gen = part.generation.sum("region")
    colours, names = tech_colours(ds), tech_names(ds, lang)
    order = stack_order(gen, ds.capacity.sum("region"), ds.tech_kind)
    ax.stackplot(
        part.time.values,
        *[gen.sel(tech=t).values for t in order],
        colors=[colours[t] for t in order],
        labels=[names[t] for t in order],
    )
    cons = part.consumption.sum("region")
    taking = [str(t) for t in cons.tech.values if float(cons.sel(tech=t).sum()) > 0]
    kinds = dict(zip(map(str, ds.tech.values), map(str, ds.tech_kind.values), strict=True))
    if taking:  # storage charging, electric boilers, shifted demand: below zero
        layers = ax.stackplot(
            part.time.values,
            *[-cons.sel(tech=t).values for t in taking],
            colors=[colours[t] for t in taking],
            labels=[f"{names[t]} ({tr(DRAWS.get(kinds[t], 'electricity use'), lang)})" for t in taking],
        )
        for layer in layers:
            layer.set_hatch(CONSUMPTION_HATCH)
            layer.set_edgecolor("white")
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
    ax.set_title(window_title(window, months, lang))
    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = twin.get_legend_handles_labels()
    fig.legend(handles + more, labels + more_labels, loc="outside lower center", fontsize=7, ncol=4)
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


PURCHASED = "Purchased electricity"
"""The consumption basis's own bar: net purchased electricity × the grid-average factor."""
PURCHASED_COLOUR = "#2e86c1"
"""Purchased electricity (and grid imports) in the CO2 figure: the grid's blue."""


def emissions(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """CO2 by source on the two bases, side by side and never added together: territorial (the plants and
    boilers of the run's view, by technology) and consumption-based (the locally dispatched ones plus net
    purchased electricity at the grid-average factor), with the leakage between them. Results written before the
    bases were recorded show the city's plants and, apart, its grid imports at the import factor."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    left, right = fig.subplots(1, 2, sharex=True)
    colours, names = tech_colours(ds), tech_names(ds, lang)
    names[PURCHASED] = tr(PURCHASED, lang)
    colours[PURCHASED] = PURCHASED_COLOUR
    by_tech = ds.emissions.sum(["time", "region"]).to_series()
    view = f"{tr(str(ds.attrs.get('view', '?')) + ' view', lang)}"
    if has_record(ds):
        accounts = co2_accounts(ds)
        territorial = by_tech[own_techs(ds).to_series()]
        other = by_tech[own_techs(ds, local=True).to_series()]
        other[PURCHASED] = accounts["purchased_electricity"]
    else:  # written before the accounting bases were recorded
        city = city_part(ds)
        grid = (city.tech_kind == "grid").to_series()
        in_city = (city.generation.sum(["time", "region"]) + city.emissions.sum(["time", "region"]) > 0).to_series()
        territorial, other, accounts = by_tech[in_city & ~grid], by_tech[in_city & grid], {}
    unit, per = ("Mt", 1e6) if max(territorial.sum(), other.sum()) >= 1e6 else ("kt", 1e3)

    def amount(tonnes: float) -> str:
        return f"{tonnes / per:,.2f} {unit}" if unit == "Mt" else f"{tonnes / per:,.3g} {unit}"

    left_title = f"{tr('CO2, territorial', lang)} ({view}): {amount(territorial.sum())}\n"
    left_title += tr("plants and boilers of the view", lang) + "\n"
    if accounts:
        factor = float(ds.attrs["grid_co2_t_per_mwh"])
        other_title = (
            f"{tr('CO2, consumption basis', lang)}: {amount(accounts['consumption'])}\n"
            f"{tr('locally dispatched plants and boilers', lang)}\n"
            f"+ {tr('purchased electricity at the grid-average factor', lang)}, {factor:g} tCO2/MWh"
        )
        leakage = accounts["leakage"] / per
        suptitle = (
            f"{tr('CO2 by source on two bases (not to be added)', lang)}; "
            f"{tr('leakage (consumption − territorial)', lang)} {leakage:+,.3g} {unit}"
        )
    else:
        other_title = f"{tr('grid imports at the import factor, not territorial', lang)}: {amount(other.sum())}"
        suptitle = tr("CO2 by source on two bases (not to be added)", lang)
    for ax, co2, title in ((left, territorial / per, left_title), (right, other / per, other_title)):
        co2 = co2[co2 > 0].sort_values()
        ax.barh([names[t] for t in co2.index], co2.values, color=[colours[t] for t in co2.index])
        ax.set_xlabel(f"CO2 [{unit}]")
        ax.set_title(title, fontsize=10)
    fig.suptitle(suptitle)
    return fig


def gas_supply(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """Daily gas supply by source (10⁴ m³/day) and the daily mean gas price in CNY/m³ (as the tables give it),
    its axis from zero."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    if not ds.sizes.get("gas_source", 0):
        ax.set_title(tr("No gas pool in this scenario", lang))
        return fig
    daily = ds.gas_supply.resample(time="D").sum() / u.GAS_MWH_PER_1E4M3
    ax.stackplot(
        daily.time.values,
        *[daily.sel(gas_source=s).values for s in daily.gas_source.values],
        labels=[gas_source_names(ds, lang)[str(s)] for s in daily.gas_source.values],
    )
    ax.set_ylabel(f"{tr('gas supplied', lang)} [$10^4$ m³/day]")
    twin = ax.twinx()
    per_m3 = ds.gas_price.resample(time="D").mean() * u.GAS_MWH_PER_1E4M3 / 1e4  # CNY/MWh × MWh/m³
    twin.plot(per_m3.time.values, per_m3.values, color="#c0392b", lw=1, label=tr("gas price", lang))
    twin.set_ylim(0, 1.15 * max(float(per_m3.max()), 1e-9))
    twin.set_ylabel(f"{tr('gas price (dual of the gas balance), daily mean', lang)} [CNY/m³]")
    ax.set_title(tr("Gas supply by source", lang))
    handles, labels = ax.get_legend_handles_labels()
    more, more_labels = twin.get_legend_handles_labels()
    fig.legend(handles + more, labels + more_labels, loc="outside lower center", fontsize=8, ncol=2)
    return fig


def steam_hatches(ds: xr.Dataset, techs: Sequence[str]) -> dict[str, str]:
    """Hatch of each steam maker: CHP plain, the n-th boiler of a fuel the n-th of :data:`BOILER_HATCHES`."""
    kinds = dict(zip(map(str, ds.tech.values), map(str, ds.tech_kind.values), strict=True))
    fuels = dict(zip(map(str, ds.tech.values), map(str, ds.fuel.values), strict=True)) if "fuel" in ds else {}
    hatches, seen = {}, {}
    for tech in techs:
        if kinds[tech] != "boiler":
            hatches[tech] = ""
            continue
        group = fuel_family(fuels.get(tech, ""), "boiler")
        n = seen.get(group, 0)
        seen[group] = n + 1
        hatches[tech] = BOILER_HATCHES[n % len(BOILER_HATCHES)]
    return hatches


def steam_supply(ds: xr.Dataset, *, lang: Lang = "en") -> Figure:
    """Daily steam output by technology (t/h, daily mean) against demand: a hue per fuel, CHP plain and boilers
    hatched (:func:`steam_hatches`)."""
    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    ax = fig.subplots()
    steam = ds.steam_output.sum("region").resample(time="D").mean()
    used = [str(t) for t in steam.tech.values if float(steam.sel(tech=t).sum()) > 0]
    colours, names = tech_colours(ds), tech_names(ds, lang)
    if used:
        hatches = steam_hatches(ds, used)
        layers = ax.stackplot(
            steam.time.values,
            *[steam.sel(tech=t).values for t in used],
            colors=[colours[t] for t in used],
            labels=[names[t] for t in used],
        )
        for layer, tech in zip(layers, used, strict=True):
            layer.set_hatch(hatches[tech])
            layer.set_edgecolor("white")
        ax.plot(
            steam.time.values,
            ds.steam_demand.sum("region").resample(time="D").mean().values,
            color="black",
            lw=1,
            label=tr("demand", lang),
        )
        fig.legend(loc="outside lower center", fontsize=8, ncol=4)
    ax.set_ylabel(label(ds.steam_output, lang))
    ax.set_title(tr("Steam supply by technology (daily mean)", lang))
    return fig


def comparison_bars(results: dict[str, xr.Dataset], *, lang: Lang = "en") -> Figure:
    """Total cost, CO2 on both bases (territorial, consumption) and imports of several runs side by side."""
    from energysim.report.tables import kpis

    fig = Figure(figsize=A4_LANDSCAPE, layout="constrained")
    axes = fig.subplots(1, 4)
    table = pd.DataFrame({name: kpis(ds) for name, ds in results.items()}).T  # CO2 on both bases among them
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
