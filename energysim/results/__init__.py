"""Room 5: solution → results ``xr.Dataset`` on the input coordinates, with units, the inputs and run metadata.

The contract (names, dims, units) is fixed by the core issue; later sectors add variables, never rename them.
Sector parts: ``power.py``, ``steam.py``, ``gas.py``; costs, fuel and emissions are assembled here from the
same rates the objective uses (``energysim.costs``), so they add up to the objective.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim import units as u
from energysim.costs import COST_COMPONENTS, CostRates, cost_rates
from energysim.inputs import INPUT_ATTRS
from energysim.model.lp import lp_of
from energysim.model.reserve import firm_capacity
from energysim.results.common import RESULT_ROLE, result_da, spread
from energysim.results.gas import gas_coords, gas_results
from energysim.results.io import NETCDF_ENGINE, inputs_from_results, read_results, write_results
from energysim.results.power import PowerFlows, power_flows, power_results
from energysim.results.steam import SteamFlows, steam_flows, steam_results
from energysim.scenario.technologies import VPP_KINDS
from energysim.solver import LPSize, SolveResult, Status
from energysim.solver.handoff import LinearProgram

__all__ = [
    "NETCDF_ENGINE",
    "OBJECTIVE_PARTS",
    "RESULT_ROLE",
    "inputs_from_results",
    "read_results",
    "results_template",
    "to_results",
    "write_results",
]


def to_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, *, build_seconds: float = float("nan")
) -> xr.Dataset:
    """Read the solution into the results contract; the inputs travel in the same Dataset."""
    power, steam = power_flows(m, inputs, solution), steam_flows(m, inputs, solution)
    hourly = ("time", "region", "tech")
    fuel = power.generation * inputs.heat_rate + steam.output * inputs.steam_fuel_rate  # GJ per hour
    fuel = fuel + power.startup * inputs.startup_fuel  # start-up fuel, GJ, in the hour of the start
    emissions = fuel * inputs.fuel_co2 + (power.generation * inputs.co2_intensity).where(inputs.tech_kind == "grid", 0)
    out = {**power_results(m, inputs, solution, power), **steam_results(m, inputs, solution, steam)}
    out["consumption"] = result_da(
        spread(inputs, (power.consumption + steam.power_draw).T),
        hourly,
        u.MW,
        "electricity withdrawn by a technology (storage charging, exports, electric boilers and heat pumps)",
    )
    out["fuel_use"] = result_da(spread(inputs, fuel.T), hourly, "GJ", "fuel burnt in the hour")
    out["emissions"] = result_da(
        spread(inputs, emissions.T),
        hourly,
        u.TCO2,
        "CO2 emitted in the hour (fuel × factor; grid: embodied in imports)",
    )
    out["cost"] = result_da(
        spread(inputs, _costs(inputs, power, steam, _rates(m, inputs))).transpose("region", "tech", "cost_component"),
        ("region", "tech", "cost_component"),
        u.CNY,
        "cost over the horizon by component",
    )
    out.update(gas_results(m, inputs, solution, out["fuel_use"]))
    out.update(_reserve_results(m, inputs, solution, power, steam))
    out.update(_renewable_results(m, inputs, solution, power))
    vpp = inputs.tech_kind.isin(list(VPP_KINDS))
    out["vpp_call"] = result_da(
        spread(inputs, (power.generation - power.consumption).where(vpp, 0.0).T),
        hourly,
        u.MW,
        "virtual power plant calls: load moved down or curtailed (+), moved up (−)",
    )
    targets = list(m.policy.TARGET)
    out["target_shadow_price"] = result_da(
        solution.duals(m.policy.target) if targets else np.zeros(0),
        ("target",),
        "CNY/MW",
        "implied cost of a constraint target: dual of its row",
    )
    if hasattr(m.policy, "co2_cap"):
        shadow = -float(solution.duals(m.policy.co2_cap)[0])
        out["co2_shadow_price"] = result_da(shadow, (), "CNY/tCO2", "marginal cost of the CO2 cap")
    coords = {**inputs.coords, **gas_coords(inputs), "target": ("target", targets)}
    ds = xr.Dataset(out, coords=coords)  # one construction: no alignment per variable
    ds.update(inputs[[name for name in inputs.data_vars if name not in ds]])  # one merge, not one per variable
    ds.attrs.update({k: inputs.attrs[k] for k in INPUT_ATTRS if k in inputs.attrs})
    ds.attrs.update(run_metadata(solution, build_seconds))
    return ds


def results_template(m: pyo.ConcreteModel, inputs: xr.Dataset, lp: LinearProgram) -> xr.Dataset:
    """The results Dataset before the solve: :func:`to_results` on an all-zero answer (names, dims, coordinates
    and attributes are those of the real results; the values are not). Lets the results file be laid out while
    HiGHS solves (:class:`energysim.results.io.ResultsWriter`)."""
    rows, columns = lp.a.shape
    nothing = SolveResult(
        status=Status.UNKNOWN,
        objective=float("nan"),
        size=LPSize(rows=rows, columns=columns, nonzeros=int(lp.a.nnz)),
        handoff_seconds=float("nan"),
        solve_seconds=float("nan"),
        solver="",
        lp=lp,
    )
    with np.errstate(all="ignore"):  # zeros may divide zeros
        return to_results(m, inputs, nothing)


def _reserve_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, power: PowerFlows, steam: SteamFlows
) -> dict[str, xr.DataArray]:
    """Firm capacity, margin, requirement, shortfall and price of the peak-season reserve (system-wide); firm
    capacity by the rules of :mod:`energysim.model.reserve`."""
    b = m.policy
    n_time = inputs.sizes["time"]
    firm = firm_capacity(inputs, power.new_capacity, steam.output)
    demand = inputs.demand.sum("region")
    season = inputs.peak_season > 0
    hours = list(b.PEAK)
    shortfall, price = np.zeros(n_time), np.zeros(n_time)
    shortfall[hours] = solution.values(b.reserve_shortfall)
    price[hours] = solution.duals(b.reserve)
    penalty = float(inputs.attrs.get("reserve_shortfall_cost_cny_per_mw_h", 0.0))
    need = (1 + float(inputs.attrs.get("reserve_margin", 0.0))) * demand
    return {
        "firm_capacity": result_da(
            firm.values,
            ("time",),
            u.MW,
            "firm capacity: capacity × firm credit × availability × in-service share (energy-limited resources: "
            "what they sustain; CHP: what its steam leaves)",
        ),
        "reserve_margin": result_da((firm - demand).values, ("time",), u.MW, "firm capacity above demand"),
        "reserve_requirement": result_da(
            need.where(season).values, ("time",), u.MW, "demand plus the reserve margin, in peak-season hours"
        ),
        "reserve_shortfall": result_da(shortfall, ("time",), u.MW, "firm capacity missing in peak-season hours"),
        "reserve_shortfall_cost": result_da(shortfall.sum() * penalty, (), u.CNY, "penalty on the reserve shortfall"),
        "reserve_price": result_da(
            price, ("time",), "CNY/MW", "reserve price: dual of the peak-season reserve, per hour"
        ),
    }


def _renewable_results(
    m: pyo.ConcreteModel, inputs: xr.Dataset, solution: SolveResult, power: PowerFlows
) -> dict[str, xr.DataArray]:
    """Renewable share of consumption, certificates bought, their cost, and the renewable price (dual)."""
    b = m.policy
    certificates = float(solution.values(b.certificates).sum())  # empty without certificates
    counted = float((power.generation * inputs.renewable).sum())
    price = float(solution.duals(b.renewable_share)[0]) if len(b.RENEWABLE) else 0.0
    per_mwh = float(inputs.attrs.get("certificate_price_cny_per_mwh", 0.0))
    return {
        "renewable_share": result_da(
            (counted + certificates) / max(float(inputs.demand.sum()), 1e-12),
            (),
            u.PU,
            "renewable share of consumption (counted output + certificates) / demand",
        ),
        "green_certificates": result_da(certificates, (), u.MWH, "green certificates bought"),
        "certificate_cost": result_da(certificates * per_mwh, (), u.CNY, "cost of the certificates bought"),
        "renewable_price": result_da(price, (), u.CNY_PER_MWH, "dual of the renewable-share requirement"),
    }


def _rates(m: pyo.ConcreteModel, inputs: xr.Dataset) -> CostRates:
    """The rates the model's objective was built from (computed anew if it was built from other inputs)."""
    builder = lp_of(m)
    rates = builder.rates if builder is not None else None
    return rates if rates is not None and rates.inputs is inputs else cost_rates(inputs)


