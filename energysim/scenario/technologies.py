"""Technologies, a tagged union on ``kind``.

Power: ``thermal``, ``must_run``, ``variable``, ``storage``, ``grid``. Power and steam: ``chp``.
Steam: ``boiler`` (coal, gas or electric), ``heat_pump``, ``steam_storage``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from energysim.scenario.base import (
    ChineseName,
    Dispatch,
    DisplayName,
    Fraction,
    Fuelled,
    Located,
    NonNeg,
    Positive,
    PositiveFraction,
    Profile,
    SteamSited,
    Strict,
    rule_broken,
)

ELECTRICITY = "electricity"
"""The ``fuel`` of electric boilers: they draw from the power balance."""


class Thermal(Fuelled):
    """Dispatchable plant with unit commitment (clustered: committed units, start-ups, shut-downs; see
    :mod:`energysim.model.commitment`), a minimum stable output with optional deep peaking (深度调峰), start-up
    cost and fuel, minimum up and down times, and ramp limits."""

    kind: Literal["thermal"]
    min_stable_fraction: Fraction = Field(0.0, description="normal minimum output of a committed unit, 1")
    startup_cost_cny_per_mw: NonNeg = Field(0.0, description="cost per MW of capacity started (wear), CNY/MW")
    startup_fuel_gj_per_mw: NonNeg = Field(0.0, description="fuel burnt per MW started (LHV), GJ/MW")
    unit_size_mw: Positive | None = Field(
        None, description="size of each unit, MW (default: the whole capacity as one unit)"
    )
    min_up_hours: Annotated[int, Field(ge=1, le=168)] = Field(1, description="a started unit stays on at least, h")
    min_down_hours: Annotated[int, Field(ge=1, le=168)] = Field(1, description="a stopped unit stays off at least, h")
    deep_peaking_floor_fraction: Fraction | None = Field(
        None, description="深度调峰: lowest output of a committed unit, below the normal minimum, 1"
    )
    deep_peaking_cost_cny_per_mwh: NonNeg = Field(
        0.0, description="cost per MWh of output below the normal minimum (heat-rate rise and wear), CNY/MWh"
    )
    ramp_fraction_per_hour: PositiveFraction = Field(
        1.0, description="max change of output per hour, share of capacity, 1/h"
    )

    @model_validator(mode="after")
    def _commitment(self) -> Thermal:
        floor = self.deep_peaking_floor_fraction
        if floor is not None and floor >= self.min_stable_fraction:
            raise rule_broken(
                "`deep_peaking_floor_fraction` below `min_stable_fraction` (deep peaking goes under the minimum)",
                f"{floor:g} ≥ {self.min_stable_fraction:g}",
                "lower the floor, or leave it out",
            )
        if self.min_stable_fraction > self.availability:
            raise rule_broken(
                "`min_stable_fraction` at most `availability` (a committed unit must be able to run at its minimum)",
                f"{self.min_stable_fraction:g} > {self.availability:g}",
            )
        return self


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
    display_name: DisplayName | None = None
    display_name_zh: ChineseName | None = None
    dispatch: Dispatch = "local"
    availability_profile: Profile | None = Field(
        None, description="hourly share of the import limit available, 0–1 (e.g. a line's monthly schedule)"
    )
    import_capacity_mw: NonNeg = Field(0.0, description="import limit, MW")
    min_import_fraction: Fraction = Field(
        0.0,
        description="share of the available import limit taken every hour whatever the price (a priority or "
        "take-or-pay schedule, e.g. a hydro infeed), 1",
    )
    export_capacity_mw: NonNeg = Field(0.0, description="export limit, MW")
    import_price_cny_per_mwh: PriceInput = Field(0.0, description="price paid for imports, CNY/MWh")
    export_price_cny_per_mwh: PriceInput = Field(0.0, description="price earned for exports, CNY/MWh")
    import_co2_t_per_mwh: NonNeg = Field(0.0, description="emission factor of imports, tCO2/MWh")
    green: bool = Field(False, description="green power bought cross-region: counts toward the renewable share")
    firm_capacity_credit: Fraction | None = Field(None, description="share of the import limit counted as firm")


class Chp(Fuelled):
    r"""Combined heat and power: electricity P (MW) and heat H (MWth) from fuel F (MW, lower heating value).

    Heat is steam × the enthalpy rise of the stated steam condition, H = q · h (q t/h, h =
    :data:`energysim.units.STEAM_MWH_PER_T` MWh/t). Two standard operating regions (Danish Energy Agency
    technology catalogue; PyPSA-Eur's CHP links):

    - ``extraction`` (extraction-condensing): iso-fuel lines P + β·H = η_e·F with η_e = 3.6 / heat rate the
      condensing-mode efficiency, the back-pressure line P ≥ c_m·H, and F ≤ a·K/η_e (K = ``capacity_mw``,
      the condensing rating). Fuel F = (P + β·H)/η_e.
    - ``back_pressure``: P = c_m·H and P + H = η_tot·F, with P ≤ a·K. Fuel F = (P + H)/η_tot.

    Validation refuses parameters whose operating region delivers more than ``total_efficiency`` × fuel
    anywhere (for extraction units the worst point is on the back-pressure line: η_e·(1 + c_m)/(c_m + β)),
    and a steam capacity the region cannot reach.
    """

    kind: Literal["chp"]
    mode: Literal["extraction", "back_pressure"] = Field(
        "extraction", description="extraction-condensing (P + β·H = η_e·F, P ≥ c_m·H) or back-pressure (P = c_m·H)"
    )
    steam_capacity_t_per_h: NonNeg = Field(description="maximum steam output, t/h")
    power_loss_mwe_per_mwth: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.0, description="β (c_v): electricity given up per MW of heat extracted at constant fuel, MWe/MWth"
    )
    back_pressure_mwe_per_mwth: Positive = Field(
        description="c_m (c_b): electricity per MW of heat on the back-pressure line, MWe/MWth"
    )
    total_efficiency: PositiveFraction = Field(
        0.9, description="most (P + H)/F anywhere in the operating region, LHV, 1 (DEA: coal and CCGT CHP 0.90)"
    )
    min_stable_fraction: Fraction = Field(0.0, description="minimum fuel input, share of available fuel input, 1")

    @model_validator(mode="after")
    def _physical(self) -> Chp:
        from energysim.units import GJ_PER_MWH, STEAM_MWH_PER_T

        if self.max_new_mw > 0:
            raise ValueError("CHP expansion is not modelled: set `max_new_mw` to 0 and add boilers instead")
        beta, c_m, limit = self.power_loss_mwe_per_mwth, self.back_pressure_mwe_per_mwth, self.total_efficiency
        if self.mode == "back_pressure":
            if beta > 0:
                raise ValueError(
                    "`power_loss_mwe_per_mwth` does not apply to a back-pressure CHP (its power is c_m × heat): "
                    "remove it, or use `mode: extraction`"
                )
            if self.heat_rate_gj_per_mwh > 0:
                raise ValueError(
                    "`heat_rate_gj_per_mwh` does not apply to a back-pressure CHP (its fuel is (P + H) / "
                    "`total_efficiency`): remove it"
                )
            most_heat = self.capacity_mw / c_m
        else:
            if self.fuel is None:
                raise ValueError("an extraction CHP needs a `fuel` and its condensing `heat_rate_gj_per_mwh`")
            eta = GJ_PER_MWH / self.heat_rate_gj_per_mwh
            worst = eta * (1 + c_m) / (c_m + beta)
            if eta > limit or worst > limit * (1 + 1e-9):
                need = (eta - limit * beta) / (limit - eta) if eta < limit else float("inf")
                raise rule_broken(
                    f"a CHP that delivers at most `total_efficiency` ({limit:g}) of its fuel energy anywhere",
                    f"{worst:.0%} on its back-pressure line: η_e·(1 + c_m)/(c_m + β) with η_e = "
                    f"3.6/heat_rate_gj_per_mwh = {eta:.3f}, c_m = back_pressure_mwe_per_mwth = {c_m:g}, "
                    f"β = power_loss_mwe_per_mwth = {beta:g}",
                    f"raise `back_pressure_mwe_per_mwth` to at least {need:.3f}, or the heat rate",
                )
            most_heat = self.capacity_mw / (c_m + beta)
        most_steam = most_heat / STEAM_MWH_PER_T
        if self.steam_capacity_t_per_h > most_steam * (1 + 1e-6):
            line = "c_m + β" if self.mode == "extraction" else "c_m"
            raise rule_broken(
                f"`steam_capacity_t_per_h` at most what the CHP can raise, {most_steam:,.0f} t/h",
                f"{self.steam_capacity_t_per_h:g} t/h (at full fuel on its back-pressure line it makes "
                f"capacity_mw/({line}) = {most_heat:,.0f} MWth, ÷ {STEAM_MWH_PER_T:.4f} MWh/t)",
                "lower the steam capacity, or model the rest as boilers",
            )
        return self

    @model_validator(mode="after")
    def _fuel_needs_heat_rate(self) -> Chp:  # replaces Fuelled's rule: back-pressure units have no heat rate
        if self.fuel is None:
            raise ValueError("a CHP needs a `fuel`")
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
    ets_covered: bool = Field(
        False,
        description="pays the carbon price (industrial heat-only boilers are outside China's national ETS, which "
        "covers power, steel, cement and aluminium; set true for a boiler inside a covered plant)",
    )


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
