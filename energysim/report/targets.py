"""Plan targets evaluated on a results Dataset: value, threshold, met or not, margin, and the implied cost of
the targets the model enforced.

Targets compare like with like: a target is ``n/a`` (with the reason in ``note``) when the results are in
another view than the target's, when an annual target is evaluated on a partial year, and, for changes against
the base year, when the base is missing, in another view, of another horizon, or accounted otherwise (grid
factor, separately accounted projects)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from energysim.report.accounting import (
    co2_accounts,
    co2_basis_text,
    energy_rule,
    has_record,
    hours_of_year,
    intensities,
    is_full_year,
    major_projects,
    run_bases,
)
from energysim.report.i18n import Lang, table_text, tr, tr_note, unit_name
from energysim.report.sectors import gas_kpis, steam_kpis
from energysim.scenario.targets import ADEQUACY_METRICS, Target, TargetRegistry

NEED_BASE = {
    "energy_intensity_change_pct",
    "co2_intensity_change_pct",
    "gas_price_change_pct",
    "steam_price_change_pct",
}


def _techs(ds: xr.Dataset, target: Target) -> list[str]:
    return [t for t in target.techs if t in ds.tech.values]


def _new_capacity(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    techs = _techs(ds, target)
    added = (ds.capacity_existing * ds.commissioned_in_year).sel(tech=techs).sum()
    return float(added + ds.new_capacity.sel(tech=techs).sum())


def _in_service(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    techs = _techs(ds, target)
    times = pd.DatetimeIndex(ds.time.values)
    hour = int(np.searchsorted(times, pd.Timestamp(target.on))) if target.on else len(times) - 1
    hour = min(hour, len(times) - 1)
    existing = (ds.capacity_existing * ds.in_service.isel(time=hour)).sel(tech=techs).sum()
    return float(existing + ds.new_capacity.sel(tech=techs).sum())


def _small_boiler_steam(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    """Steam (t) raised in the last 30 days of the horizon by coal boilers of at most the size class."""
    size = ds.unit_size.fillna(ds.steam_capacity_existing)
    small = (ds.tech_kind == "boiler") & (ds.fuel == "coal") & (size <= target.max_unit_size_t_per_h)
    return float(ds.steam_output.isel(time=slice(-24 * 30, None)).where(small, 0).sum())


def _peak_unserved(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> float:
    season = ds.peak_season > 0 if float(ds.peak_season.sum()) else ds.time.dt.month.isin([7, 8, 12, 1])
    return float(ds.unserved.where(season, 0).sum())


def adequacy_region(adequacy: xr.Dataset, target: Target) -> str:
    """The region an adequacy target is read for: its own, else ``system`` (several regions) or the only one."""
    if target.region is not None:
        return target.region
    regions = [str(r) for r in adequacy.region.values]
    return "system" if "system" in regions else regions[0]


ADEQUACY_VARIABLES = {
    "lole_hours_per_year": "lole_hours",
    "lole_days_per_year": "lole_days",
    "orderly_power_use_probability": "orderly_power_use_probability",
}


def adequacy_value(adequacy: xr.Dataset, target: Target) -> tuple[float, float]:
    """An adequacy target's value and its Monte Carlo standard error."""
    name = ADEQUACY_VARIABLES[target.metric]
    region = adequacy_region(adequacy, target)
    return float(adequacy[name].sel(region=region)), float(adequacy[f"{name}_se"].sel(region=region))


def _change(now: float, then: float) -> float:
    return 100 * (now / then - 1) if then else float("nan")


METRICS: dict[str, Callable[[xr.Dataset, Target, xr.Dataset | None], float]] = {
    "new_capacity_mw": _new_capacity,
    "capacity_in_service_mw": _in_service,
    "phased_out_boiler_steam_t": _small_boiler_steam,
    "peak_season_unserved_mwh": _peak_unserved,
    "peak_reserve_shortfall_mw": lambda ds, t, b: float(ds.reserve_shortfall.max()),
    "co2_territorial_t": lambda ds, t, b: co2_accounts(ds)["territorial"],
    "co2_consumption_t": lambda ds, t, b: co2_accounts(ds)["consumption"],
    "energy_intensity_change_pct": lambda ds, t, b: _change(
        intensities(ds)["energy_tce_per_1e4cny"], intensities(b)["energy_tce_per_1e4cny"]
    ),
    "co2_intensity_change_pct": lambda ds, t, b: _change(
        intensities(ds)[f"co2_{t.basis_key}_t_per_1e4cny"], intensities(b)[f"co2_{t.basis_key}_t_per_1e4cny"]
    ),
    "gas_price_change_pct": lambda ds, t, b: _change(
        gas_kpis(ds)["gas_pool_average_cost_CNY_per_m3"], gas_kpis(b)["gas_pool_average_cost_CNY_per_m3"]
    ),
    "steam_price_change_pct": lambda ds, t, b: _change(
        steam_kpis(ds)["average_steam_price_CNY_per_t"], steam_kpis(b)["average_steam_price_CNY_per_t"]
    ),
}


