"""One week of the plan (1-7 August 2025, the province around the city, solved in about a second) and its
reports, shared by the report tests."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import energysim as es
from tests.conftest import DEFAULT_SCENARIO

AUGUST = slice(24 * 212, 24 * 219)
"""Hours of 1-7 August 2025: the summer peak season, with the plan's peak-reserve rule active."""


@pytest.fixture(scope="session")
def august_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plan scenario solved for the first week of August, written as a results file."""
    inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO))
    results = es.run_inputs(inputs.isel(time=AUGUST))
    return es.write_results(results, tmp_path_factory.mktemp("august") / "jiaxing-2025-plan-august.nc")


@pytest.fixture(scope="session")
def reports(august_week: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The week's report in English and in Chinese (HTML), written by the `report` command."""
    from energysim.cli import main

    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for lang in ("en", "zh"):
        out[lang] = folder / f"report-{lang}.html"
        assert main(["report", str(august_week), "-o", str(out[lang]), "--lang", lang]) == 0
    return out


def visible_text(page: str) -> str:
    """The text a reader can see in a report page: no scripts, styles or embedded data."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))
