"""Profile files → arrays on the scenario's horizon; the only place profile files are read."""

from __future__ import annotations

import gzip
import lzma
import re
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from energysim.errors import Problem
from energysim.scenario import Scenario
from energysim.scenario.base import MAX_MAGNITUDE, Profile
from energysim.scenario.paths import allowed_roots, inside, outside_problem, path_trouble


class ProfileReader:
    """Reads each CSV once and lays it on the horizon; collects problems instead of raising.

    Hourly files have a ``time`` column; daily files a ``date`` column, whose per-day quantities are spread
    evenly over the day's hours (so the hourly values sum to the daily ones).
    """

    def __init__(self, scenario: Scenario, index: pd.DatetimeIndex) -> None:
        self.base = scenario.source.parent if scenario.source else Path.cwd()
        self.roots = allowed_roots(scenario.source) if scenario.source else [Path.cwd().resolve()]
        self.file = str(scenario.source) if scenario.source else "<scenario>"
        self.index = index
        self.problems: list[Problem] = []
        self._tables: dict[Path, pd.DataFrame | None] = {}

    def _table(self, path: Path, key: str) -> pd.DataFrame | None:
        if path not in self._tables:
            table = self._read_csv(path, key)
            if table is not None:
                table = self._with_time_index(table, path, key)
            self._tables[path] = table
        return self._tables[path]

    def _read_csv(self, path: Path, key: str) -> pd.DataFrame | None:
        """The file as a table, or None and a problem saying what the file is instead (never its contents)."""
        if not inside(path, self.roots):
            self.problems.append(outside_problem(self.file, key + ".file", str(path), self.roots))
            return None
        path = path.resolve()
        if not path.exists():
            self.problem(
                key + ".file", "an existing CSV file", f"no file at {path}", "paths are relative to the scenario file"
            )
            return None
        if not path.is_file():
            self.problem(key + ".file", "a CSV file", f"{path} is not a regular file", "give the path of a CSV file")
            return None
        if path.stat().st_size > MAX_PROFILE_BYTES:
            self.problem(
                key + ".file",
                f"a CSV file of at most {MAX_PROFILE_BYTES:,} bytes",
                f"{path.stat().st_size:,} bytes",
                "profiles hold one value per hour or day",
            )
            return None
        try:
            table = pd.read_csv(path, nrows=MAX_PROFILE_ROWS + 1)
        except Exception as exc:  # pandas, gzip, zlib, codecs: say what the file is, not what it holds
            self.problem(key + ".file", "a readable CSV file (optionally .gz)", f"{path.name}: {_unreadable(exc)}")
            return None
        if len(table) > MAX_PROFILE_ROWS:
            self.problem(key + ".file", f"at most {MAX_PROFILE_ROWS:,} rows", f"more in {path.name}", "")
            return None
        return table

    def _with_time_index(self, table: pd.DataFrame, path: Path, key: str) -> pd.DataFrame | None:
        daily = "time" not in table.columns and "date" in table.columns
        if daily:
            table = table.rename(columns={"date": "time"})
        if "time" not in table.columns:
            self.problem(
                key + ".file",
                "a `time` column of hour-beginning timestamps (or a `date` column of days)",
                f"columns {_names(table.columns)} in {path.name}",
            )
            return None
        times = pd.to_datetime(table["time"], errors="coerce")
        if times.isna().any():
            row = int(np.flatnonzero(times.isna().to_numpy())[0]) + 2  # 1-based, after the header line
            self.problem(
                key + ".file", "timestamps in the `time` column", f"something else on line {row} of {path.name}"
            )
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
        trouble = path_trouble(profile.file)
        if trouble:
            self.problem(key + ".file", "a file path", trouble)
            return None
        path = self.base / profile.file
        table = self._table(path, key)
        if table is None:
            return None
        if profile.column not in table.columns:
            self.problem(
                key + ".column",
                f"a column of {path.name}",
                repr(profile.column),
                f"columns are {_names(table.columns)}",
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
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below, as a problem
            values = series.to_numpy(dtype=float) * profile.scale
        big = ~np.isfinite(values) | (np.abs(values) > MAX_MAGNITUDE)
        if big.any():
            self.problem(
                key,
                f"finite numbers of at most {MAX_MAGNITUDE:.0e} (after `scale`)",
                f"{_quantity(values[big][0])} in {int(big.sum())} hour(s), first {self.index[np.argmax(big)]}",
                "fix the file or the `scale`",
            )
            return None
        if (lo is not None and values.min() < lo) or (hi is not None and values.max() > hi):
            self.problem(
                key,
                f"values in [{lo}, {hi}]" if hi is not None else f"values of at least {lo}",
                f"range [{values.min():.4g}, {values.max():.4g}]",
                "capacity factors are shares of capacity (0–1)" if hi is not None else "a demand cannot be negative",
            )
            return None
        return values

    def problem(self, key: str, expected: str, found: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, key, expected, found, hint))


MAX_PROFILE_BYTES = 200_000_000
"""Largest profile file read, bytes (the shipped year of profiles is about 0.5 MB compressed)."""
MAX_PROFILE_ROWS = 10 * 8784
"""Most rows read from a profile: ten years of hours."""


def _unreadable(exc: Exception) -> str:
    """What a file that pandas could not read is, from the exception's kind (its message may quote the file)."""
    if isinstance(exc, PermissionError):
        return "not readable (permission denied)"
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile | lzma.LZMAError):
        return "a damaged or truncated compressed file"
    if isinstance(exc, UnicodeError):
        return "text that is not UTF-8"
    if isinstance(exc, pd.errors.EmptyDataError):
        return "an empty file"
    if isinstance(exc, pd.errors.ParserError):
        match = re.search(r"Expected \d+ fields in line \d+, saw \d+", str(exc))
        return f"not a CSV table ({match.group(0)})" if match else "not a CSV table"
    return f"unreadable ({type(exc).__name__})"


def _names(columns: pd.Index) -> str:
    """The column names, if they look like names (a header is shown to help; anything else is not echoed)."""
    names = [str(c) for c in columns]
    if all(_NAME.fullmatch(n) for n in names):
        shown = ", ".join(names[:12])
        return shown + (f" … ({len(names)} in all)" if len(names) > 12 else "")
    return f"{len(names)} column(s) without usable names"


_NAME = re.compile(r"[\w .()%/-]{1,60}")


def _quantity(value: float) -> str:
    return str(value) if not np.isfinite(value) else f"{value:.3g}"
