"""What a report says, before it is laid out: the plan's verdicts in planner words, the key figures each with the
basis it is measured on, and the target table with its operators and margins — in English or Chinese, every
missing number shown as ``—`` or ``n/a (reason)``, never ``NaN``.

The layouts (:mod:`energysim.report.document`: HTML and Markdown) only arrange these; the assumptions and the
run's provenance are in :mod:`energysim.report.provenance`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr

from energysim.report.i18n import NA, Lang, missing, tr, tr_note, unit_name

OPERATORS = {">=": "≥", "<=": "≤"}
"""A target's comparison as a planner writes it."""

METRIC_NAMES = {
    "new_capacity_mw": "new capacity",
    "capacity_in_service_mw": "capacity in service",
    "phased_out_boiler_steam_t": "steam from small coal boilers after the phase-out",
    "peak_season_unserved_mwh": "electricity not supplied in the peak seasons",
    "peak_reserve_shortfall_mw": "peak-season reserve shortfall",
    "energy_intensity_change_pct": "energy intensity against the base year",
    "co2_intensity_change_pct": "carbon intensity against the base year",
    "gas_price_change_pct": "gas price against the base year",
    "steam_price_change_pct": "heat (steam) price against the base year",
    "co2_territorial_t": "CO2, territorial basis",
    "co2_consumption_t": "CO2, consumption basis",
    "lole_hours_per_year": "loss-of-load expectation",
    "lole_days_per_year": "loss-of-load expectation",
    "orderly_power_use_probability": "probability of orderly power use",
}
"""A target metric in planner words (translated by :func:`energysim.report.i18n.tr`)."""

ACCOUNTING = {"territorial": "territorial", "consumption": "consumption", "dual_control": "dual control"}
"""A target's accounting basis in words."""

STATUS = {"yes": "met", "no": "not met", "n/a": "cannot be judged"}
"""The target table's ``met`` column → the verdict's words."""


def number(value: float | None, unit: str = "", *, digits: int | None = None, lang: Lang = "en") -> str:
    """``value`` with thousands separators and ``unit`` (in ``lang``), digits by magnitude unless given (whole
    numbers and ≥ 100: 0; ≥ 10: 1; else 2); :data:`~energysim.report.i18n.NA` for a missing value.

    >>> number(14000.4, "MW"), number(8.94, "%"), number(float("nan"), "MW"), number(0.1234), number(0.0, "t")
    ('14,000 MW', '8.94 %', '—', '0.12', '0 t')
    """
    if missing(value):
        return NA
    v = float(value)  # type: ignore[arg-type]
    if digits is None:
        digits = 0 if abs(v) >= 100 or v == int(v) else 1 if abs(v) >= 10 else 2
    text = f"{v:,.{digits}f}"
    if text.lstrip("-").strip("0.,") == "":  # −0.00 and the like
        text = text.lstrip("-")
    if v < 0 and text.startswith("-"):
        text = "−" + text[1:]  # a real minus sign
    return f"{text} {unit_name(unit, lang)}".rstrip() if unit else text


def quantity(value: float, unit: str, lang: Lang = "en") -> str:
    """A target's value in its unit; probabilities (unit ``1``) as percentages."""
    if unit == "1":
        return number(100 * value, "%", lang=lang) if not missing(value) else NA
    return number(value, unit, lang=lang)


@dataclass(frozen=True)
class Verdict:
    """One target's verdict in planner words."""

    target: str
    met: str
    """``yes``, ``no`` or ``n/a`` (the target table's ``met``)."""
    status: str
    """``met``, ``not met`` or ``cannot be judged``, in the report's language."""
    name: str
    """What is measured, in words, and the plan's clause."""
    text: str
    """The value against the threshold and the margin (or why it cannot be judged)."""


def _margin_words(row: pd.Series, lang: Lang) -> str:
    unit = "pp" if row.unit == "%" else row.unit  # a margin of a percentage is in points
    margin = abs(float(row.margin))
    amount = number(100 * margin, "pp", lang=lang) if unit == "1" else number(margin, unit, lang=lang)
    if row.met == "yes":
        if margin <= 1e-9 * max(1.0, abs(float(row.threshold))):
            return tr("exactly at the threshold", lang)
        return tr("{amount} to spare", lang, amount=amount)
    return tr("{amount} short", lang, amount=amount)


