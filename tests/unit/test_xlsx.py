"""The workbook writer of ``energysim export``: every kind of cell reads back as it was written, by openpyxl
(pandas' Excel reader) cell by cell, and a table of 14,000 rows reads back whole (its speed is timed in
``benchmarks/bench_xlsx.py``, not here)."""

from __future__ import annotations

import zipfile
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd

from energysim.report.xlsx import column_letters, write_workbook


def test_every_kind_of_cell_reads_back(tmp_path):
    """Numbers (NaN and inf as empty cells), integers, booleans, hourly date-times, text with XML's special
    characters, control characters (dropped) and Chinese; a column of mixed values; an empty table."""
    hours = pd.date_range("2025-08-01", periods=4, freq="h")
    frame = pd.DataFrame(
        {
            "time": hours,
            "tech": ["pv", "a & b <c>", "嘉兴电厂", "bell\x07"],
            "generation_MW": [1.5, np.nan, 1e-5, np.inf],
            "units": np.array([1, 2, 3, 4], dtype=np.int64),
            "on": [True, False, True, False],
            "value": ["yes", 2.5, None, 7],
        }
    )
    path = tmp_path / "t.xlsx"
    write_workbook({"dispatch": frame, "empty": pd.DataFrame(columns=["key", "value"])}, path)
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["dispatch", "empty"] and list(book["empty"].columns) == ["key", "value"]
    back = book["dispatch"]
    assert list(back.columns) == list(frame.columns)
    assert list(back.time) == list(hours)
    assert list(back.tech) == ["pv", "a & b <c>", "嘉兴电厂", "bell"]
    np.testing.assert_array_equal(back.generation_MW.to_numpy(), [1.5, np.nan, 1e-5, np.nan])
    assert list(back.units) == [1, 2, 3, 4] and list(back.on) == [True, False, True, False]
    assert back.value.tolist()[:2] == ["yes", 2.5] and np.isnan(back.value[2]) and back.value[3] == 7
    sheet = openpyxl.load_workbook(path)["dispatch"]
    assert sheet["A2"].number_format == "yyyy\\-mm\\-dd\\ hh:mm" and sheet["D2"].data_type == "n"
    # cell by cell: a date-time cell (not text), booleans typed "b", NaN and inf no cell at all, text inline
    assert sheet["A5"].is_date and sheet["A5"].value == datetime(2025, 8, 1, 3, 0)
    assert [(sheet[f"E{r}"].data_type, sheet[f"E{r}"].value) for r in (2, 3)] == [("b", True), ("b", False)]
    assert sheet["C3"].value is None and sheet["C5"].value is None and sheet["C4"].value == 1e-5
    assert sheet["F4"].value is None and sheet["F5"].value == 7 and sheet["F5"].data_type == "n"
    assert [sheet[f"B{r}"].value for r in (3, 4)] == ["a & b <c>", "嘉兴电厂"] and sheet["B3"].data_type == "s"
    assert sheet.max_row == 5 and sheet.max_column == 6 and sheet["A1"].value == "time"
    assert openpyxl.load_workbook(path).properties.creator == "energysim"
    assert zipfile.ZipFile(path).testzip() is None


def test_columns_past_z_are_lettered_as_excel_does():
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_a_table_of_fourteen_thousand_rows_reads_back_whole(tmp_path):
    """98,000 cells (the shape of a dispatch sheet): every row, the last hour and a float to the last bit read back.
    How fast it is written is measured in ``benchmarks/bench_xlsx.py``."""
    n = 14_000
    frame = pd.DataFrame(
        {"time": pd.date_range("2025-01-01", periods=n, freq="h"), "tech": np.tile(["coal", "pv"], n // 2)}
        | {f"x{i}": np.random.default_rng(i).random(n) for i in range(5)}
    )
    write_workbook({"dispatch": frame}, tmp_path / "big.xlsx")
    back = pd.read_excel(tmp_path / "big.xlsx")
    assert back.shape == frame.shape
    assert back.time.iloc[-1] == pd.Timestamp("2026-08-07 07:00")  # hour 13,999: 583 days and 7 h on
    np.testing.assert_array_equal(back.x4.to_numpy(), frame.x4.to_numpy())  # repr() round-trips every float
    assert list(back.tech[-2:]) == ["coal", "pv"]
