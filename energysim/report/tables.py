"""Summary tables of a results Dataset, as DataFrames and as text."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from energysim.report.accounting import (
    city_kpis,
    city_regions,
    co2_accounts,
    own_techs,
    provincial_kpis,
    weather_year_note,
)
from energysim.report.i18n import (
    NA,
    Lang,
    grid_source,
    kind_name,
    region_names,
    table_text,
    tech_names,
    tr,
    unit_name,
)
from energysim.report.sectors import efficiency_table, gas_kpis, gas_table, steam_heat_gj_per_t, steam_kpis, steam_table
from energysim.results import total_cost

MWH_PER_TWH = 1e6


def tech_table(ds: xr.Dataset, lang: Lang = "en") -> pd.DataFrame:
    """Per technology: capacity and new capacity (MW), generation (TWh) and share (%), CO2 (kt), cost (MCNY)."""
    gen = ds.generation.sum(["time", "region"])
    columns = {"name": pd.Series(tech_names(ds, lang))}
    if ds.sizes["region"] > 1:
        columns["region"] = ds.tech_region.to_pandas().map(region_names(ds, lang))
    table = pd.DataFrame(
        columns
        | {
            "kind": ds.tech_kind.to_pandas().map(lambda k: kind_name(str(k), lang)),
            "capacity_MW": ds.capacity.sum("region").to_pandas(),
            "new_MW": ds.new_capacity.sum("region").to_pandas(),
            "generation_TWh": (gen / MWH_PER_TWH).to_pandas(),
            "share_%": (100 * gen / max(float(gen.sum()), 1e-12)).to_pandas(),
            "CO2_kt": (ds.emissions.sum(["time", "region"]) / 1e3).to_pandas(),
            "cost_MCNY": (ds.cost.sum(["region", "cost_component"]) / 1e6).to_pandas(),
        }
    )
    table.index.name = tr("tech", lang)
    return table.rename(columns=lambda c: tr(c, lang))


def commitment_table(ds: xr.Dataset, lang: Lang = "en") -> pd.DataFrame:
    """Committed thermal plants: units, full-load hours (h), starts per unit over the run, and the average price
    of their output (CNY/MWh, the regional balance's dual weighted by their generation)."""
    if "committed_units" not in ds:
        return pd.DataFrame()
    on = ds.committed_units.sum(["time", "region"]) > 0
    gen = ds.generation.sum("region")
    capacity = ds.capacity.sum("region")
    units = capacity / ds.unit_mw.where(ds.unit_mw > 0)
    price = (ds.generation * ds.price).sum(["time", "region"]) / gen.sum("time").where(gen.sum("time") > 0)
    table = pd.DataFrame(
        {
            "name": pd.Series(tech_names(ds, lang)),
            "units": units.to_pandas(),
            "full_load_hours": (gen.sum("time") / capacity.where(capacity > 0)).to_pandas(),
            "starts_per_unit": (ds.startups.sum(["time", "region"]) / units).to_pandas(),
            "price_CNY_per_MWh": price.to_pandas(),
        }
    )[on.to_pandas()]
    table.index.name = tr("tech", lang)
    return table.rename(columns=lambda c: tr(c, lang))


def kpis(ds: xr.Dataset, *, co2: dict[str, float] | None = None) -> dict[str, float]:
    """Headline numbers of a run (units in the keys): the city's in the results' view
    (:func:`energysim.report.accounting.city_kpis`, given ``co2`` when the caller already has the run's
    :func:`~energysim.report.accounting.co2_accounts`), the whole system's cost (the objective), and the
    province's when there is a ``province`` region."""
    city = city_kpis(ds, co2=co2)
    return {
        **city,
        "curtailment_TWh": float(ds.curtailment.where(own_techs(ds), 0).sum()) / MWH_PER_TWH,
        "unserved_MWh": float(ds.unserved.where(city_regions(ds), 0).sum()),
        "co2_imports_at_import_factor_Mt": float(ds.emissions.where(ds.tech_kind == "grid", 0).sum()) / 1e6,
        "total_cost_MCNY": total_cost(ds) / 1e6,
        **provincial_kpis(ds),
    }


def reserve_kpis(ds: xr.Dataset) -> dict[str, float]:
    """Peak-season security: least firm margin (% of demand), largest shortfall (MW), hours short, penalty
    (MCNY) and the reserve value (Σ hourly reserve prices, CNY/kW over the horizon)."""
    season = ds.peak_season > 0
    demand = ds.demand.sum("region")
    margin = 100 * (ds.firm_capacity / demand - 1)
    return {
        "min_margin_%": float(margin.where(season).min()),
        "max_shortfall_MW": float(ds.reserve_shortfall.max()),
        "shortfall_hours": float((ds.reserve_shortfall > 1e-6).sum()),
        "shortfall_penalty_MCNY": float(ds.reserve_shortfall_cost) / 1e6,
        "reserve_value_CNY_per_kW": float(ds.reserve_price.sum()) / 1e3,
    }


def _co2_lines(ds: xr.Dataset, accounts: dict[str, float], lang: Lang) -> list[str]:
    """CO2 on both bases and the leakage between them (``accounts``: :func:`~energysim.report.accounting.co2_accounts`
    of ``ds``), each naming its basis, what the model charged on imports, and energy on the dual-control intensity
    basis."""
    from energysim.report.accounting import energy_account, purchased_electricity_mwh

    def w(text: str, **fields: object) -> str:
        return tr(text, lang, **fields)

    grid = ds.tech_kind == "grid"
    imports = float(ds.emissions.where(grid, 0).sum()) / 1e6
    basis = str(ds.attrs.get("co2_basis", "?"))
    model = (
        f"{w('CO2 of grid imports at the model' + chr(39) + 's import factor')}: {imports:.3f} Mt ("
        + w(
            "counted by the CO2 cap only under policy.co2_basis: consumption; here {basis}; never priced: the carbon "
            "price is in the import price",
            basis=basis,
        )
        + ")"
    )
    view = w(f"{ds.attrs.get('view', '?')} view")
    territorial = f"{w('CO2 territorial')} ({w('plants and boilers of the {view}', view=view)})"
    co2 = {key: value / 1e6 for key, value in accounts.items()}
    bought = purchased_electricity_mwh(ds) / 1e6
    energy = energy_account(ds)["intensity basis"] / 1e6
    factor = float(ds.attrs["grid_co2_t_per_mwh"])
    return [
        f"{territorial}: {co2['territorial']:.3f} Mt; {w('consumption basis')} {co2['consumption']:.3f} Mt "
        f"({w('own plants')} {co2['own_plants']:.3f} + {w('net purchased')} {bought:.3f} TWh × {factor:g} t/MWh, "
        f"{grid_source(ds, lang)}); {w('leakage')} {co2['leakage']:+.3f} Mt",
        model,
        f"{w('energy')}: {energy:.3f} Mtce "
        + w(
            "on the dual-control intensity basis (the city's fossil fuels + non-fossil power + net purchases at "
            "0.1229 tce/MWh; new renewables kept, feedstock and separately accounted projects out)"
        ),
    ]


def _mw(value: float) -> str:
    """``12,345 MW``, or :data:`~energysim.report.i18n.NA` when the run has no such hour (a winter peak of an
    August week)."""
    return NA if value != value else f"{value:,.0f} MW"


def format_summary(ds: xr.Dataset, lang: Lang = "en") -> str:
    """The table printed after ``energysim run``, in English or Chinese (``lang="zh"``)."""
    co2 = co2_accounts(ds)  # once: the KPIs and the CO2 lines both read it
    k = kpis(ds, co2=co2)

    def w(text: str) -> str:
        return tr(text, lang)

    def u(unit: str) -> str:
        return unit_name(unit, lang)

    lines = [
        f"{w('scenario')} {ds.attrs.get('scenario_name', '?')}: {ds.sizes['time']} {u('h')}, "
        f"{pd.Timestamp(ds.time.values[0]):%Y-%m-%d %H:%M}{weather_year_note(ds, lang)}, {w('status')} "
        f"{w(str(ds.attrs.get('termination_status', '?')))}",
        "",
        table_text(tech_table(ds, lang), digits=2),
        "",
    ]
    share = 100 * k["import_share"]
    view = ds.attrs.get("view", "sited")
    lines += [
        f"{w('city')} ({w(view + ' view')}) — {w('demand')}: {k['demand_TWh']:.3f} TWh; {w('peak')} "
        f"{k['peak_demand_MW']:,.0f} MW",
        f"{w('imports')}: {k['imports_TWh']:.3f} TWh; {w('exports')} {k['exports_TWh']:.3f} TWh "
        f"({w('net')} {share:.1f} % {w('of demand')})",
        f"{w('curtailment')}: {k['curtailment_TWh']:.3f} TWh",
        f"{w('unserved energy')}: {k['unserved_MWh']:.1f} MWh",
        *_co2_lines(ds, co2, lang),
        f"{w('price')}: {k['average_price_CNY_per_MWh']:.1f} {u('CNY/MWh')} {w('average (demand-weighted)')}, "
        f"{w('peak price')} {k['peak_price_CNY_per_MWh']:.1f} {u('CNY/MWh')}; {w('city energy cost')} "
        f"{k['city_cost_MCNY']:,.1f} {u('MCNY')}",
        f"{w('total cost')}: {k['total_cost_MCNY']:,.1f} {u('MCNY')}",
    ]
    if "province_demand_TWh" in k:
        lines += [
            f"{w('province')}: {k['province_demand_TWh']:.1f} TWh; {w('summer peak')} "
            f"{_mw(k['province_summer_peak_MW'])}, {w('winter peak')} {_mw(k['province_winter_peak_MW'])}; "
            f"{w('city share of the provincial peak')} {100 * k['city_share_of_provincial_peak']:.1f} %",
            f"{w('from other provinces')}: {k['from_other_provinces_TWh']:.1f} TWh "
            f"({100 * k['from_other_provinces_share']:.1f} %), {w('at most')} "
            f"{k['from_other_provinces_max_MW']:,.0f} MW; {w('price')} "
            f"{k['province_average_price_CNY_per_MWh']:.1f} {u('CNY/MWh')} {w('average (demand-weighted)')}",
        ]
    if "peak_season" in ds and float(ds.peak_season.sum()) > 0:
        r = reserve_kpis(ds)
        lines += [
            f"{w('peak reserve')}: {r['min_margin_%']:.1f} % {w('least firm margin in the peak seasons')}; "
            f"{w('shortfall')} {r['max_shortfall_MW']:,.0f} MW {w('at most, in')} {r['shortfall_hours']:.0f} "
            f"{u('h')} ({w('penalty')} {r['shortfall_penalty_MCNY']:,.1f} {u('MCNY')}, {w('in the total')}); "
            f"{w('reserve value')} {r['reserve_value_CNY_per_kW']:.1f} {u('CNY/kW')}"
        ]
    committed = commitment_table(ds, lang)
    if len(committed):
        lines += ["", w("unit commitment (thermal plants)"), table_text(committed, digits=1)]
    efficiency = efficiency_table(ds)
    if len(efficiency):
        efficiency.index = efficiency.index.map(tech_names(ds, lang))
        efficiency["fuel"] = efficiency.fuel.map(lambda f: w(str(f)))
        lines += [
            "",
            f"{w('fuel-burning fleets, efficiency over the run')} (LHV; {w('heat')} = {w('steam')} × "
            f"{steam_heat_gj_per_t(ds):.2f} GJ/t)",
            table_text(efficiency.rename(columns=lambda c: tr(c, lang)).rename_axis(w("tech")), digits=1),
        ]
    if float(ds.steam_demand.sum()) > 0:
        steam = steam_kpis(ds)
        table = steam_table(ds).assign(name=lambda t: t.index.map(tech_names(ds, lang)))
        table = table.rename(columns={"electricity_GWh": "electricity_GWh_used"})
        lines += [
            "",
            w("steam"),
            table_text(table.rename(columns=lambda c: tr(c, lang)).rename_axis(w("tech")), digits=2),
            "",
            f"{w('steam demand')}: {steam['steam_demand_Mt']:.3f} Mt; "
            f"{w('unserved')} {steam['steam_unserved_t']:.1f} {u('t')}; "
            f"{w('average steam price')} {steam['average_steam_price_CNY_per_t']:.1f} {u('CNY/t')}",
        ]
    if ds.sizes.get("gas_source", 0):
        gas = gas_kpis(ds)
        lines += [
            "",
            w("gas pool"),
            table_text(gas_table(ds, lang).rename(columns=lambda c: tr(c, lang)), digits=1),
            "",
            f"{w('gas bought')}: {gas['gas_supply_1e4m3']:,.0f} {u('10^4 m3')}; {w('pool average cost')} "
            f"{gas['gas_pool_average_cost_CNY_per_m3']:.3f} {u('CNY/m3')}; {w('average price')} "
            f"{gas['gas_average_price_CNY_per_m3']:.3f} {u('CNY/m3')}; {w('city gas not supplied')} "
            f"{gas['gas_unserved_1e4m3']:.1f} {u('10^4 m3')}",
        ]
    return "\n".join(lines)
