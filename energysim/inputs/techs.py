"""Technologies → one row per tech with every parameter in model units, plus their hourly in-service share."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energysim import units as u
from energysim.inputs.common import capital_recovery_factor
from energysim.scenario import Scenario
from energysim.scenario.technologies import (
    ELECTRICITY,
    POWER_KINDS,
    Boiler,
    Chp,
    DemandCurtail,
    DemandShift,
    Grid,
    HeatPump,
    SteamStorage,
    Storage,
    Thermal,
)

TECH_DEFAULTS: dict[str, object] = {
    "fuel": "",
    "pooled_fuel": 0.0,
    "heat_rate": 0.0,
    "fuel_price": 0.0,
    "fuel_co2": 0.0,
    "co2_intensity": 0.0,
    "capacity_existing": 0.0,
    "export_capacity": 0.0,
    "max_new_capacity": 0.0,
    "annualised_capex": 0.0,
    "fixed_om": 0.0,
    "variable_om": 0.0,
    "min_stable_fraction": 0.0,
    "startup_cost": 0.0,
    "startup_fuel": 0.0,
    "unit_mw": 0.0,
    "min_up_hours": 1.0,
    "min_down_hours": 1.0,
    "deep_floor": np.nan,
    "deep_peaking_cost": 0.0,
    "ramp_fraction": 1.0,
    "duration_hours": 0.0,
    "efficiency_charge": 1.0,
    "efficiency_discharge": 1.0,
    "self_discharge": 0.0,
    "steam_capacity_existing": 0.0,
    "max_new_steam_capacity": 0.0,
    "annualised_steam_capex": 0.0,
    "steam_fixed_om": 0.0,
    "steam_variable_om": 0.0,
    "steam_fuel_rate": 0.0,
    "steam_power_use": 0.0,
    "chp_power_loss": 0.0,
    "chp_min_power": 0.0,
    "chp_back_pressure": 0.0,
    "chp_total_efficiency": 0.0,
    "unit_size": np.nan,
    "steam_storage_hours": 0.0,
    "steam_loss": 0.0,
    "firm_credit": 0.0,
    "shift_window": 0.0,
    "curtail_hours": 0.0,
    "curtail_event_hours": 0.0,
    "renewable": 0.0,
    "ets_covered": 0.0,
}

TECH_ATTRS = {  # column: (units, long_name)
    "tech_kind": ("", "technology kind"),
    "tech_region": ("", "region the technology is sited in"),
    "tech_dispatch": ("", "who dispatches it: local, or provincial (the local view accounts it to the province)"),
    "display_name": ("", "display name"),
    "display_name_zh": ("", "display name in Chinese"),
    "fuel": ("", "fuel burnt (empty: none; electric steam techs draw from the power balance)"),
    "pooled_fuel": (u.PU, "1 when the fuel comes from the gas pool (its cost is the pool's)"),
    "capacity_existing": (u.MW, "existing electric capacity (grid: import limit)"),
    "max_new_capacity": (u.MW, "maximum new electric capacity"),
    "annualised_capex": ("CNY/MW/yr", "annualised investment cost per MW"),
    "fixed_om": ("CNY/MW/yr", "fixed operation and maintenance cost per MW"),
    "variable_om": (u.CNY_PER_MWH, "variable operation and maintenance cost"),
    "heat_rate": ("GJ/MWh", "fuel per MWh of electricity (extraction CHP: of P + β·H; back-pressure: of P + H)"),
    "fuel_price": ("CNY/GJ", "fuel price (0 for pooled gas)"),
    "fuel_co2": ("tCO2/GJ", "CO2 per GJ of fuel burnt"),
    "co2_intensity": ("tCO2/MWh", "CO2 per MWh generated (grid: per MWh imported)"),
    "min_stable_fraction": (u.PU, "minimum stable output, share of online or available capacity"),
    "startup_cost": ("CNY/MW", "start-up cost per MW started (wear; the fuel is startup_fuel)"),
    "startup_fuel": ("GJ/MW", "fuel burnt per MW started"),
    "unit_mw": (u.MW, "size of each unit of a committed thermal plant"),
    "min_up_hours": ("h", "a started unit stays on at least this long"),
    "min_down_hours": ("h", "a stopped unit stays off at least this long"),
    "deep_floor": (u.PU, "deep peaking: lowest output of a committed unit (NaN: the normal minimum)"),
    "deep_peaking_cost": (u.CNY_PER_MWH, "cost per MWh of output below the normal minimum"),
    "ramp_fraction": ("1/h", "maximum ramp per hour, share of capacity"),
    "duration_hours": ("h", "storage energy-to-power ratio"),
    "efficiency_charge": (u.PU, "charging efficiency"),
    "efficiency_discharge": (u.PU, "discharging efficiency"),
    "self_discharge": ("1/h", "share of stored energy lost per hour"),
    "export_capacity": (u.MW, "export limit"),
    "steam_capacity_existing": (u.T_PER_H, "existing steam capacity"),
    "max_new_steam_capacity": (u.T_PER_H, "maximum new steam capacity"),
    "annualised_steam_capex": ("CNY/(t/h)/yr", "annualised investment cost per t/h of steam"),
    "steam_fixed_om": ("CNY/(t/h)/yr", "fixed O&M per t/h of steam capacity"),
    "steam_variable_om": (u.CNY_PER_T, "variable O&M per tonne of steam"),
    "steam_fuel_rate": ("GJ/t", "fuel per tonne of steam (extraction CHP: heat rate × power loss)"),
    "steam_power_use": ("MWh/t", "electricity per tonne of steam (electric boilers, heat pumps)"),
    "chp_power_loss": ("MW/(t/h)", "CHP power given up per t/h of steam extracted"),
    "chp_min_power": ("MW/(t/h)", "CHP least power per t/h of steam (back-pressure line)"),
    "chp_back_pressure": (u.PU, "1: a back-pressure CHP (runs on its back-pressure line)"),
    "chp_total_efficiency": (u.PU, "CHP: most (electricity + heat) / fuel in its operating region, LHV"),
    "unit_size": (u.T_PER_H, "boiler unit size (size class)"),
    "steam_storage_hours": ("h", "steam accumulator capacity / charge rate"),
    "steam_loss": ("1/h", "share of stored steam lost per hour"),
    "firm_credit": (u.PU, "firm credit κ: firm MW per MW of capacity available in the hour (peak-season reserve)"),
    "shift_window": ("h", "shiftable load returns within windows of this length"),
    "curtail_hours": ("h/yr", "curtailable load: full-capacity hours per year"),
    "curtail_event_hours": ("h", "curtailable load: hours of one call (an indivisible event)"),
    "renewable": (u.PU, "1: its output counts toward the renewable share"),
    "ets_covered": (u.PU, "1: pays the carbon price (covered by the national ETS)"),
}

PEAK_WINDOW_HOURS = 4.0
"""Default peak window (h) energy-limited resources must sustain to count fully (``policy.peak_reserve.window_hours``):
evening peaks of 2-4 h are the common planning convention for storage credits."""


def _peak_window(scenario: Scenario) -> float:
    """The peak window W of the scenario's reserve, h."""
    reserve = scenario.policy.peak_reserve
    return reserve.window_hours if reserve else PEAK_WINDOW_HOURS


