"""Building blocks of the scenario schema: strict frozen models, unit-carrying numeric types, profiles, and the
fields every sited technology shares."""

from __future__ import annotations

import datetime as dt
import types
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

NonNeg = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Fraction = Annotated[float, Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Field(gt=0, le=1)]
Dispatch = Literal["local", "provincial"]
View = Literal["sited", "local"]


def _has_chinese(name: str) -> str:
    if not any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in name):
        raise ValueError(f"a name in Chinese characters (e.g. 嘉兴, 液化天然气(LNG)), found {name!r}")
    return name


DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=r"^[^\n\r\t]*$")
]
"""A name shown in tables, figures and reports: one line of 1-80 characters."""
ChineseName = Annotated[DisplayName, AfterValidator(_has_chinese)]
"""A display name for ``--lang zh``: a :data:`DisplayName` with at least one Chinese character (a copy of the
English name is a mistake: the tables would show it as if it were Chinese)."""


MAX_MAGNITUDE = 1e12
"""Largest size of any number in a scenario (in its own unit: MW, CNY/kW, tCO2 …). Beyond it a value is a typo or
a test of the tool, and HiGHS would read it as infinite (≥ 1e20) once multiplied by hours and prices."""
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""Years a date may fall in (hourly timestamps cover 1677-2262; a scenario means neither end)."""
MIN_MAGNITUDE = 1e-12
"""Smallest size of a number other than 0: energysim divides by some (an efficiency of 1e-308 made the fuel per
tonne of steam infinite, and its cost NaN)."""


def rule_broken(expected: str, found: str, hint: str = "") -> ValueError:
    """A cross-field rule's error with its parts, so the loader reports expected, found and hint separately."""
    return ValueError(" ¦ ".join((expected, found, hint)))


