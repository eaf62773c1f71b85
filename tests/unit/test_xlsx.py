"""The workbook writer of ``energysim export``: every kind of cell reads back as it was written, by openpyxl
(pandas' Excel reader), and the table of a thousand rows is written well inside a second."""

from __future__ import annotations

import time
import zipfile

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
    assert openpyxl.load_workbook(path).properties.creator == "energysim"
    assert zipfile.ZipFile(path).testzip() is None


def test_columns_past_z_are_lettered_as_excel_does():
    assert [column_letters(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_it_writes_a_hundred_thousand_cells_in_a_fraction_of_a_second(tmp_path):
    """openpyxl took about 3 CPU seconds for these (31,000 cells/s); the writer takes about 0.2 s. The bound is
    loose (a busy 2-core machine), but it would fail at openpyxl's rate."""
    n = 14_000
    frame = pd.DataFrame(
        {"time": pd.date_range("2025-01-01", periods=n, freq="h"), "tech": np.tile(["coal", "pv"], n // 2)}
        | {f"x{i}": np.random.default_rng(i).random(n) for i in range(5)}
    )
    start = time.process_time()
    write_workbook({"dispatch": frame}, tmp_path / "big.xlsx")
    seconds = time.process_time() - start
    assert seconds < 1.5, f"{frame.size:,} cells in {seconds:.2f} s of CPU"
    assert pd.read_excel(tmp_path / "big.xlsx").shape == frame.shape
