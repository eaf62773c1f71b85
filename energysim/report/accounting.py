"""The city's energy and CO2 accounts in a results Dataset, each on a declared basis — the move from energy to
carbon dual control. Like every report, they read only the results Dataset: the scenario's ``accounting``
settings travel in its attrs (``grid_co2_t_per_mwh``, ``grid_co2_source``, ``feedstock_tce_per_year``,
``major_projects``) and the per-technology inputs ``tech_dispatch`` and ``renewable_power``.

**Whose is what.** Regions with ``role: city`` are the city; regions with ``role: province`` are the rest of the
provincial balance, solved in the same LP and reported apart (:func:`provincial_kpis`). The results' ``view`` says
which plants in the city are the city's own — the LP is the same in both views:

- ``sited``: every plant sited in the city's regions (Jiaxing PP, Qinshan, offshore wind, local CHPs, PV …);
- ``local``: only those the city dispatches (``dispatch: local``); the provincially dispatched plants sited in the
  city are accounted to the province, which sells their output back to the city like any other supply.

Grid techs (ties to outside) are never the city's own. What the city buys in hour t is what its demand needs beyond
the net output of a set of its plants: P_t = Σ (demand − unserved) − Σ_own (generation − consumption) over the
city's regions (negative: sold).

CO2 bases, t:

- **territorial**: the city's own plants and boilers in the view;
- **consumption**: the city's locally dispatched plants and boilers + its net purchased electricity (P over the
  year, with the locally dispatched plants as its own) × the grid-average emission factor — the national method for
  purchased electricity (ZJ facts §8). Provincially dispatched plants sited in the city belong to the province, so
  the sited and the local view give the same consumption-based CO2;
- **leakage** = consumption − territorial: CO2 the city causes outside its accounts (positive) or hosts for
  others (negative).

Energy, tce, on the dual-control basis (:func:`energy_rule` prints it): fossil fuels burnt by the city's own plants
and boilers in the view (gas as bought by the city's pool, city gas included) + their non-fossil power + net
purchases, electricity at its calorific equivalent 0.1229 tce/MWh (GB/T 2589-2020); then

- feedstock (发改环资〔2022〕803号) is out of the total and the intensity;
- major projects accounted separately (能耗单列, 发改环资〔2021〕1310号) are out of both: their fuel and non-fossil
  output leave the account and their output counts as purchased;
- new renewable power since the base year (发改运行〔2022〕1258号: its increase over the base year) is out of the
  total but stays in the intensity.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
import xarray as xr

from energysim import units as u
from energysim.report.i18n import Lang, grid_source, tr

TCE_PER_MWH_ELECTRICITY = 0.1229
"""Calorific equivalent of electricity, tce/MWh (GB/T 2589-2020: 0.1229 kgce/kWh)."""

GENERATING_KINDS = ("thermal", "must_run", "variable", "chp")
"""Kinds whose output is primary generation (storage, VPP and grid techs only move or buy electricity)."""


def _sum(var: xr.DataArray, mask: xr.DataArray) -> float:
    return float(var.where(mask, 0.0).sum())


def has_record(ds: xr.Dataset) -> bool:
    """Whether results carry the accounting record every CO2 and energy account needs: ``tech_dispatch`` and
    the grid factor ``grid_co2_t_per_mwh`` (results written before the accounting bases were recorded do not)."""
    return "tech_dispatch" in ds and "grid_co2_t_per_mwh" in ds.attrs


def _needs_record(ds: xr.Dataset) -> None:
    if not has_record(ds):
        raise ValueError(
            f"results of `{ds.attrs.get('scenario_name', '?')}` carry no accounting record (tech_dispatch, "
            "grid_co2_t_per_mwh): they were written before accounting bases were recorded; run the scenario again"
        )


def city_regions(ds: xr.Dataset) -> xr.DataArray:
    """(region) True for the city's regions (all regions in results without roles)."""
    if "region_role" not in ds:
        return xr.ones_like(ds.region, dtype=bool)
    return ds.region_role != "province"


def own_techs(ds: xr.Dataset, *, local: bool | None = None) -> xr.DataArray:
    """(tech) The city's own technologies: sited in its regions, not grid ties, and — in the local view, or with
    ``local=True`` — dispatched by the city (module docstring)."""
    in_city = ds.tech_region.isin(ds.region.values[city_regions(ds).values])
    own = in_city & (ds.tech_kind != "grid")
    if local if local is not None else ds.attrs.get("view") == "local":
        own = own & (ds.tech_dispatch != "provincial")
    return own


def purchases(ds: xr.Dataset, own: xr.DataArray | None = None) -> xr.DataArray:
    """(time) What the city buys, MW: its demand served less its own plants' net output (− sold); ``own`` defaults
    to :func:`own_techs` in the results' view."""
    own = own_techs(ds) if own is None else own
    net_own = (ds.generation - ds.consumption).where(own, 0.0).sum(["region", "tech"])
    return (ds.demand - ds.unserved).where(city_regions(ds), 0.0).sum("region") - net_own