class Strict(BaseModel):
    """Base: frozen, unknown keys forbidden, every number finite (no ``.inf``/``.nan``), of a size a scenario can
    mean (:data:`MAX_MAGNITUDE`), and a number where one is expected (``true`` is not 1 MW)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False, allow_inf_nan=False)
    _any_size: ClassVar[frozenset[str]] = frozenset()
    """Numeric fields whose values are passed through as they are (HiGHS options, random seeds)."""

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_as_numbers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = {f.alias or name: f for name, f in cls.model_fields.items()}
        return {
            key: _mark_bools(value, fields[key].annotation) if key in fields else value for key, value in data.items()
        }

    @field_validator("*", mode="after")
    @classmethod
    def _sizes_a_scenario_can_mean(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name not in cls._any_size and _out_of_size(value):
            raise ValueError(f"0, or a number between {MIN_MAGNITUDE:.0e} and {MAX_MAGNITUDE:.0e} in size")
        if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"a date in the years {FIRST_YEAR}-{LAST_YEAR}")
        return value


class _Boolean:
    """A ``true``/``false`` written where a number is expected: fails validation as "a valid number", found
    ``true`` (pydantic would otherwise read it as 1 or 0)."""

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return str(self.value).lower()


def _mark_bools(value: Any, annotation: Any) -> Any:
    """``value`` with every boolean that stands where ``annotation`` asks for a number marked as :class:`_Boolean`."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = get_args(annotation)
        if bool in members:
            return value
        for member in members:
            marked = _mark_bools(value, member)
            if marked is not value:
                return marked
        return value
    if annotation in (float, int):
        return _Boolean(value) if isinstance(value, bool) else value
    if origin is list and isinstance(value, list):
        items = [_mark_bools(v, get_args(annotation)[0]) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if origin is dict and isinstance(value, dict):
        marked = {k: _mark_bools(v, get_args(annotation)[1]) for k, v in value.items()}
        return marked if any(marked[k] is not value[k] for k in value) else value
    return value


def _out_of_size(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value != 0 and not MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE
    if isinstance(value, list):
        return any(_out_of_size(v) for v in value)
    return False


class Profile(Strict):
    """A series read from a CSV file: hourly with a ``time`` column (hour beginning), or daily with a ``date``
    column (a per-day quantity, spread evenly over the day's hours)."""

    file: str = Field(description="CSV path (optionally .gz), relative to the scenario file")
    column: str = Field(description="name of the column holding the values")
    scale: Positive = Field(1.0, description="multiplier applied to the values, 1")


class Sited(Strict):
    """Fields every technology shares: where it is, how it is shown, when it is in service, how it is financed."""

    region: str | None = Field(None, description="region name; may be omitted when there is one region")
    display_name: DisplayName | None = Field(None, description="name shown in tables and plots")
    display_name_zh: ChineseName | None = Field(
        None, description="Chinese name for `--lang zh` tables, plots and reports"
    )
    dispatch: Dispatch = Field(
        "local", description="`provincial`: dispatched by the province; the `local` view accounts it to the province"
    )
    available_from: dt.date | None = Field(None, description="existing capacity in service from this day")
    retired_from: dt.date | None = Field(None, description="existing capacity retired from this day")
    availability: Fraction = Field(1.0, description="share of capacity available (outages, derating), 1")
    availability_profile: Profile | None = Field(
        None,
        description="hourly available share, 0–1 (planned outages such as refuelling, a line's schedule); "
        "multiplies `availability` (and a variable renewable's `profile`)",
    )
    lifetime_years: Annotated[float, Field(ge=1, le=100)] = Field(
        25.0, description="economic lifetime, years (1-100: investment is annualised over it)"
    )
    discount_rate: Fraction | None = Field(None, description="overrides finance.discount_rate, 1/yr")
    firm_capacity_credit: Fraction | None = Field(
        None, description="share of capacity counted as firm at peak (default by kind, see scenarios/README.md)"
    )

    @model_validator(mode="after")
    def _dates(self) -> Sited:
        if self.available_from and self.retired_from and self.retired_from <= self.available_from:
            raise ValueError("`retired_from` must come after `available_from`")
        return self


class Located(Sited):
    """A technology whose capacity is electric (MW)."""

    capacity_mw: NonNeg = Field(0.0, description="existing capacity, MW")
    max_new_mw: NonNeg = Field(0.0, description="upper bound on new capacity, MW (0 = no expansion)")
    capex_cny_per_kw: NonNeg = Field(0.0, description="overnight investment cost, CNY/kW")
    fixed_om_cny_per_kw_year: NonNeg = Field(0.0, description="fixed O&M on all capacity, CNY/kW/yr")
    variable_om_cny_per_mwh: NonNeg = Field(0.0, description="variable O&M on output, CNY/MWh")


class Fuelled(Located):
    """A power technology that burns a fuel from the ``fuels`` table."""

    fuel: str | None = Field(None, description="fuel name from `fuels` (none: no fuel cost or CO2)")
    heat_rate_gj_per_mwh: NonNeg = Field(0.0, description="fuel input per MWh of electricity, GJ/MWh")
    fuel_price_cny_per_gj: NonNeg | None = Field(None, description="overrides the fuel's price, CNY/GJ")
    ets_covered: bool = Field(
        True, description="pays the carbon price (national ETS: power plants, captive plants and CHP are covered)"
    )

    @model_validator(mode="after")
    def _fuel_needs_heat_rate(self) -> Fuelled:
        if self.fuel is not None and self.heat_rate_gj_per_mwh <= 0:
            raise ValueError("a technology with a `fuel` needs `heat_rate_gj_per_mwh` > 0")
        return self

    @model_validator(mode="after")
    def _no_perpetual_motion(self) -> Fuelled:
        """Electricity out ≤ fuel in: a heat rate below 3.6 GJ/MWh is an efficiency above 100 %."""
        if 0 < self.heat_rate_gj_per_mwh < 3.6:
            raise rule_broken(
                "`heat_rate_gj_per_mwh` of at least 3.6 (electricity out ≤ fuel in)",
                f"{self.heat_rate_gj_per_mwh:g}, an electric efficiency of {3.6 / self.heat_rate_gj_per_mwh:.0%} "
                "(3.6 GJ/MWh ÷ heat rate)",
                "a heat rate is fuel in (GJ, LHV) per MWh out, e.g. 7.2 for a 50 % efficient plant",
            )
        return self


class SteamSited(Sited):
    """A technology whose capacity is steam output (t/h): boilers, heat pumps, steam accumulators."""

    capacity_t_per_h: NonNeg = Field(0.0, description="existing steam capacity, t/h")
    max_new_t_per_h: NonNeg = Field(0.0, description="upper bound on new steam capacity, t/h")
    capex_cny_per_t_per_h: NonNeg = Field(0.0, description="overnight investment cost, CNY per t/h")
    fixed_om_cny_per_t_per_h_year: NonNeg = Field(0.0, description="fixed O&M, CNY per t/h per year")
    variable_om_cny_per_t: NonNeg = Field(0.0, description="variable O&M per tonne of steam, CNY/t")
