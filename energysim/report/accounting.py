"""Energy and emission accounting by basis: energy use in tce by fuel, territorial and consumption-based CO2,
and their intensities per unit of GDP — the move from energy to carbon dual-control.

Bases (stated in every result):
- **territorial CO2**: plants and boilers sited in the regions (grid imports excluded).
- **consumption-based CO2**: territorial + CO2 embodied in grid imports (import factor) − CO2 embodied in exports
  (at the average CO2 intensity of local power generation).
- **energy use (dual-control basis)**: fossil fuels burnt on the territory (coal; gas bought by the pool, which
  includes city gas, plus any gas not from the pool) + net grid imports at the electricity calorific equivalent
  0.1229 tce/MWh (GB/T 2589-2020); non-fossil electricity is left out, as in China's dual-control rules since 2021.
"""

from __future__ import annotations

import xarray as xr

from energysim import units as u

TCE_PER_MWH_ELECTRICITY = 0.1229
"""Calorific equivalent of electricity, tce/MWh (GB/T 2589-2020: 0.1229 kgce/kWh)."""


def energy_use_tce(ds: xr.Dataset) -> dict[str, float]:
    """Energy use by fuel on the dual-control basis, tce."""
    fuel_gj = ds.fuel_use.sum(["time", "region"])
    by_fuel: dict[str, float] = {}
    pooled = ds.pooled_fuel > 0
    for name in sorted(set(ds.fuel.values.astype(str)) - {""}):
        own = fuel_gj.where((ds.fuel == name) & ~pooled, 0.0).sum()
        by_fuel[name] = float(own) / u.GJ_PER_TCE
    if ds.sizes.get("gas_source", 0):
        pool_fuel = str(ds.fuel.values[pooled.values][0]) if bool(pooled.any()) else "gas"
        by_fuel[pool_fuel] = by_fuel.get(pool_fuel, 0.0) + float(ds.gas_supply.sum()) * 3.6 / u.GJ_PER_TCE
    grid = ds.tech_kind == "grid"
    net_imports = float(ds.generation.where(grid, 0).sum() - ds.consumption.where(grid, 0).sum())
    by_fuel["electricity (net imports)"] = net_imports * TCE_PER_MWH_ELECTRICITY
    by_fuel["total"] = sum(by_fuel.values())
    return by_fuel


def co2_accounts(ds: xr.Dataset) -> dict[str, float]:
    """CO2 by basis, t: territorial, embodied in imports and in exports, consumption-based."""
    grid = ds.tech_kind == "grid"
    territorial = float(ds.emissions.where(~grid, 0).sum())
    imports = float(ds.emissions.where(grid, 0).sum())
    local = ~grid & (ds.tech_kind != "storage")
    power_co2 = float((ds.generation * ds.co2_intensity).where(local, 0).sum())
    power_mwh = float(ds.generation.where(local, 0).sum())
    exports = float(ds.consumption.where(grid, 0).sum()) * (power_co2 / power_mwh if power_mwh else 0.0)
    return {
        "territorial": territorial,
        "imports": imports,
        "exports": exports,
        "consumption": territorial + imports - exports,
    }


def intensities(ds: xr.Dataset) -> dict[str, float]:
    """Energy intensity (tce per 10⁴ CNY of GDP) and CO2 intensities (t per 10⁴ CNY) over the horizon; NaN
    without GDP. GDP is annual, so it is prorated like every annual quantity."""
    gdp = float(ds.attrs.get("gdp_bn_cny", 0.0)) * 1e5 * float(ds.attrs["year_fraction"])  # 10⁴ CNY
    if gdp <= 0:
        nan = float("nan")
        return {"energy_tce_per_1e4cny": nan, "co2_territorial_t_per_1e4cny": nan, "co2_consumption_t_per_1e4cny": nan}
    co2 = co2_accounts(ds)
    return {
        "energy_tce_per_1e4cny": energy_use_tce(ds)["total"] / gdp,
        "co2_territorial_t_per_1e4cny": co2["territorial"] / gdp,
        "co2_consumption_t_per_1e4cny": co2["consumption"] / gdp,
    }