def firm_credit(t: object, window_hours: float = PEAK_WINDOW_HOURS) -> float:
    """Firm credit κ, 1 (multiplied by the hour's availability, see :mod:`energysim.model.reserve`): the
    technology's own ``firm_capacity_credit``, else by kind — dispatchable plant and CHP 1, storage
    min(1, duration / W), shiftable load min(1, window / 2W), curtailable load 1 (within its call budget), grid
    imports 0 (a tie counts only what the scenario declares), variable renewables 1 (times the hour's capacity
    factor: what the modelled weather year gives in that hour)."""
    own = getattr(t, "firm_capacity_credit", None)
    if own is not None:
        return own
    kind = t.kind  # type: ignore[attr-defined]
    if kind in ("thermal", "must_run", "chp", "demand_curtail", "variable"):
        return 1.0
    if kind == "storage":
        return min(1.0, t.duration_hours / window_hours)  # type: ignore[attr-defined]
    if kind == "demand_shift":
        return min(1.0, t.window_hours / (2 * window_hours))  # type: ignore[attr-defined]
    return 0.0


def _crf(scenario: Scenario, tech: object) -> float:
    rate = getattr(tech, "discount_rate", None)
    rate = scenario.finance.discount_rate if rate is None else rate
    return capital_recovery_factor(rate, tech.lifetime_years)  # type: ignore[attr-defined]


def _fuel_fields(scenario: Scenario, tech: object) -> dict[str, object]:
    name = getattr(tech, "fuel", None)
    fuel = scenario.fuels.get(name or "")
    if fuel is None:
        return {}
    pooled = scenario.gas is not None and scenario.gas.fuel == name
    override = getattr(tech, "fuel_price_cny_per_gj", None)
    price = 0.0 if pooled else (override if override is not None else fuel.price_cny_per_gj)
    return {"fuel": name, "pooled_fuel": float(pooled), "fuel_price": price, "fuel_co2": fuel.co2_t_per_gj}