def verdicts(targets: pd.DataFrame, lang: Lang = "en") -> list[Verdict]:
    """Each target's verdict, those not met first, then those met, then those that cannot be judged (each group
    in the registry's order). ``targets``: :func:`energysim.report.targets.evaluate_targets`."""
    out = []
    order = {"no": 0, "yes": 1, "n/a": 2}
    for target, row in sorted(targets.iterrows(), key=lambda item: order.get(str(item[1].met), 3)):
        name = f"{tr(METRIC_NAMES.get(row.metric, row.metric), lang)} — {row.clause}"
        status = STATUS.get(str(row.met), "cannot be judged")
        if row.met == "n/a":
            text = tr("n/a ({reason})", lang, reason=tr_note(str(row.note), lang) or "?")
        else:
            against = f"{OPERATORS.get(row.comparison, row.comparison)} {quantity(row.threshold, row.unit, lang)}"
            text = tr(
                "{value} against {against}: {margin}",
                lang,
                value=quantity(row.value, row.unit, lang),
                against=against,
                margin=_margin_words(row, lang),
            )
            if row.note:
                text += f" ({tr_note(str(row.note), lang)})"
        out.append(Verdict(str(target), str(row.met), tr(status, lang), name, text))
    return out


def verdict_counts(targets: pd.DataFrame) -> dict[str, int]:
    """How many targets are met, not met and cannot be judged."""
    met = targets.met.astype(str)
    return {"met": int((met == "yes").sum()), "not met": int((met == "no").sum()), "n/a": int((met == "n/a").sum())}


def headline(ds: xr.Dataset, targets: pd.DataFrame | None, figures: dict[str, float], lang: Lang = "en") -> list[str]:
    """The executive summary's sentences: the verdicts counted, what the plan costs and emits on both bases, and
    whether supply is secure. ``figures``: :func:`energysim.report.keyfigures.headline_numbers`."""
    lines = []
    if targets is not None and len(targets):
        n = verdict_counts(targets)
        text = tr("{met} of {total} plan targets are met", lang, met=n["met"], total=len(targets))
        if n["not met"]:
            text += tr(", {n} not met", lang, n=n["not met"])
        if n["n/a"]:
            text += tr(", {n} cannot be judged on these results", lang, n=n["n/a"])
        lines.append(text + tr(".", lang))
    else:
        lines.append(tr("No plan targets were evaluated (the scenario names no target registry).", lang))
    cost = figures.get("total_cost_MCNY", float("nan"))
    lines.append(
        tr(
            "The system costs {cost} over the horizon; the city's energy {city}.",
            lang,
            cost=number(cost, "MCNY", lang=lang),
            city=number(figures.get("city_cost_MCNY"), "MCNY", lang=lang),
        )
    )
    if not missing(figures.get("co2_territorial_Mt")):
        lines.append(
            tr(
                "CO2: {territorial} on the territorial basis, {consumption} on the consumption basis.",
                lang,
                territorial=number(figures["co2_territorial_Mt"], "Mt", digits=2, lang=lang),
                consumption=number(figures["co2_consumption_Mt"], "Mt", digits=2, lang=lang),
            )
        )
    unserved = figures.get("unserved_MWh", 0.0)
    if not missing(figures.get("min_margin_%")):
        lines.append(
            tr(
                "Security: {unserved} of electricity not supplied; the firm margin in the peak seasons falls to "
                "{margin} at its lowest (planning margin {required}).",
                lang,
                unserved=number(unserved, "MWh", lang=lang),
                margin=number(figures["min_margin_%"], "%", lang=lang),
                required=number(figures.get("required_margin_%"), "%", lang=lang),
            )
        )
    else:
        lines.append(
            tr("Security: {unserved} of electricity not supplied.", lang, unserved=number(unserved, "MWh", lang=lang))
        )
    return lines


def target_rows(targets: pd.DataFrame, lang: Lang = "en") -> pd.DataFrame:
    """The target table as a planner reads it, every cell text: clause, what is measured, accounting basis,
    value, the threshold with its operator, margin, kind, verdict and note."""
    rows = []
    for target, row in targets.iterrows():
        margin = NA if row.met == "n/a" else _signed_margin(row, lang)
        implied = row.get("implied_cost", float("nan"))
        rows.append(
            {
                "target": str(target),
                "clause": row.clause,
                "measured": tr(METRIC_NAMES.get(row.metric, row.metric), lang),
                "accounting": tr(ACCOUNTING.get(row.accounting, row.accounting), lang) if row.accounting != "-" else NA,
                "value": quantity(row.value, row.unit, lang),
                "target value": f"{OPERATORS.get(row.comparison, row.comparison)} "
                f"{quantity(row.threshold, row.unit, lang)}",
                "margin": margin,
                "implied cost": NA if missing(implied) else number(implied, "CNY", lang=lang),
                "kind": tr(str(row.kind), lang),
                "verdict": tr(STATUS.get(str(row.met), "cannot be judged"), lang),
                "met": str(row.met),
                "note": tr_note(str(row.note), lang) if row.note else "",
            }
        )
    return pd.DataFrame(rows)


def _signed_margin(row: pd.Series, lang: Lang) -> str:
    unit = "pp" if row.unit == "%" else row.unit
    value = 100 * float(row.margin) if row.unit == "1" else float(row.margin)
    text = number(value, "pp" if row.unit == "1" else unit, lang=lang)
    return text if value < 0 or text.startswith(("0 ", "0.0")) else "+" + text
