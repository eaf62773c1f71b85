"""The scenario a planner writes, as strict, frozen pydantic models; every field carries its unit.

Unknown keys are errors (``extra="forbid"``); cross-field rules live in model validators. Technologies
are a tagged union on ``kind``: ``thermal``, ``must_run``, ``variable``, ``storage``, ``grid``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

NonNeg = Annotated[float, Field(ge=0)]
Dispatch = Literal["local", "provincial"]
View = Literal["sited", "local"]
Fraction = Annotated[float, Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Field(gt=0, le=1)]


class Strict(BaseModel):
    """Base: frozen, unknown keys forbidden, no silent str→number coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, populate_by_name=False)


class Profile(Strict):
    """An hourly series read from a CSV file with a ``time`` column (hour-beginning timestamps)."""

    file: str = Field(description="CSV path (optionally .gz), relative to the scenario file")
    column: str = Field(description="name of the column holding the values")
    scale: Annotated[float, Field(gt=0)] = Field(1.0, description="multiplier applied to the values, 1")


class Demand(Profile):
    """Hourly electricity demand in MW, optionally rescaled to an annual energy and/or a peak."""

    annual_twh: Annotated[float, Field(gt=0)] | None = Field(
        None, description="rescale to this energy over a full year, TWh (prorated for short horizons)"
    )
    peak_mw: Annotated[float, Field(gt=0)] | None = Field(None, description="rescale to this peak, MW")


class Region(Strict):
    """A node with an hourly electricity balance."""

    demand: Demand


class Time(Strict):
    """The horizon: a calendar ``year``, or a ``start`` timestamp and a number of ``hours``."""

    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    start: dt.datetime | None = None
    hours: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Time:
        if self.year is None and self.start is None:
            raise ValueError("give either `year` or `start` (with `hours`)")
        if self.year is not None and self.start is not None:
            raise ValueError("give either `year` or `start`, not both")
        if self.start is not None and self.hours is None:
            raise ValueError("`start` needs `hours`")
        return self


class Expansion(Strict):
    """Fields shared by every technology that can be built (all optional: no expansion by default)."""

    max_new_mw: NonNeg = Field(0.0, description="upper bound on new capacity, MW (0 = no expansion)")
    capex_cny_per_kw: NonNeg = Field(0.0, description="overnight investment cost, CNY/kW")
    lifetime_years: Annotated[float, Field(gt=0)] = Field(25.0, description="economic lifetime, years")
    discount_rate: Fraction | None = Field(None, description="overrides finance.discount_rate, 1/yr")
    fixed_om_cny_per_kw_year: NonNeg = Field(0.0, description="fixed O&M on all capacity, CNY/kW/yr")
    variable_om_cny_per_mwh: NonNeg = Field(0.0, description="variable O&M on output, CNY/MWh")


class Located(Expansion):
    """Fields shared by every technology: where it is and how much exists."""

    region: str | None = Field(None, description="region name; may be omitted when there is one region")
    display_name: str | None = Field(None, description="name shown in tables and plots")
    dispatch: Dispatch = Field("local", description="`provincial`: left out of the local view")
    capacity_mw: NonNeg = Field(0.0, description="existing capacity, MW")
    available_from: dt.date | None = Field(None, description="existing capacity in service from this day")
    retired_from: dt.date | None = Field(None, description="existing capacity retired from this day")
    availability: Fraction = Field(1.0, description="share of capacity available (outages, derating), 1")

    @model_validator(mode="after")
    def _dates(self) -> Located:
        if self.available_from and self.retired_from and self.retired_from <= self.available_from:
            raise ValueError("`retired_from` must come after `available_from`")
        return self


class Fuelled(Located):
    """A technology that burns a fuel from the ``fuels`` table."""

    fuel: str | None = Field(None, description="fuel name from `fuels` (none: no fuel cost or CO2)")
    heat_rate_gj_per_mwh: NonNeg = Field(0.0, description="fuel input per MWh of electricity, GJ/MWh")
    fuel_price_cny_per_gj: NonNeg | None = Field(None, description="overrides the fuel's price, CNY/GJ")

    @model_validator(mode="after")
    def _fuel_needs_heat_rate(self) -> Fuelled:
        if self.fuel is not None and self.heat_rate_gj_per_mwh <= 0:
            raise ValueError("a technology with a `fuel` needs `heat_rate_gj_per_mwh` > 0")
        return self


