"""The key figures of a run, each with the basis it is measured on: cost, CO2 on both accounting bases, energy and
carbon intensity, peak adequacy, purchases, steam and gas. A figure the results cannot give is shown as
``n/a (reason)``, never ``NaN``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr

from energysim.report.briefing import number
from energysim.report.i18n import Lang, missing, tr, tr_note


@dataclass(frozen=True)
class KeyFigure:
    """One figure: its group (a heading), label, value with unit, and what it is measured on."""

    group: str
    label: str
    value: str
    basis: str


def headline_numbers(ds: xr.Dataset, adequacy: xr.Dataset | None = None) -> dict[str, float]:
    """The numbers behind the key figures (units in the keys); NaN where the results cannot give one (results
    written before the accounting bases were recorded, no GDP, no peak season, no steam or gas)."""
    from energysim.report.tables import kpis, reserve_kpis
    from energysim.results import total_cost

    numbers: dict[str, float] = {"total_cost_MCNY": total_cost(ds) / 1e6}
    if "tech_dispatch" in ds and "grid_co2_t_per_mwh" in ds.attrs:
        from energysim.report.accounting import co2_accounts, energy_account, intensities

        co2, energy = co2_accounts(ds), energy_account(ds)  # once each: kpis and intensities read them
        numbers |= kpis(ds, co2=co2)
        numbers["energy_Mtce"] = energy["intensity basis"] / 1e6
        numbers |= intensities(ds, co2=co2, energy=energy)
    if "peak_season" in ds and float(ds.peak_season.sum()) > 0:
        numbers |= reserve_kpis(ds)
        numbers["required_margin_%"] = 100 * float(ds.attrs.get("reserve_margin", float("nan")))
    if float(ds.steam_demand.sum()) > 0:
        from energysim.report.sectors import steam_kpis

        numbers |= steam_kpis(ds)
    if ds.sizes.get("gas_source", 0):
        from energysim.report.sectors import gas_kpis

        numbers |= gas_kpis(ds)
    if adequacy is not None:
        regions = [str(r) for r in adequacy.region.values]
        region = "system" if "system" in regions else regions[0]
        for name in ("lole_hours", "lole_days", "eue", "orderly_power_use_probability"):
            numbers[f"adequacy_{name}"] = float(adequacy[name].sel(region=region))
            numbers[f"adequacy_{name}_se"] = float(adequacy[f"{name}_se"].sel(region=region))
        numbers["adequacy_samples"] = float(adequacy.attrs.get("samples", float("nan")))
    return numbers


def _change(targets: pd.DataFrame | None, metric: str, lang: Lang, accounting: str | None = None) -> str:
    """The change against the base year from the target table (``n/a (why)`` when it could not be judged)."""
    if targets is None:
        return ""
    rows = targets[targets.metric == metric]
    if accounting is not None:
        rows = rows[rows.accounting == accounting]
    if not len(rows):
        return ""
    row = rows.iloc[0]
    if missing(row.value):
        return tr("change against the base year: n/a ({reason})", lang, reason=tr_note(str(row.note), lang))
    return tr("{change} against the base year", lang, change=number(row.value, "%", digits=1, lang=lang))


def key_figures(
    ds: xr.Dataset,
    numbers: dict[str, float],
    targets: pd.DataFrame | None = None,
    lang: Lang = "en",
) -> list[KeyFigure]:
    """The key figures in ``lang``; ``numbers``: :func:`headline_numbers`; ``targets`` gives the changes against
    the base year (:func:`energysim.report.targets.evaluate_targets`)."""
    total = KeyFigure(
        tr("Cost", lang),
        tr("Total cost of the system", lang),
        number(numbers.get("total_cost_MCNY"), "MCNY", lang=lang),
        tr(
            "the optimised total: every region's plants, fuel, carbon at {price} CNY/t, purchases and penalties",
            lang,
            price=number(float(ds.attrs.get("co2_price_cny_per_t", float("nan"))), lang=lang),
        ),
    )
    if "co2_territorial_Mt" not in numbers:
        reason = tr("n/a (results carry no accounting record: run the scenario again)", lang)
        accounted = [KeyFigure(tr("Carbon", lang), tr("CO2", lang), reason, "")]
    else:
        accounted = [
            *_costs(numbers, lang),
            *_carbon(ds, numbers, targets, lang),
            *_energy(ds, numbers, targets, lang),
            *_purchases(numbers, lang),
        ]
    return [total, *accounted, *_security(numbers, lang), *_steam_and_gas(numbers, lang)]


def _costs(numbers: dict[str, float], lang: Lang) -> list[KeyFigure]:
    n, group = numbers.get, tr("Cost", lang)
    return [
        KeyFigure(
            group,
            tr("The city's energy cost", lang),
            number(n("city_cost_MCNY"), "MCNY", lang=lang),
            tr("its own plants, gas, shortfall penalties and net purchases at its hourly price", lang),
        ),
        KeyFigure(
            group,
            tr("Average electricity price", lang),
            number(n("average_price_CNY_per_MWh"), "CNY/MWh", lang=lang),
            tr(
                "demand-weighted; highest hour {peak}",
                lang,
                peak=number(n("peak_price_CNY_per_MWh"), "CNY/MWh", lang=lang),
            ),
        ),
    ]


def _sep(text: str, lang: Lang) -> str:
    return f"{tr('; ', lang)}{text}" if text else ""


def _intensity(ds: xr.Dataset, value: float | None, unit: str, lang: Lang) -> str:
    """An intensity, or why there is none (the scenario has no GDP)."""
    if float(ds.attrs.get("gdp_bn_cny", 0.0)) <= 0:
        return tr("n/a (no GDP in the scenario: economy.gdp_bn_cny)", lang)
    return number(value, unit, digits=3, lang=lang)


def _carbon(ds: xr.Dataset, numbers: dict[str, float], targets: pd.DataFrame | None, lang: Lang) -> list[KeyFigure]:
    n, group = numbers.get, tr("Carbon", lang)
    view = tr(f"{ds.attrs.get('view', 'sited')} view", lang)
    factor = float(ds.attrs["grid_co2_t_per_mwh"])
    return [
        KeyFigure(
            group,
            tr("CO2, territorial basis", lang),
            number(n("co2_territorial_Mt"), "Mt", digits=2, lang=lang),
            tr("plants and boilers of the {view}", lang, view=view),
        ),
        KeyFigure(
            group,
            tr("CO2, consumption basis", lang),
            number(n("co2_consumption_Mt"), "Mt", digits=2, lang=lang),
            tr(
                "locally dispatched plants and boilers + net purchased electricity × {factor} tCO2/MWh ({source})",
                lang,
                factor=f"{factor:g}",
                source=ds.attrs.get("grid_co2_source", "?"),
            ),
        ),
        KeyFigure(
            group,
            tr("Carbon intensity", lang),
            _intensity(ds, n("co2_consumption_t_per_1e4cny"), "tCO2/10⁴ CNY", lang),
            tr(
                "consumption basis, per 10⁴ CNY of GDP ({gdp} bn CNY/yr); territorial {territorial}",
                lang,
                gdp=number(float(ds.attrs.get("gdp_bn_cny", float("nan"))), lang=lang),
                territorial=number(n("co2_territorial_t_per_1e4cny"), digits=3, lang=lang),
            )
            + _sep(_change(targets, "co2_intensity_change_pct", lang), lang),
        ),
    ]


def _energy(ds: xr.Dataset, numbers: dict[str, float], targets: pd.DataFrame | None, lang: Lang) -> list[KeyFigure]:
    n, group = numbers.get, tr("Energy", lang)
    return [
        KeyFigure(
            group,
            tr("Energy use", lang),
            number(n("energy_Mtce"), "Mtce", digits=2, lang=lang),
            tr("dual-control intensity basis: fossil fuels + non-fossil power + net purchases at 0.1229 tce/MWh", lang),
        ),
        KeyFigure(
            group,
            tr("Energy intensity", lang),
            _intensity(ds, n("energy_tce_per_1e4cny"), "tce/10⁴ CNY", lang),
            tr("per 10⁴ CNY of GDP", lang) + _sep(_change(targets, "energy_intensity_change_pct", lang), lang),
        ),
    ]


def _purchases(numbers: dict[str, float], lang: Lang) -> list[KeyFigure]:
    n, group = numbers.get, tr("Purchases", lang)
    share = n("import_share")
    selling = not missing(share) and share < 0  # a net seller: say so rather than print a negative purchase
    out = [
        KeyFigure(
            group,
            tr("Net sales" if selling else "Net purchases", lang),
            number(None if missing(share) else 100 * abs(share), "%", digits=1, lang=lang),
            tr(
                "of the city's demand; bought {bought}, sold {sold}",
                lang,
                bought=number(n("imports_TWh"), "TWh", lang=lang),
                sold=number(n("exports_TWh"), "TWh", lang=lang),
            ),
        )
    ]
    if "from_other_provinces_share" in numbers:
        out.append(
            KeyFigure(
                group,
                tr("From other provinces", lang),
                number(100 * numbers["from_other_provinces_share"], "%", digits=1, lang=lang),
                tr(
                    "of the province's demand; {energy}, at most {peak}",
                    lang,
                    energy=number(n("from_other_provinces_TWh"), "TWh", lang=lang),
                    peak=number(n("from_other_provinces_max_MW"), "MW", lang=lang),
                ),
            )
        )
    return out


def _security(numbers: dict[str, float], lang: Lang) -> list[KeyFigure]:
    n = numbers.get
    group = tr("Security of supply", lang)
    out = [
        KeyFigure(
            group,
            tr("Peak demand", lang),
            number(n("peak_demand_MW"), "MW", lang=lang),
            tr("the city, hourly; demand {demand}", lang, demand=number(n("demand_TWh"), "TWh", lang=lang)),
        ),
        KeyFigure(
            group,
            tr("Electricity not supplied", lang),
            number(n("unserved_MWh", 0.0), "MWh", lang=lang),
            tr("the city, over the horizon", lang),
        ),
    ]
    if "min_margin_%" in numbers:
        out.append(
            KeyFigure(
                group,
                tr("Least firm margin in the peak seasons", lang),
                number(n("min_margin_%"), "%", digits=1, lang=lang),
                tr(
                    "planning margin {required}; shortfall up to {shortfall} in {hours}",
                    lang,
                    required=number(n("required_margin_%"), "%", lang=lang),
                    shortfall=number(n("max_shortfall_MW"), "MW", lang=lang),
                    hours=number(n("shortfall_hours"), "h", digits=0, lang=lang),
                ),
            )
        )
    if "adequacy_lole_days" in numbers:
        out.append(
            KeyFigure(
                group,
                tr("Loss-of-load expectation", lang),
                f"{number(n('adequacy_lole_days'), 'd/yr', digits=3, lang=lang)} ± "
                f"{number(n('adequacy_lole_days_se'), digits=3, lang=lang)}",
                tr(
                    "{samples} sampled years with forced outages and weather years; {hours} h/yr; "
                    "P(orderly power use) {p}",
                    lang,
                    samples=number(n("adequacy_samples"), digits=0, lang=lang),
                    hours=number(n("adequacy_lole_hours"), digits=3, lang=lang),
                    p=number(100 * n("adequacy_orderly_power_use_probability"), "%", digits=1, lang=lang),
                ),
            )
        )
    return out


def _steam_and_gas(numbers: dict[str, float], lang: Lang) -> list[KeyFigure]:
    n = numbers.get
    group = tr("Steam and gas", lang)
    out = []
    if "steam_demand_Mt" in numbers:
        out.append(
            KeyFigure(
                group,
                tr("Average steam price", lang),
                number(n("average_steam_price_CNY_per_t"), "CNY/t", digits=1, lang=lang),
                tr(
                    "demand-weighted; steam demand {demand}, not supplied {unserved}",
                    lang,
                    demand=number(n("steam_demand_Mt"), "Mt", lang=lang),
                    unserved=number(n("steam_unserved_t"), "t", lang=lang),
                ),
            )
        )
    if "gas_supply_1e4m3" in numbers:
        out.append(
            KeyFigure(
                group,
                tr("Gas pool average cost", lang),
                number(n("gas_pool_average_cost_CNY_per_m3"), "CNY/m3", digits=3, lang=lang),
                tr(
                    "gas bought {bought}; city gas not supplied {unserved}",
                    lang,
                    bought=number(n("gas_supply_1e4m3"), "10^4 m3", lang=lang),
                    unserved=number(n("gas_unserved_1e4m3"), "10^4 m3", lang=lang),
                ),
            )
        )
    return out


__all__ = ["KeyFigure", "headline_numbers", "key_figures"]
