"""Energy and CO2 accounts of a results Dataset, each on a declared basis — the move from energy to carbon dual
control. Like every report, they read only the results Dataset: the scenario's ``accounting`` settings travel in
its attrs (``grid_co2_t_per_mwh``, ``grid_co2_source``, ``feedstock_tce_per_year``, ``major_projects``) and in the
per-technology inputs ``tech_dispatch`` and ``renewable_power``.

CO2 bases, t:

- **territorial**: the plants and boilers of the run's view (sited: every plant located in the regions; local:
  without the provincially dispatched ones); grid imports excluded.
- **consumption**: the city's own plants and boilers (``dispatch: local``) + net purchased electricity × the
  grid-average emission factor — the national method for purchased electricity (ZJ facts §8). Net purchased
  electricity is what the city consumes beyond what its own plants generate: net grid imports plus the net output
  of provincially dispatched plants sited here, which belong to the province. The sited and the local view
  therefore give the same consumption-based CO2 for the same consumers.
- **leakage** = consumption − territorial: CO2 the city causes outside its accounts (positive) or hosts for
  others (negative).

Energy, tce, on the dual-control basis (:func:`energy_rule` prints it): fossil fuels burnt in the view (coal by
plant and boiler; gas as bought by the pool, city gas included) + non-fossil power generated + net grid purchases,
electricity at its calorific equivalent 0.1229 tce/MWh (GB/T 2589-2020); then

- feedstock (发改环资〔2022〕803号) is out of the total and the intensity;
- major projects accounted separately (能耗单列, 发改环资〔2021〕1310号) are out of both: their fuel and non-fossil
  output leave the account and their output counts as purchased;
- new renewable power since the base year (发改运行〔2022〕1258号: its increase over the base year) is out of the
  total but stays in the intensity.
"""

from __future__ import annotations

import json

import pandas as pd
import xarray as xr

from energysim import units as u

TCE_PER_MWH_ELECTRICITY = 0.1229
"""Calorific equivalent of electricity, tce/MWh (GB/T 2589-2020: 0.1229 kgce/kWh)."""

GENERATING_KINDS = ("thermal", "must_run", "variable", "chp")
"""Kinds whose output is primary generation (storage, VPP and grid techs only move or buy electricity)."""


def _sum(var: xr.DataArray, mask: xr.DataArray) -> float:
    return float(var.where(mask, 0.0).sum())


def _needs_record(ds: xr.Dataset) -> None:
    if "tech_dispatch" not in ds or "grid_co2_t_per_mwh" not in ds.attrs:
        raise ValueError(
            f"results of `{ds.attrs.get('scenario_name', '?')}` carry no accounting record (tech_dispatch, "
            "grid_co2_t_per_mwh): they were written before accounting bases were recorded; run the scenario again"
        )


def purchased_electricity_mwh(ds: xr.Dataset) -> float:
    """Net purchased electricity, MWh: consumed beyond what the city's own plants generate = net grid imports +
    net output of the provincially dispatched plants in the view."""
    _needs_record(ds)
    outside = (ds.tech_kind == "grid") | (ds.tech_dispatch == "provincial")
    return _sum(ds.generation - ds.consumption, outside)


def co2_accounts(ds: xr.Dataset) -> dict[str, float]:
    """CO2 by basis, t: ``territorial``, ``own_plants`` (dispatch local), ``provincial_plants``,
    ``purchased_electricity`` (net purchased MWh × grid factor), ``consumption`` (own plants + purchased) and
    ``leakage`` (consumption − territorial)."""
    _needs_record(ds)
    emissions = ds.emissions.sum(["time", "region"])
    plant = ds.tech_kind != "grid"
    territorial = _sum(emissions, plant)
    own = _sum(emissions, plant & (ds.tech_dispatch == "local"))
    purchased = purchased_electricity_mwh(ds) * float(ds.attrs["grid_co2_t_per_mwh"])
    return {
        "territorial": territorial,
        "own_plants": own,
        "provincial_plants": territorial - own,
        "purchased_electricity": purchased,
        "consumption": own + purchased,
        "leakage": own + purchased - territorial,
    }


def co2_basis_text(ds: xr.Dataset) -> str:
    """Both CO2 bases of a run, in words (printed with every CO2 table)."""
    factor = float(ds.attrs.get("grid_co2_t_per_mwh", "nan"))
    return (
        f"CO2 territorial: plants and boilers of the {ds.attrs.get('view', '?')} view; CO2 consumption basis: "
        f"locally dispatched plants and boilers + net purchased electricity × {factor:g} tCO2/MWh "
        f"({ds.attrs.get('grid_co2_source', '?')}); leakage = consumption − territorial"
    )


def renewable_power_mwh(ds: xr.Dataset) -> float:
    """Renewable electricity consumed under 1258号, MWh: output of the renewable techs in the view (wind, PV,
    green grid imports, the scenario's ``accounting.renewable_techs``) + green certificates bought."""
    certificates = float(ds.green_certificates) if "green_certificates" in ds else 0.0
    return _sum(ds.generation, ds.renewable_power > 0) + certificates


def major_projects(ds: xr.Dataset) -> list[str]:
    """The technologies of ``ds`` accounted separately (能耗单列), from its ``major_projects`` attr."""
    return [t for t in json.loads(ds.attrs.get("major_projects", "[]")) if t in ds.tech.values]


