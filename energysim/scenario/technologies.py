"""Technologies, a tagged union on ``kind``.

Power: ``thermal``, ``must_run``, ``variable``, ``storage``, ``grid``. Power and steam: ``chp``.
Steam: ``boiler`` (coal, gas or electric), ``heat_pump``, ``steam_storage``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from energysim.scenario.base import (
    Dispatch,
    Fraction,
    Fuelled,
    Located,
    NonNeg,
    Positive,
    PositiveFraction,
    Profile,
    SteamSited,
    Strict,
)

ELECTRICITY = "electricity"
"""The ``fuel`` of electric boilers: they draw from the power balance."""


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
    duration_hours: Positive = Field(description="energy / power, h")
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
    display_name_zh: str | None = None
    dispatch: Dispatch = "local"
    import_capacity_mw: NonNeg = Field(0.0, description="import limit, MW")
    export_capacity_mw: NonNeg = Field(0.0, description="export limit, MW")
    import_price_cny_per_mwh: PriceInput = Field(0.0, description="price paid for imports, CNY/MWh")
    export_price_cny_per_mwh: PriceInput = Field(0.0, description="price earned for exports, CNY/MWh")
    import_co2_t_per_mwh: NonNeg = Field(0.0, description="emission factor of imports, tCO2/MWh")
    green: bool = Field(False, description="green power bought cross-region: counts toward the renewable share")
    firm_capacity_credit: Fraction | None = Field(None, description="share of the import limit counted as firm")


class Chp(Fuelled):
    """Combined heat and power with a linear operating region in (power P MW, steam Q t/h).

    Extraction-condensing: P + β·Q ≤ a·K (steam extraction costs β MW of power per t/h) and P ≥ c·Q (the
    back-pressure line). Back-pressure units run on that line: P = c·Q. Fuel = heat rate × (P + β·Q).
    """

    kind: Literal["chp"]
    steam_capacity_t_per_h: NonNeg = Field(description="maximum steam output, t/h")
    power_loss_mw_per_t_per_h: NonNeg = Field(
        0.12, description="β: power given up per t/h of steam extracted, MW per t/h"
    )
    min_power_mw_per_t_per_h: NonNeg = Field(
        0.0, description="c: least power produced per t/h of steam (back-pressure line), MW per t/h"
    )
    back_pressure: bool = Field(False, description="run on the back-pressure line: P = c·Q")
    min_stable_fraction: Fraction = Field(0.0, description="minimum of P + β·Q, share of available capacity")

    @model_validator(mode="after")
    def _no_expansion(self) -> Chp:
        if self.max_new_mw > 0:
            raise ValueError("CHP expansion is not modelled: set `max_new_mw` to 0 and add boilers instead")
        if self.back_pressure and self.min_power_mw_per_t_per_h <= 0:
            raise ValueError("a back-pressure CHP needs `min_power_mw_per_t_per_h` > 0 (its power-to-steam ratio)")
        return self


class Boiler(SteamSited):
    """Steam boiler burning a fuel from ``fuels``, or ``fuel: electricity`` (electrode boiler)."""

    kind: Literal["boiler"]
    fuel: str = Field(description="fuel name from `fuels`, or `electricity`")
    efficiency: PositiveFraction = Field(description="steam heat out / fuel (or electricity) in, 1")
    unit_size_t_per_h: Positive | None = Field(
        None, description="size of each unit, t/h (size class for phase-out policies)"
    )
    min_stable_fraction: Fraction = Field(0.0, description="minimum output, share of available capacity")
    fuel_price_cny_per_gj: NonNeg | None = Field(None, description="overrides the fuel's price, CNY/GJ")


class HeatPump(SteamSited):
    """Industrial heat pump raising steam from electricity with a coefficient of performance."""

    kind: Literal["heat_pump"]
    cop: Annotated[float, Field(gt=0, le=10)] = Field(description="steam heat out / electricity in, 1")


class SteamStorage(SteamSited):
    """Steam accumulator: charges and discharges at up to ``capacity_t_per_h``, stores ``storage_hours`` of it."""

    kind: Literal["steam_storage"]
    storage_hours: Positive = Field(description="stored steam / charge rate, h")
    loss_per_hour: Annotated[float, Field(ge=0, lt=1)] = Field(0.01, description="share lost per hour, 1/h")


class DemandShift(Located):
    """Virtual power plant: shiftable load, energy-neutral within each window of ``window_hours``.

    ``capacity_mw`` is the most load that can be moved up or down in an hour; ``variable_om_cny_per_mwh`` is
    paid per MWh moved down (the call).
    """

    kind: Literal["demand_shift"]
    window_hours: Annotated[int, Field(ge=2, le=168)] = Field(24, description="load moved returns within, h")


class DemandCurtail(Located):
    """Virtual power plant: curtailable load, paid ``variable_om_cny_per_mwh`` per MWh not consumed.

    The LP cannot count events, so events × hours per event bound the energy curtailed in the year (and so do
    ``max_hours_per_year`` at full capacity, if tighter).
    """

    kind: Literal["demand_curtail"]
    max_events_per_year: Annotated[int, Field(ge=0)] = Field(15, description="calls per year")
    max_hours_per_event: Positive = Field(4.0, description="hours per call, h")
    max_hours_per_year: Positive | None = Field(None, description="full-capacity hours per year, h")


POWER_KINDS = ("thermal", "must_run", "variable", "storage", "grid", "chp", "demand_shift", "demand_curtail")
VPP_KINDS = ("demand_shift", "demand_curtail")
STEAM_KINDS = ("chp", "boiler", "heat_pump", "steam_storage")

Technology = Annotated[
    Thermal
    | MustRun
    | Variable
    | Storage
    | Grid
    | Chp
    | Boiler
    | HeatPump
    | SteamStorage
    | DemandShift
    | DemandCurtail,
    Field(discriminator="kind"),
]
