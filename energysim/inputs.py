"""Room 2: validated Scenario + profile CSVs → input ``xr.Dataset`` with named dims and units.

This is the only module that reads profile files. Every array has named dims (``time``, ``region``,
``tech``, ``link``) and ``units``/``long_name`` attrs; the model reads nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from energysim import units as u
from energysim.errors import Problem, ScenarioError
from energysim.scenario.schema import Grid, Profile, Scenario, Storage, Variable
from energysim.timeseries import rescale

INPUT_ROLE = "input"
INPUT_ATTRS = (
    "scenario_name",
    "view",
    "year_fraction",
    "value_of_lost_load_cny_per_mwh",
    "co2_cap_t",
    "co2_price_cny_per_t",
    "co2_basis",
    "solver_options",
    "scenario_resolved",
)
"""Dataset attrs that belong to the inputs (kept when inputs are recovered from a results file)."""


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


def capital_recovery_factor(rate: float, years: float) -> float:
    """Annuity per unit of investment, 1/yr: r(1+r)^n / ((1+r)^n − 1); 1/n when r = 0."""
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


class _ProfileReader:
    """Reads each CSV once and cuts it to the horizon; collects problems instead of raising."""

    def __init__(self, scenario: Scenario, index: pd.DatetimeIndex) -> None:
        self.base = scenario.source.parent if scenario.source else Path.cwd()
        self.file = str(scenario.source) if scenario.source else "<scenario>"
        self.index = index
        self.problems: list[Problem] = []
        self._tables: dict[Path, pd.DataFrame | None] = {}

    def _table(self, path: Path, key: str) -> pd.DataFrame | None:
        if path not in self._tables:
            table = None
            try:
                table = pd.read_csv(path)
            except FileNotFoundError:
                self._problem(
                    key + ".file",
                    "an existing CSV file",
                    f"no file at {path}",
                    "paths are relative to the scenario file",
                )
            except (OSError, ValueError, pd.errors.ParserError) as exc:
                self._problem(key + ".file", "a readable CSV file", type(exc).__name__, str(exc)[:80])
            if table is not None:
                table = self._with_time_index(table, path, key)
            self._tables[path] = table
        return self._tables[path]

    def _with_time_index(self, table: pd.DataFrame, path: Path, key: str) -> pd.DataFrame | None:
        if "time" not in table.columns:
            self._problem(
                key + ".file",
                "a `time` column of hour-beginning timestamps",
                f"columns {list(table.columns)[:6]} in {path.name}",
            )
            return None
        times = pd.to_datetime(table["time"], errors="coerce")
        if times.isna().any():
            bad = table["time"][times.isna()].iloc[0]
            self._problem(key + ".file", "timestamps in the `time` column", repr(bad), f"in {path.name}")
            return None
        if times.duplicated().any():
            self._problem(
                key + ".file",
                "unique timestamps",
                f"duplicate {times[times.duplicated()].iloc[0]}",
                f"in {path.name}",
            )
            return None
        return table.set_index(pd.DatetimeIndex(times)).drop(columns="time")

    def read(
        self, profile: Profile, key: str, *, lo: float | None = None, hi: float | None = None
    ) -> np.ndarray | None:
        """The profile's values on the horizon, or None (and a recorded problem)."""
        path = (self.base / profile.file).resolve()
        table = self._table(path, key)
        if table is None:
            return None
        if profile.column not in table.columns:
            self._problem(
                key + ".column",
                f"a column of {path.name}",
                repr(profile.column),
                f"columns are {', '.join(map(str, table.columns))}",
            )
            return None
        series = pd.to_numeric(table[profile.column], errors="coerce").reindex(self.index)
        missing = series.index[series.isna()]
        if len(missing):
            covered = f"{table.index.min()} to {table.index.max()} ({len(table)} rows)"
            self._problem(
                key,
                f"a number for every hour {self.index[0]} to {self.index[-1]} ({len(self.index)} h)",
                f"{len(missing)} hours missing or NaN, first {missing[0]}; file covers {covered}",
                "fill the gaps or shorten `time`",
            )
            return None
        values = series.to_numpy(dtype=float) * profile.scale
        if (lo is not None and values.min() < lo) or (hi is not None and values.max() > hi):
            self._problem(
                key,
                f"values in [{lo}, {hi}]",
                f"range [{values.min():.4g}, {values.max():.4g}]",
                "capacity factors are shares of capacity (0–1)",
            )
            return None
        return values

    def _problem(self, key: str, expected: str, found: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, key, expected, found, hint))


def _da(values: object, dims: tuple[str, ...], units: str, long_name: str) -> xr.DataArray:
    return xr.DataArray(values, dims=dims, attrs={"units": units, "long_name": long_name, "role": INPUT_ROLE})


_TECH_DEFAULTS = {
    "export_capacity": 0.0,
    "max_new_capacity": 0.0,
    "annualised_capex": 0.0,
    "fixed_om": 0.0,
    "variable_om": 0.0,
    "duration_hours": 0.0,
    "efficiency_charge": 1.0,
    "efficiency_discharge": 1.0,
    "self_discharge": 0.0,
}