def energy_account(ds: xr.Dataset, base: xr.Dataset | None = None) -> dict[str, float]:
    """Energy use on the dual-control basis, tce (see the module docstring and :func:`energy_rule`).

    Keys: one per fuel burnt, ``non-fossil power``, ``net grid purchases``, ``feedstock (out)``,
    ``major projects (out)``, ``intensity basis`` (their sum, the rows marked out subtracted), ``new renewable
    power (out of the total)`` and ``total basis``. The last two need ``base`` (the base year's results): without
    it they are NaN. The base year's renewable power is scaled to this run's horizon (year fractions).
    """
    _needs_record(ds)
    fuel_gj = ds.fuel_use.sum(["time", "region"])
    pooled = ds.pooled_fuel > 0
    account: dict[str, float] = {}
    for name in sorted(set(ds.fuel.values.tolist()) - {""}):
        account[name] = _sum(fuel_gj, (ds.fuel == name) & ~pooled) / u.GJ_PER_TCE
    if ds.sizes.get("gas_source", 0):
        pool_fuel = str(ds.fuel.values[pooled.values][0]) if bool(pooled.any()) else "gas"
        account[pool_fuel] = account.get(pool_fuel, 0.0) + float(ds.gas_supply.sum()) * u.GJ_PER_MWH / u.GJ_PER_TCE
    net = (ds.generation - ds.consumption).sum(["time", "region"])
    primary = (ds.fuel == "") & ds.tech_kind.isin(GENERATING_KINDS)
    account["non-fossil power"] = _sum(net, primary) * TCE_PER_MWH_ELECTRICITY
    account["net grid purchases"] = _sum(net, ds.tech_kind == "grid") * TCE_PER_MWH_ELECTRICITY
    account["feedstock (out)"] = -float(ds.attrs.get("feedstock_tce_per_year", 0.0)) * float(ds.attrs["year_fraction"])
    major = ds.tech.isin(major_projects(ds))
    inside = _sum(fuel_gj, major) / u.GJ_PER_TCE + _sum(net, major & primary) * TCE_PER_MWH_ELECTRICITY
    account["major projects (out)"] = -(inside - _sum(net, major) * TCE_PER_MWH_ELECTRICITY)
    account["intensity basis"] = sum(account.values())
    new = float("nan")
    if base is not None:
        scale = float(ds.attrs["year_fraction"]) / float(base.attrs["year_fraction"])
        new = max(0.0, renewable_power_mwh(ds) - renewable_power_mwh(base) * scale) * TCE_PER_MWH_ELECTRICITY
    account["new renewable power (out of the total)"] = -new
    account["total basis"] = account["intensity basis"] - new
    return account


def energy_rule(ds: xr.Dataset) -> str:
    """The dual-control rule the energy account of ``ds`` used, in words (printed with every energy figure)."""
    feedstock = float(ds.attrs.get("feedstock_tce_per_year", 0.0))
    projects = ", ".join(major_projects(ds)) or "none"
    return (
        f"energy (tce, dual control): fossil fuels burnt in the {ds.attrs.get('view', '?')} view + non-fossil "
        f"power + net grid purchases, electricity at {TCE_PER_MWH_ELECTRICITY} tce/MWh (calorific equivalent, "
        "GB/T 2589-2020); new renewable power since the base year out of the total, kept in the intensity "
        f"(发改运行〔2022〕1258号); feedstock out of both (发改环资〔2022〕803号): {feedstock:,.0f} tce/yr; major "
        f"projects accounted separately (能耗单列): {projects}"
    )


def intensities(ds: xr.Dataset) -> dict[str, float]:
    """Energy intensity (intensity basis, tce per 10⁴ CNY of GDP) and CO2 intensities on both bases (t per 10⁴
    CNY) over the horizon; NaN without GDP. GDP is annual, so it is prorated like every annual quantity."""
    gdp = float(ds.attrs.get("gdp_bn_cny", 0.0)) * 1e5 * float(ds.attrs["year_fraction"])  # 10⁴ CNY
    if gdp <= 0:
        nan = float("nan")
        return {"energy_tce_per_1e4cny": nan, "co2_territorial_t_per_1e4cny": nan, "co2_consumption_t_per_1e4cny": nan}
    co2 = co2_accounts(ds)
    return {
        "energy_tce_per_1e4cny": energy_account(ds)["intensity basis"] / gdp,
        "co2_territorial_t_per_1e4cny": co2["territorial"] / gdp,
        "co2_consumption_t_per_1e4cny": co2["consumption"] / gdp,
    }


def hours_of_year(ds: xr.Dataset) -> tuple[int, int]:
    """(hours solved, hours of the year they start in): equal for a full year."""
    start = pd.Timestamp(ds.time.values[0])
    return int(ds.sizes["time"]), 8784 if start.is_leap_year else 8760


def is_full_year(ds: xr.Dataset) -> bool:
    """Whether the run covers a whole year (typical-day runs do: their answer is read back onto every hour)."""
    solved, year = hours_of_year(ds)
    return solved >= year


def run_bases(ds: xr.Dataset) -> str:
    """One line naming a run's view, horizon and accounting settings (printed above target and comparison
    tables)."""
    solved, year = hours_of_year(ds)
    start = str(ds.time.values[0])[:10]
    horizon = f"{solved} of {year} h from {start}" + (" (full year)" if is_full_year(ds) else " (partial year)")
    grid = f"{float(ds.attrs['grid_co2_t_per_mwh']):g}" if "grid_co2_t_per_mwh" in ds.attrs else "?"
    return (
        f"{ds.attrs.get('scenario_name', '?')}: {ds.attrs.get('view', '?')} view; {horizon}; consumption-basis "
        f"grid factor {grid} tCO2/MWh; major projects out of the energy account: "
        f"{', '.join(major_projects(ds)) or 'none'}"
    )