def _power_fields(scenario: Scenario, t: object) -> dict[str, object]:
    if isinstance(t, Grid):
        return {
            "capacity_existing": t.import_capacity_mw,
            "export_capacity": t.export_capacity_mw,
            "co2_intensity": t.import_co2_t_per_mwh,
            "min_stable_fraction": t.min_import_fraction,
        }
    capex = t.capex_cny_per_kw * u.KW_PER_MW  # type: ignore[attr-defined]
    row: dict[str, object] = {}
    if isinstance(t, Storage):
        capex += t.capex_cny_per_kwh * u.KW_PER_MW * t.duration_hours
        row |= {
            "duration_hours": t.duration_hours,
            "efficiency_charge": t.efficiency_charge,
            "efficiency_discharge": t.efficiency_discharge,
            "self_discharge": t.self_discharge_per_hour,
        }
    heat_rate = getattr(t, "heat_rate_gj_per_mwh", 0.0) if getattr(t, "fuel", None) else 0.0
    return row | {
        "capacity_existing": t.capacity_mw,  # type: ignore[attr-defined]
        "max_new_capacity": t.max_new_mw,  # type: ignore[attr-defined]
        "annualised_capex": capex * _crf(scenario, t),
        "fixed_om": t.fixed_om_cny_per_kw_year * u.KW_PER_MW,  # type: ignore[attr-defined]
        "variable_om": t.variable_om_cny_per_mwh,  # type: ignore[attr-defined]
        "heat_rate": heat_rate,
    }


def _steam_fields(scenario: Scenario, t: object) -> dict[str, object]:
    if isinstance(t, Chp):
        return chp_fields(t)
    row: dict[str, object] = {
        "steam_capacity_existing": t.capacity_t_per_h,  # type: ignore[attr-defined]
        "max_new_steam_capacity": t.max_new_t_per_h,  # type: ignore[attr-defined]
        "annualised_steam_capex": t.capex_cny_per_t_per_h * _crf(scenario, t),  # type: ignore[attr-defined]
        "steam_fixed_om": t.fixed_om_cny_per_t_per_h_year,  # type: ignore[attr-defined]
        "steam_variable_om": t.variable_om_cny_per_t,  # type: ignore[attr-defined]
    }
    if isinstance(t, Boiler):
        row["min_stable_fraction"] = t.min_stable_fraction
        row["unit_size"] = np.nan if t.unit_size_t_per_h is None else t.unit_size_t_per_h
        if t.fuel == ELECTRICITY:
            row["steam_power_use"] = u.STEAM_MWH_PER_T / t.efficiency
        else:
            row["steam_fuel_rate"] = u.STEAM_GJ_PER_T / t.efficiency
    elif isinstance(t, HeatPump):
        row["steam_power_use"] = u.STEAM_MWH_PER_T / t.cop
    elif isinstance(t, SteamStorage):
        row |= {"steam_storage_hours": t.storage_hours, "steam_loss": t.loss_per_hour}
    return row


def chp_fields(t: Chp) -> dict[str, float]:
    r"""A CHP's operating region and fuel in the model's (P MW, q t/h) terms, h = STEAM_MWH_PER_T MWh/t:

    - extraction: fuel GJ/h = HR·(P + β·h·q), so ``heat_rate`` = HR (3.6/η_e) and ``steam_fuel_rate`` = HR·β·h
      GJ/t; ``chp_power_loss`` = β·h and ``chp_min_power`` = c_m·h MW per t/h;
    - back-pressure: P = c_m·h·q and fuel GJ/h = 3.6·(P + h·q)/η_tot, so ``heat_rate`` = 3.6/η_tot and
      ``steam_fuel_rate`` = 3.6·h/η_tot GJ/t; no power loss.
    """
    h = u.STEAM_MWH_PER_T
    row = {
        "steam_capacity_existing": t.steam_capacity_t_per_h,
        "chp_min_power": t.back_pressure_mwe_per_mwth * h,
        "chp_back_pressure": float(t.mode == "back_pressure"),
        "chp_total_efficiency": t.total_efficiency,
    }
    if t.mode == "back_pressure":
        heat_rate = u.GJ_PER_MWH / t.total_efficiency
        return row | {"heat_rate": heat_rate, "chp_power_loss": 0.0, "steam_fuel_rate": heat_rate * h}
    beta = t.power_loss_mwe_per_mwth * h
    return row | {"chp_power_loss": beta, "steam_fuel_rate": t.heat_rate_gj_per_mwh * beta}