def _costs(inputs: xr.Dataset, power: PowerFlows, steam: SteamFlows, rates: CostRates) -> xr.DataArray:
    """Cost by (tech, cost_component) over the horizon, CNY, from the rates the objective uses."""
    techs = inputs["tech"].values

    def per_tech(da: xr.DataArray, *dims: str) -> np.ndarray:  # tech-major numpy values, in the inputs' tech order
        if not np.array_equal(da["tech"].values, techs):
            da = da.reindex(tech=techs)
        return da.transpose("tech", *dims).values

    generation, consumption = per_tech(power.generation, "time"), per_tech(power.consumption, "time")
    output, startup = per_tech(steam.output, "time"), per_tech(power.startup, "time")
    built, steam_built = per_tech(power.new_capacity), per_tech(steam.new_capacity)
    parts = {c: np.zeros(len(techs)) for c in COST_COMPONENTS}
    for per_unit, flow in (
        (rates.generation, generation),
        (rates.consumption, consumption),
        (rates.steam, output),
    ):
        for name, rate in per_unit.items():
            parts[name] += np.einsum("gt,gt->g", per_tech(rate, "time"), flow)
    for per_mw, capacity in ((rates.capacity, built), (rates.steam_capacity, steam_built)):
        for name, rate in per_mw.items():
            parts[name] += per_tech(rate) * capacity
    parts["fixed_om"] += per_tech(rates.existing_fixed)
    for name, rate in rates.startup.items():
        parts[name] += per_tech(rate) * startup.sum(axis=1)
    parts["variable_om"] += per_tech(inputs.deep_peaking_cost) * per_tech(power.deep, "time").sum(axis=1)
    return xr.DataArray(
        np.stack([parts[c] for c in COST_COMPONENTS]),
        dims=("cost_component", "tech"),
        coords={"cost_component": list(COST_COMPONENTS), "tech": inputs["tech"]},
    )