class Thermal(Fuelled):
    """Dispatchable plant with an LP-relaxed minimum stable output, start-up cost and ramp limits."""

    kind: Literal["thermal"]
    min_stable_fraction: Fraction = Field(0.0, description="minimum output of online capacity, 1")
    startup_cost_cny_per_mw: NonNeg = Field(0.0, description="cost per MW of capacity started, CNY/MW")
    ramp_fraction_per_hour: PositiveFraction = Field(
        1.0, description="max change of output per hour, share of capacity, 1/h"
    )


class MustRun(Fuelled):
    """Plant that runs at (at least) a fixed share of its available capacity, e.g. nuclear."""

    kind: Literal["must_run"]
    min_stable_fraction: Fraction = Field(1.0, description="minimum output, share of available, 1")


class Variable(Located):
    """Variable renewable: output ≤ profile × capacity; the rest is curtailed."""

    kind: Literal["variable"]
    profile: Profile = Field(description="hourly capacity factor, 0–1")


class Storage(Located):
    """Electricity storage; energy capacity = power capacity × ``duration_hours``."""

    kind: Literal["storage"]
    duration_hours: Annotated[float, Field(gt=0)] = Field(description="energy / power, h")
    efficiency_charge: PositiveFraction = Field(0.95, description="charging efficiency, 1")
    efficiency_discharge: PositiveFraction = Field(0.95, description="discharging efficiency, 1")
    self_discharge_per_hour: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.0, description="share of stored energy lost per hour, 1/h"
    )
    capex_cny_per_kwh: NonNeg = Field(0.0, description="energy-part investment cost, CNY/kWh")


PriceInput = Annotated[float, Field(ge=-1e5, le=1e6)] | Profile


class Grid(Strict):
    """External grid: imports count as generation, exports as consumption."""

    kind: Literal["grid"]
    region: str | None = None
    display_name: str | None = None
    dispatch: Dispatch = "local"
    import_capacity_mw: NonNeg = Field(0.0, description="import limit, MW")
    export_capacity_mw: NonNeg = Field(0.0, description="export limit, MW")
    import_price_cny_per_mwh: PriceInput = Field(0.0, description="price paid for imports, CNY/MWh")
    export_price_cny_per_mwh: PriceInput = Field(0.0, description="price earned for exports, CNY/MWh")
    import_co2_t_per_mwh: NonNeg = Field(0.0, description="emission factor of imports, tCO2/MWh")


Technology = Annotated[Thermal | MustRun | Variable | Storage | Grid, Field(discriminator="kind")]


class Fuel(Strict):
    """A fuel: price and CO2 content per GJ (lower heating value)."""

    price_cny_per_gj: NonNeg
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


class Policy(Strict):
    """Emission policy; the basis says whether grid imports count."""

    co2_cap_t: NonNeg | None = Field(None, description="annual CO2 cap, tCO2 (prorated for short horizons)")
    co2_price_cny_per_t: NonNeg = Field(0.0, description="carbon price, CNY/tCO2")
    co2_basis: Literal["territorial", "consumption"] = Field(
        "territorial", description="territorial: sited plants only; consumption: plus grid imports"
    )


class Solver(Strict):
    """HiGHS options."""

    method: Literal["ipm", "simplex", "choose", "pdlp"] = "ipm"
    crossover: bool = True
    time_limit_s: Annotated[float, Field(gt=0)] = 3600.0
    threads: Annotated[int, Field(ge=1)] | None = None
    highs_options: dict[str, bool | int | float | str] = Field(default_factory=dict)


class Scenario(Strict):
    """A whole scenario file."""

    name: str
    description: str = ""
    view: View = Field(
        "sited",
        description="sited: every plant located in the regions; local: without provincially dispatched plants",
    )
    time: Time
    regions: dict[str, Region] = Field(min_length=1)
    technologies: dict[str, Technology] = Field(min_length=1)
    fuels: dict[str, Fuel] = Field(default_factory=dict)
    links: dict[str, Link] = Field(default_factory=dict)
    finance: Finance = Field(default_factory=Finance)
    policy: Policy = Field(default_factory=Policy)
    value_of_lost_load_cny_per_mwh: Annotated[float, Field(gt=0)] = Field(
        30000.0, description="cost of unserved energy, CNY/MWh"
    )
    solver: Solver = Field(default_factory=Solver)

    _source: Path | None = PrivateAttr(None)

    def in_view(self, view: View | None = None) -> Scenario:
        """This scenario seen in ``view`` (default: its own): the local view drops provincial plants."""
        view = view or self.view
        keep = {n: t for n, t in self.technologies.items() if view == "sited" or t.dispatch == "local"}
        copy = self.model_copy(update={"view": view, "technologies": keep})
        copy._source = self._source
        return copy

    @property
    def source(self) -> Path | None:
        """The YAML file this scenario was read from (profile paths are relative to it)."""
        return self._source
