"""Steam, gas and fuel tables of a results Dataset, and the coal-boiler phase-out report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim import units as u
from energysim.report.i18n import Lang, gas_source_names, tech_names, tr, unit_name

T_PER_MT = 1e6


def steam_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per steam technology: capacity (t/h), new (t/h), steam (Mt), share (%), electricity drawn (GWh)."""
    steam = ds.steam_output.sum(["time", "region"])
    keep = (ds.steam_capacity.sum("region") > 0).values
    table = pd.DataFrame(
        {
            "name": ds.display_name.to_pandas(),
            "capacity_t/h": ds.steam_capacity.sum("region").to_pandas(),
            "new_t/h": ds.new_steam_capacity.sum("region").to_pandas(),
            "steam_Mt": (steam / T_PER_MT).to_pandas(),
            "share_%": (100 * steam / max(float(steam.sum()), 1e-12)).to_pandas(),
            "electricity_GWh": (
                ds.consumption.where(ds.steam_power_use > 0, 0).sum(["time", "region"]) / 1e3
            ).to_pandas(),
        }
    )
    return table[keep]


def gas_table(ds: xr.Dataset, lang: Lang = "en") -> pd.DataFrame:
    """Per gas source: its name in ``lang``, supply (10⁴ m³), share (%), average price (CNY/m³), use of the annual
    maximum and of the take-or-pay minimum (%, both prorated to the horizon)."""
    yf = float(ds.attrs["year_fraction"])
    volume = ds.gas_supply.sum("time")  # MWh
    cost = ds.gas_cost.sum("gas_cost_component")
    return pd.DataFrame(
        {
            "name": pd.Series(gas_source_names(ds, lang)),
            "supply_1e4m3": (volume / u.GAS_MWH_PER_1E4M3).to_pandas(),
            "share_%": (100 * volume / max(float(volume.sum()), 1e-12)).to_pandas(),
            "avg_price_CNY/m3": (cost / volume.where(volume > 0) * u.GAS_MWH_PER_1E4M3 / 1e4).to_pandas(),
            "of_max_%": (100 * volume / (ds.gas_max_annual * yf)).to_pandas(),
            "of_take_or_pay_%": (100 * volume / (ds.gas_take_or_pay * yf).where(ds.gas_take_or_pay > 0)).to_pandas(),
        }
    ).rename_axis(tr("gas_source", lang))


def fuel_table(ds: xr.Dataset) -> pd.DataFrame:
    """Per technology that burns fuel or draws power for steam: GJ, coal in tce and raw tonnes, gas in 10⁴ m³,
    electricity in MWh, CO2 in t."""
    gj = ds.fuel_use.sum(["time", "region"]).to_pandas()
    fuel = ds.fuel.to_pandas()
    coal = fuel == "coal"
    gas = ds.pooled_fuel.to_pandas() > 0
    electricity = ds.consumption.where(ds.steam_power_use > 0, 0).sum(["time", "region"]).to_pandas()
    table = pd.DataFrame(
        {
            "fuel": fuel.where(fuel != "", np.where(electricity > 0, "electricity", "")),
            "fuel_GJ": gj,
            "coal_tce": (gj / u.GJ_PER_TCE).where(coal, 0.0),
            "coal_t_raw": (gj / u.COAL_GJ_PER_T_RAW).where(coal, 0.0),
            "gas_1e4m3": (gj * u.MWH_PER_GJ / u.GAS_MWH_PER_1E4M3).where(gas, 0.0),
            "electricity_MWh": electricity,
            "CO2_t": ds.emissions.sum(["time", "region"]).to_pandas(),
        }
    )
    return table[(table.fuel_GJ > 0) | (table.electricity_MWh > 0)]


def steam_heat_gj_per_t(ds: xr.Dataset) -> float:
    """Heat per tonne of steam the run used, GJ/t (results without the attribute: the current constant)."""
    return float(ds.attrs.get("steam_heat_gj_per_t", u.STEAM_GJ_PER_T))


def efficiency_table(ds: xr.Dataset) -> pd.DataFrame:
    """Each fuel-burning fleet over the horizon, on the lower heating value: fuel in (TJ), electricity out (GWh),
    heat out (TJ, steam × the run's heat per tonne) and efficiency = (electricity × 3.6 + heat) / fuel (%);
    CHP also its total-efficiency limit (%). Energy out never exceeds fuel in (tested on every shipped scenario)."""
    fuel = ds.fuel_use.sum(["time", "region"]).to_pandas()  # GJ
    power = ds.generation.sum(["time", "region"]).to_pandas()  # MWh
    heat = ds.steam_output.sum(["time", "region"]).to_pandas() * steam_heat_gj_per_t(ds)  # GJ
    limit = ds.chp_total_efficiency.to_pandas() if "chp_total_efficiency" in ds else pd.Series(0.0, index=fuel.index)
    burning = (fuel > 0) & (ds.tech_kind.to_pandas() != "grid")
    table = pd.DataFrame(
        {
            "fuel": ds.fuel.to_pandas(),
            "fuel_TJ": fuel / 1e3,
            "electricity_GWh": power / 1e3,
            "heat_TJ": heat / 1e3,
            "efficiency_%": 100 * (power * u.GJ_PER_MWH + heat) / fuel.where(fuel > 0),
            "limit_%": (100 * limit).where(limit > 0),
        }
    )
    return table[burning]


