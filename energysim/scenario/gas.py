"""The gas resource pool: pipeline contracts and LNG with price tiers, limits, take-or-pay, interconnections and
LNG tanks. Volumes are in 10⁴ m³ as planners quote them; the model converts to MWh (see ``energysim.units``)."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import Field, model_validator

from energysim.scenario.base import ChineseName, DisplayName, NonNeg, Positive, Profile, Strict


class GasTier(Strict):
    """A volume block at one price; tiers are filled in order, so prices must not fall."""

    volume_1e4m3_per_year: Positive | None = Field(None, description="block size, 10⁴ m³/yr (last: may be open)")
    price_cny_per_m3: NonNeg = Field(description="price of gas in this block, CNY/m³")


class GasSource(Strict):
    """A pipeline contract or an LNG supply."""

    kind: Literal["pipeline", "lng"]
    display_name: DisplayName | None = Field(None, description="name shown in tables and plots (default: the key)")
    display_name_zh: ChineseName | None = Field(
        None, description="Chinese name for `--lang zh` tables, plots and reports (default: display_name)"
    )
    via: str | None = Field(None, description="interconnection the gas flows through")
    tiers: list[GasTier] = Field(min_length=1, description="volume blocks at rising prices")
    max_1e4m3_per_day: NonNeg | None = Field(None, description="daily maximum, 10⁴ m³/day")
    max_1e4m3_per_year: NonNeg | None = Field(None, description="annual maximum, 10⁴ m³/yr")
    take_or_pay_1e4m3_per_year: NonNeg = Field(0.0, description="contracted minimum, 10⁴ m³/yr")
    take_or_pay_penalty_cny_per_m3: NonNeg = Field(0.0, description="paid per m³ taken below the minimum")

    @model_validator(mode="after")
    def _consistent(self) -> GasSource:
        prices = [t.price_cny_per_m3 for t in self.tiers]
        if any(b < a for a, b in pairwise(prices)):
            raise ValueError(f"tier prices must not fall from one tier to the next, found {prices}")
        if any(t.volume_1e4m3_per_year is None for t in self.tiers[:-1]):
            raise ValueError("only the last tier may leave `volume_1e4m3_per_year` open")
        ceiling = self.annual_ceiling()
        if ceiling is not None and self.take_or_pay_1e4m3_per_year > ceiling:
            raise ValueError(
                f"take-or-pay minimum {self.take_or_pay_1e4m3_per_year:g} is above the annual maximum {ceiling:g}"
            )
        return self

    def annual_ceiling(self) -> float | None:
        """The tighter of ``max_1e4m3_per_year`` and the sum of closed tiers, 10⁴ m³/yr (None: open)."""
        tiers = (
            None
            if self.tiers[-1].volume_1e4m3_per_year is None
            else sum(t.volume_1e4m3_per_year or 0.0 for t in self.tiers)
        )
        limits = [x for x in (tiers, self.max_1e4m3_per_year) if x is not None]
        return min(limits) if limits else None


class Interconnection(Strict):
    """A shared pipe (e.g. the provincial network's tie to the city) limiting the sources routed through it."""

    capacity_1e4m3_per_day: NonNeg


class LngStorage(Strict):
    """An LNG tank filled only by its LNG source and sent out into the pool."""

    source: str = Field(description="the LNG source that fills it")
    capacity_1e4m3: Positive = Field(description="gas equivalent stored, 10⁴ m³")
    boil_off_per_day: Annotated[float, Field(ge=0, lt=1)] = Field(0.001, description="share lost per day, 1/day")
    send_out_max_1e4m3_per_day: Positive = Field(description="send-out limit, 10⁴ m³/day")


class GasPool(Strict):
    """One gas balance shared by gas plants, gas CHP, gas boilers and non-power city gas demand."""

    fuel: str = Field("gas", description="the fuel in `fuels` that the pool supplies (its price is not used)")
    balance: Literal["daily", "hourly"] = "daily"
    city_demand: Profile | None = Field(None, description="non-power city gas demand, 10⁴ m³ per day or hour")
    value_of_lost_gas_cny_per_m3: Positive = Field(10.0, description="cost of city gas not supplied, CNY/m³")
    interconnections: dict[str, Interconnection] = Field(default_factory=dict)
    sources: dict[str, GasSource] = Field(min_length=1)
    lng_storage: dict[str, LngStorage] = Field(default_factory=dict)
