"""Outage classes for probabilistic adequacy (``data/outages.csv``): forced outage rate, mean time to repair,
planned outage days and a typical unit size, by unit class, with the rule that gives each technology its class.

A row's ``match`` is a ``;``-separated list of rules, tried in the table's order: ``tech=PATTERN`` (a name
pattern, ``fnmatch``) first over every row, then ``KIND:FUEL`` (``fnmatch`` on both; a technology without fuel
matches ``KIND:*``) with the unit size inside [``min_unit_mw``, ``max_unit_mw``); a technology that states no unit
size (0) falls in the band from 0 and is split into units of the class's ``unit_mw``. ``link:*`` matches the
links between regions.

>>> table = read_outage_classes()
>>> classify(table, tech="jpp_unit9", kind="thermal", fuel="coal", unit_mw=1000.0)
'coal_600'
>>> classify(table, tech="qinshan", kind="must_run", fuel="", unit_mw=0.0)
'nuclear'
>>> classify(table, tech="north_south", kind="link", fuel="", unit_mw=0.0)
'tie'
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pandas as pd

from energysim.errors import Problem, ScenarioError

OUTAGES_CSV = Path(__file__).resolve().parents[2] / "data" / "outages.csv"
"""The shipped table (the repository's ``data/``; pass another with ``--outages``)."""

COLUMNS = ("class", "match", "min_unit_mw", "max_unit_mw", "unit_mw", "forced_outage_rate", "mttr_h",
           "planned_days", "planned_share", "source", "confidence")  # fmt: skip


def highest_rate(mttr_h: float | pd.Series) -> float | pd.Series:
    """The highest forced outage rate hourly spells can hold with mean repair R h: R/(R + 1), a unit up for one
    hour between outages of R hours on average."""
    return mttr_h / (mttr_h + 1)


def read_outage_classes(path: str | Path | None = None) -> pd.DataFrame:
    """The outage classes, indexed by class name, checked: rates in [0, 1) and at most R/(R + 1), repair times R
    of at least 1 h (:func:`highest_rate`)."""
    path = Path(path) if path is not None else OUTAGES_CSV
    if not path.is_file():
        raise ScenarioError(
            [Problem(str(path), "outages", "the outage-class table (data/outages.csv)", "no such file", "--outages")]
        )
    table = pd.read_csv(path)
    problems = []
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        problems.append(Problem(str(path), "columns", ", ".join(COLUMNS), f"missing {', '.join(missing)}"))
    else:
        for _, row in table.iterrows():
            if not 0 <= row.forced_outage_rate < 1:
                problems.append(
                    Problem(str(path), f"{row['class']}.forced_outage_rate", "in [0, 1)", row.forced_outage_rate)
                )
            if not row.mttr_h >= 1:
                problems.append(
                    Problem(str(path), f"{row['class']}.mttr_h", "at least 1 h (outages are sampled hour by hour)",
                            row.mttr_h)
                )  # fmt: skip
            elif 0 <= row.forced_outage_rate < 1 and row.forced_outage_rate > highest_rate(row.mttr_h):
                problems.append(
                    Problem(str(path), f"{row['class']}.forced_outage_rate",
                            f"at most R/(R + 1) = {highest_rate(row.mttr_h):.3g} for a {row.mttr_h:g} h repair "
                            "(a unit is up at least an hour between outages)", row.forced_outage_rate,
                            "raise mttr_h or lower the rate")
                )  # fmt: skip
            if not 0 <= row.planned_share <= 1:
                problems.append(Problem(str(path), f"{row['class']}.planned_share", "in [0, 1]", row.planned_share))
    if problems:
        raise ScenarioError(problems)
    return table.set_index("class")


def classify(table: pd.DataFrame, *, tech: str, kind: str, fuel: str, unit_mw: float) -> str | None:
    """The class of one technology (or link, ``kind="link"``); None when no row matches."""
    rules = [
        (str(name), [r.strip() for r in str(match).split(";") if r.strip()], float(low), float(high))
        for name, match, low, high in zip(
            table.index, table["match"], table["min_unit_mw"], table["max_unit_mw"], strict=True
        )
    ]
    for name, row_rules, _, _ in rules:
        if any(r.startswith("tech=") and fnmatch.fnmatchcase(tech, r[5:]) for r in row_rules):
            return name
    for name, row_rules, low, high in rules:
        size_ok = low <= unit_mw < high  # unknown size (0): smallest band
        for rule in row_rules:
            if rule.startswith("tech=") or ":" not in rule:
                continue
            want_kind, want_fuel = rule.split(":", 1)
            if fnmatch.fnmatchcase(kind, want_kind) and fnmatch.fnmatchcase(fuel or "", want_fuel) and size_ok:
                return name
    return None
