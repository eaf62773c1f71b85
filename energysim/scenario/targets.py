"""The plan-target registry: each quantitative target of a plan with its clause, metric, accounting basis, view
and horizon, threshold, and whether the model must meet it (``constraint``) or only reports it (``check``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from energysim.scenario.base import Strict, View
from energysim.scenario.load import load_yaml_model

Metric = Literal[
    "new_capacity_mw",
    "capacity_in_service_mw",
    "phased_out_boiler_steam_t",
    "peak_season_unserved_mwh",
    "peak_reserve_shortfall_mw",
    "energy_intensity_change_pct",
    "co2_intensity_change_pct",
    "gas_price_change_pct",
    "steam_price_change_pct",
    "co2_territorial_t",
    "co2_consumption_t",
    "lole_hours_per_year",
    "lole_days_per_year",
    "orderly_power_use_probability",
]
"""Metrics energysim can evaluate on a results Dataset (``*_change_pct`` against a base-year results file; the
three adequacy metrics on an ``energysim adequacy`` file)."""

ADEQUACY_METRICS = ("lole_hours_per_year", "lole_days_per_year", "orderly_power_use_probability")
"""Probabilistic metrics, read from a sampled adequacy study (:mod:`energysim.studies.adequacy`), not from one
run: the loss-of-load expectation (h/yr or d/yr) and the probability of a year with orderly power use."""

CONSTRAINT_METRICS = ("new_capacity_mw",)
"""Metrics the model can enforce as constraints; the others are checked after the solve."""

AccountingBasis = Literal["territorial", "consumption", "dual_control"]
ACCOUNTED: dict[str, tuple[str, ...]] = {
    "co2_territorial_t": ("territorial",),
    "co2_consumption_t": ("consumption",),
    "co2_intensity_change_pct": ("territorial", "consumption"),
    "energy_intensity_change_pct": ("dual_control",),
}
"""Metrics measured on an accounting basis → the bases they may be measured on (the first is the default when
there is only one; ``co2_intensity_change_pct`` must state its basis)."""

RUN_METRICS = ("peak_season_unserved_mwh", "peak_reserve_shortfall_mw", *ADEQUACY_METRICS)
"""Metrics judged hour by hour, so on whatever hours were solved; every other metric is annual."""


class Target(Strict):
    """One quantitative target."""

    id: str
    clause: str = Field(description="the plan's words")
    metric: Metric
    basis: str = Field(description="what is counted, in words (which techs, which emissions, which base)")
    comparison: Literal[">=", "<="]
    threshold: float
    unit: str
    kind: Literal["constraint", "check"] = "check"
    techs: list[str] = Field(default_factory=list, description="technologies the metric sums over, if any")
    on: dt.date | None = Field(None, description="day the metric looks at (capacity_in_service_mw)")
    max_unit_size_t_per_h: float = Field(35.0, description="boiler size class (phased_out_boiler_steam_t)")
    region: str | None = Field(
        None, description="adequacy metrics: the region they are read for (default: all regions together)"
    )
    accounting: AccountingBasis | None = Field(
        None,
        description="accounting basis of a CO2 or energy metric: territorial | consumption (CO2), dual_control "
        "(energy); required for co2_intensity_change_pct",
    )
    view: View | None = Field(None, description="the view the target is defined in (sited | local; none: either)")
    horizon: Literal["year", "run"] | None = Field(
        None,
        description="year: judged only on a full-year run (and base); run: on the hours solved. Default: run for "
        "the peak-season metrics, year for every other (annual) metric",
    )

    @property
    def basis_key(self) -> str | None:
        """The accounting basis the metric is measured on (declared, or the metric's only one); None if none."""
        return self.accounting or (ACCOUNTED[self.metric][0] if self.metric in ACCOUNTED else None)

    @property
    def judged_on(self) -> str:
        """``year`` (annual target: n/a on a partial year) or ``run`` (judged on the hours solved)."""
        return self.horizon or ("run" if self.metric in RUN_METRICS else "year")

    @model_validator(mode="after")
    def _basis_declared(self) -> Target:
        allowed = ACCOUNTED.get(self.metric, ())
        if self.accounting is not None and self.accounting not in allowed:
            found = f"`{self.metric}` is measured on " + (" or ".join(allowed) if allowed else "no accounting basis")
            raise ValueError(f"{found}, found `accounting: {self.accounting}`")
        if self.accounting is None and len(allowed) > 1:
            raise ValueError(f"state the basis of `{self.metric}`: `accounting: {' | '.join(allowed)}`")
        return self

    @model_validator(mode="after")
    def _constraint_supported(self) -> Target:
        if self.kind == "constraint" and self.metric not in CONSTRAINT_METRICS:
            raise ValueError(f"`{self.metric}` can only be checked; constraints: {', '.join(CONSTRAINT_METRICS)}")
        if self.kind == "constraint" and self.comparison != ">=":
            raise ValueError("constraint targets are lower bounds (`>=`)")
        return self


class TargetRegistry(Strict):
    """A plan's targets."""

    plan: str = Field(description="the plan (title, document number, section)")
    targets: list[Target] = Field(min_length=1)


def load_targets(path: str | Path) -> TargetRegistry:
    """Read and validate a target registry; errors name the file, key path and what was expected."""
    return load_yaml_model(path, TargetRegistry)
