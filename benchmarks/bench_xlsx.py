"""The workbook writer of ``energysim export`` (:mod:`energysim.report.xlsx`): CPU seconds and cells per CPU
second for a dispatch-shaped table, against openpyxl's write-only mode where it is installed.

    python benchmarks/bench_xlsx.py [--rows 14000] [--repeats 3]

The table is hourly time, a tech column and five float columns (the shape of ``energysim export``'s dispatch
sheet). This was a timed unit test (< 1.5 CPU s for 98,000 cells; openpyxl took ≈ 3 s, the
writer ≈ 0.2 s); it moved here because tests check correctness, benchmarks time. Writes a table and
``benchmarks/out/xlsx.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from energysim.report.xlsx import write_workbook

ROOT = Path(__file__).resolve().parents[1]


def table(rows: int) -> pd.DataFrame:
    """``rows`` hours of a dispatch-shaped table: time, tech and five columns of floats."""
    return pd.DataFrame(
        {"time": pd.date_range("2025-01-01", periods=rows, freq="h"), "tech": np.tile(["coal", "pv"], rows // 2)}
        | {f"x{i}": np.random.default_rng(i).random(rows) for i in range(5)}
    )


def cpu_seconds(write: object, frame: pd.DataFrame, path: Path) -> float:
    """CPU seconds of one ``write(frame, path)``."""
    start = time.process_time()
    write(frame, path)
    return time.process_time() - start


def with_openpyxl(frame: pd.DataFrame, path: Path) -> None:
    """The same table through openpyxl's write-only workbook (the writer it replaced)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("dispatch")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=14_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    frame = table(args.rows)
    writers = {"energysim": lambda f, p: write_workbook({"dispatch": f}, p), "openpyxl": with_openpyxl}
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, write in writers.items():
            path = Path(folder) / f"{name}.xlsx"
            seconds = sorted(cpu_seconds(write, frame, path) for _ in range(args.repeats))
            found[name] = {
                "cells": int(frame.size),
                "cpu_s": seconds[len(seconds) // 2],
                "spread_s": seconds[-1] - seconds[0],
            }
            assert pd.read_excel(path).shape == frame.shape
    print("| writer | cells | CPU s (median) | cells per CPU s |\n|---|---|---|---|")
    for name, r in found.items():
        print(f"| {name} | {r['cells']:,} | {r['cpu_s']:.2f} ± {r['spread_s']:.2f} | {r['cells'] / r['cpu_s']:,.0f} |")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "xlsx.json").write_text(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