def purchased_electricity_mwh(ds: xr.Dataset) -> float:
    """Net purchased electricity of the consumption basis, MWh: what the city consumes beyond what its locally
    dispatched plants generate (the same in both views)."""
    _needs_record(ds)
    return float(purchases(ds, own_techs(ds, local=True)).sum())


def co2_accounts(ds: xr.Dataset) -> dict[str, float]:
    """CO2 by basis, t: ``territorial`` (own plants in the view), ``own_plants`` (dispatch local),
    ``provincial_plants`` (territorial − own_plants), ``purchased_electricity`` (net purchased MWh × grid factor),
    ``consumption`` (own plants + purchased) and ``leakage`` (consumption − territorial)."""
    _needs_record(ds)
    emissions = ds.emissions.sum(["time", "region"])
    territorial = _sum(emissions, own_techs(ds))
    own = _sum(emissions, own_techs(ds, local=True))
    purchased = purchased_electricity_mwh(ds) * float(ds.attrs["grid_co2_t_per_mwh"])
    return {
        "territorial": territorial,
        "own_plants": own,
        "provincial_plants": territorial - own,
        "purchased_electricity": purchased,
        "consumption": own + purchased,
        "leakage": own + purchased - territorial,
    }


def co2_basis_text(ds: xr.Dataset, lang: Lang = "en") -> str:
    """Both CO2 bases of a run, in words (printed with every CO2 table), in ``lang``."""
    factor = float(ds.attrs.get("grid_co2_t_per_mwh", "nan"))
    return tr(
        "CO2 territorial: plants and boilers of the {view}; CO2 consumption basis: locally dispatched plants and "
        "boilers + net purchased electricity × {factor} tCO2/MWh ({source}); leakage = consumption − territorial",
        lang,
        view=tr(f"{ds.attrs.get('view', '?')} view", lang),
        factor=f"{factor:g}",
        source=grid_source(ds, lang),
    )


def renewable_power_mwh(ds: xr.Dataset) -> float:
    """Renewable electricity consumed under 1258号, MWh: output of the city's renewable techs in the view (wind,
    PV, the scenario's ``accounting.renewable_techs``), green grid ties in the city's regions, and green
    certificates bought. The province's renewables are not the city's."""
    certificates = float(ds.green_certificates) if "green_certificates" in ds else 0.0
    in_city = ds.tech_region.isin(ds.region.values[city_regions(ds).values])
    mine = own_techs(ds) | (in_city & (ds.tech_kind == "grid"))
    return _sum(ds.generation, (ds.renewable_power > 0) & mine) + certificates


def major_projects(ds: xr.Dataset) -> list[str]:
    """The city's own technologies (in the view) accounted separately (能耗单列), from its ``major_projects``
    attr."""
    own = own_techs(ds)
    return [
        t for t in json.loads(ds.attrs.get("major_projects", "[]")) if t in ds.tech.values and bool(own.sel(tech=t))
    ]


def energy_account(ds: xr.Dataset, base: xr.Dataset | None = None) -> dict[str, float]:
    """Energy use on the dual-control basis, tce (see the module docstring and :func:`energy_rule`).

    Keys: one per fuel burnt, ``non-fossil power``, ``net purchases``, ``feedstock (out)``,
    ``major projects (out)``, ``intensity basis`` (their sum, the rows marked out subtracted), ``new renewable
    power (out of the total)`` and ``total basis``. The last two need ``base`` (the base year's results): without
    it they are NaN. The base year's renewable power is scaled to this run's horizon (year fractions).
    """
    _needs_record(ds)
    own = own_techs(ds)
    fuel_gj = ds.fuel_use.sum(["time", "region"]).where(own, 0.0)
    pooled = ds.pooled_fuel > 0
    account: dict[str, float] = {}
    for name in sorted(set(ds.fuel.values[own.values].tolist()) - {""}):
        account[name] = _sum(fuel_gj, (ds.fuel == name) & ~pooled) / u.GJ_PER_TCE
    if ds.sizes.get("gas_source", 0):
        pool_fuel = str(ds.fuel.values[pooled.values][0]) if bool(pooled.any()) else "gas"
        account[pool_fuel] = account.get(pool_fuel, 0.0) + float(ds.gas_supply.sum()) * u.GJ_PER_MWH / u.GJ_PER_TCE
    net = (ds.generation - ds.consumption).sum(["time", "region"])
    primary = (ds.fuel == "") & ds.tech_kind.isin(GENERATING_KINDS) & own
    account["non-fossil power"] = _sum(net, primary) * TCE_PER_MWH_ELECTRICITY
    account["net purchases"] = float(purchases(ds).sum()) * TCE_PER_MWH_ELECTRICITY
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
        f"energy (tce, dual control): fossil fuels burnt by the city's own plants in the {ds.attrs.get('view', '?')} "
        f"view + their non-fossil power + net purchases, electricity at {TCE_PER_MWH_ELECTRICITY} tce/MWh "
        "(calorific equivalent, GB/T 2589-2020); new renewable power since the base year out of the total, kept in "
        "the intensity "
        f"(发改运行〔2022〕1258号); feedstock out of both (发改环资〔2022〕803号): {feedstock:,.0f} tce/yr; major "
        f"projects accounted separately (能耗单列): {projects}"
    )


