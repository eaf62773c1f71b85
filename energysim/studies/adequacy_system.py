"""The system a probabilistic adequacy study samples, as plain numpy arrays (so it ships to Dask workers that
share nothing with the client): built from a scenario's inputs, the fleet a solved run built and its CHP steam,
the outage classes of ``data/outages.csv`` and N weather years.

What each technology contributes in the simulated hours (MW, per sample and hour):

=====================  ==========================================================================================
thermal, must-run,     units of the class's size (or the scenario's ``unit_size_mw``), each up or down by its
CHP                    class's forced outage rate and repair time; maintenance outside the peak seasons; the
                       scenario's yearly ``availability`` (an average that folds in those outages) is *not*
                       applied again, but an availability that varies by hour, and the dates in service, take
                       units out as planned outages. Extraction CHP gives up β·h·q of its power for the steam q it
                       raised in the solved run, back-pressure CHP delivers c·h·q (both per MW of units up)
grid ties, infeeds     the declared firm part κ × availability × import limit, in 4 GW blocks (poles) that fail
                       and are repaired like units (class ``tie``): a pole out derates the tie
variable renewables    capacity × the weather year's capacity factor (no outages)
storage                power × availability and energy, charged and discharged hour by hour
                       (:mod:`energysim.studies.sequential`); shiftable load as a store of ``window/2`` hours
curtailable load       its call budget per sampled year (events, hours per event, hours a year)
links                  capacity in 4 GW blocks that fail like ties, loss λ
=====================  ==========================================================================================

Demand and renewables come from the weather years (:mod:`energysim.profiles.weather_years`), mapped onto the
scenario as :mod:`energysim.inputs.weather_year` says (an affine map of the shipped year's demand where the
scenario's is one, else day by day with it and rescaled to its energy and peak; renewables proportional to a
weather column).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.inputs.fleet import fix_fleet
from energysim.inputs.outages import classify, read_outage_classes
from energysim.inputs.weather_year import weather_availability, weather_demand, weather_rows
from energysim.studies.outage_sampling import Units, schedule_intervals
from energysim.studies.sequential import Curtailable, Links, Stores

UNIT_KINDS = ("thermal", "must_run", "chp")
PEAK_MONTHS = (7, 8, 12, 1)
"""Peak seasons when a scenario declares none (迎峰度夏 July–August, 迎峰度冬 December–January)."""


@dataclass(frozen=True)
class AdequacySystem:
    """Everything a sample needs, as arrays over the T simulated hours (``positions`` within the H hours of
    the scenario's horizon), R regions, W weather years, U units in P pools and L links."""

    regions: tuple[str, ...]
    time: np.ndarray  # (T,) datetime64, the simulated hours
    positions: np.ndarray  # (T,) their indices in the horizon
    horizon_hours: int
    block_start: np.ndarray  # (T,) bool
    demand: np.ndarray  # (W, R, T) MW
    variable: np.ndarray  # (W, R, T) MW of variable renewables
    weather_years: np.ndarray  # (W,) labels
    units: Units
    unit_tech: np.ndarray  # (U,) str
    unit_class: np.ndarray  # (U,) str
    pool_region: np.ndarray  # (P,) region index, −1 for a link's pool
    pool_rate: np.ndarray  # (P, T) MW delivered per MW of units up
    pool_mw: np.ndarray  # (P,) MW of units in the pool
    link_pool: np.ndarray  # (L,) pool of each link
    links: Links
    stores: Stores
    curtail: Curtailable
    maintenance_allowed: np.ndarray  # (H,) bool: hours a unit may be in maintenance
    notes: tuple[str, ...] = field(default=())


def simulated_hours(inputs: xr.Dataset, season: str) -> np.ndarray:
    """Positions of the simulated hours: ``peak`` — the peak seasons (the scenario's, else July, August,
    December, January); ``year`` — every hour."""
    if season == "year":
        return np.arange(inputs.sizes["time"])
    if season != "peak":
        raise ValueError(f"season: expected `peak` or `year`, found {season!r}")
    peak = inputs.variables["peak_season"].values > 0
    if not peak.any():
        peak = pd.DatetimeIndex(inputs.time.values).month.isin(PEAK_MONTHS)
    return np.flatnonzero(peak)


def _unit_sizes(inputs: xr.Dataset) -> dict[str, float]:
    """Unit sizes the scenario states (``unit_size_mw``), by technology."""
    resolved = json.loads(inputs.attrs.get("scenario_resolved", "{}") or "{}")
    techs = resolved.get("technologies", {})
    return {name: float(t["unit_size_mw"]) for name, t in techs.items() if t.get("unit_size_mw")}


def adequacy_system(
    inputs: xr.Dataset,
    results: xr.Dataset | None = None,
    *,
    weather: xr.Dataset | None = None,
    outages: pd.DataFrame | None = None,
    season: str = "peak",
) -> AdequacySystem:
    """The system of ``inputs`` with the fleet ``results`` built (and the steam its CHP raised), for sampling.

    ``weather``: weather years (:func:`energysim.profiles.weather_years.weather_years`) covering the horizon;
    none: the scenario's own profiles are the only weather year. ``outages``: the outage classes (default
    ``data/outages.csv``).
    """
    if results is not None:
        inputs = fix_fleet(inputs, results)
    table = read_outage_classes() if outages is None else outages
    positions = simulated_hours(inputs, season)
    full = pd.DatetimeIndex(inputs.time.values)
    rows = np.arange(len(full)) if weather is None else weather_rows(inputs, weather)
    regions = tuple(str(r) for r in inputs.region.values)
    demand, notes = weather_demand(inputs, weather, rows)
    builder = _Builder(inputs, results, table, positions, regions)
    variable = builder.variable(weather, rows)
    builder.add_units()
    builder.add_ties()
    builder.add_links()
    stores, curtail = builder.energy_limited()
    allowed = ~np.isin(np.arange(len(full)), simulated_hours(inputs, "peak"))
    block_start = np.concatenate([[True], np.diff(positions) != 1])
    return AdequacySystem(
        regions=regions,
        time=inputs.time.values[positions],
        positions=positions,
        horizon_hours=len(full),
        block_start=block_start,
        demand=demand[:, positions, :].transpose(0, 2, 1),
        variable=variable,
        weather_years=np.arange(demand.shape[0]) if weather is None else weather.weather_year.values,
        units=builder.units(),
        unit_tech=np.array(builder.unit_tech, dtype=str),
        unit_class=np.array(builder.unit_class, dtype=str),
        pool_region=np.array(builder.pool_region, dtype=int),
        pool_rate=np.array(builder.pool_rate).reshape(-1, len(positions)),
        pool_mw=np.array(builder.pool_mw),
        link_pool=np.array(builder.link_pool, dtype=int),
        links=builder.links,
        stores=stores,
        curtail=curtail,
        maintenance_allowed=allowed,
        notes=tuple(notes + builder.notes),
    )


class _Builder:
    """Collects units, pools, links and energy-limited resources from the inputs (used once)."""

    def __init__(
        self,
        inputs: xr.Dataset,
        results: xr.Dataset | None,
        table: pd.DataFrame,
        positions: np.ndarray,
        regions: tuple[str, ...],
    ) -> None:
        self.inputs, self.results, self.table, self.positions = inputs, results, table, positions
        self.region_index = {r: i for i, r in enumerate(regions)}
        v = inputs.variables
        self.names = [str(t) for t in v["tech"].values]
        self.kind = v["tech_kind"].values.astype(str)
        self.fuel = v["fuel"].values.astype(str)
        self.region = [self.region_index[str(r)] for r in v["tech_region"].values]
        self.capacity = v["capacity_existing"].values
        self.avail = inputs.availability.transpose("tech", "time").values
        self.in_service = inputs.in_service.transpose("tech", "time").values
        self.sizes = _unit_sizes(inputs)
        self.unit_mw: list[float] = []
        self.unit_pool: list[int] = []
        self.unit_q: list[float] = []
        self.unit_r: list[float] = []
        self.unit_planned: list[list[tuple[int, int]]] = []
        self.unit_days: list[float] = []
        self.unit_share: list[float] = []
        self.unit_tech: list[str] = []
        self.unit_class: list[str] = []
        self.pool_region: list[int] = [*range(len(regions))]  # pool r: region r's units delivering their MW
        self.pool_rate: list[np.ndarray] = [np.ones(len(positions)) for _ in regions]
        self.pool_mw: list[float] = [0.0 for _ in regions]
        self.link_pool: list[int] = []
        self.links = Links(np.zeros(0, int), np.zeros(0, int), np.zeros(0))
        self.notes: list[str] = []

    def _class(self, name: str, kind: str, fuel: str, size: float) -> dict[str, Any]:
        found = classify(self.table, tech=name, kind=kind, fuel=fuel, unit_mw=size)
        if found is None:
            raise ValueError(f"no outage class in the table matches {name} ({kind}, fuel {fuel or 'none'})")
        return {**self.table.loc[found].to_dict(), "class": found}

    def _add(self, name: str, capacity: float, row: dict[str, Any], size: float, pool: int, share: np.ndarray) -> None:
        """Split ``capacity`` into units of ``size`` (or the class's) in ``pool``; ``share`` (T_full,) in
        service (schedule) becomes planned outage intervals."""
        n = max(1, round(capacity / (size or float(row["unit_mw"]))))
        planned = schedule_intervals(share, n) if (share < 1 - 1e-9).any() else [[] for _ in range(n)]
        self.unit_mw += [capacity / n] * n
        self.unit_pool += [pool] * n
        self.unit_q += [float(row["forced_outage_rate"])] * n
        self.unit_r += [float(row["mttr_h"])] * n
        self.unit_planned += planned
        self.unit_days += [float(row["planned_days"])] * n
        self.unit_share += [float(row["planned_share"])] * n
        self.unit_tech += [name] * n
        self.unit_class += [str(row["class"])] * n
        self.pool_mw[pool] += capacity

    def _pool(self, region: int, rate: np.ndarray) -> int:
        """The pool of ``region`` delivering ``rate`` MW per MW up (a new pool unless the rate is 1)."""
        if np.allclose(rate, 1.0):
            return region
        self.pool_region.append(region)
        self.pool_rate.append(rate)
        self.pool_mw.append(0.0)
        return len(self.pool_region) - 1

    def add_units(self) -> None:
        v = self.inputs.variables
        steam = None
        if self.results is not None:
            steam = self.results.steam_output.sum("region").transpose("tech", "time").values
        for g, name in enumerate(self.names):
            if self.kind[g] not in UNIT_KINDS or self.capacity[g] <= 0:
                continue
            size = self.sizes.get(name, 0.0)
            row = self._class(name, self.kind[g], self.fuel[g], size or self.capacity[g])
            schedule = self.in_service[g] * self.avail[g] / max(float(self.avail[g].max()), 1e-12)
            rate = np.ones(len(self.positions))
            if self.kind[g] == "chp":
                q = np.zeros(len(self.positions)) if steam is None else steam[g, self.positions]
                per_mw = np.where(v["chp_back_pressure"].values[g] > 0, v["chp_min_power"].values[g] * q,
                                  self.capacity[g] - v["chp_power_loss"].values[g] * q)  # fmt: skip
                rate = np.clip(per_mw / self.capacity[g], 0.0, 1.0)
                if steam is None:
                    self.notes.append(
                        f"{name}: no solved run, no steam: extraction CHP at full power, back-pressure none"
                    )
            self._add(name, float(self.capacity[g]), row, size, self._pool(self.region[g], rate), schedule)

    def add_ties(self) -> None:
        credit = self.inputs.variables["firm_credit"].values
        for g, name in enumerate(self.names):
            if self.kind[g] != "grid" or self.capacity[g] <= 0 or credit[g] <= 0:
                continue
            row = self._class(name, "grid", "", 0.0)
            rate = credit[g] * self.avail[g, self.positions] * self.in_service[g, self.positions]
            self._add(name, float(self.capacity[g]), row, 0.0, self._pool(self.region[g], rate), np.ones(1))

    def add_links(self) -> None:
        v = self.inputs.variables
        n = self.inputs.sizes.get("link", 0)
        if not n:
            return
        origin, target = [], []
        for i in range(n):
            name = str(v["link"].values[i])
            row = self._class(name, "link", "", 0.0)
            self.pool_region.append(-1)
            self.pool_rate.append(np.ones(len(self.positions)))
            self.pool_mw.append(0.0)
            self.link_pool.append(len(self.pool_region) - 1)
            self._add(name, float(v["link_capacity"].values[i]), row, 0.0, len(self.pool_region) - 1, np.ones(1))
            origin.append(self.region_index[str(v["link_from"].values[i])])
            target.append(self.region_index[str(v["link_to"].values[i])])
        self.links = Links(np.array(origin), np.array(target), v["link_loss"].values.astype(float))

    def variable(self, weather: xr.Dataset | None, rows: np.ndarray) -> np.ndarray:
        """(W, R, T) MW of variable renewables in each weather year."""
        w = 1 if weather is None else weather.sizes["weather_year"]
        out = np.zeros((w, len(self.region_index), len(self.positions)))
        for g in np.flatnonzero((self.kind == "variable") & (self.capacity > 0)):
            avail = weather_availability(self.inputs, weather, rows, int(g))[:, self.positions]
            out[:, self.region[g]] += self.capacity[g] * self.in_service[g, self.positions] * avail
        return out

    def energy_limited(self) -> tuple[Stores, Curtailable]:
        v = self.inputs.variables
        p = self.positions
        store = [
            g for g in range(len(self.names)) if self.kind[g] in ("storage", "demand_shift") and self.capacity[g] > 0
        ]
        hours = np.where(self.kind == "storage", v["duration_hours"].values, v["shift_window"].values / 2)
        stores = Stores(
            region=np.array([self.region[g] for g in store], dtype=int),
            power=np.array([self.capacity[g] * self.avail[g, p] * self.in_service[g, p] for g in store]).reshape(
                -1, len(p)
            ),
            energy=np.array([self.capacity[g] * hours[g] * self.in_service[g, p] for g in store]).reshape(-1, len(p)),
            eta_charge=v["efficiency_charge"].values[store].astype(float),
            eta_discharge=v["efficiency_discharge"].values[store].astype(float),
            loss=v["self_discharge"].values[store].astype(float),
        )
        cut = [g for g in range(len(self.names)) if self.kind[g] == "demand_curtail" and self.capacity[g] > 0]
        event_hours = v["curtail_event_hours"].values[cut]
        curtail = Curtailable(
            region=np.array([self.region[g] for g in cut], dtype=int),
            power=np.array([self.capacity[g] * self.avail[g, p] * self.in_service[g, p] for g in cut]).reshape(
                -1, len(p)
            ),
            events=np.floor(v["curtail_hours"].values[cut] / np.where(event_hours > 0, event_hours, 1) + 1e-9),
            event_hours=event_hours.astype(float),
            hours=v["curtail_hours"].values[cut].astype(float),
        )
        return stores, curtail

    def units(self) -> Units:
        m = max([len(p) for p in self.unit_planned] + [1])
        planned = np.zeros((len(self.unit_mw), m, 2))
        for u, intervals in enumerate(self.unit_planned):
            for j, (a, b) in enumerate(intervals):
                planned[u, j] = (a, b)
        return Units(
            mw=np.array(self.unit_mw),
            pool=np.array(self.unit_pool, dtype=int),
            forced_rate=np.array(self.unit_q),
            mttr_h=np.array(self.unit_r),
            planned=planned,
            maintenance_days=np.array(self.unit_days),
            maintenance_share=np.array(self.unit_share),
        )
