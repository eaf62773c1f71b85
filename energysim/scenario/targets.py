"""The plan-target registry: each quantitative target of a plan with its clause, metric, accounting basis,
threshold, and whether the model must meet it (``constraint``) or only reports it (``check``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from energysim.scenario.base import Strict
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
]
"""Metrics energysim can evaluate on a results Dataset (``*_change_pct`` against a base-year results file)."""

CONSTRAINT_METRICS = ("new_capacity_mw",)
"""Metrics the model can enforce as constraints; the others are checked after the solve."""


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
