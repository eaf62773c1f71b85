"""Comparing runs: what changed in the inputs first, then the KPIs, then a waterfall of the cost change by
component and of the CO2 change on both bases (territorial and consumption-based), with the leakage between
them."""

from __future__ import annotations

import json

import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from energysim.report.accounting import co2_accounts, own_techs, purchased_electricity_mwh
from energysim.report.i18n import Lang, tech_names, tr, tr_note, unit_name
from energysim.report.sectors import gas_kpis, steam_kpis
from energysim.report.tables import kpis, reserve_kpis
from energysim.results import OBJECTIVE_PARTS


def _leaves(node: object, prefix: str = "") -> dict[str, object]:
    if isinstance(node, dict):
        out: dict[str, object] = {}
        for key, value in node.items():
            out |= _leaves(value, f"{prefix}.{key}" if prefix else str(key))
        return out
    return {prefix: node}


def input_differences(a: xr.Dataset, b: xr.Dataset) -> pd.DataFrame:
    """Every scenario value that differs between two runs (from their resolved scenarios)."""
    left = _leaves(json.loads(a.attrs["scenario_resolved"]))
    right = _leaves(json.loads(b.attrs["scenario_resolved"]))
    keys = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k) and k != "name")
    return pd.DataFrame(
        {"before": [left.get(k, "—") for k in keys], "after": [right.get(k, "—") for k in keys]},
        index=pd.Index(keys, name="input"),
    )


TECH_ROWS = ("capacity_MW", "new_capacity_MW", "generation_TWh")
"""Per-technology KPI rows (``capacity_MW.pv`` …): a technology a run does not have counts 0 there."""


def kpi_table(results: dict[str, xr.Dataset]) -> pd.DataFrame:
    """KPIs of each run (columns), with the change of each run against the first. A technology one run lacks
    (new in the plan, retired) counts 0 MW and 0 TWh there, so its change is what the other run has; other
    KPIs a run cannot have (a summer peak on a January week) stay NaN. Per-technology rows that are 0 in every
    run are left out."""
    rows = {}
    for name, ds in results.items():
        co2 = co2_accounts(ds)
        row = kpis(ds, co2=co2)
        if float(ds.steam_demand.sum()) > 0:
            row |= steam_kpis(ds)
        if ds.sizes.get("gas_source", 0):
            row |= gas_kpis(ds)
        row |= {k if k.startswith("reserve_") else f"reserve_{k}": v for k, v in reserve_kpis(ds).items()}
        row |= {f"co2_{k}_Mt": v / 1e6 for k, v in co2.items()}
        row["electricity_purchased_TWh"] = purchased_electricity_mwh(ds) / 1e6
        row |= {f"capacity_MW.{t}": float(ds.capacity.sel(tech=t).sum()) for t in ds.tech.values}
        row |= {f"new_capacity_MW.{t}": float(ds.new_capacity.sel(tech=t).sum()) for t in ds.tech.values}
        row |= {f"generation_TWh.{t}": float(ds.generation.sel(tech=t).sum()) / 1e6 for t in ds.tech.values}
        rows[name] = row
    table = pd.DataFrame(rows)
    per_tech = table.index.str.startswith(tuple(f"{r}." for r in TECH_ROWS))
    table.loc[per_tech] = table.loc[per_tech].fillna(0.0)
    table = table[~per_tech | (table != 0).any(axis=1)]  # technologies with nothing in any run
    first = table.columns[0]
    for name in table.columns[1:]:
        table[f"{name} − {first}"] = table[name] - table[first]
    return table


def kpi_names(table: pd.DataFrame, results: dict[str, xr.Dataset], lang: Lang = "en") -> pd.DataFrame:
    """``table`` (:func:`kpi_table`) with its rows named in ``lang``: in Chinese each KPI by its Chinese name
    (:data:`~energysim.report.i18n.WORDS`) and each technology by its ``display_name_zh`` (from the last run that
    has it)."""
    if lang != "zh":
        return table
    names: dict[str, str] = {}
    for ds in results.values():
        names |= tech_names(ds, lang)

    def name(key: str) -> str:
        kpi, dot, tech = key.partition(".")
        return f"{tr(kpi, lang)}{dot}{names.get(tech, tech)}"

    return table.rename(index=name).rename_axis(tr("kpi", lang))