def _tech_table(scenario: Scenario) -> pd.DataFrame:
    """One row per technology with every scalar parameter in model units (MW, CNY/MW/yr, CNY/MWh …)."""
    only_region = next(iter(scenario.regions)) if len(scenario.regions) == 1 else None
    rows = []
    for name, t in scenario.technologies.items():
        fuel = scenario.fuels.get(getattr(t, "fuel", None) or "")
        heat_rate = getattr(t, "heat_rate_gj_per_mwh", 0.0) if fuel else 0.0
        price = getattr(t, "fuel_price_cny_per_gj", None)
        row = {
            **_TECH_DEFAULTS,
            "tech": name,
            "tech_kind": t.kind,
            "tech_region": t.region or only_region,
            "display_name": t.display_name or name,
            "fuel": (getattr(t, "fuel", None) or "") if fuel else "",
            "heat_rate": heat_rate,
            "fuel_price": (price if price is not None else fuel.price_cny_per_gj) if fuel else 0.0,
            "co2_intensity": heat_rate * fuel.co2_t_per_gj if fuel else 0.0,
            "min_stable_fraction": getattr(t, "min_stable_fraction", 0.0),
            "startup_cost": getattr(t, "startup_cost_cny_per_mw", 0.0),
            "ramp_fraction": getattr(t, "ramp_fraction_per_hour", 1.0),
        }
        if isinstance(t, Grid):
            row |= {
                "capacity_existing": t.import_capacity_mw,
                "export_capacity": t.export_capacity_mw,
                "co2_intensity": t.import_co2_t_per_mwh,
            }
        else:
            rate = t.discount_rate if t.discount_rate is not None else scenario.finance.discount_rate
            capex = t.capex_cny_per_kw * u.KW_PER_MW
            if isinstance(t, Storage):
                capex += t.capex_cny_per_kwh * u.KW_PER_MW * t.duration_hours
                row |= {
                    "duration_hours": t.duration_hours,
                    "efficiency_charge": t.efficiency_charge,
                    "efficiency_discharge": t.efficiency_discharge,
                    "self_discharge": t.self_discharge_per_hour,
                }
            row |= {
                "capacity_existing": t.capacity_mw,
                "max_new_capacity": t.max_new_mw,
                "annualised_capex": capex * capital_recovery_factor(rate, t.lifetime_years),
                "fixed_om": t.fixed_om_cny_per_kw_year * u.KW_PER_MW,
                "variable_om": t.variable_om_cny_per_mwh,
            }
        rows.append(row)
    return pd.DataFrame(rows).set_index("tech")


_TECH_ATTRS = {  # column: (units, long_name)
    "tech_kind": ("", "technology kind"),
    "tech_region": ("", "region the technology is sited in"),
    "display_name": ("", "display name"),
    "fuel": ("", "fuel burnt (empty: none)"),
    "capacity_existing": (u.MW, "existing capacity (grid: import limit)"),
    "max_new_capacity": (u.MW, "maximum new capacity"),
    "annualised_capex": ("CNY/MW/yr", "annualised investment cost"),
    "fixed_om": ("CNY/MW/yr", "fixed operation and maintenance cost"),
    "variable_om": (u.CNY_PER_MWH, "variable operation and maintenance cost"),
    "heat_rate": ("GJ/MWh", "fuel use per MWh of electricity"),
    "fuel_price": ("CNY/GJ", "fuel price"),
    "co2_intensity": ("tCO2/MWh", "CO2 per MWh generated (grid: per MWh imported)"),
    "min_stable_fraction": (u.PU, "minimum stable output, share of online capacity"),
    "startup_cost": ("CNY/MW", "start-up cost per MW started"),
    "ramp_fraction": ("1/h", "maximum ramp per hour, share of capacity"),
    "duration_hours": ("h", "storage energy-to-power ratio"),
    "efficiency_charge": (u.PU, "charging efficiency"),
    "efficiency_discharge": (u.PU, "discharging efficiency"),
    "self_discharge": ("1/h", "share of stored energy lost per hour"),
    "export_capacity": (u.MW, "export limit"),
}


