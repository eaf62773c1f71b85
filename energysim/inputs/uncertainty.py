"""Uncertain inputs for verdict robustness (``data/uncertainty.csv``): which scenario keys each input moves, and
its range — explicit, or from the confidence mark of the data row it comes from.

The rule (a documented default, overridden by a row's ``low``/``high``): a value read in the cited source (S)
±5 %; a secondary copy or unverified document (S?) ±10 %; derived from sourced rows (D) ±10 %; an estimate (E)
±25 %; a combined mark (S/E: the quantity sourced, a detail estimated) the mean of its parts (S/E ±15 %). A
range is clipped at the row's ``max`` (e.g. 1 for an availability).

Kinds: ``number`` (one or more ``;``-separated key paths; the value is the first key's, the others move by the
same factor; a key written ``path=TEMPLATE`` gets ``{value}`` or ``{value+0.3}`` filled in), ``date``,
``outage_scale`` (every forced outage rate × the value: adequacy only), ``weather`` (a weather year), ``switch``
(``name=value`` set on the inputs, e.g. ``commitment=off``; one at a time only) and ``basis`` (a target's
accounting basis, no solve).

>>> RULE["E"], rule_width("S/E")
(0.25, 0.15)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from energysim.errors import Problem, ScenarioError
from energysim.scenario.compose import written

UNCERTAINTY_CSV = Path(__file__).resolve().parents[2] / "data" / "uncertainty.csv"
RULE = {"S": 0.05, "S?": 0.10, "D": 0.10, "E": 0.25}
"""Half-width of the range, as a share of the value, by confidence mark."""
KINDS = ("number", "date", "outage_scale", "weather", "switch", "basis")
_TEMPLATE = re.compile(r"\{value([+-][0-9.]+)?\}")


def rule_width(mark: str) -> float:
    """Half-width (share of the value) for a confidence mark; a combined mark takes the mean of its parts."""
    parts = [p.strip() for p in str(mark).split("/") if p.strip()]
    if not parts or any(p not in RULE for p in parts):
        raise ValueError(f"confidence mark: expected one of {', '.join(RULE)} or a combination, found {mark!r}")
    return float(np.mean([RULE[p] for p in parts]))


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: its keys, base value, range and how to show it (dates as day ordinals)."""

    name: str
    label: str
    kind: str
    keys: tuple[str, ...]
    base: float
    low: float
    high: float
    confidence: str
    source: str
    unit: str = ""
    display_factor: float = 1.0
    display_unit: str = ""
    key_bases: tuple[float, ...] = field(default=())
    label_zh: str = ""

    def show(self, value: float) -> str:
        """A value as planners read it (a date, or the number in its display unit)."""
        if self.kind == "date":
            return dt.date.fromordinal(round(value)).isoformat()
        if self.kind == "weather":
            return f"weather year {round(value)}"
        if self.kind == "outage_scale":
            return f"× {value:.2g}"
        unit = self.display_unit or self.unit
        shown = value * self.display_factor
        number = f"{shown:,.0f}" if abs(shown) >= 1000 else f"{shown:.4g}"
        return f"{number} {'' if unit == '1' else unit}".rstrip()

    def name_in(self, lang: str = "en") -> str:
        """How the reports call this input in ``lang`` (``label_zh`` for Chinese, else ``label``)."""
        return (self.label_zh or self.label) if lang == "zh" else self.label

    def sets(self, value: float) -> list[str]:
        """``key=value`` settings that put this input at ``value``."""
        out = []
        for key, base in zip(self.keys, self.key_bases, strict=True):
            if "=" in key:
                path, template = key.split("=", 1)
                filled = _TEMPLATE.sub(lambda m: f"{value + float(m.group(1) or 0):.6g}", template)
                out.append(f"{path}={filled}")
            elif self.kind == "date":
                out.append(f"{key}={dt.date.fromordinal(round(value)).isoformat()}")
            else:
                moved = value if base == self.base else base * value / self.base
                out.append(f"{key}={moved:.10g}")
        return out


def read_uncertainty(path: str | Path | None = None) -> pd.DataFrame:
    """The table of uncertain inputs, checked (kinds known, explicit ranges ordered)."""
    path = Path(path) if path is not None else UNCERTAINTY_CSV
    if not path.is_file():
        raise ScenarioError([Problem(str(path), "uncertainty", "the uncertain-input table", "no such file")])
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [
        Problem(str(path), f"{row.input}.kind", " | ".join(KINDS), row.kind)
        for row in table.itertuples()
        if row.kind not in KINDS
    ]
    if problems:
        raise ScenarioError(problems)
    return table


SUFFIX_UNITS = {
    "_mw": "MW",
    "_cny_per_gj": "CNY/GJ",
    "_gj_per_mwh": "GJ/MWh",
    "_twh": "TWh",
    "_mt": "Mt",
    "_cny_per_mwh": "CNY/MWh",
    "_co2_t_per_mwh": "tCO2/MWh",
}


