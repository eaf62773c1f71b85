"""Stress cases: plain YAML that changes demand, availability, imports, gas supply or units in a period, replayed
against the fleet a scenario run has built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ConfigDict, Field, model_validator

from energysim.scenario.base import ChineseName, Fraction, NonNeg, Positive, Strict
from energysim.scenario.load import load_yaml_model


class Period(Strict):
    """Days the stress applies to, both included."""

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("`to` must not come before `from`")
        return self


class StressCase(Strict):
    """One stress case; every change applies in ``period`` only (default: the whole horizon)."""

    name: str
    name_zh: ChineseName | None = Field(None, description="the case's name in `--lang zh` output (default: name)")
    description: str = ""
    period: Period | None = None
    demand_scale: Positive = Field(1.0, description="electricity demand multiplier, 1")
    availability_scale: dict[str, Fraction] = Field(
        default_factory=dict, description="availability multiplier by technology name or kind, 1"
    )
    import_capacity_scale: Fraction = Field(1.0, description="multiplier on every grid import limit, 1")
    gas_supply_scale: dict[str, Fraction] = Field(
        default_factory=dict, description="multiplier on a gas source's daily maximum, 1 (0: deliveries missed)"
    )
    outage_mw: dict[str, NonNeg] = Field(default_factory=dict, description="capacity out of service by tech, MW")

    def name_in(self, lang: str = "en") -> str:
        """How the reports call this case in ``lang`` (``name_zh`` for Chinese, else ``name``), as
        :meth:`energysim.inputs.uncertainty.UncertainInput.name_in` does for an uncertain input."""
        return (self.name_zh or self.name) if lang == "zh" else self.name


def load_stress_case(path: str | Path) -> StressCase:
    """Read and validate a stress case; errors name the file, key path, expected and found."""
    return load_yaml_model(path, StressCase)
