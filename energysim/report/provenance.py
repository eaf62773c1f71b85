"""Where a report's numbers come from: the main assumptions of the run with their sources (the rows of
``data/parameters.csv``, each with its confidence mark), the accounting rules, and the run's provenance
(scenario, horizon, solver, versions, dates).

Values are read from the results (``scenario_resolved`` and the attrs), so they are the run's, whatever
``--set`` or override changed; a value that differs from its data row says so. The data rows are read from the
shipped ``data/`` folder (the project of the working folder, else energysim's own) — never from a path a results
file names.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from energysim.report.briefing import number
from energysim.report.i18n import NA, Lang, grid_source, missing, tr

Scenario = dict[str, Any]


def _get(node: Any, *path: str | int) -> Any:
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _region(scenario: Scenario, role: str = "city") -> str | None:
    regions = scenario.get("regions") or {}
    return next((name for name, r in regions.items() if (r or {}).get("role", "city") == role), None)


def _gas_price(source: str) -> Callable[[Scenario], Any]:
    return lambda s: _get(s, "gas", "sources", source, "tiers", 0, "price_cny_per_m3")


ASSUMPTIONS: tuple[tuple[str, str, str, float, Callable[[Scenario], Any]], ...] = (
    (
        "Electricity demand of the city",
        "annual_demand",
        "TWh",
        1,
        lambda s: _get(s, "regions", _region(s), "demand", "annual_twh"),
    ),
    ("Peak demand of the city", "peak_demand", "MW", 1, lambda s: _get(s, "regions", _region(s), "demand", "peak_mw")),
    (
        "Industrial steam demand",
        "steam_demand",
        "Mt",
        1,
        lambda s: _get(s, "regions", _region(s), "steam_demand", "annual_mt"),
    ),
    ("GDP of the city", "gdp", "bn CNY", 1, lambda s: _get(s, "economy", "gdp_bn_cny")),
    ("Coal price", "coal_price", "CNY/GJ", 1, lambda s: _get(s, "fuels", "coal", "price_cny_per_gj")),
    ("Pipeline gas price (West-East, first tier)", "west_east_price", "CNY/m3", 1, _gas_price("west_east")),
    ("LNG price", "lng_price_m3", "CNY/m3", 1, _gas_price("lng")),
    ("Carbon price", "co2_price", "CNY/tCO2", 1, lambda s: _get(s, "policy", "co2_price_cny_per_t")),
    (
        "Grid-average CO2 factor of purchased electricity",
        "grid_average_co2",
        "tCO2/MWh",
        1,
        lambda s: _get(s, "accounting", "grid_co2_t_per_mwh"),
    ),
    (
        "Planning reserve margin in the peak seasons",
        "reserve_margin",
        "%",
        100,
        lambda s: _get(s, "policy", "peak_reserve", "margin"),
    ),
    ("Value of lost load", "value_of_lost_load", "CNY/MWh", 1, lambda s: s.get("value_of_lost_load_cny_per_mwh")),
    (
        "Link between the city and the province",
        "jx_zj_link_capacity",
        "MW",
        1,
        lambda s: next(iter((_get(s, "links") or {}).values()), {}).get("capacity_mw"),
    ),
    ("Discount rate", "discount_rate", "%", 100, lambda s: _get(s, "finance", "discount_rate")),
)
"""(label, data/parameters.csv key, unit shown, factor from the scenario's unit to the unit shown, the value in
the resolved scenario)."""

CONFIDENCE = {"S": "sourced", "S?": "secondary", "D": "derived", "E": "estimate"}
"""The confidence marks of ``data/`` (data/README.md): sourced (read in the cited material), secondary copy or
unverified official document, derived arithmetically from sourced rows, estimate (the reason is given)."""


def confidence_words(mark: str, lang: Lang = "en") -> str:
    """A confidence mark in words; combinations such as ``S/E`` part by part.

    >>> confidence_words("S/E")
    'sourced / estimate'
    """
    return " / ".join(tr(CONFIDENCE.get(part.strip(), part.strip()), lang) for part in mark.split("/"))


@cache
def parameters_table() -> pd.DataFrame | None:
    """``data/parameters.csv`` of the working folder's project, else of energysim's own checkout; None if
    neither has one (an installed energysim without its data)."""
    from energysim.scenario.paths import project_root

    here = project_root(Path.cwd().resolve())
    for root in (here, Path(__file__).resolve().parents[2]):
        if root is not None and (root / "data" / "parameters.csv").is_file():
            return pd.read_csv(root / "data" / "parameters.csv", dtype={"year": str})
    return None


def _row(table: pd.DataFrame | None, key: str, year: int | None) -> pd.Series | None:
    if table is None:
        return None
    rows = table[table.key == key]
    for wanted in (str(year), "all"):
        match = rows[rows.year == wanted]
        if len(match):
            return match.iloc[0]
    return None


def run_year(ds: xr.Dataset) -> int:
    """The calendar year the run starts in."""
    return pd.Timestamp(ds.time.values[0]).year


def assumptions(ds: xr.Dataset, lang: Lang = "en") -> pd.DataFrame:
    """The run's main assumptions: value as used, unit, source and confidence from ``data/parameters.csv``
    (``n/a (…)`` when the data folder is not there); a value that differs from its data row says so."""
    scenario: Scenario = json.loads(ds.attrs.get("scenario_resolved", "{}"))
    table, year = parameters_table(), run_year(ds)
    rows = []
    for label, key, unit, factor, get in ASSUMPTIONS:
        value = get(scenario)
        if missing(value) or value is None:
            continue
        shown = float(value) * factor
        row = _row(table, key, year)
        if row is None:
            source = tr("n/a (no data/parameters.csv row {key})", lang, key=key)
            confidence = NA
        else:
            source, confidence = str(row.source), str(row.confidence)
            default = float(row.value) * (factor if unit == "%" else 1)
            if abs(default - shown) > 1e-9 * max(1.0, abs(default)):
                source = (
                    tr("changed for this run (data: {default}) — ", lang, default=number(default, unit, lang=lang))
                    + source
                )
        if key == "grid_average_co2" and ds.attrs.get("grid_co2_source"):
            source = f"{grid_source(ds, lang)}; {source}"
        rows.append(
            {
                "assumption": tr(label, lang),
                "value": number(shown, unit, digits=_digits(shown), lang=lang),
                "source": source,
                "confidence": confidence_words(confidence, lang) if confidence != NA else NA,
            }
        )
    return pd.DataFrame(rows, columns=["assumption", "value", "source", "confidence"])


def _digits(value: float) -> int:
    if value == int(value):
        return 0
    return 2 if abs(value) >= 1 else 4


def accounting_rules(ds: xr.Dataset, lang: Lang = "en") -> list[str]:
    """The accounting rules of the CO2 and energy figures, in words."""
    if "grid_co2_t_per_mwh" not in ds.attrs:
        return [tr("n/a (results carry no accounting record: run the scenario again)", lang)]
    from energysim.report.accounting import TCE_PER_MWH_ELECTRICITY, major_projects

    view = tr(f"{ds.attrs.get('view', 'sited')} view", lang)
    return [
        tr("CO2, territorial basis: plants and boilers of the {view}.", lang, view=view),
        tr(
            "CO2, consumption basis: locally dispatched plants and boilers + net purchased electricity × {factor} "
            "tCO2/MWh ({source}); leakage = consumption − territorial.",
            lang,
            factor=f"{float(ds.attrs['grid_co2_t_per_mwh']):g}",
            source=grid_source(ds, lang),
        ),
        tr(
            "Energy (dual control): fossil fuels of the city's own plants + their non-fossil power + net purchases, "
            "electricity at {tce} tce/MWh (GB/T 2589-2020); new renewable power since the base year out of the "
            "total, kept in the intensity (发改运行〔2022〕1258号); feedstock out of both (发改环资〔2022〕803号): "
            "{feedstock} tce/yr; projects accounted separately (能耗单列): {projects}.",
            lang,
            tce=TCE_PER_MWH_ELECTRICITY,
            feedstock=number(float(ds.attrs.get("feedstock_tce_per_year", 0.0)), digits=0, lang=lang),
            projects=", ".join(major_projects(ds)) or tr("none", lang),
        ),
        tr(
            "The carbon price ({price} CNY/t) is charged on the {basis} basis.",
            lang,
            price=number(float(ds.attrs.get("co2_price_cny_per_t", float("nan"))), lang=lang),
            basis=tr(str(ds.attrs.get("co2_basis", "territorial")), lang),
        ),
    ]


PROVENANCE_ATTRS = ("scenario_file", "overrides", "sets", "variant", "results_file")
"""Attrs naming how a run was composed, shown when the results carry them."""


def provenance(ds: xr.Dataset, lang: Lang = "en", *, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs for the report's footer: the scenario and how it was composed, horizon and view, the
    registry and base, the solver and its outcome, when and with which energysim the results and the report were
    made."""
    from energysim.report.accounting import hours_of_year

    a = ds.attrs
    scenario: Scenario = json.loads(a.get("scenario_resolved", "{}"))
    solved, year = hours_of_year(ds)
    first, last = (pd.Timestamp(ds.time.values[i]) for i in (0, -1))
    rows = [
        (tr("scenario", lang), f"{a.get('scenario_name', '?')} — {scenario.get('description', '')}".rstrip(" —")),
        (
            tr("horizon", lang),
            tr(
                "{solved} of {year} h, {first} to {last}; {view}",
                lang,
                solved=solved,
                year=year,
                first=f"{first:%Y-%m-%d %H:%M}",
                last=f"{last:%Y-%m-%d %H:%M}",
                view=tr(f"{a.get('view', 'sited')} view", lang),
            ),
        ),
    ]
    rows += [(tr(key.replace("_", " "), lang), str(a[key])) for key in PROVENANCE_ATTRS if a.get(key)]
    for key, label in (("targets_file", "target registry"), ("base_results_file", "base-year results")):
        if a.get(key):
            rows.append((tr(label, lang), str(a[key])))
    solve = a.get("solve_seconds")
    rows += [
        (
            tr("solver", lang),
            tr(
                "{solver}, {method}: {status}; objective {objective}; {seconds}",
                lang,
                solver=a.get("solver", "?"),
                method=a.get("solver_method", "?"),
                status=tr(str(a.get("termination_status", "?")), lang),
                objective=number(float(a.get("objective_cny", float("nan"))) / 1e6, "MCNY", lang=lang),
                seconds=number(solve, "s", digits=1, lang=lang) if solve is not None else NA,
            ),
        ),
        (
            tr("results created", lang),
            tr(
                "{created} with energysim {version}",
                lang,
                created=a.get("created_utc", NA),
                version=a.get("energysim_version", NA),
            ),
        ),
        (
            tr("report created", lang),
            tr(
                "{created} with energysim {version}",
                lang,
                created=(now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                version=energysim_version(),
            ),
        ),
    ]
    return rows


def energysim_version() -> str:
    """The installed energysim's version (``?`` when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("energysim")
    except PackageNotFoundError:
        return "?"
