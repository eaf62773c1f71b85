"""The power sector: capacity, dispatch, storage, relaxed unit commitment, ramping, links and the hourly balance.

Symbols (all per hour, Δt = 1 h): p[g,t] generation MW, c[g,t] consumption MW, K[g] capacity MW
(= existing K0·s[t,g] + new N[g]), a[t,g] availability 1, s[t,g] in-service share of existing capacity 1,
e[g,t] storage level MWh, u[r,t] unserved MW, f⁺/f⁻[l,t] link flow forward/backward MW, D[t,r] demand MW.
Fixed capacities go into variable bounds, not rows, so the LP stays lean.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energysim.model.sets import balance_row, column, row, subset, techs_where
from energysim.scenario.technologies import POWER_KINDS


class PowerData:
    """Numpy views of the inputs the power block needs, as plain lists for fast per-index access."""

    def __init__(self, inputs: xr.Dataset) -> None:
        self.techs = [str(t) for t in inputs.tech.values]
        self.kind = dict(zip(self.techs, inputs.tech_kind.values.astype(str), strict=True))
        self.region = dict(zip(self.techs, inputs.tech_region.values.astype(str), strict=True))
        self.max_new = dict(zip(self.techs, inputs.max_new_capacity.values.tolist(), strict=True))
        self.cap0 = dict(zip(self.techs, inputs.capacity_existing.values.tolist(), strict=True))
        avail = column(inputs, "availability", ("tech", "time"))
        in_service = column(inputs, "in_service", ("tech", "time"))
        self.avail = dict(zip(self.techs, avail.tolist(), strict=True))
        self.in_service = dict(zip(self.techs, in_service.tolist(), strict=True))
        self.existing_available = dict(
            zip(
                self.techs,
                (avail * in_service * inputs.capacity_existing.values[:, None]).tolist(),
                strict=True,
            )
        )
        for name in (
            "min_stable_fraction",
            "startup_cost",
            "ramp_fraction",
            "duration_hours",
            "efficiency_charge",
            "efficiency_discharge",
            "self_discharge",
            "export_capacity",
        ):
            setattr(self, name, dict(zip(self.techs, inputs[name].values.tolist(), strict=True)))
        self.expandable = {g for g in self.techs if self.max_new[g] > 0}


def add_power(m: pyo.ConcreteModel, inputs: xr.Dataset) -> None:
    """Add ``m.power``: capacity, dispatch, storage, commitment, ramping and links (the balance comes after the
    other sectors, in :func:`add_power_balance`, because electric boilers and heat pumps draw from it)."""
    d = PowerData(inputs)
    b = m.power = pyo.Block()
    kind = np.asarray(inputs.tech_kind.values, dtype=str)
    b.POWER = subset(m.TECH, techs_where(inputs, np.isin(kind, POWER_KINDS)))
    b.EXPAND = subset(m.TECH, sorted(d.expandable, key=d.techs.index))
    b.STORAGE = subset(m.TECH, techs_where(inputs, kind == "storage"))
    exporter = (kind == "grid") & (inputs.export_capacity.values > 0)
    b.CONSUMER = subset(m.TECH, techs_where(inputs, (kind == "storage") | (kind == "demand_shift") | exporter))
    b.new_capacity = pyo.Var(b.EXPAND, bounds=lambda _, g: (0.0, d.max_new[g]))
    _add_generation(m, b, d)
    _add_storage(m, b, d)
    _add_commitment(m, b, d, inputs)
    _add_ramping(m, b, d, inputs)
    _add_links(m, b, inputs)
    _add_demand_response(m, b, d, inputs)


def _existing(d: PowerData, g: str, t: int) -> float:
    """Existing capacity in service, K0·s[t,g], MW."""
    return d.cap0[g] * d.in_service[g][t]


def _add_generation(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData) -> None:
    r"""Generation limits: a·K_min ≤ p ≤ a·K.

    .. math:: p_{g,t} \le a_{t,g} (K^0_g s_{t,g} + N_g), \quad
              p_{g,t} \ge \mu_g a_{t,g} (K^0_g s_{t,g} + N_g) \ (\text{must-run})

    Techs without expansion get both as variable bounds; expandable techs get rows ``available``
    and ``must_run``. Storage output is limited in :func:`_add_storage`; grid imports by their capacity.
    """
    fixed = [g for g in b.POWER if g not in d.expandable]
    bounds = {}
    for g in fixed:
        ub = d.existing_available[g] if d.kind[g] != "storage" else [d.cap0[g] * s for s in d.in_service[g]]
        lb = [d.min_stable_fraction[g] * x for x in ub] if d.kind[g] == "must_run" else [0.0] * len(ub)
        bounds.update({(g, t): (lo, hi) for t, (lo, hi) in enumerate(zip(lb, ub, strict=True))})
    for g in d.expandable:
        bounds.update({(g, t): (0.0, None) for t in m.T})
    b.generation = pyo.Var(b.POWER, m.T, bounds=bounds)
    b.AVAIL = pyo.Set(initialize=[(g, t) for g in d.expandable if d.kind[g] != "storage" for t in m.T])
    b.available = pyo.Constraint(
        b.AVAIL,
        rule=lambda b, g, t: row(
            [1.0, -d.avail[g][t]], [b.generation[g, t], b.new_capacity[g]], upper=d.existing_available[g][t]
        ),
    )
    b.MUSTRUN = pyo.Set(initialize=[(g, t) for g in d.expandable if d.kind[g] == "must_run" for t in m.T])
    b.must_run = pyo.Constraint(
        b.MUSTRUN,
        rule=lambda b, g, t: row(
            [1.0, -d.min_stable_fraction[g] * d.avail[g][t]],
            [b.generation[g, t], b.new_capacity[g]],
            lower=d.min_stable_fraction[g] * d.existing_available[g][t],
        ),
    )


def _add_storage(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData) -> None:
    r"""Storage: charge c and discharge p within power K, level e within K·h, cyclic over the horizon.

    .. math:: e_{g,t} = (1-\sigma_g) e_{g,t-1} + \eta^c_g c_{g,t} - p_{g,t}/\eta^d_g,
              \quad e_{g,-1} \equiv e_{g,N-1}

    σ self-discharge 1/h, ηᶜ/ηᵈ charge/discharge efficiency, h duration hours. Grid exports are the other
    consumers: c ≤ export capacity (bound).
    """

    def cons_bounds(_: pyo.Block, g: str, t: int) -> tuple[float, float | None]:
        if d.kind[g] == "grid":
            return (0.0, d.export_capacity[g] * d.in_service[g][t])
        if d.kind[g] == "demand_shift":
            return (0.0, d.existing_available[g][t])
        return (0.0, None if g in d.expandable else d.cap0[g] * d.in_service[g][t])

    b.consumption = pyo.Var(b.CONSUMER, m.T, bounds=cons_bounds)

    def level_bounds(_: pyo.Block, g: str, t: int) -> tuple[float, float | None]:
        return (0.0, None if g in d.expandable else d.cap0[g] * d.in_service[g][t] * d.duration_hours[g])

    b.storage_level = pyo.Var(b.STORAGE, m.T, bounds=level_bounds)
    last = len(m.T) - 1
    b.storage_balance = pyo.Constraint(
        b.STORAGE,
        m.T,
        rule=lambda b, g, t: row(
            [1.0, d.self_discharge[g] - 1.0, -d.efficiency_charge[g], 1.0 / d.efficiency_discharge[g]],
            [b.storage_level[g, t], b.storage_level[g, t - 1 if t else last], b.consumption[g, t], b.generation[g, t]],
            lower=0.0,
            upper=0.0,
        ),
    )
    b.EXP_STORAGE = pyo.Set(initialize=[(g, t) for g in b.STORAGE if g in d.expandable for t in m.T])
    b.discharge_limit = pyo.Constraint(
        b.EXP_STORAGE,
        rule=lambda b, g, t: row([1.0, -1.0], [b.generation[g, t], b.new_capacity[g]], upper=_existing(d, g, t)),
    )
    b.charge_limit = pyo.Constraint(
        b.EXP_STORAGE,
        rule=lambda b, g, t: row([1.0, -1.0], [b.consumption[g, t], b.new_capacity[g]], upper=_existing(d, g, t)),
    )
    b.energy_limit = pyo.Constraint(
        b.EXP_STORAGE,
        rule=lambda b, g, t: row(
            [1.0, -d.duration_hours[g]],
            [b.storage_level[g, t], b.new_capacity[g]],
            upper=d.duration_hours[g] * _existing(d, g, t),
        ),
    )


def _add_commitment(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, inputs: xr.Dataset) -> None:
    r"""Relaxed (LP) unit commitment for thermal plant with a minimum stable output and a start-up cost.

    .. math:: o_{g,t} \le a_{t,g} K_{g,t}, \quad \mu_g o_{g,t} \le p_{g,t} \le o_{g,t}, \quad
              v_{g,t} \ge o_{g,t} - o_{g,t-1}\ (\text{cyclic})

    o online capacity MW, v capacity started MW (costed at the start-up cost, CNY/MW), μ min stable share.
    Without a start-up cost the online capacity could follow output freely, so the relaxation is added
    only where μ > 0 and the start-up cost > 0 (the linearised commitment of PyPSA and GenX).
    """
    mask = (
        (inputs.tech_kind.values == "thermal")
        & (inputs.min_stable_fraction.values > 0)
        & (inputs.startup_cost.values > 0)
    )
    b.COMMIT = subset(m.TECH, techs_where(inputs, mask))

    def online_bounds(_: pyo.Block, g: str, t: int) -> tuple[float, float | None]:
        return (0.0, None if g in d.expandable else d.existing_available[g][t])

    b.online = pyo.Var(b.COMMIT, m.T, bounds=online_bounds)
    b.startup = pyo.Var(b.COMMIT, m.T, bounds=(0.0, None))
    b.EXP_COMMIT = pyo.Set(initialize=[(g, t) for g in b.COMMIT if g in d.expandable for t in m.T])
    b.online_limit = pyo.Constraint(
        b.EXP_COMMIT,
        rule=lambda b, g, t: row(
            [1.0, -d.avail[g][t]], [b.online[g, t], b.new_capacity[g]], upper=d.existing_available[g][t]
        ),
    )
    b.output_max = pyo.Constraint(
        b.COMMIT, m.T, rule=lambda b, g, t: row([1.0, -1.0], [b.generation[g, t], b.online[g, t]], upper=0.0)
    )
    b.output_min = pyo.Constraint(
        b.COMMIT,
        m.T,
        rule=lambda b, g, t: row([1.0, -d.min_stable_fraction[g]], [b.generation[g, t], b.online[g, t]], lower=0.0),
    )
    last = len(m.T) - 1
    b.start = pyo.Constraint(
        b.COMMIT,
        m.T,
        rule=lambda b, g, t: row(
            [1.0, -1.0, 1.0], [b.startup[g, t], b.online[g, t], b.online[g, t - 1 if t else last]], lower=0.0
        ),
    )


def _add_ramping(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, inputs: xr.Dataset) -> None:
    r"""Ramp limits for thermal plant, between consecutive hours of the horizon (not across its ends).

    .. math:: -\rho_g K'_{g,t} \le p_{g,t} - p_{g,t-1} \le \rho_g K'_{g,t}, \quad t \ge 1

    ρ ramp share of capacity per hour; K' = K0·max(s_t, s_(t−1)) + N, so commissioning or retirement
    does not ramp-lock a unit. Added only where ρ < 1 (otherwise it cannot bind).
    """
    mask = (inputs.tech_kind.values == "thermal") & (inputs.ramp_fraction.values < 1)
    b.RAMP = subset(m.TECH, techs_where(inputs, mask))

    def ramp(b: pyo.Block, g: str, t: int, sign: float) -> object:
        if t == 0:
            return pyo.Constraint.Skip
        share = max(d.in_service[g][t], d.in_service[g][t - 1])  # a unit may leave or join at once
        coefs, terms = [sign, -sign], [b.generation[g, t], b.generation[g, t - 1]]
        if g in d.expandable:
            coefs.append(-d.ramp_fraction[g])
            terms.append(b.new_capacity[g])
        return row(coefs, terms, upper=d.ramp_fraction[g] * d.cap0[g] * share)

    b.ramp_up = pyo.Constraint(b.RAMP, m.T, rule=lambda b, g, t: ramp(b, g, t, 1.0))
    b.ramp_down = pyo.Constraint(b.RAMP, m.T, rule=lambda b, g, t: ramp(b, g, t, -1.0))


def _add_demand_response(m: pyo.ConcreteModel, b: pyo.Block, d: PowerData, inputs: xr.Dataset) -> None:
    r"""Virtual power plant: shiftable load returns within its window; curtailable load within its yearly energy.

    .. math:: \sum_{t \in w} (p_{g,t} - c_{g,t}) = 0 \ \forall w, \qquad
              \sum_t p_{g,t} \le K_g H_g y

    p load moved down (or curtailed) MW, c load moved up MW, w consecutive windows of the shift window's length
    from the horizon start (the last may be shorter), H full-capacity hours per year, y year fraction.
    """
    kind = np.asarray(inputs.tech_kind.values, dtype=str)
    n = len(m.T)
    window = dict(zip(d.techs, inputs.shift_window.values.astype(int).tolist(), strict=True))
    b.SHIFT = subset(m.TECH, techs_where(inputs, kind == "demand_shift"))
    b.SHIFT_WINDOW = pyo.Set(initialize=[(g, w) for g in b.SHIFT for w in range(-(-n // window[g]))], dimen=2)

    def hours(g: str, w: int) -> range:
        return range(w * window[g], min(n, (w + 1) * window[g]))

    b.shift_balance = pyo.Constraint(
        b.SHIFT_WINDOW,
        rule=lambda b, g, w: row(
            [1.0, -1.0] * len(hours(g, w)),
            [v for t in hours(g, w) for v in (b.generation[g, t], b.consumption[g, t])],
            lower=0.0,
            upper=0.0,
        ),
    )
    yf = float(inputs.attrs["year_fraction"])
    energy = dict(zip(d.techs, (inputs.curtail_hours * inputs.capacity_existing).values.tolist(), strict=True))
    b.CURTAIL = subset(m.TECH, techs_where(inputs, kind == "demand_curtail"))
    b.curtail_energy = pyo.Constraint(
        b.CURTAIL, rule=lambda b, g: row([1.0] * n, [b.generation[g, t] for t in m.T], upper=energy[g] * yf)
    )


def _add_links(m: pyo.ConcreteModel, b: pyo.Block, inputs: xr.Dataset) -> None:
    """Link flows f⁺ (from→to) and f⁻ (to→from), each within the link capacity (bounds)."""
    cap = dict(zip(map(str, inputs.link.values), inputs.link_capacity.values.tolist(), strict=True))
    b.flow_forward = pyo.Var(m.LINK, m.T, bounds=lambda _, x, t: (0.0, cap[x]))
    b.flow_backward = pyo.Var(m.LINK, m.T, bounds=lambda _, x, t: (0.0, cap[x]))


def add_power_balance(m: pyo.ConcreteModel, inputs: xr.Dataset, *, elastic: bool = False) -> None:
    r"""Hourly electricity balance per region; its dual is the price (CNY/MWh).

    .. math:: \sum_{g \in r} p_{g,t} - \sum_{g \in r} c_{g,t} - \sum_{h \in r} e_h q_{h,t} + u_{r,t}
              + \sum_{l \to r} (1-\lambda_l) f^+_{l,t} + \sum_{l \leftarrow r} (1-\lambda_l) f^-_{l,t}
              - \sum_{l \leftarrow r} f^+_{l,t} - \sum_{l \to r} f^-_{l,t} = D_{t,r}

    λ loss share; ``l → r`` links ending in r, ``l ← r`` links starting in r; q steam output (t/h) of electric
    boilers and heat pumps h, e their electricity use (MWh/t). With ``elastic`` a penalised surplus slack is
    added (diagnosis of infeasible scenarios).
    """
    b = m.power
    d = PowerData(inputs)
    b.unserved = pyo.Var(m.REGION, m.T, bounds=(0.0, None))
    if elastic:
        b.surplus = pyo.Var(m.REGION, m.T, bounds=(0.0, None))
    demand = dict(
        zip(map(str, inputs.region.values), column(inputs, "demand", ("region", "time")).tolist(), strict=True)
    )
    gens = {r: [g for g in b.POWER if d.region[g] == r] for r in m.REGION}
    consumers = {r: [g for g in b.CONSUMER if d.region[g] == r] for r in m.REGION}
    steam = m.steam
    use = dict(zip(d.techs, inputs.steam_power_use.values.tolist(), strict=True))
    electric = {r: [g for g in steam.ELECTRIC if d.region[g] == r] for r in m.REGION}
    links = list(
        zip(
            map(str, inputs.link.values),
            inputs.link_from.values.astype(str),
            inputs.link_to.values.astype(str),
            (1.0 - inputs.link_loss.values).tolist(),
            strict=True,
        )
    )

    def rule(b: pyo.Block, r: str, t: int) -> object:
        coefs: list[float] = []
        terms: list[pyo.Var] = []
        for g in gens[r]:
            coefs.append(1.0)
            terms.append(b.generation[g, t])
        for g in consumers[r]:
            coefs.append(-1.0)
            terms.append(b.consumption[g, t])
        for g in electric[r]:
            coefs.append(-use[g])
            terms.append(steam.output[g, t])
        for name, start, end, keep in links:
            if end == r:
                coefs += [keep, -1.0]
                terms += [b.flow_forward[name, t], b.flow_backward[name, t]]
            if start == r:
                coefs += [keep, -1.0]
                terms += [b.flow_backward[name, t], b.flow_forward[name, t]]
        surplus = b.surplus[r, t] if elastic else None
        return balance_row(coefs, terms, unserved=b.unserved[r, t], surplus=surplus, need=demand[r][t])

    b.balance = pyo.Constraint(m.REGION, m.T, rule=rule)
