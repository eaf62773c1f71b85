"""A minimal Excel workbook writer for tidy tables: one sheet per DataFrame, a header row of column names, then
numbers, text, booleans and date-times (formatted ``yyyy-mm-dd hh:mm``); missing values as empty cells.

Why not openpyxl or XlsxWriter: both build every cell as a Python object (openpyxl ≈ 31,000 cells per CPU
second, XlsxWriter ≈ 74,000), so a full year's dispatch (2.2 M cells) took one to two minutes. Here each column
is turned into SpreadsheetML text in one comprehension and streamed into the zip (≈ 470,000 cells per CPU
second); the package holds only the parts Excel, LibreOffice and openpyxl need (ECMA-376 Part 1, §18): the
content types, the workbook and its relationships, one style sheet (the date-time format) and the sheets, with
text as inline strings.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")
"""Day 0 of Excel's 1900 date system (as every writer counts it, past the 1900 leap-year bug)."""
_DATETIME_STYLE = 1
"""Index of the date-time cell format in ``styles.xml``."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot hold (dropped from text cells)."""
_CHUNK = 1 << 20
"""Characters of sheet XML gathered before each write into the zip."""

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ '
    'hh:mm"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2">'
    '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
    'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
    'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
    "</cellStyles></styleSheet>"
)


def write_workbook(frames: dict[str, pd.DataFrame], path: Path, *, creator: str = "energysim") -> None:
    """Write ``frames`` (sheet name → table, names of at most 31 characters) as the workbook ``path``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for part, text in _package(list(frames), creator).items():
            z.writestr(part, text)
        for i, frame in enumerate(frames.values(), start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as stream:
                parts, size = [], 0
                for text in _sheet(frame):
                    parts.append(text)
                    size += len(text)
                    if size > _CHUNK:
                        stream.write("".join(parts).encode())
                        parts, size = [], 0
                stream.write("".join(parts).encode())


def _package(names: list[str], creator: str) -> dict[str, str]:
    """Every part of the workbook but its sheets: part name → XML."""
    sheets = list(enumerate(names, start=1))
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>' for i, _ in sheets
    )
    listed = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, name in sheets)
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i, _ in sheets
    )
    core = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    return {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            f'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>{types}</Types>'
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            f'Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'
        ),
        "docProps/core.xml": (
            f'{_HEAD}<cp:coreProperties xmlns:cp="{core}" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{escape(creator)}</dc:creator></cp:coreProperties>"
        ),
        "xl/workbook.xml": f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{listed}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{rels}<Relationship Id="rId{len(names) + 1}" '
            f'Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }


def column_letters(i: int) -> str:
    """The letters of the ``i``-th column from 0.

    >>> [column_letters(i) for i in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet(frame: pd.DataFrame) -> Iterator[str]:
    letters = [column_letters(i) for i in range(frame.shape[1])]
    header = "".join(_cell(str(c), f"{x}1") for x, c in zip(letters, frame.columns, strict=True))
    columns = [_column(series, x) for x, (_, series) in zip(letters, frame.items(), strict=True)]
    yield f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{header}</row>'
    for r, cells in enumerate(zip(*columns, strict=True), start=2):
        yield f'<row r="{r}">{"".join(cells)}</row>'
    yield "</sheetData></worksheet>"


def _column(series: pd.Series, x: str) -> list[str]:
    """The cells of one column (rows from 2), typed by the column's dtype; a missing value is no cell."""
    rows = range(2, len(series) + 2)
    if pd.api.types.is_datetime64_any_dtype(series):
        days = ((series.to_numpy(dtype="datetime64[ns]") - _EPOCH) / np.timedelta64(1, "D")).tolist()
        return [
            f'<c r="{x}{r}" s="{_DATETIME_STYLE}"><v>{d!r}</v></c>' if d == d else ""
            for r, d in zip(rows, days, strict=True)
        ]
    if pd.api.types.is_bool_dtype(series):
        return [_cell(v, f"{x}{r}") for r, v in zip(rows, series.tolist(), strict=True)]
    if pd.api.types.is_numeric_dtype(series):
        finite = np.isfinite(series.to_numpy(dtype=float, na_value=np.nan)).tolist()
        return [
            f'<c r="{x}{r}"><v>{v!r}</v></c>' if ok else ""
            for r, v, ok in zip(rows, series.tolist(), finite, strict=True)
        ]
    return [_cell(v, f"{x}{r}") for r, v in zip(rows, series.tolist(), strict=True)]


def _cell(value: object, ref: str) -> str:
    """One cell of any value (text columns, which may mix types)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, float | np.floating):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>' if np.isfinite(value) else ""
    if isinstance(value, pd.Timestamp | np.datetime64):
        days = (np.datetime64(value, "ns") - _EPOCH) / np.timedelta64(1, "D")
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{float(days)!r}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
