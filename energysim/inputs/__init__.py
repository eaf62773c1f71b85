"""Room 2: validated Scenario + profile files → input ``xr.Dataset`` with named dims and units.

The only room that reads profile files. Every array has named dims (``time``, ``region``, ``tech``, ``link``,
``gas_source`` …) and ``units``/``long_name`` attrs; the model reads nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from energysim import units as u
from energysim.errors import Problem, ScenarioError
from energysim.inputs.common import INPUT_ROLE, capital_recovery_factor, da
from energysim.inputs.gas import city_gas_demand, gas_attrs, gas_inputs
from energysim.inputs.reader import ProfileReader
from energysim.inputs.techs import TECH_ATTRS, in_service, is_phased_out, tech_table
from energysim.scenario import Scenario
from energysim.scenario.base import Profile
from energysim.scenario.technologies import Grid, Variable
from energysim.timeseries import RescaleError, rescale

INPUT_ATTRS = (
    "scenario_name",
    "view",
    "year_fraction",
    "value_of_lost_load_cny_per_mwh",
    "unserved_allowed",
    "value_of_lost_steam_cny_per_t",
    "value_of_lost_gas_cny_per_mwh",
    "gas_balance",
    "reserve_margin",
    "reserve_shortfall_cost_cny_per_mw_h",
    "gdp_bn_cny",
    "renewable_min_share",
    "certificate_price_cny_per_mwh",
    "certificate_max_mwh_per_year",
    "constraint_targets",
    "targets_file",
    "base_results_file",
    "co2_cap_t",
    "co2_price_cny_per_t",
    "co2_basis",
    "grid_co2_t_per_mwh",
    "grid_co2_source",
    "grid_co2_source_zh",
    "feedstock_tce_per_year",
    "major_projects",
    "solver_options",
    "aggregate",
    "scenario_resolved",
    "steam_heat_gj_per_t",
    "commitment",
    "commitment_block_hours",
    "weather_year",
)
"""Dataset attrs that belong to the inputs (kept when inputs are recovered from a results file)."""

HARD_SHORTFALL_PENALTY = 1e7
"""CNY/MWh on unserved energy when the scenario allows none (``value_of_lost_load_cny_per_mwh: null``): far above
any cost of serving it, so the LP only sheds load it cannot serve, and the run then stops as infeasible."""

__all__ = ["INPUT_ATTRS", "INPUT_ROLE", "build_inputs", "capital_recovery_factor", "horizon", "hours_in_year"]


def horizon(scenario: Scenario) -> pd.DatetimeIndex:
    """Hour-beginning timestamps of the scenario's declared horizon."""
    t = scenario.time
    if t.year is not None:
        start = pd.Timestamp(year=t.year, month=1, day=1)
        end = pd.Timestamp(year=t.year + 1, month=1, day=1)
        index = pd.date_range(start, end, freq="h", inclusive="left")
        return index[: t.hours] if t.hours else index
    return pd.date_range(pd.Timestamp(t.start), periods=t.hours, freq="h")


def hours_in_year(year: int) -> int:
    """8760, or 8784 in a leap year."""
    return 8784 if pd.Timestamp(year=year, month=1, day=1).is_leap_year else 8760