def steam_kpis(ds: xr.Dataset) -> dict[str, float]:
    """Steam demand (Mt), unserved (t), demand-weighted average steam price (CNY/t)."""
    demand = ds.steam_demand
    weights = demand / max(float(demand.sum()), 1e-12)
    return {
        "steam_demand_Mt": float(demand.sum()) / T_PER_MT,
        "steam_unserved_t": float(ds.steam_unserved.sum()),
        "average_steam_price_CNY_per_t": float((ds.steam_price * weights).sum()),
    }


def gas_kpis(ds: xr.Dataset) -> dict[str, float]:
    """Gas bought (10⁴ m³), pool average cost and average gas price (CNY/m³), city gas not supplied (10⁴ m³)."""
    volume = float(ds.gas_supply.sum())
    per_m3 = u.GAS_MWH_PER_1E4M3 / 1e4  # MWh per m³
    return {
        "gas_supply_1e4m3": volume / u.GAS_MWH_PER_1E4M3,
        "gas_pool_average_cost_CNY_per_m3": float(ds.gas_cost.sum()) / max(volume, 1e-12) * per_m3,
        "gas_average_price_CNY_per_m3": float(ds.gas_price.mean()) * per_m3,
        "gas_unserved_1e4m3": float(ds.gas_unserved.sum()) / u.GAS_MWH_PER_1E4M3,
    }


def phaseout_report(without: xr.Dataset, with_policy: xr.Dataset, *, lang: Lang = "en") -> pd.DataFrame:
    """What the coal-boiler phase-out changes: the same scenario solved without and with the policy, in ``lang``.

    Rows: boilers removed (t/h), steam by technology (Mt), added electricity and gas demand, net purchased
    electricity, CO2 on both bases and the leakage between them (``report.accounting``), average steam price and
    total cost.
    """
    from energysim.report.accounting import co2_accounts, purchased_electricity_mwh

    removed = float((with_policy.steam_capacity_existing * with_policy.phased_out).sum())
    rows: dict[str, tuple[float, float, str]] = {"coal boilers removed": (0.0, removed, "t/h")}
    steam_before = without.steam_output.sum(["time", "region"]) / T_PER_MT
    steam_after = with_policy.steam_output.sum(["time", "region"]) / T_PER_MT
    for tech in with_policy.tech.values[(with_policy.steam_capacity.sum("region") > 0).values]:
        name = tech_names(with_policy, lang)[str(tech)]
        rows[f"{tr('steam', lang)}: {name}"] = (
            float(steam_before.sel(tech=tech)),
            float(steam_after.sel(tech=tech)),
            "Mt",
        )

    def electricity(ds: xr.Dataset) -> float:
        return float(ds.consumption.where(ds.steam_power_use > 0, 0).sum()) / 1e3

    def gas(ds: xr.Dataset) -> float:
        return float(ds.gas_use.sel(gas_consumer=[c for c in ds.gas_consumer.values if c != "city_gas"]).sum())

    rows["electricity for steam"] = (electricity(without), electricity(with_policy), "GWh")
    rows["gas for plants and boilers"] = (
        gas(without) / u.GAS_MWH_PER_1E4M3,
        gas(with_policy) / u.GAS_MWH_PER_1E4M3,
        "10^4 m3",
    )
    rows["electricity purchased (net)"] = (
        purchased_electricity_mwh(without) / 1e3,
        purchased_electricity_mwh(with_policy) / 1e3,
        "GWh",
    )
    before, after = co2_accounts(without), co2_accounts(with_policy)
    for key, label in (
        ("territorial", "CO2 territorial"),
        ("consumption", "CO2 consumption basis"),
        ("leakage", "CO2 leakage (consumption − territorial)"),
    ):
        rows[label] = (before[key] / 1e3, after[key] / 1e3, "kt")
    rows["average steam price"] = (
        steam_kpis(without)["average_steam_price_CNY_per_t"],
        steam_kpis(with_policy)["average_steam_price_CNY_per_t"],
        "CNY/t",
    )
    rows["total cost"] = (without.attrs["objective_cny"] / 1e6, with_policy.attrs["objective_cny"] / 1e6, "MCNY")
    table = pd.DataFrame(rows, index=["without", "with", "unit"]).T
    table.insert(2, "change", table["with"].astype(float) - table["without"].astype(float))
    if lang == "zh":
        table["unit"] = table.unit.map(lambda unit: unit_name(str(unit), lang))
        table = table.rename(index=lambda row: tr(row, lang), columns=PHASEOUT_COLUMNS_ZH)
    return table


PHASEOUT_COLUMNS_ZH = {"without": "不淘汰", "with": "淘汰", "change": "变化", "unit": "单位"}