def cost_components(ds: xr.Dataset) -> pd.Series:
    """Cost by component over the horizon, MCNY (technology costs, unserved energy, steam, gas, reserve)."""
    parts = ds.cost.sum(["region", "tech"]).to_series() / 1e6
    for extra in OBJECTIVE_PARTS[1:]:
        if extra in ds:
            parts[extra.removesuffix("_cost") or extra] = float(ds[extra].sum()) / 1e6
    return parts


def co2_by_source(ds: xr.Dataset, basis: str) -> pd.Series:
    """CO2 by source on a basis, kt: ``territorial`` — the view's own plants and boilers by technology;
    ``consumption`` — the locally dispatched ones by technology plus ``purchased electricity`` (net purchased ×
    grid-average factor). Each sums to :func:`~energysim.report.accounting.co2_accounts` of that basis (the
    province's plants are in neither)."""
    emissions = ds.emissions.sum(["time", "region"])
    if basis == "territorial":
        return emissions.where(own_techs(ds), drop=True).to_series() / 1e3
    if basis != "consumption":
        raise ValueError(f"basis: expected `territorial` or `consumption`, found `{basis}`")
    own = emissions.where(own_techs(ds, local=True), drop=True).to_series() / 1e3
    own[PURCHASED] = co2_accounts(ds)["purchased_electricity"] / 1e3
    return own


PURCHASED = "purchased electricity"
OTHERS = "smaller changes"
SMALL_STEP = 1e-3
"""Changes under this share of the larger total are drawn together, as :data:`OTHERS`."""
COST_NAMES = {
    "capex": "investment (annualised)",
    "fixed_om": "fixed O&M",
    "variable_om": "variable O&M",
    "fuel": "fuel",
    "carbon": "CO2 price",
    "purchase": "electricity bought in",
    "startup": "start-ups",
    "unserved": "unserved electricity",
    "steam_unserved": "unserved steam",
    "gas": "gas purchases",
    "gas_unserved": "unserved city gas",
    "reserve_shortfall": "reserve shortfall",
    "certificate": "green certificates",
    "deep_peaking": "deep peaking",
}
"""Cost component (:func:`cost_components`) → the words on the waterfall's axis."""


def _steps(
    ax: Axes,
    before: pd.Series,
    after: pd.Series,
    names: tuple[str, str],
    unit: str,
    title: str,
    shown: dict[str, str],
    lang: Lang = "en",
) -> None:
    """One waterfall on an axis from zero: the total of ``before``, each component's change (its value written
    on it), the total of ``after``; components labelled by ``shown`` (id → display name)."""
    index = before.index.union(after.index)
    delta = after.reindex(index, fill_value=0) - before.reindex(index, fill_value=0)
    scale = max(abs(float(before.sum())), abs(float(after.sum())), 1e-9)
    small = delta.abs() < SMALL_STEP * scale
    delta = delta[~small & (delta.abs() > 1e-9)]
    if float(abs(delta.sum() - (after.sum() - before.sum()))) > 1e-9 * scale:
        delta[OTHERS] = float(after.sum() - before.sum() - delta.sum())  # the small changes, together
    level = float(before.sum())
    labels, bottoms, heights = [names[0]], [0.0], [level]
    for key, change in delta.items():
        labels.append(shown.get(str(key), tr(str(key), lang)))
        bottoms.append(level if change >= 0 else level + change)
        heights.append(abs(change))
        level += change
    labels.append(names[1])
    bottoms.append(0.0)
    heights.append(level)
    colours = ["#5d6d7e"] + ["#c0392b" if c >= 0 else "#27ae60" for c in delta.values] + ["#5d6d7e"]
    bars = ax.bar(range(len(labels)), heights, bottom=bottoms, color=colours)
    texts = [f"{heights[0]:,.1f}", *(f"{c:+,.1f}" for c in delta.values), f"{heights[-1]:,.1f}"]
    ax.bar_label(bars, texts, fontsize=7, padding=2)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", rotation_mode="anchor", fontsize=7)
    tops = [b + h for b, h in zip(bottoms, heights, strict=True)]
    ax.set_ylim(min(0.0, *bottoms), 1.1 * max(max(tops), 1e-9))  # from zero: a 5 % change looks like 5 %
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=9)


