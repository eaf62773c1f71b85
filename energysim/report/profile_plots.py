"""Pictures of the input profiles, so a planner can see that they look right: an August week, a January week,
the Spring Festival week and the load duration curve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from energysim.profiles.calendar import SPRING_FESTIVAL, day_types
from energysim.report.i18n import Lang, font_context, tr


def _spring_festival_start(year: int) -> pd.Timestamp:
    types = day_types(year)
    return types.index[types == SPRING_FESTIVAL][0]


PV_FLEET_MW = 6500.0
"""PV capacity used to show the capacity factor as MW next to demand (the 2025 plan fleet)."""


def plot_profiles(table: pd.DataFrame, year: int, out: str | Path, *, lang: Lang = "en") -> Path:
    """Four panels from an hourly profile table (``time``, ``demand_mw``, ``pv``, ``temperature_c``) → PNG,
    labelled in ``lang``."""
    with font_context(lang):
        return _plot_profiles(table, year, Path(out), lang)


def _plot_profiles(table: pd.DataFrame, year: int, path: Path, lang: Lang) -> Path:
    data = table.assign(time=pd.to_datetime(table["time"])).set_index("time")
    sf = _spring_festival_start(year) - pd.Timedelta(days=2)
    weeks = {
        tr("Summer peak week from {day}", lang, day=f"{year}-08-01"): pd.Timestamp(f"{year}-08-01"),
        tr("Winter week from {day}", lang, day=f"{year}-01-13"): pd.Timestamp(f"{year}-01-13"),
        tr("Spring Festival week from {day}", lang, day=f"{sf:%Y-%m-%d}"): sf,
    }
    top = data["demand_mw"].max() * 1.05
    fig = Figure(figsize=(11.7, 8.3), layout="constrained")  # A4 landscape; no pyplot global state
    axes = fig.subplots(2, 2)
    temperature_axes = []
    for ax, (title, start) in zip(axes.flat[:3], weeks.items(), strict=True):
        week = data.loc[start : start + pd.Timedelta(hours=167)]
        ax.fill_between(
            week.index,
            week["pv"] * PV_FLEET_MW,
            color="#f2b134",
            alpha=0.5,
            label=tr("PV output, {mw} MW fleet", lang, mw=f"{PV_FLEET_MW:,.0f}"),
        )
        ax.plot(week.index, week["demand_mw"], color="#1f4e79", label=tr("electricity demand", lang))
        ax.set_ylabel(tr("power [MW]", lang))
        ax.set_ylim(0, top)
        ax2 = ax.twinx()
        temperature_axes.append(ax2)
        ax2.plot(week.index, week["temperature_c"], color="#c0392b", lw=0.8, label=tr("air temperature", lang))
        ax2.set_ylim(-10, 45)
        ax2.set_ylabel(tr("air temperature [°C]", lang))
        ax.set_title(title)
        ax.tick_params(axis="x", labelrotation=30)
    curve = data["demand_mw"].sort_values(ascending=False).to_numpy()
    ax = axes.flat[3]
    ax.plot(range(1, len(curve) + 1), curve, color="#1f4e79")
    ax.set_title(
        tr(
            "Load duration curve {year}: peak {peak} MW, {energy} TWh",
            lang,
            year=year,
            peak=f"{curve[0]:,.0f}",
            energy=f"{curve.sum() / 1e6:.1f}",
        )
    )
    ax.set_xlabel(tr("hours in the year [h]", lang))
    ax.set_ylabel(tr("demand [MW]", lang))
    ax.set_ylim(0, top)
    handles = [h for a in (axes.flat[0], temperature_axes[0]) for h in a.get_legend_handles_labels()[0]]
    fig.legend(handles=handles, loc="outside lower center", ncol=3)
    fig.savefig(path, dpi=110)
    return path
