"""Profile files → arrays on the scenario's horizon; the only place profile files are read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from energysim.errors import Problem
from energysim.scenario import Scenario
from energysim.scenario.base import Profile


class ProfileReader:
    """Reads each CSV once and lays it on the horizon; collects problems instead of raising.

    Hourly files have a ``time`` column; daily files a ``date`` column, whose per-day quantities are spread
    evenly over the day's hours (so the hourly values sum to the daily ones).
    """

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
                self.problem(
                    key + ".file",
                    "an existing CSV file",
                    f"no file at {path}",
                    "paths are relative to the scenario file",
                )
            except (OSError, ValueError, pd.errors.ParserError) as exc:
                self.problem(key + ".file", "a readable CSV file", type(exc).__name__, str(exc)[:80])
            if table is not None:
                table = self._with_time_index(table, path, key)
            self._tables[path] = table
        return self._tables[path]

    def _with_time_index(self, table: pd.DataFrame, path: Path, key: str) -> pd.DataFrame | None:
        daily = "time" not in table.columns and "date" in table.columns
        if daily:
            table = table.rename(columns={"date": "time"})
        if "time" not in table.columns:
            self.problem(
                key + ".file",
                "a `time` column of hour-beginning timestamps",
                f"columns {list(table.columns)[:6]} in {path.name}",
            )
            return None
        times = pd.to_datetime(table["time"], errors="coerce")
        if times.isna().any():
            bad = table["time"][times.isna()].iloc[0]
            self.problem(key + ".file", "timestamps in the `time` column", repr(bad), f"in {path.name}")
            return None
        if times.duplicated().any():
            self.problem(
                key + ".file",
                "unique timestamps",
                f"duplicate {times[times.duplicated()].iloc[0]}",
                f"in {path.name}",
            )
            return None
        table = table.set_index(pd.DatetimeIndex(times)).drop(columns="time")
        table.attrs["daily"] = daily
        return table

    def read(
        self, profile: Profile, key: str, *, lo: float | None = None, hi: float | None = None
    ) -> np.ndarray | None:
        """The profile's values on the horizon, or None (and a recorded problem)."""
        path = (self.base / profile.file).resolve()
        table = self._table(path, key)
        if table is None:
            return None
        if profile.column not in table.columns:
            self.problem(
                key + ".column",
                f"a column of {path.name}",
                repr(profile.column),
                f"columns are {', '.join(map(str, table.columns))}",
            )
            return None
        series = pd.to_numeric(table[profile.column], errors="coerce")
        if table.attrs.get("daily"):
            series = (series / 24).reindex(self.index.normalize()).set_axis(self.index)
        else:
            series = series.reindex(self.index)
        missing = series.index[series.isna()]
        if len(missing):
            covered = f"{table.index.min()} to {table.index.max()} ({len(table)} rows)"
            self.problem(
                key,
                f"a number for every hour {self.index[0]} to {self.index[-1]} ({len(self.index)} h)",
                f"{len(missing)} hours missing or NaN, first {missing[0]}; file covers {covered}",
                "fill the gaps or shorten `time`",
            )
            return None
        values = series.to_numpy(dtype=float) * profile.scale
        if (lo is not None and values.min() < lo) or (hi is not None and values.max() > hi):
            self.problem(
                key,
                f"values in [{lo}, {hi}]",
                f"range [{values.min():.4g}, {values.max():.4g}]",
                "capacity factors are shares of capacity (0–1)",
            )
            return None
        return values

    def problem(self, key: str, expected: str, found: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, key, expected, found, hint))