_MEMO: ContextVar[dict[int, tuple[weakref.ref, tuple, dict[str, float]]] | None] = ContextVar(
    "intensities_memo", default=None
)
"""Intensities by Dataset identity while :func:`intensities_once` is open (None: not memoised); a context
variable, so threads (a Dask worker with several) each have their own."""
MEMO_ATTRS = ("grid_co2_t_per_mwh", "gdp_bn_cny", "year_fraction", "feedstock_tce_per_year", "major_projects", "view")
"""The attrs the intensities read: a change of any is noticed inside the block."""


@contextmanager
def intensities_once(memo: dict[int, tuple[weakref.ref, tuple, dict[str, float]]] | None = None) -> Iterator[None]:
    """Within the block, :func:`intensities` of one Dataset object is computed once (a robustness variant's KPIs
    and targets read the base year's and the variant's several times: 0.1 s each on a full year). The Datasets'
    variables must not change inside the block (a change of the attrs in :data:`MEMO_ATTRS` is noticed).

    ``memo``: a dict kept by the caller across blocks (a robustness worker's, so the base year's intensities are
    read once for all its variants; one per thread); entries of Datasets no longer alive are dropped when the block
    ends."""
    token = _MEMO.set(memo if memo is not None else {} if _MEMO.get() is None else _MEMO.get())
    try:
        yield
    finally:
        _MEMO.reset(token)
        if memo is not None:
            for key in [k for k, held in memo.items() if held[0]() is None]:  # the caller's memo: one thread's
                del memo[key]


def intensities(
    ds: xr.Dataset, *, co2: dict[str, float] | None = None, energy: dict[str, float] | None = None
) -> dict[str, float]:
    """Energy intensity (intensity basis, tce per 10⁴ CNY of GDP) and CO2 intensities on both bases (t per 10⁴
    CNY) over the horizon; NaN without GDP. GDP is annual, so it is prorated like every annual quantity.
    ``co2`` and ``energy``: :func:`co2_accounts` and :func:`energy_account` of ``ds`` when the caller already
    has them (each takes a tenth of a second on a full year)."""
    memo = _MEMO.get()
    if memo is not None and co2 is None and energy is None:
        attrs = tuple(str(ds.attrs.get(name)) for name in MEMO_ATTRS)
        held = memo.get(id(ds))
        if held is not None and held[0]() is ds and held[1] == attrs:
            return dict(held[2])
        out = _intensities(ds, None, None)
        memo[id(ds)] = (weakref.ref(ds), attrs, dict(out))
        return out
    return _intensities(ds, co2, energy)