def _partial(ds: xr.Dataset) -> str:
    solved, year = hours_of_year(ds)
    return f"{solved} of {year} h"


def _base_differs(ds: xr.Dataset, target: Target, base: xr.Dataset | None) -> str | None:
    """Why a change against ``base`` would not compare like with like, or None."""
    if base is None:
        return "no base-year results"
    view, base_view = ds.attrs.get("view"), base.attrs.get("view")
    if base_view != view:
        return f"base in the {base_view} view, results in the {view} view"
    if not has_record(base):
        return "base results carry no accounting record: run the base scenario again"
    if target.judged_on == "year" and not is_full_year(base):
        return f"base is a partial year ({_partial(base)})"
    if hours_of_year(base)[0] != hours_of_year(ds)[0] and not (is_full_year(base) and is_full_year(ds)):
        return f"base covers {_partial(base)}, results {_partial(ds)}"
    if target.basis_key == "consumption":
        now, then = float(ds.attrs["grid_co2_t_per_mwh"]), float(base.attrs["grid_co2_t_per_mwh"])
        if abs(now - then) > 1e-12:
            return f"grid factors differ: base {then:g}, results {now:g} tCO2/MWh"
    if target.basis_key == "dual_control":  # a project in both runs must be in or out of both accounts
        both = set(ds.tech.values.astype(str)) & set(base.tech.values.astype(str))
        now, then = (sorted(set(major_projects(x)) & both) for x in (ds, base))
        if now != then:
            return f"separately accounted projects differ: base {then}, results {now}"
    return None


def not_comparable(
    ds: xr.Dataset, target: Target, base: xr.Dataset | None = None, adequacy: xr.Dataset | None = None
) -> str | None:
    """Why ``target`` cannot be judged on ``ds`` (against ``base``; adequacy metrics on ``adequacy``), or None."""
    if target.metric in ADEQUACY_METRICS:
        if adequacy is None:
            return "probabilistic: run `energysim adequacy` (or give its file)"
        if adequacy_region(adequacy, target) not in adequacy.region.values:
            return f"no region {adequacy_region(adequacy, target)} in the adequacy study"
        return None
    view = ds.attrs.get("view")
    if target.view is not None and view != target.view:
        return f"target in the {target.view} view, results in the {view} view"
    if target.judged_on == "year" and not is_full_year(ds):
        return f"partial year ({_partial(ds)})"
    if target.on is not None:
        first, last = (pd.Timestamp(ds.time.values[i]).date() for i in (0, -1))
        if not first <= target.on <= last:
            return f"{target.on} is outside the horizon ({first} to {last})"
    if target.basis_key is not None and "tech_dispatch" not in ds:
        return "results carry no accounting record: run the scenario again"
    if target.metric in NEED_BASE:
        return _base_differs(ds, target, base)
    return None


def verdict(value: float, comparison: str, threshold: float) -> tuple[float, float]:
    """(margin, met) of ``value`` against a target: the margin in the target's unit, positive when met; met 1.0
    or 0.0 (a margin short by at most 1e-6 of the threshold counts as met), NaN when the value is.

    >>> verdict(9.0, "<=", 10.0), verdict(9.0, ">=", 10.0)
    ((1.0, 1.0), (-1.0, 0.0))
    """
    margin = value - threshold if comparison == ">=" else threshold - value
    met = math.nan if math.isnan(value) else float(margin >= -1e-6 * max(1.0, abs(threshold)))
    return margin, met