def _counts_as_renewable(scenario: Scenario, name: str, tech: object) -> bool:
    rule = scenario.policy.renewable_share
    if rule is None:
        return False
    return tech.kind in rule.kinds or name in rule.techs or bool(getattr(tech, "green", False))  # type: ignore[attr-defined]


def tech_table(scenario: Scenario) -> pd.DataFrame:
    """One row per technology, every parameter in model units (MW, t/h, CNY/MW/yr, CNY/t, GJ/t …)."""
    only_region = next(iter(scenario.regions)) if len(scenario.regions) == 1 else None
    rows = []
    for name, t in scenario.technologies.items():
        row = {
            **TECH_DEFAULTS,
            "tech": name,
            "tech_kind": t.kind,
            "tech_region": t.region or only_region,
            "tech_dispatch": t.dispatch,
            "display_name": t.display_name or name,
            "display_name_zh": t.display_name_zh or t.display_name or name,
        }
        row |= _fuel_fields(scenario, t)
        if t.kind in POWER_KINDS:
            row |= _power_fields(scenario, t)
        if t.kind in ("chp", "boiler", "heat_pump", "steam_storage"):
            row |= _steam_fields(scenario, t)
        if not isinstance(t, Grid):
            row["co2_intensity"] = row["heat_rate"] * row["fuel_co2"]  # type: ignore[operator]
        row["firm_credit"] = firm_credit(t, _peak_window(scenario))
        row["renewable"] = float(_counts_as_renewable(scenario, name, t))
        row["ets_covered"] = float(bool(getattr(t, "ets_covered", False)) and bool(getattr(t, "fuel", None)))
        if isinstance(t, DemandShift):
            row["shift_window"] = float(t.window_hours)
        if isinstance(t, DemandCurtail):
            hours = t.max_events_per_year * t.max_hours_per_event
            row["curtail_hours"] = min(hours, t.max_hours_per_year) if t.max_hours_per_year else hours
            row["curtail_event_hours"] = min(t.max_hours_per_event, row["curtail_hours"])
        for field, column in (
            ("min_stable_fraction", "min_stable_fraction"),
            ("startup_cost_cny_per_mw", "startup_cost"),
            ("startup_fuel_gj_per_mw", "startup_fuel"),
            ("min_up_hours", "min_up_hours"),
            ("min_down_hours", "min_down_hours"),
            ("deep_peaking_cost_cny_per_mwh", "deep_peaking_cost"),
            ("ramp_fraction_per_hour", "ramp_fraction"),
        ):
            if hasattr(t, field):
                row[column] = getattr(t, field)
        if isinstance(t, Thermal):
            row["unit_mw"] = t.unit_size_mw or max(t.capacity_mw, t.max_new_mw)
            row["deep_floor"] = np.nan if t.deep_peaking_floor_fraction is None else t.deep_peaking_floor_fraction
        rows.append(row)
    return pd.DataFrame(rows).set_index("tech")


def in_service(scenario: Scenario, time: pd.DatetimeIndex, techs: dict[str, object] | None = None) -> np.ndarray:
    """(time, tech) share of existing capacity in service: dates, and the coal-boiler phase-out (``techs``:
    these instead of the scenario's own)."""
    days = time.normalize()
    techs = scenario.technologies if techs is None else techs
    out = np.ones((len(time), len(techs)))
    phaseout = scenario.policy.coal_boiler_phaseout
    for j, t in enumerate(techs.values()):
        start = getattr(t, "available_from", None)
        end = getattr(t, "retired_from", None)
        if phaseout is not None and is_phased_out(scenario, t):
            end = min(end, phaseout.from_date) if end else phaseout.from_date
        if start is not None:
            out[days < pd.Timestamp(start), j] = 0.0
        if end is not None:
            out[days >= pd.Timestamp(end), j] = 0.0
    return out


def is_phased_out(scenario: Scenario, tech: object) -> bool:
    """A boiler burning the phase-out's fuel whose units are at or below its size threshold (a boiler without
    ``unit_size_t_per_h`` counts as one unit of its whole capacity)."""
    phaseout = scenario.policy.coal_boiler_phaseout
    if phaseout is None or not isinstance(tech, Boiler) or tech.fuel != phaseout.fuel:
        return False
    size = tech.unit_size_t_per_h if tech.unit_size_t_per_h is not None else tech.capacity_t_per_h
    return size <= phaseout.max_unit_size_t_per_h