def build_inputs(scenario: Scenario, *, hours: int | None = None) -> xr.Dataset:
    """Resolve a scenario into the model's input Dataset.

    Demand is rescaled over the scenario's declared horizon, then the first ``hours`` hours are kept, so a
    short run sees the same hourly values as the full one. ``year_fraction`` (attr) = hours kept / hours
    in the start year; annual quantities (capex, fixed O&M, CO2 cap) are multiplied by it.
    """
    scenario = scenario.in_view()
    index = horizon(scenario)
    reader = _ProfileReader(scenario, index)
    n_full = len(index)
    full_year = hours_in_year(index[0].year)

    demand = {}
    for name, region in scenario.regions.items():
        values = reader.read(region.demand, f"regions.{name}.demand", lo=0.0)
        if values is not None:
            energy = region.demand.annual_twh * 1e6 * n_full / full_year if region.demand.annual_twh else None
            demand[name] = rescale(values, energy_mwh=energy, peak_mw=region.demand.peak_mw)
            if demand[name].min() < 0:
                reader._problem(
                    f"regions.{name}.demand",
                    "targets that keep demand ≥ 0",
                    f"minimum {demand[name].min():.1f} MW after rescaling",
                    "the peak target is too high for this energy target and profile shape",
                )

    availability, import_price, export_price = {}, {}, {}
    for name, t in scenario.technologies.items():
        key = f"technologies.{name}"
        if isinstance(t, Variable):
            profile = reader.read(t.profile, f"{key}.profile", lo=0.0, hi=1.0)
            availability[name] = None if profile is None else profile * t.availability
        elif isinstance(t, Grid):
            availability[name] = np.ones(n_full)
            for field, out in (
                ("import_price_cny_per_mwh", import_price),
                ("export_price_cny_per_mwh", export_price),
            ):
                value = getattr(t, field)
                out[name] = (
                    reader.read(value, f"{key}.{field}")
                    if isinstance(value, Profile)
                    else np.full(n_full, float(value))
                )
        else:
            availability[name] = np.full(n_full, t.availability)
    if reader.problems:
        raise ScenarioError(reader.problems)

    keep = slice(0, min(hours, n_full) if hours else n_full)
    time = index[keep]
    table = _tech_table(scenario)
    techs = list(table.index)
    ds = xr.Dataset(
        coords={
            "time": ("time", time.values, {"long_name": "hour beginning"}),
            "region": ("region", list(scenario.regions)),
            "tech": ("tech", techs),
            "link": ("link", list(scenario.links)),
        }
    )
    ds["demand"] = _da(
        np.column_stack([demand[r][keep] for r in scenario.regions]),
        ("time", "region"),
        u.MW,
        "electricity demand",
    )
    ds["availability"] = _da(
        np.column_stack([availability[t][keep] for t in techs]),
        ("time", "tech"),
        u.PU,
        "available share of capacity (profile × availability)",
    )
    ds["in_service"] = _da(_in_service(scenario, time), ("time", "tech"), u.PU, "share of existing capacity in service")
    for col, (unit, long_name) in _TECH_ATTRS.items():
        values = table[col].to_numpy()
        ds[col] = _da(
            values.astype(str) if values.dtype == object else values.astype(float), ("tech",), unit, long_name
        )
    grids = [t for t in techs if t in import_price]
    zeros = np.zeros((len(time), len(techs)))
    for var, prices, long_name in (
        ("import_price", import_price, "price paid for grid imports"),
        ("export_price", export_price, "price earned for grid exports"),
    ):
        arr = zeros.copy()
        for t in grids:
            arr[:, techs.index(t)] = prices[t][keep]
        ds[var] = _da(arr, ("time", "tech"), u.CNY_PER_MWH, long_name)
    _add_links(ds, scenario)
    ds.attrs.update(_scalar_attrs(scenario, len(time), full_year))
    return ds


def _in_service(scenario: Scenario, time: pd.DatetimeIndex) -> np.ndarray:
    days = time.normalize()
    out = np.ones((len(time), len(scenario.technologies)))
    for j, t in enumerate(scenario.technologies.values()):
        start = getattr(t, "available_from", None)
        end = getattr(t, "retired_from", None)
        if start is not None:
            out[days < pd.Timestamp(start), j] = 0.0
        if end is not None:
            out[days >= pd.Timestamp(end), j] = 0.0
    return out


def _add_links(ds: xr.Dataset, scenario: Scenario) -> None:
    links = scenario.links.values()
    ds["link_from"] = _da(np.array([x.start for x in links], dtype=str), ("link",), "", "sending region")
    ds["link_to"] = _da(np.array([x.end for x in links], dtype=str), ("link",), "", "receiving region")
    ds["link_capacity"] = _da(
        np.array([x.capacity_mw for x in links], float), ("link",), u.MW, "link capacity, each direction"
    )
    ds["link_loss"] = _da(
        np.array([x.loss_fraction for x in links], float), ("link",), u.PU, "share of the sent power lost"
    )


def _scalar_attrs(scenario: Scenario, n_hours: int, full_year: int) -> dict[str, object]:
    policy = scenario.policy
    attrs: dict[str, object] = {} if policy.co2_cap_t is None else {"co2_cap_t": policy.co2_cap_t}
    return attrs | {
        "scenario_name": scenario.name,
        "view": scenario.view,
        "year_fraction": n_hours / full_year,
        "value_of_lost_load_cny_per_mwh": scenario.value_of_lost_load_cny_per_mwh,
        "co2_price_cny_per_t": policy.co2_price_cny_per_t,
        "co2_basis": policy.co2_basis,
        "solver_options": json.dumps(scenario.solver.model_dump()),
        "scenario_resolved": json.dumps(scenario.model_dump(mode="json", by_alias=True), ensure_ascii=False),
    }