def waterfall(a: xr.Dataset, b: xr.Dataset, names: tuple[str, str] = ("A", "B"), *, lang: Lang = "en") -> Figure:
    """Cost (MCNY) by component, and CO2 (kt) on both bases from run A to run B: territorial by technology,
    consumption-based by own plant and purchased electricity; axes from zero, components by their display names;
    the titles give both totals and the leakage (consumption − territorial) of each run."""
    fig = Figure(figsize=(11.7, 8.3), layout="constrained")
    cost, territorial, consumption = fig.subplots(1, 3)
    shown = {k: tr(v, lang) for k, v in COST_NAMES.items()}
    _steps(
        cost,
        cost_components(a),
        cost_components(b),
        names,
        unit_name("MCNY", lang),
        tr("Cost change by component", lang),
        shown,
        lang,
    )
    shown = tech_names(b, lang) | {PURCHASED: tr(PURCHASED, lang)}
    co2 = {name: co2_accounts(ds) for name, ds in zip(names, (a, b), strict=True)}
    kt = unit_name("kt", lang)
    totals = {basis: " → ".join(f"{co2[n][basis] / 1e3:,.2f}" for n in names) for basis in co2[names[0]]}
    _steps(
        territorial,
        co2_by_source(a, "territorial"),
        co2_by_source(b, "territorial"),
        names,
        unit_name("kt CO2", lang),
        f"{tr('CO2 territorial', lang)}\n{totals['territorial']} {kt}",
        shown,
        lang,
    )
    _steps(
        consumption,
        co2_by_source(a, "consumption"),
        co2_by_source(b, "consumption"),
        names,
        unit_name("kt CO2", lang),
        f"{tr('CO2 consumption basis', lang)}\n{totals['consumption']} {kt}\n"
        f"{tr('leakage (consumption − territorial)', lang)}\n{totals['leakage']} {kt}",
        shown,
        lang,
    )
    return fig


def target_verdicts(
    results: dict[str, xr.Dataset],
    bases: dict[str, xr.Dataset | None] | None = None,
    *,
    registries: dict[str, object] | None = None,
    adequacies: dict[str, xr.Dataset | None] | None = None,
    lang: Lang = "en",
) -> pd.DataFrame | None:
    """Met / not met of every plan target in each run that has a target registry (``registries``: run → file,
    default each run's ``targets_file``), against its base-year results in ``bases`` (none: changes against the
    base are n/a) and its adequacy study in ``adequacies`` (none: the probabilistic targets are n/a); None if no
    run has a registry. A verdict that cannot be given reads ``n/a — reason``: the same table as ``energysim
    targets`` given the same files. In ``lang``; in Chinese the targets are named by their clause of the plan."""
    from energysim.report.targets import evaluate_targets
    from energysim.scenario.targets import load_targets

    if registries is None:
        registries = {name: ds.attrs.get("targets_file") or None for name, ds in results.items()}
    columns = {}
    for name, ds in results.items():
        if registries.get(name):
            registry = load_targets(registries[name])  # type: ignore[arg-type]
            base, adequacy = (bases or {}).get(name), (adequacies or {}).get(name)
            table = evaluate_targets(ds, registry, base, adequacy=adequacy)
            met = table.met.map(lambda m: tr(str(m), lang))
            notes = table.note.map(lambda n: tr_note(str(n), lang))
            verdict = met.where(table.met != "n/a", met + " — " + notes)
            columns[name] = verdict.rename(index=table.clause.to_dict()) if lang == "zh" else verdict
    if not columns:
        return None
    return pd.DataFrame(columns).rename_axis(tr("target", lang))