def _unit_of(key: str) -> str:
    """The unit a key's name carries (``capacity_mw`` → MW); empty when it carries none."""
    return next((unit for suffix, unit in SUFFIX_UNITS.items() if key.endswith(suffix)), "")


def _at(tree: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _data_row(read: Callable[[str], pd.DataFrame], table: str, row: str) -> tuple[str, float | None, str]:
    """(confidence, value, unit) of a ``parameters`` (``key:year``) or ``fleet`` (``tech``) row; ``read`` gives a
    table of the data folder by file name."""
    if table == "parameters":
        key, _, year = row.partition(":")
        frame = read("parameters.csv")
        hit = frame[(frame.key == key) & (frame.year == (year or "all"))]
        if len(hit) != 1:
            raise ValueError(f"parameters.csv has no single row {row}")
        return str(hit.confidence.iloc[0]), float(hit.value.iloc[0]), str(hit.unit.iloc[0])
    if table == "fleet":
        frame = read("fleet.csv")
        if row not in frame.index:
            raise ValueError(f"fleet.csv has no row {row}")
        return str(frame.loc[row, "confidence"]), None, ""
    raise ValueError(f"table: expected parameters or fleet, found {table!r}")


_READ_AS = {"parameters.csv": {"dtype": {"year": str}}, "fleet.csv": {"index_col": "tech"}}
"""How each data table :func:`_data_row` looks rows up in is read."""


def _given(scenario: Any, key: str) -> bool:
    """Whether the scenario writes ``key``, by the rule its variants' ``--set`` values are merged with
    (:func:`energysim.scenario.compose.written`: a default the schema fills in, e.g. ``availability`` beside an
    ``availability_profile``, would be refused as a new key); a scenario not read from files (no provenance) is
    taken to write every key."""
    given = scenario.provenance
    return not given or written(given, tuple(key.split(".")))


def resolve_inputs(
    table: pd.DataFrame, scenario: Any, *, weather_years: int = 1, data: Path | None = None
) -> tuple[list[UncertainInput], list[str]]:
    """The inputs of ``table`` that apply to ``scenario`` with their ranges, and notes on those left out (a key
    the scenario's files do not set, a weather year with only one year)."""
    folder = data or UNCERTAINTY_CSV.parent
    read = cache(lambda name: pd.read_csv(folder / name, **_READ_AS[name]))  # each table once, not once a row
    resolved = scenario.model_dump(mode="json")
    inputs, notes = [], []
    for row in table.itertuples():
        confidence, data_value, unit = row.confidence, None, ""
        if row.table:
            confidence, data_value, unit = _data_row(read, row.table, row.row)
        common = {"name": row.input, "label": row.label, "kind": row.kind, "confidence": confidence,
                  "source": row.source, "unit": unit, "label_zh": getattr(row, "label_zh", "")}  # fmt: skip
        if row.kind in ("switch", "basis"):
            inputs.append(UncertainInput(**common, keys=(row.set,), base=0.0, low=0.0, high=1.0))
            continue
        if row.kind == "weather":
            if weather_years < 2:
                notes.append(f"{row.input}: only one weather year")
                continue
            inputs.append(UncertainInput(**common, keys=(), base=0.0, low=0.0, high=float(weather_years - 1)))
            continue
        if row.kind == "outage_scale":
            inputs.append(UncertainInput(**common, keys=(), base=1.0, low=float(row.low), high=float(row.high)))
            continue
        keys = tuple(k.strip() for k in row.set.split(";") if k.strip())
        bases = [_at(resolved, k) if "=" not in k and _given(scenario, k) else data_value for k in keys]
        if any(b is None for b in bases):
            missing = [k for k, b in zip(keys, bases, strict=True) if b is None]
            notes.append(f"{row.input}: the scenario does not set {', '.join(missing)}")
            continue
        if row.kind == "date":
            ordinals = [dt.date.fromisoformat(str(b)).toordinal() for b in bases]
            low, high = (dt.date.fromisoformat(x).toordinal() for x in (row.low, row.high))
            inputs.append(UncertainInput(**common, keys=keys, base=ordinals[0], low=low, high=high,
                                         key_bases=tuple(ordinals)))  # fmt: skip
            continue
        base = float(bases[0])
        common["unit"] = unit or _unit_of(keys[0])
        width = rule_width(confidence)
        low = float(row.low) if row.low else base * (1 - width)
        high = float(row.high) if row.high else base * (1 + width)
        if row.max:
            low, high = min(low, float(row.max)), min(high, float(row.max))
        shown = {"display_factor": float(row.display_factor or 1.0), "display_unit": row.display_unit}
        inputs.append(UncertainInput(**common, **shown, keys=keys, base=base, low=low, high=high,
                                     key_bases=tuple(float(b) for b in bases)))  # fmt: skip
    return inputs, notes
