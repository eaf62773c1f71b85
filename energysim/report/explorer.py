"""The report's dispatch explorer: the city's hourly supply by technology, what flows in from (or out to) the
province, its demand and its price for every hour of the run, embedded in the page (JSON, gzip, base64) and drawn
by a small script (``assets/explorer.js``, no library) one week at a time — any week of the year, with presets
for the peak weeks.

The series are the ones :func:`energysim.report.plots.dispatch_week` draws, with its colours and names, so the
explorer and the static figures agree.
"""

from __future__ import annotations

import base64
import gzip
import json
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.report.i18n import Lang, tech_names, tr, unit_name

HOURS_PER_WEEK = 168

WORDS = {
    "week": "week",
    "week_label": "week {n}: {first} – {last}",
    "demand": "electricity demand",
    "price": "price",
    "power [MW]": "power [MW]",
    "price [CNY/MWh]": "price [CNY/MWh]",
    "unsupported": "This browser cannot unpack the hourly data (it needs DecompressionStream: Chrome or Edge 80+, "
    "Firefox 113+, Safari 16.4+); the static charts below show the peak weeks.",
}
"""The script's words (key → English), passed to it in the page's language."""


def _series(values: np.ndarray) -> list[int]:
    return [int(v) for v in np.rint(np.nan_to_num(values, nan=0.0))]


def presets(ds: xr.Dataset, demand: xr.DataArray, lang: Lang) -> list[tuple[str, int]]:
    """(label, week index) of the weeks worth a look: the summer and winter peaks and the tightest firm margin in
    the peak seasons."""
    times = pd.DatetimeIndex(ds.time.values)
    out = []
    for label, months in (("week of the summer peak", (6, 7, 8, 9)), ("week of the winter peak", (12, 1, 2))):
        season = np.isin(times.month, months)
        if season.any():
            hour = int(np.flatnonzero(season)[np.argmax(demand.values[season])])
            out.append((tr(label, lang), hour // HOURS_PER_WEEK))
    if "firm_capacity" in ds and "peak_season" in ds and float(ds.peak_season.sum()) > 0:
        margin = (ds.firm_capacity / ds.demand.sum("region")).where(ds.peak_season > 0)
        if bool(margin.notnull().any()):
            out.append(
                (tr("week of the tightest firm margin", lang), int(np.nanargmin(margin.values)) // HOURS_PER_WEEK)
            )
    return out


def dispatch_data(ds: xr.Dataset, lang: Lang = "en") -> dict[str, Any]:
    """Every hour of the city's dispatch: the series (name, colour, +1 supply or −1 consumption, MW rounded),
    demand (MW), price (CNY/MWh), the first hour and the preset weeks."""
    from energysim.report.accounting import city_price
    from energysim.report.plots import city_part, from_province, tech_colours

    city = city_part(ds)
    gen, cons = city.generation.sum("region"), city.consumption.sum("region")
    colours, names = tech_colours(ds), tech_names(ds, lang)
    series = []
    for sign, flows in ((1, gen), (-1, cons)):
        for tech in flows.tech.values:
            values = flows.sel(tech=tech).values
            if float(np.nansum(values)) > 0.5:
                name = names[str(tech)] + ("" if sign > 0 else f" ({tr('drawn', lang)})")
                series.append({"name": name, "colour": colours[str(tech)], "sign": sign, "values": _series(values)})
    inflow = from_province(city).values
    for sign, label, colour, part in (
        (1, "from the province", "#85c1e9", np.clip(inflow, 0, None)),
        (-1, "to the province", "#d6eaf8", np.clip(-inflow, 0, None)),
    ):
        if float(part.max(initial=0.0)) > 0.5:
            series.append({"name": tr(label, lang), "colour": colour, "sign": sign, "values": _series(part)})
    demand = city.demand.sum("region")
    return {
        "start": pd.Timestamp(ds.time.values[0]).strftime("%Y-%m-%dT%H:%M"),
        "hours": int(ds.sizes["time"]),
        "series": series,
        "demand": _series(demand.values),
        "price": _series(city_price(ds).values),
        "presets": presets(ds, demand, lang),
    }


def packed(data: dict[str, Any]) -> str:
    """``data`` as JSON, gzip-compressed (no timestamp: the same data packs to the same text) and base64."""
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.b64encode(gzip.compress(raw, mtime=0)).decode()


def _json_in_html(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def script() -> str:
    """The explorer's script (``assets/explorer.js``)."""
    return (files("energysim.report") / "assets" / "explorer.js").read_text(encoding="utf-8")


def explorer_html(ds: xr.Dataset, lang: Lang = "en") -> str:
    """The explorer's HTML: its controls, an empty chart, the packed data and its words (the script goes once at
    the end of the page)."""
    data = dispatch_data(ds, lang)
    words: dict[str, object] = {key: tr(text, lang) for key, text in WORDS.items()}
    words["CNY/MWh"] = unit_name("CNY/MWh", lang)  # a unit, from the units table
    words["legend"] = [s["name"] for s in data["series"]]  # so the font subset has their characters
    return (
        '<div id="explorer" class="explorer">'
        '<div class="explorer-controls">'
        f'<button type="button" data-step="-1" aria-label="{tr("previous week", lang)}">◀</button>'
        f'<input type="range" min="0" value="0" aria-label="{tr("week", lang)}">'
        f'<button type="button" data-step="1" aria-label="{tr("next week", lang)}">▶</button>'
        '<span class="explorer-label"></span>'
        f'<label>{tr("go to", lang)} <select><option value="">—</option></select></label>'
        "</div>"
        '<div class="explorer-chart" role="img"></div><div class="explorer-tip" hidden></div>'
        '<ul class="explorer-legend"></ul><p class="explorer-status"></p>'
        f'<script type="application/octet-stream" id="explorer-data">{packed(data)}</script>'
        f'<script type="application/json" id="explorer-words">{_json_in_html(words)}</script>'
        "</div>"
    )