def evaluate_targets(
    ds: xr.Dataset, registry: TargetRegistry, base: xr.Dataset | None = None, adequacy: xr.Dataset | None = None
) -> pd.DataFrame:
    """One row per target: its accounting basis, value, threshold, met (``yes``/``no``/``n/a``), margin (in the
    target's unit, positive when met), for constraint targets the implied cost (the constraint's dual, CNY per
    unit), and a note: why it is ``n/a``, or that a partial run was judged on the hours solved. Adequacy metrics
    are read from ``adequacy`` (an ``energysim adequacy`` file) with their standard error in the note."""
    rows = []
    for target in registry.targets:
        value = float("nan")
        note = not_comparable(ds, target, base, adequacy)
        if note is None and target.metric in ADEQUACY_METRICS:
            value, se = adequacy_value(adequacy, target)  # type: ignore[arg-type]
            close = abs(value - target.threshold) <= 2 * se and se > 0
            note = f"± {se:.3g} (1 s.e., {int(adequacy.attrs['samples'])} samples)" + (  # type: ignore[union-attr]
                "; within 2 s.e. of the threshold" if close else ""
            )
        elif note is None:
            value = METRICS[target.metric](ds, target, base)
            note = "" if is_full_year(ds) else f"on {_partial(ds)}"
        margin, met_value = verdict(value, target.comparison, target.threshold)
        met = {1.0: "yes", 0.0: "no"}.get(met_value, "n/a")
        implied = float("nan")
        if target.kind == "constraint" and "target" in ds.coords and target.id in ds.target.values:
            implied = float(ds.target_shadow_price.sel(target=target.id))
        rows.append(
            {
                "target": target.id,
                "clause": target.clause,
                "metric": target.metric,
                "basis": target.basis,
                "accounting": target.basis_key or "-",
                "view": target.view or "any",
                "kind": target.kind,
                "value": value,
                "comparison": target.comparison,
                "threshold": target.threshold,
                "unit": target.unit,
                "met": met,
                "margin": margin,
                "implied_cost": implied,
                "note": note,
            }
        )
    return pd.DataFrame(rows).set_index("target")


def targets_context(ds: xr.Dataset, base: xr.Dataset | None, base_path: object = None, lang: Lang = "en") -> list[str]:
    """The lines printed above a target table: both files' view, horizon and accounting, the bases in words,
    and a warning when the base cannot be compared with the results; in ``lang``."""
    lines = [tr("results: {line}", lang, line=run_bases(ds, lang))]
    if base is None:
        where = (f" at {base_path}" if lang == "en" else f"({base_path})") if base_path else ""
        lines.append(tr("base:    none{where} — changes against the base year are n/a", lang, where=where))
        lines.append(tr("         solve the base-year scenario first (energysim run …), or give --base FILE", lang))
    else:
        lines.append(tr("base:    {line}", lang, line=run_bases(base, lang)))
        if base.attrs.get("view") != ds.attrs.get("view"):
            lines.append(
                tr(
                    "warning: the base is in the {base} view and the results in the {results} view: changes against "
                    "it are n/a (give a base of the same view: `base_results:` in the scenario, or --base)",
                    lang,
                    base=base.attrs.get("view"),
                    results=ds.attrs.get("view"),
                )
            )
    if "grid_co2_t_per_mwh" in ds.attrs:
        if lang == "en":
            lines += [co2_basis_text(ds), energy_rule(ds)]
        else:
            from energysim.report.provenance import accounting_rules

            lines += accounting_rules(ds, lang)[:3]
    return lines


def format_targets(table: pd.DataFrame, lang: Lang = "en") -> str:
    """The table planners read: target, clause, accounting basis, value against the threshold with its operator
    (≤, ≥), margin, implied cost and the verdict (with its reason when n/a, or the hours judged on a partial run),
    in ``lang``, its columns aligned by display width."""
    from energysim.report.briefing import OPERATORS

    show = table[["clause", "accounting", "value", "comparison", "threshold", "unit", "margin", "implied_cost", "kind"]]
    notes = table.note.map(lambda note: tr_note(str(note), lang))
    met = table.met.map(lambda m: tr(str(m), lang))
    verdict = met.where(table.note == "", met + " — " + notes)
    show = show.assign(
        comparison=show.comparison.map(OPERATORS),
        accounting=show.accounting.map(lambda a: tr(str(a), lang) if a != "-" else "—"),
        unit=show.unit.map(lambda u: unit_name(str(u), lang)),
        kind=show.kind.map(lambda k: tr(str(k), lang)),
        met=verdict,
    )
    show = show.rename(columns=lambda c: tr(c, lang))
    show.index.name = tr("target", lang)
    return table_text(show, float_format="{:,.2f}")