OBJECTIVE_PARTS = (
    "cost",
    "unserved_cost",
    "steam_unserved_cost",
    "gas_cost",
    "gas_unserved_cost",
    "reserve_shortfall_cost",
    "certificate_cost",
)
"""Result variables (CNY) whose sum is the objective."""


def total_cost(ds: xr.Dataset) -> float:
    """Σ of :data:`OBJECTIVE_PARTS`, CNY: equals the objective."""
    return float(sum(float(ds[p].sum()) for p in OBJECTIVE_PARTS if p in ds))


def _quality_attrs(solution: SolveResult) -> dict[str, object]:
    """The answer's quality: method that ran, residuals (row units / CNY per unit), vertex or not, iterations."""
    q = solution.quality
    if q is None:
        return {}
    return {
        "solver_method": q.method,
        "solver_max_primal_infeasibility": q.max_primal_infeasibility,
        "solver_max_dual_infeasibility": q.max_dual_infeasibility,
        "solver_vertex_solution": int(q.vertex),
        "solver_iterations": json.dumps(
            {"simplex": q.simplex_iterations, "ipm": q.ipm_iterations, "pdlp": q.pdlp_iterations}
        ),
    } | ({"solver_mip_gap": solution.mip_gap} if solution.mip_gap == solution.mip_gap else {})  # MIPs only


def run_metadata(solution: SolveResult, build_seconds: float) -> dict[str, object]:
    """Dataset attrs describing the run."""
    from energysim import __version__

    return {
        "energysim_version": __version__,
        "solver": solution.solver,
        "highs_options": json.dumps(solution.options),
        "termination_status": str(solution.status),
        **_quality_attrs(solution),
        "objective_cny": solution.objective,
        "lp_rows": solution.size.rows,
        "lp_columns": solution.size.columns,
        "lp_nonzeros": solution.size.nonzeros,
        "build_seconds": build_seconds,
        "handoff_seconds": solution.handoff_seconds,
        "solve_seconds": solution.solve_seconds,
        **({"solver_warm_start": solution.warm_start} if solution.warm_start else {}),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