def _region_series(
    scenario: Scenario, reader: ProfileReader, full_year: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Electricity demand (MW) and steam demand (t/h) per region, rescaled over the declared horizon."""
    n_full = len(reader.index)
    share = n_full / full_year
    demand, steam = {}, {}
    for name, region in scenario.regions.items():
        key = f"regions.{name}.demand"
        values = reader.read(region.demand, key, lo=0.0)
        if values is not None:
            energy = region.demand.annual_twh * 1e6 * share if region.demand.annual_twh else None
            demand[name] = _rescaled(reader, key, values, energy_mwh=energy, peak_mw=region.demand.peak_mw)
            if demand[name].min() < 0:
                reader.problem(
                    f"regions.{name}.demand",
                    "targets that keep demand ≥ 0",
                    f"minimum {demand[name].min():.1f} MW after rescaling",
                    "the peak target is too high for this energy target and profile shape",
                )
        steam[name] = np.zeros(n_full)
        if region.steam_demand is not None:
            key = f"regions.{name}.steam_demand"
            values = reader.read(region.steam_demand, key, lo=0.0)
            mass = region.steam_demand.annual_mt * 1e6 * share if region.steam_demand.annual_mt else None
            if values is not None:
                steam[name] = _rescaled(reader, key, values, energy_mwh=mass)
    return demand, steam


def _rescaled(reader: ProfileReader, key: str, values: np.ndarray, **targets: float | None) -> np.ndarray:
    """The profile rescaled to its targets, or zeros and a recorded problem when they cannot be met."""
    try:
        return rescale(values, **targets)
    except RescaleError as exc:
        reader.problem(f"{key}.{exc.target}" if exc.target else key, exc.expected, exc.found, exc.hint)
        return np.zeros_like(values)


def _tech_series(scenario: Scenario, reader: ProfileReader) -> dict[str, dict[str, np.ndarray]]:
    """Hourly availability (1) of every tech — ``availability`` × ``availability_profile`` (× ``profile`` for
    variable renewables) — and import/export prices (CNY/MWh) of grid techs."""
    out: dict[str, dict[str, np.ndarray]] = {"availability": {}, "import_price": {}, "export_price": {}}
    for name, t in scenario.technologies.items():
        out["availability"][name] = _availability(t, f"technologies.{name}", reader)
        if isinstance(t, Grid):
            _grid_prices(t, name, reader, out)
    return out


def _availability(t: object, key: str, reader: ProfileReader) -> np.ndarray:
    """One tech's hourly available share; an unreadable profile gives zeros (its problem is recorded)."""
    n_full = len(reader.index)
    if isinstance(t, Variable):
        profile = reader.read(t.profile, f"{key}.profile", lo=0.0, hi=1.0)
        share = np.zeros(n_full) if profile is None else profile * t.availability
    else:
        share = np.full(n_full, getattr(t, "availability", 1.0))
    schedule = getattr(t, "availability_profile", None)
    if schedule is not None:
        values = reader.read(schedule, f"{key}.availability_profile", lo=0.0, hi=1.0)
        share = share * (np.zeros(n_full) if values is None else values)
    return share


def _grid_prices(t: Grid, name: str, reader: ProfileReader, out: dict[str, dict[str, np.ndarray]]) -> None:
    """A grid tech's hourly import and export prices into ``out``; refuses wash trades."""
    n_full = len(reader.index)
    key = f"technologies.{name}"
    unread = len(reader.problems)
    for field, series in (("import_price_cny_per_mwh", "import_price"), ("export_price_cny_per_mwh", "export_price")):
        value = getattr(t, field)
        if isinstance(value, Profile):
            read = reader.read(value, f"{key}.{field}")
            out[series][name] = np.zeros(n_full) if read is None else read  # None: a problem is recorded
        else:
            out[series][name] = np.full(n_full, float(value))
    if len(reader.problems) == unread and t.import_capacity_mw > 0:
        _no_wash_trades(reader, key, out["import_price"][name], out["export_price"][name], t.export_capacity_mw)


def _no_wash_trades(reader: ProfileReader, key: str, buy: np.ndarray, sell: np.ndarray, export_mw: float) -> None:
    """Refuse an export price above the import price in any hour: with both at their limits the LP would import
    and export through the same tie at once and book the difference as profit (a wash trade)."""
    if export_mw <= 0:
        return
    above = np.flatnonzero(sell > buy + 1e-9)
    if not len(above):
        return
    first = ", ".join(f"{reader.index[i]:%Y-%m-%d %H:00}" for i in above[:3])
    worst = int(above[np.argmax((sell - buy)[above])])
    reader.problem(
        f"{key}.export_price_cny_per_mwh",
        "an export price at most the import price in every hour (otherwise importing and exporting at once earns "
        "money: a wash trade)",
        f"higher in {len(above)} h (first {first}; by up to {sell[worst] - buy[worst]:,.1f} CNY/MWh at "
        f"{reader.index[worst]:%Y-%m-%d %H:00})",
        "lower the export price (e.g. scale it below the import price) or set `export_capacity_mw: 0`",
    )


def build_inputs(scenario: Scenario, *, hours: int | None = None) -> xr.Dataset:
    """Resolve a scenario into the model's input Dataset.

    Demands are rescaled over the scenario's declared horizon, then the first ``hours`` hours are kept, so a
    short run sees the same hourly values as the full one. ``year_fraction`` (attr) = hours kept / hours
    in the start year; annual quantities (capex, fixed O&M, CO2 cap, gas volumes) are multiplied by it.
    """
    scenario = scenario.in_view()
    if not scenario.technologies:
        file = str(scenario.source or "<scenario>")
        found = "none: every technology has `dispatch: provincial`"
        hint = "use the sited view, or add the city's own resources"
        raise ScenarioError([Problem(file, "view", "at least one technology in the local view", found, hint)])
    index = horizon(scenario)
    if hours is not None and not 1 <= hours <= len(index):
        raise ScenarioError(
            [
                Problem(
                    "--hours",
                    "hours",
                    f"1 to {len(index)}, the hours of the scenario's horizon (`time`)",
                    str(hours),
                    "ask for fewer hours, or lengthen the horizon in `time`",
                )
            ]
        )
    reader = ProfileReader(scenario, index)
    full_year = hours_in_year(index[0].year)
    demand, steam = _region_series(scenario, reader, full_year)
    series = _tech_series(scenario, reader)
    city_gas = city_gas_demand(scenario, reader)
    if reader.problems:
        raise ScenarioError(reader.problems)

    keep = slice(0, min(hours, len(index)) if hours else len(index))
    time = index[keep]
    table = tech_table(scenario)
    techs = list(table.index)
    regions = list(scenario.regions)
    coords: dict[str, object] = {
        "time": ("time", time.values, {"long_name": "hour beginning"}),
        "region": regions,
        "tech": techs,
        "link": list(scenario.links),
    }
    arrays: dict[str, xr.Variable] = {}  # one Dataset at the end: no alignment per variable
    arrays["demand"] = da(
        np.column_stack([demand[r][keep] for r in regions]), ("time", "region"), u.MW, "electricity demand"
    )
    arrays["region_role"] = da(
        np.array([r.role for r in scenario.regions.values()], dtype=str),
        ("region",),
        "",
        "city: the place reported on; province: the provincial balance it trades with",
    )
    arrays["region_name"] = da(
        np.array([r.display_name or n for n, r in scenario.regions.items()], dtype=str), ("region",), "", "display name"
    )
    arrays["region_name_zh"] = da(
        np.array([r.display_name_zh or r.display_name or n for n, r in scenario.regions.items()], dtype=str),
        ("region",),
        "",
        "display name in Chinese",
    )
    arrays["steam_demand"] = da(
        np.column_stack([steam[r][keep] for r in regions]), ("time", "region"), u.T_PER_H, "industrial steam demand"
    )
    arrays["availability"] = da(
        np.column_stack([series["availability"][t][keep] for t in techs]),
        ("time", "tech"),
        u.PU,
        "available share of capacity (profile × availability)",
    )
    arrays["in_service"] = da(
        in_service(scenario, time), ("time", "tech"), u.PU, "share of existing capacity in service"
    )
    arrays["phased_out"] = da(
        np.array([float(is_phased_out(scenario, t)) for t in scenario.technologies.values()]),
        ("tech",),
        u.PU,
        "1: shut by the coal-boiler phase-out",
    )
    for col, (unit, long_name) in TECH_ATTRS.items():
        values = table[col].to_numpy()
        arrays[col] = da(
            values.astype(str) if values.dtype == object else values.astype(float), ("tech",), unit, long_name
        )
    for var, long_name in (
        ("import_price", "price paid for grid imports"),
        ("export_price", "price earned for grid exports"),
    ):
        prices = np.zeros((len(time), len(techs)))
        for t, values in series[var].items():
            prices[:, techs.index(t)] = values[keep]
        arrays[var] = da(prices, ("time", "tech"), u.CNY_PER_MWH, long_name)
    reserve = scenario.policy.peak_reserve
    season = np.isin(time.month, reserve.months) if reserve else np.zeros(len(time), bool)
    year = index[0].year
    added = [
        float(getattr(t, "available_from", None) is not None and t.available_from.year == year)
        for t in scenario.technologies.values()
    ]
    arrays["commissioned_in_year"] = da(
        np.array(added), ("tech",), u.PU, "1: existing capacity entering service this year"
    )
    arrays["peak_season"] = da(season.astype(float), ("time",), u.PU, "1 in the hours of the peak seasons")
    arrays.update(_link_inputs(scenario))
    arrays.update(_accounting_inputs(scenario))
    gas_coords, gas = gas_inputs(scenario, city_gas[keep])  # type: ignore[index]
    arrays.update(gas)
    ds = xr.Dataset(arrays, coords={**coords, **gas_coords}, attrs=gas_attrs(scenario))
    ds.attrs.update(_scalar_attrs(scenario, len(time), full_year))
    ds.attrs.update(_accounting_attrs(scenario))
    if scenario.time.aggregate is not None and hours is None:  # --hours runs the first hours at full resolution
        ds.attrs["aggregate"] = json.dumps(scenario.time.aggregate.model_dump())
    return ds


def _link_inputs(scenario: Scenario) -> dict[str, xr.Variable]:
    links = scenario.links.values()
    arrays: dict[str, xr.Variable] = {}
    arrays["link_from"] = da(np.array([x.start for x in links], dtype=str), ("link",), "", "sending region")
    arrays["link_to"] = da(np.array([x.end for x in links], dtype=str), ("link",), "", "receiving region")
    arrays["link_capacity"] = da(
        np.array([x.capacity_mw for x in links], float), ("link",), u.MW, "link capacity, each direction"
    )
    arrays["link_loss"] = da(
        np.array([x.loss_fraction for x in links], float), ("link",), u.PU, "share of the sent power lost"
    )
    return arrays


def _accounting_inputs(scenario: Scenario) -> dict[str, xr.Variable]:
    """Per technology, what the reports' accounting bases need: who dispatches it, and whether its power is
    renewable under 发改运行〔2022〕1258号 (wind and PV, green grid imports, ``accounting.renewable_techs``)."""
    techs = scenario.technologies
    listed = set(scenario.accounting.renewable_techs)
    renewable = [
        float(t.kind == "variable" or bool(getattr(t, "green", False)) or name in listed) for name, t in techs.items()
    ]
    return {
        "tech_dispatch": da(
            np.array([t.dispatch for t in techs.values()], dtype=str),
            ("tech",),
            "",
            "who dispatches it: local (the city) or provincial",
        ),
        "renewable_power": da(
            np.array(renewable), ("tech",), u.PU, "1: renewable power under 1258号 (wind, PV, hydro, biomass …)"
        ),
    }


def _accounting_attrs(scenario: Scenario) -> dict[str, object]:
    """The scenario's ``accounting`` settings as attrs (lists as JSON)."""
    acc = scenario.accounting
    return {
        "grid_co2_t_per_mwh": acc.grid_co2_t_per_mwh,
        "grid_co2_source": acc.grid_co2_source,
        "grid_co2_source_zh": acc.source_zh(),
        "feedstock_tce_per_year": acc.feedstock_tce_per_year,
        "major_projects": json.dumps(acc.major_projects),
    }


def _scalar_attrs(scenario: Scenario, n_hours: int, full_year: int) -> dict[str, object]:
    policy = scenario.policy
    attrs: dict[str, object] = {} if policy.co2_cap_t is None else {"co2_cap_t": policy.co2_cap_t}
    return attrs | {
        "gdp_bn_cny": scenario.economy.gdp_bn_cny if scenario.economy else 0.0,
        **_renewable_attrs(scenario),
        "constraint_targets": json.dumps(_constraint_targets(scenario)),
        "targets_file": _resolve(scenario, scenario.targets),
        "base_results_file": _resolve(scenario, scenario.base_results),
        "scenario_name": scenario.name,
        "view": scenario.view,
        "year_fraction": n_hours / full_year,
        "value_of_lost_load_cny_per_mwh": HARD_SHORTFALL_PENALTY
        if scenario.value_of_lost_load_cny_per_mwh is None
        else scenario.value_of_lost_load_cny_per_mwh,
        "unserved_allowed": int(scenario.value_of_lost_load_cny_per_mwh is not None),
        "value_of_lost_steam_cny_per_t": scenario.value_of_lost_steam_cny_per_t,
        "reserve_margin": policy.peak_reserve.margin if policy.peak_reserve else 0.0,
        "reserve_shortfall_cost_cny_per_mw_h": policy.peak_reserve.shortfall_cost_cny_per_mw_h
        if policy.peak_reserve
        else 0.0,
        "co2_price_cny_per_t": policy.co2_price_cny_per_t,
        "co2_basis": policy.co2_basis,
        "steam_heat_gj_per_t": u.STEAM_GJ_PER_T,
        "commitment": scenario.commitment,
        "commitment_block_hours": scenario.commitment_block_hours,
        "solver_options": json.dumps(scenario.solver.model_dump()),
        "scenario_resolved": json.dumps(scenario.model_dump(mode="json", by_alias=True), ensure_ascii=False),
    }


def _renewable_attrs(scenario: Scenario) -> dict[str, float]:
    """The renewable-share rule as attrs (certificate maximum −1: unlimited)."""
    rule = scenario.policy.renewable_share
    certs = rule.certificates if rule else None
    return {
        "renewable_min_share": rule.min_share if rule else 0.0,
        "certificate_price_cny_per_mwh": certs.price_cny_per_mwh if certs else 0.0,
        "certificate_max_mwh_per_year": (-1.0 if certs.max_mwh_per_year is None else certs.max_mwh_per_year)
        if certs
        else 0.0,
    }


def _resolve(scenario: Scenario, relative: str | None) -> str:
    """A path given relative to the scenario file, made absolute ("" when not given)."""
    if relative is None:
        return ""
    base = scenario.source.parent if scenario.source else Path.cwd()
    return str((base / relative).resolve())


def _constraint_targets(scenario: Scenario) -> list[dict[str, object]]:
    """Targets of the scenario's registry that the model must meet, as plain data for the model."""
    if scenario.targets is None:
        return []
    from energysim.scenario.targets import load_targets

    registry = load_targets(_resolve(scenario, scenario.targets))
    return [
        {"id": t.id, "techs": t.techs, "threshold": t.threshold} for t in registry.targets if t.kind == "constraint"
    ]
