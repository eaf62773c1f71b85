"""The scenario a planner writes, as strict, frozen pydantic models; every field carries its unit.

Unknown keys are errors (``extra="forbid"``); cross-field rules live in model validators. Technologies
(``technologies.py``) are a tagged union on ``kind``; the gas pool is in ``gas.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, model_validator

from energysim.scenario.base import ChineseName, DisplayName, Fraction, NonNeg, Positive, Profile, Strict, View
from energysim.scenario.gas import GasPool
from energysim.scenario.technologies import Technology

Seed = Annotated[int, Field(ge=0, lt=2**32)]
"""A random seed (numpy takes 0 … 2³² − 1)."""
MAX_HOURS = 10 * 8784
"""Longest horizon, h (ten years)."""


class Demand(Profile):
    """Hourly electricity demand in MW, optionally rescaled to an annual energy and/or a peak."""

    annual_twh: Annotated[float, Field(gt=0)] | None = Field(
        None, description="rescale to this energy over a full year, TWh (prorated for short horizons)"
    )
    peak_mw: Annotated[float, Field(gt=0)] | None = Field(None, description="rescale to this peak, MW")


class SteamDemand(Profile):
    """Hourly industrial steam demand in t/h, optionally rescaled to an annual mass."""

    annual_mt: Positive | None = Field(None, description="rescale to this mass over a full year, Mt")


class Region(Strict):
    """A node with an hourly electricity balance and, optionally, an hourly steam balance (a steam zone).

    ``role`` says whose region it is in the reports: a ``city`` region is the place the planner asks about (its
    demand, the plants sited in it, its CO2, its trade with the province); a ``province`` region is the rest of
    the provincial balance the city trades with, solved in the same LP and reported apart.
    """

    demand: Demand
    steam_demand: SteamDemand | None = None
    role: Literal["city", "province"] = Field(
        "city", description="city: reported as the city; province: the provincial balance the city trades with"
    )
    display_name: DisplayName | None = Field(None, description="name shown in tables and plots (default: the key)")
    display_name_zh: ChineseName | None = Field(
        None, description="Chinese name for `--lang zh` tables, plots and reports (default: display_name)"
    )


class Aggregate(Strict):
    """Solve on representative days (tsam), then read the answer back onto every hour of the year."""

    method: Literal["typical_days"] = "typical_days"
    days: Annotated[int, Field(ge=2, le=366)] = Field(description="number of typical days (before extreme days)")
    seed: Seed = Field(0, description="random seed, so the same days are picked every run")
    keep_extremes: bool = Field(True, description="add the days of peak demand and peak/lowest residual load")


class Time(Strict):
    """The horizon: a calendar ``year``, or a ``start`` timestamp and a number of ``hours``."""

    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    start: dt.datetime | None = None
    hours: Annotated[int, Field(ge=1, le=MAX_HOURS)] | None = Field(None, description="length of the horizon, h")
    aggregate: Aggregate | None = Field(None, description="solve on representative days (whole days only)")

    @model_validator(mode="after")
    def _one_way(self) -> Time:
        if self.year is None and self.start is None:
            raise ValueError("give either `year` or `start` (with `hours`)")
        if self.year is not None and self.start is not None:
            raise ValueError("give either `year` or `start`, not both")
        if self.start is not None and self.hours is None:
            raise ValueError("`start` needs `hours`")
        in_year = 8784 if calendar.isleap(self.year or 1) else 8760
        if self.year is not None and self.hours is not None and self.hours > in_year:
            raise ValueError(f"`hours` within the year: at most {in_year} in {self.year}, found {self.hours}")
        if self.aggregate is not None and self.hours is not None and self.hours % 24:
            raise ValueError(f"`aggregate` picks whole days: `hours` must be a multiple of 24, found {self.hours}")
        return self


class Fuel(Strict):
    """A fuel: price and CO2 content per GJ (lower heating value)."""

    price_cny_per_gj: NonNeg | None = Field(
        None, description="CNY/GJ; needed when a technology burns it, never for the gas pool's fuel (`gas.sources.*`)"
    )
    co2_t_per_gj: NonNeg = 0.0


class Link(Strict):
    """A transmission corridor between two regions; flows either way, losing ``loss_fraction``."""

    start: str = Field(alias="from")
    end: str = Field(alias="to")
    capacity_mw: NonNeg
    loss_fraction: Annotated[float, Field(ge=0, lt=1)] = 0.0

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Finance(Strict):
    """Discounting for annualised investment."""

    discount_rate: Fraction = Field(0.06, description="real discount rate, 1/yr")


class CoalBoilerPhaseout(Strict):
    """Shut every coal boiler whose units are at most ``max_unit_size_t_per_h`` from a date on."""

    max_unit_size_t_per_h: Positive = Field(35.0, description="size threshold, t/h (steam)")
    fuel: str = Field("coal", description="the fuel in `fuels` whose boilers are shut")
    from_date: dt.date = Field(alias="from", description="first day without those boilers")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PeakReserve(Strict):
    """Peak-season security (迎峰度夏/迎峰度冬): in every hour of the peak months, firm capacity must cover demand
    plus a margin; a shortfall is allowed at a penalty and reported. Firm capacity counts what can deliver in that
    hour: capacity × firm credit × availability × in-service share, energy-limited resources only what their
    energy sustains over ``window_hours``, CHP what its steam leaves (rules: energysim/model/reserve.py)."""

    margin: Fraction = Field(0.10, description="reserve above demand, share of demand")
    months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=lambda: [7, 8, 12, 1], description="peak-season months (default July-August, December-January)"
    )
    window_hours: Annotated[float, Field(gt=0, le=24)] = Field(
        4.0, description="peak window a storage or shiftable load must sustain to count fully, h"
    )
    shortfall_cost_cny_per_mw_h: Positive = Field(
        10000.0, description="penalty per MW of firm capacity missing, per hour, CNY/(MW·h)"
    )


class Certificates(Strict):
    """Cross-regional green certificates (绿证) that may be bought toward the renewable share."""

    price_cny_per_mwh: NonNeg = Field(description="certificate price, CNY/MWh")
    max_mwh_per_year: NonNeg | None = Field(None, description="most certificates available, MWh/yr")


class RenewableShare(Strict):
    """Renewable electricity as a share of consumption: local renewables, green imports and certificates count.

    Basis: consumption = electricity demand (final use; not storage losses or exports). Counted: technologies
    of the kinds in ``kinds`` (default variable renewables) and those named in ``techs``, grid techs with
    ``green: true``, and certificates bought.
    """

    min_share: Fraction = Field(description="renewable share of consumption, 1")
    kinds: list[str] = Field(default_factory=lambda: ["variable"], description="technology kinds that count")
    techs: list[str] = Field(default_factory=list, description="further technologies that count (e.g. hydro, biomass)")
    certificates: Certificates | None = None


class Policy(Strict):
    """Emission policy (the basis says whether grid imports count), the coal-boiler phase-out and the
    peak-season reserve."""

    co2_cap_t: NonNeg | None = Field(None, description="annual CO2 cap, tCO2 (prorated for short horizons)")
    co2_price_cny_per_t: NonNeg = Field(0.0, description="carbon price, CNY/tCO2")
    co2_basis: Literal["territorial", "consumption"] = Field(
        "territorial", description="territorial: sited plants only; consumption: plus grid imports"
    )
    coal_boiler_phaseout: CoalBoilerPhaseout | None = None
    peak_reserve: PeakReserve | None = None
    renewable_share: RenewableShare | None = None


class Economy(Strict):
    """Macro data for intensity accounting."""

    gdp_bn_cny: Positive = Field(description="gross domestic product of the year, bn CNY")


GRID_CO2_T_PER_MWH = 0.5500
"""Default grid-average emission factor for purchased electricity, tCO2/MWh: East China regional grid 2023, the
newest vintage read in its source (data/parameters.csv `grid_average_co2`)."""
GRID_CO2_SOURCE = "East China regional grid average 2023 (MEE/NBS electricity CO2 factors, published 2025-12-31)"
GRID_CO2_SOURCE_ZH = "华东区域电网2023年平均排放因子(生态环境部、国家统计局电力二氧化碳排放因子, 2025-12-31发布)"
""":data:`GRID_CO2_SOURCE` in Chinese."""


class Accounting(Strict):
    """How the reports account energy and CO2 (``README.md``, Accounting bases). Nothing here enters the model:
    the CO2 cap counts what ``policy.co2_basis`` says, the carbon price what ``ets_covered`` says.

    Consumption-based CO2 = emissions of the locally dispatched plants and boilers + net purchased electricity
    (consumed − generated by the city's own plants) × ``grid_co2_t_per_mwh``, the national method for purchased
    electricity; provincially dispatched plants sited here are the province's. The energy account follows the
    dual-control rules: new renewable power since the base year out of the total, kept in the intensity
    (发改运行〔2022〕1258号); feedstock out of both (发改环资〔2022〕803号); major projects accounted separately
    (能耗单列) out of both.
    """

    grid_co2_t_per_mwh: NonNeg = Field(
        GRID_CO2_T_PER_MWH, description="grid-average emission factor for purchased electricity, tCO2/MWh"
    )
    grid_co2_source: str = Field(GRID_CO2_SOURCE, description="where the factor comes from: grid, year, publication")
    grid_co2_source_zh: ChineseName | None = Field(
        None,
        description="the source in Chinese, for `--lang zh` (default: the default source's Chinese, or the source)",
    )

    def source_zh(self) -> str:
        """``grid_co2_source`` in Chinese: as given, else the default source's translation, else the source."""
        if self.grid_co2_source_zh:
            return self.grid_co2_source_zh
        return GRID_CO2_SOURCE_ZH if self.grid_co2_source == GRID_CO2_SOURCE else self.grid_co2_source

    renewable_techs: list[str] = Field(
        default_factory=list,
        description="further technologies whose power is renewable under 1258号 (hydro, biomass, waste-to-energy, "
        "geothermal); wind and PV (`kind: variable`) and green grid imports always are",
    )
    feedstock_tce_per_year: NonNeg = Field(
        0.0, description="energy used as feedstock within the modelled fuels, tce/yr (prorated); out of the account"
    )
    major_projects: list[str] = Field(
        default_factory=list,
        description="technologies accounted separately (能耗单列): their fuel is out of the city's energy account and "
        "their output counts as purchased",
    )


class WarmStart(Strict):
    """Start the full year from a typical-day model's capacities (the full-year LP is still solved to optimality)."""

    days: Annotated[int, Field(ge=2, le=366)] = Field(12, description="typical days (plus extreme days) solved first")
    seed: Seed = Field(0, description="random seed of the day picking")
    oversize: Annotated[float, Field(ge=0, le=1)] = Field(
        0.1, description="first full-year pass at the typical days' new capacities × (1 + oversize), capped at limits"
    )


class Solver(Strict):
    """HiGHS options."""

    method: Literal["ipm", "hipo", "simplex", "choose", "pdlp"] = Field(
        "simplex", description="HiGHS LP method; dual simplex measured fastest on energysim's LPs (benchmarks/)"
    )
    crossover: bool = Field(True, description="after interior point, cross over to a vertex (basic) solution")
    simplex_pricing: Literal["auto", "devex", "steepest_edge", "dantzig", "choose"] = Field(
        "auto",
        description="dual simplex pricing; auto: HiGHS's own choice (dual steepest edge here; 0.55-0.65 × devex's "
        "time on the provincial full-year LPs, benchmarks/); devex was faster on the Jiaxing-only LPs",
    )
    accept_primal_infeasibility: Annotated[float, Field(gt=0)] = Field(
        1e-5, description="largest row/bound violation accepted in an answer, in the row's unit (MW, t/h, tCO2)"
    )
    accept_dual_infeasibility: Annotated[float, Field(gt=0)] = Field(
        1e-3, description="largest reduced-cost violation accepted, CNY per unit (prices come from duals)"
    )
    time_limit_s: Annotated[float, Field(gt=0)] = 3600.0
    threads: Annotated[int, Field(ge=1, le=256)] | None = None
    warm_start: WarmStart | None = Field(
        None, description="solve typical days first and start the full-year simplex from their capacities"
    )
    highs_options: dict[str, bool | int | float | str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _warm_start_needs_simplex(self) -> Solver:
        if self.warm_start is not None and self.method not in ("simplex", "choose"):
            raise ValueError(
                f"`warm_start` restarts simplex from a basis: set `method: simplex`, found `{self.method}`"
            )
        return self


class Scenario(Strict):
    """A whole scenario file."""

    name: str
    description: str = ""
    view: View = Field(
        "sited",
        description="how the city's results are attributed (not what is solved): sited: every plant located in "
        "the city's regions is the city's; local: the provincially dispatched ones are the province's",
    )
    time: Time
    regions: dict[str, Region] = Field(min_length=1)
    technologies: dict[str, Technology] = Field(min_length=1)
    fuels: dict[str, Fuel] = Field(default_factory=dict)
    links: dict[str, Link] = Field(default_factory=dict)
    finance: Finance = Field(default_factory=Finance)
    policy: Policy = Field(default_factory=Policy)
    value_of_lost_load_cny_per_mwh: Annotated[float, Field(gt=0)] | None = Field(
        30000.0,
        description="cost of unserved energy, CNY/MWh; null: no demand may go unserved (a shortfall makes the run "
        "infeasible, with the hours and MW short)",
    )
    value_of_lost_steam_cny_per_t: Positive = Field(3000.0, description="cost of steam not supplied, CNY/t")
    gas: GasPool | None = None
    economy: Economy | None = None
    accounting: Accounting = Field(default_factory=Accounting)
    targets: str | None = Field(None, description="plan-target registry (YAML), relative to this file")
    base_results: str | None = Field(
        None, description="results file of the base year, for targets measured as a change (relative path)"
    )
    sweep: dict[str, list[Any]] | None = Field(
        None, description="key path → values: `energysim sweep` solves every combination (ignored by `run`)"
    )
    solver: Solver = Field(default_factory=Solver)
    commitment: Literal["linear", "integer", "off"] = Field(
        "linear",
        description="unit commitment of thermal plant: linear (clustered, relaxed), integer (whole units, a MIP; "
        "for short horizons) or off (no minimum output, start-ups or up/down times)",
    )
    commitment_block_hours: Literal[1, 2, 3, 4, 6, 8, 12, 24] = Field(
        24,
        description="plants whose minimum up and down times are both at least this many hours start and stop only "
        "at the first hour of a block (24: at midnight, a day-ahead on/off plan); 1 commits every hour",
    )

    _source: Path | None = PrivateAttr(None)
    _provenance: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _a_city(self) -> Scenario:
        if all(region.role == "province" for region in self.regions.values()):
            raise ValueError("at least one region must have `role: city` (the default): the reports are about it")
        return self

    def in_view(self, view: View | None = None) -> Scenario:
        """This scenario seen in ``view`` (default: its own). Views attribute results, they do not change the
        system solved: every technology stays where it is sited and the LP is the same in both views; only the
        accounting of the city's plants, CO2 and trade differs (:mod:`energysim.report.accounting`)."""
        copy = self.model_copy(update={"view": view or self.view})
        copy._source = self._source
        copy._provenance = self._provenance
        return copy

    @property
    def provenance(self) -> dict:
        """Key path (tuple) → where its value was written (file and line, or ``--set``)."""
        return self._provenance

    @property
    def source(self) -> Path | None:
        """The YAML file this scenario was read from (profile paths are relative to it)."""
        return self._source