def _intensities(ds: xr.Dataset, co2: dict[str, float] | None, energy: dict[str, float] | None) -> dict[str, float]:
    gdp = float(ds.attrs.get("gdp_bn_cny", 0.0)) * 1e5 * float(ds.attrs["year_fraction"])  # 10⁴ CNY
    if gdp <= 0:
        nan = float("nan")
        return {"energy_tce_per_1e4cny": nan, "co2_territorial_t_per_1e4cny": nan, "co2_consumption_t_per_1e4cny": nan}
    co2 = co2_accounts(ds) if co2 is None else co2
    energy = energy_account(ds) if energy is None else energy
    return {
        "energy_tce_per_1e4cny": energy["intensity basis"] / gdp,
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


def weather_year_note(ds: xr.Dataset, lang: Lang = "en") -> str:
    """ ", weather year K" for a run in a seeded weather year (``run --weather-year K``), else ""."""
    k = int(ds.attrs.get("weather_year", 0))
    return ", " + tr("weather year {k}", lang, k=k) if k else ""


def run_bases(ds: xr.Dataset, lang: Lang = "en") -> str:
    """One line naming a run's view, horizon and accounting settings (printed above target and comparison
    tables), in ``lang``."""
    solved, year = hours_of_year(ds)
    grid = f"{float(ds.attrs['grid_co2_t_per_mwh']):g}" if "grid_co2_t_per_mwh" in ds.attrs else "?"
    return tr(
        "{name}: {view}; {solved} of {year} h from {start} ({whole}); consumption-basis grid factor {grid} "
        "tCO2/MWh; major projects out of the energy account: {projects}",
        lang,
        name=ds.attrs.get("scenario_name", "?"),
        view=tr(f"{ds.attrs.get('view', '?')} view", lang),
        solved=solved,
        year=year,
        start=str(ds.time.values[0])[:10],
        whole=tr("full year" if is_full_year(ds) else "partial year", lang) + weather_year_note(ds, lang),
        grid=grid,
        projects=", ".join(major_projects(ds)) or tr("none", lang),
    )


def city_price(ds: xr.Dataset) -> xr.DataArray:
    """(time) The price the city buys and sells at, CNY/MWh: its regions' prices weighted by their demand."""
    city = city_regions(ds)
    demand = ds.demand.where(city, 0.0).sum("region")
    return (ds.price * ds.demand).where(city, 0.0).sum("region") / demand.where(demand > 0, 1.0)


def city_cost(ds: xr.Dataset) -> float:
    """What the city's energy costs, CNY: its own plants, its gas pool, its energy, steam and gas not supplied,
    and its net electricity purchases at its hourly price (sales earn it)."""
    city = city_regions(ds)
    own = float(ds.cost.where(own_techs(ds), 0.0).sum()) + float(ds.unserved_cost.where(city, 0.0).sum())
    own += float(ds.steam_unserved_cost.where(city, 0.0).sum()) if "steam_unserved_cost" in ds else 0.0
    for name in ("gas_cost", "gas_unserved_cost"):
        own += float(ds[name].sum()) if name in ds else 0.0
    return own + float((purchases(ds) * city_price(ds)).sum())


def city_kpis(ds: xr.Dataset, *, co2: dict[str, float] | None = None) -> dict[str, float]:
    """The city's headline numbers in the results' view (units in the keys): demand and peak, purchases and
    sales, CO2 by basis, what its energy costs (:func:`city_cost`), its average price. ``co2``:
    :func:`co2_accounts` of ``ds`` when the caller already has it."""
    city = city_regions(ds)
    demand = ds.demand.where(city, 0.0).sum("region")
    bought = purchases(ds)
    co2 = co2_accounts(ds) if co2 is None else co2
    price = city_price(ds)
    return {
        "demand_TWh": float(demand.sum()) / 1e6,
        "peak_demand_MW": float(demand.max()),
        "imports_TWh": float(bought.clip(min=0.0).sum()) / 1e6,
        "exports_TWh": float((-bought).clip(min=0.0).sum()) / 1e6,
        "import_share": float(bought.sum() / demand.sum()) if float(demand.sum()) else float("nan"),
        "co2_territorial_Mt": co2["territorial"] / 1e6,
        "co2_consumption_Mt": co2["consumption"] / 1e6,
        "co2_leakage_Mt": co2["leakage"] / 1e6,
        "city_cost_MCNY": city_cost(ds) / 1e6,
        "average_price_CNY_per_MWh": float((price * demand).sum() / demand.sum()) if float(demand.sum()) else 0.0,
        "peak_price_CNY_per_MWh": float(price.max()),
    }


def provincial_kpis(ds: xr.Dataset) -> dict[str, float]:
    """The province as a whole (all regions: the city and the rest): demand, summer and winter peaks, what other
    provinces supply (grid ties), the city's share of the provincial peak, the demand-weighted average price.
    Empty without a ``province`` region."""
    if bool(city_regions(ds).all()):
        return {}
    total = ds.demand.sum("region")
    city = ds.demand.where(city_regions(ds), 0.0).sum("region")
    month = ds.time.dt.month
    peak_hour = int(np.argmax(total.values))
    winter = total.where(month.isin([12, 1, 2]))
    summer = total.where(month.isin([6, 7, 8, 9]))
    grid = ds.tech_kind == "grid"
    infeed = ds.generation.where(grid, 0.0).sum(["region", "tech"]) - ds.consumption.where(grid, 0.0).sum(
        ["region", "tech"]
    )
    return {
        "province_demand_TWh": float(total.sum()) / 1e6,
        "province_summer_peak_MW": float(summer.max()) if bool(summer.notnull().any()) else float("nan"),
        "province_winter_peak_MW": float(winter.max()) if bool(winter.notnull().any()) else float("nan"),
        "province_peak_MW": float(total.max()),
        "from_other_provinces_TWh": float(infeed.sum()) / 1e6,
        "from_other_provinces_share": float(infeed.sum() / total.sum()),
        "from_other_provinces_max_MW": float(infeed.max()),
        "city_share_of_provincial_peak": float(city.isel(time=peak_hour) / total.isel(time=peak_hour)),
        "city_peak_to_provincial_peak": float(city.max() / total.max()),
        "province_average_price_CNY_per_MWh": float((ds.price * ds.demand).sum() / ds.demand.sum()),
    }
