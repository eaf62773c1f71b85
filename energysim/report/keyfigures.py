"""The key figures of a run, each with the basis it is measured on: cost, CO2 on both accounting bases, energy and
carbon intensity, peak adequacy, purchases, steam and gas. A figure the results cannot give is shown as
``n/a (reason)``, never ``NaN``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import xarray as xr

from energysim.report.briefing import number
from energysim.report.i18n import Lang, grid_source, missing, tr, tr_note


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
    from energysim.report.accounting import co2_accounts, energy_account, has_record, intensities
    from energysim.report.tables import kpis, reserve_kpis
    from energysim.results import total_cost

    numbers: dict[str, float] = {"total_cost_MCNY": total_cost(ds) / 1e6}
    if has_record(ds):
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
    n = _Figures(numbers, lang)
    total = n.figure(
        "Cost",
        "Total cost of the system",
        n("total_cost_MCNY", "MCNY"),
        "the optimised total: every region's plants, fuel, carbon at {price} CNY/t, purchases and penalties",
        price=number(float(ds.attrs.get("co2_price_cny_per_t", float("nan"))), lang=lang),
    )
    if "co2_territorial_Mt" not in numbers:
        reason = tr("n/a (results carry no accounting record: run the scenario again)", lang)
        accounted = [KeyFigure(tr("Carbon", lang), tr("CO2", lang), reason, "")]
    else:
        accounted = [*_costs(n), *_carbon(ds, n, targets), *_energy(ds, n, targets), *_purchases(n)]
    return [total, *accounted, *_security(n), *_steam_and_gas(n)]


class _Figures:
    """The headline numbers of one report and its language: ``n(key, unit, digits)`` is a number as shown
    (:func:`~energysim.report.briefing.number`), :meth:`figure` a key figure with its group, label and basis in
    the language."""

    def __init__(self, numbers: dict[str, float], lang: Lang) -> None:
        self.numbers, self.lang = numbers, lang

    def __contains__(self, key: str) -> bool:
        return key in self.numbers

    def __call__(self, key: str, unit: str = "", digits: int | None = None) -> str:
        return number(self.numbers.get(key), unit, digits=digits, lang=self.lang)

    def value(self, key: str) -> float:
        """The number itself (NaN when there is none)."""
        return self.numbers.get(key, float("nan"))

    def figure(self, group: str, label: str, value: str, basis: str, *, then: str = "", **fields: object) -> KeyFigure:
        """``basis`` filled with ``fields``; ``then``: a further clause (already in the language) after it."""
        lang = self.lang
        clause = f"{tr('; ', lang)}{then}" if then else ""
        return KeyFigure(tr(group, lang), tr(label, lang), value, tr(basis, lang, **fields) + clause)


def _costs(n: _Figures) -> list[KeyFigure]:
    return [
        n.figure(
            "Cost",
            "The city's energy cost",
            n("city_cost_MCNY", "MCNY"),
            "its own plants, gas, shortfall penalties and net purchases at its hourly price",
        ),
        n.figure(
            "Cost",
            "Average electricity price",
            n("average_price_CNY_per_MWh", "CNY/MWh"),
            "demand-weighted; highest hour {peak}",
            peak=n("peak_price_CNY_per_MWh", "CNY/MWh"),
        ),
    ]


def _intensity(ds: xr.Dataset, n: _Figures, key: str, unit: str) -> str:
    """An intensity, or why there is none (the scenario has no GDP)."""
    if float(ds.attrs.get("gdp_bn_cny", 0.0)) <= 0:
        return tr("n/a (no GDP in the scenario: economy.gdp_bn_cny)", n.lang)
    return n(key, unit, digits=3)


def _carbon(ds: xr.Dataset, n: _Figures, targets: pd.DataFrame | None) -> list[KeyFigure]:
    lang = n.lang
    return [
        n.figure(
            "Carbon",
            "CO2, territorial basis",
            n("co2_territorial_Mt", "Mt", digits=2),
            "plants and boilers of the {view}",
            view=tr(f"{ds.attrs.get('view', 'sited')} view", lang),
        ),
        n.figure(
            "Carbon",
            "CO2, consumption basis",
            n("co2_consumption_Mt", "Mt", digits=2),
            "locally dispatched plants and boilers + net purchased electricity × {factor} tCO2/MWh ({source})",
            factor=f"{float(ds.attrs['grid_co2_t_per_mwh']):g}",
            source=grid_source(ds, lang),
        ),
        n.figure(
            "Carbon",
            "Carbon intensity",
            _intensity(ds, n, "co2_consumption_t_per_1e4cny", "tCO2/10⁴ CNY"),
            "consumption basis, per 10⁴ CNY of GDP ({gdp} bn CNY/yr); territorial {territorial}",
            then=_change(targets, "co2_intensity_change_pct", lang),
            gdp=number(float(ds.attrs.get("gdp_bn_cny", float("nan"))), lang=lang),
            territorial=n("co2_territorial_t_per_1e4cny", digits=3),
        ),
    ]


def _energy(ds: xr.Dataset, n: _Figures, targets: pd.DataFrame | None) -> list[KeyFigure]:
    return [
        n.figure(
            "Energy",
            "Energy use",
            n("energy_Mtce", "Mtce", digits=2),
            "dual-control intensity basis: fossil fuels + non-fossil power + net purchases at 0.1229 tce/MWh",
        ),
        n.figure(
            "Energy",
            "Energy intensity",
            _intensity(ds, n, "energy_tce_per_1e4cny", "tce/10⁴ CNY"),
            "per 10⁴ CNY of GDP",
            then=_change(targets, "energy_intensity_change_pct", n.lang),
        ),
    ]


def _purchases(n: _Figures) -> list[KeyFigure]:
    share = n.value("import_share")
    selling = not missing(share) and share < 0  # a net seller: say so, not a negative
    out = [
        n.figure(
            "Purchases",
            "Net sales" if selling else "Net purchases",
            number(None if missing(share) else 100 * abs(share), "%", digits=1, lang=n.lang),
            "of the city's demand; bought {bought}, sold {sold}",
            bought=n("imports_TWh", "TWh"),
            sold=n("exports_TWh", "TWh"),
        )
    ]
    if "from_other_provinces_share" in n:
        out.append(
            n.figure(
                "Purchases",
                "From other provinces",
                number(100 * n.value("from_other_provinces_share"), "%", digits=1, lang=n.lang),
                "of the province's demand; {energy}, at most {peak}",
                energy=n("from_other_provinces_TWh", "TWh"),
                peak=n("from_other_provinces_max_MW", "MW"),
            )
        )
    return out


def _security(n: _Figures) -> list[KeyFigure]:
    group = "Security of supply"
    out = [
        n.figure(group, "Peak demand", n("peak_demand_MW", "MW"), "the city, hourly; demand {demand}",
                 demand=n("demand_TWh", "TWh")),
        n.figure(group, "Electricity not supplied", number(n.numbers.get("unserved_MWh", 0.0), "MWh", lang=n.lang),
                 "the city, over the horizon"),
    ]  # fmt: skip
    if "min_margin_%" in n:
        out.append(
            n.figure(
                group,
                "Least firm margin in the peak seasons",
                n("min_margin_%", "%", digits=1),
                "planning margin {required}; shortfall up to {shortfall} in {hours}",
                required=n("required_margin_%", "%"),
                shortfall=n("max_shortfall_MW", "MW"),
                hours=n("shortfall_hours", "h", digits=0),
            )
        )
    if "adequacy_lole_days" in n:
        probability = n.value("adequacy_orderly_power_use_probability")
        out.append(
            n.figure(
                group,
                "Loss-of-load expectation",
                f"{n('adequacy_lole_days', 'd/yr', digits=3)} ± {n('adequacy_lole_days_se', digits=3)}",
                "{samples} sampled years with forced outages and weather years; {hours} h/yr; P(orderly power use) {p}",
                samples=n("adequacy_samples", digits=0),
                hours=n("adequacy_lole_hours", digits=3),
                p=number(100 * probability, "%", digits=1, lang=n.lang),
            )
        )
    return out


def _steam_and_gas(n: _Figures) -> list[KeyFigure]:
    group = "Steam and gas"
    out = []
    if "steam_demand_Mt" in n:
        out.append(
            n.figure(
                group,
                "Average steam price",
                n("average_steam_price_CNY_per_t", "CNY/t", digits=1),
                "demand-weighted; steam demand {demand}, not supplied {unserved}",
                demand=n("steam_demand_Mt", "Mt"),
                unserved=n("steam_unserved_t", "t"),
            )
        )
    if "gas_supply_1e4m3" in n:
        out.append(
            n.figure(
                group,
                "Gas pool average cost",
                n("gas_pool_average_cost_CNY_per_m3", "CNY/m3", digits=3),
                "gas bought {bought}; city gas not supplied {unserved}",
                bought=n("gas_supply_1e4m3", "10^4 m3"),
                unserved=n("gas_unserved_1e4m3", "10^4 m3"),
            )
        )
    return out


__all__ = ["KeyFigure", "headline_numbers", "key_figures"]
