"""The report reads like a briefing: verdicts first in planner words, key figures with their bases, targets with
operators and margins, charts, assumptions with sources, a footer with version, dates and provenance; one
self-contained file with a font subset for its Chinese; never NaN."""

from __future__ import annotations

import base64
import gzip
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

import energysim as es
from energysim.report.briefing import number, target_rows, verdicts
from tests.report.conftest import visible_text


def _row(target, metric, comparison, threshold, value, unit, met, note=""):
    margin = value - threshold if comparison == ">=" else threshold - value
    return {"target": target, "clause": f"条款{target}", "metric": metric, "basis": "", "accounting": "-",
            "view": "any", "kind": "check", "value": value, "comparison": comparison, "threshold": threshold,
            "unit": unit, "met": met, "margin": margin, "implied_cost": float("nan"), "note": note}  # fmt: skip


TARGETS = pd.DataFrame(
    [
        _row("pv", "new_capacity_mw", ">=", 700, 1300, "MW", "yes"),
        _row("reserve", "peak_reserve_shortfall_mw", "<=", 0, 147.4, "MW", "no"),
        _row("energy", "energy_intensity_change_pct", "<=", 0, float("nan"), "%", "n/a", "no base-year results"),
        _row("opu", "orderly_power_use_probability", "<=", 0.1, 0.02, "1", "yes", "± 0.01 (1 s.e., 1000 samples)"),
    ]
).set_index("target")
"""Four verdicts checked by hand: 1,300 ≥ 700 MW (600 to spare); a 147.4 MW shortfall against ≤ 0 (147 short);
a change with no base (n/a); a probability of 2 % against ≤ 10 % (8 points to spare)."""


def test_verdicts_in_planner_words_not_met_first():
    said = verdicts(TARGETS)
    assert [v.target for v in said] == ["reserve", "pv", "opu", "energy"]
    assert [v.status for v in said] == ["not met", "met", "met", "cannot be judged"]
    assert said[0].text == "147 MW against ≤ 0 MW: 147 MW short"
    assert said[1].text == "1,300 MW against ≥ 700 MW: 600 MW to spare"
    assert said[2].text == "2 % against ≤ 10 %: 8 pp to spare (± 0.01 (1 s.e., 1000 samples))"
    assert said[3].text == "n/a (no base-year results)"
    assert said[1].name == "new capacity — 条款pv"
    zh = verdicts(TARGETS, "zh")
    assert zh[0].status == "未达标" and zh[0].text == "147 MW, 目标≤ 0 MW: 差147 MW"
    assert zh[3].text == "无法判定(无基准年结果)"


def test_target_rows_carry_operators_and_signed_margins_never_nan():
    rows = target_rows(TARGETS).set_index("target")
    assert rows.loc["pv", "target value"] == "≥ 700 MW" and rows.loc["pv", "margin"] == "+600 MW"
    assert rows.loc["reserve", "margin"] == "−147 MW" and rows.loc["reserve", "verdict"] == "not met"
    assert rows.loc["energy", "value"] == "—" and rows.loc["energy", "margin"] == "—"
    assert not rows.astype(str).apply(lambda c: c.str.contains("nan", case=False)).any().any()


def test_numbers_are_never_nan():
    assert number(float("nan"), "MW") == "—" and number(None) == "—"
    assert number(-0.0001, "MW") == "0.00 MW" and number(-12.5, "%") == "−12.5 %"
    assert number(1234567.8, "MCNY", lang="zh") == "1,234,568 百万元"


def test_the_report_reads_like_a_briefing(reports):
    page = reports["en"].read_text(encoding="utf-8")
    text = visible_text(page.split("<main>", 1)[1])  # below the header and its table of contents
    order = [text.index(h) for h in ("Executive summary", "Key figures", "Plan targets", "Dispatch, any week",
                                     "Charts", "Assumptions and sources")]  # fmt: skip
    assert order == sorted(order)
    summary = text[order[0] : order[1]]
    assert re.search(r"\d+ of 11 plan targets are met", summary) and "cannot be judged" in summary
    assert "on the territorial basis" in summary and "on the consumption basis" in summary
    figures = ("CO2, territorial basis", "CO2, consumption basis", "Energy intensity", "Carbon intensity",
               "Least firm margin in the peak seasons", "Average steam price", "Gas pool average cost")  # fmt: skip
    assert [f for f in figures if f not in text] == []
    assert "plants and boilers of the sited view" in text and "net purchased electricity × 0.55 tCO2/MWh" in text
    assert "≥ 700 MW" in text and "≤ 0 MW" in text and "Total cost of the system" in text
    assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b", text)
    assert "规划目标" in reports["zh"].read_text(encoding="utf-8")  # "Plan targets"


def test_the_footer_names_version_dates_and_provenance(reports, august_week):
    ds = es.read_results(august_week)
    footer = visible_text(reports["en"].read_text(encoding="utf-8").split("<footer>")[1])
    assert "jiaxing-2025-plan" in footer and "168 of 8760 h, 2025-08-01 00:00 to 2025-08-07 23:00" in footer
    assert f"{ds.attrs['created_utc']} with energysim {ds.attrs['energysim_version']}" in footer
    assert re.search(r"report created\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 with energysim \d", footer)
    assert "HiGHS" in footer and "optimal" in footer and "SIL Open Font License" in footer


def test_assumptions_name_their_sources_and_say_when_a_run_changed_them(august_week):
    from energysim.report.provenance import assumptions

    ds = es.read_results(august_week)
    table = assumptions(ds).set_index("assumption")
    assert table.loc["Carbon price", "value"] == "75 CNY/tCO2"
    assert (
        "national ETS" in table.loc["Carbon price", "source"] and table.loc["Carbon price", "confidence"] == "sourced"
    )
    scenario = json.loads(ds.attrs["scenario_resolved"])
    scenario["policy"]["co2_price_cny_per_t"] = 200
    changed = assumptions(ds.assign_attrs(scenario_resolved=json.dumps(scenario))).set_index("assumption")
    assert changed.loc["Carbon price", "value"] == "200 CNY/tCO2"
    assert changed.loc["Carbon price", "source"].startswith("changed for this run (data: 75 CNY/tCO2) — ")


def test_one_self_contained_file(reports):
    for page in (p.read_text(encoding="utf-8") for p in reports.values()):
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", page)
        assert "<link" not in page and "@import" not in page and "Content-Security-Policy" in page
        assert page.count("data:image/png;base64,") >= 5
        assert len(page.encode()) < 1_500_000


def _embedded_font(page: str):
    from fontTools.ttLib import TTFont

    encoded = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    return TTFont(io.BytesIO(base64.b64decode(encoded))), len(base64.b64decode(encoded))


def test_the_font_subset_has_every_character_the_chinese_page_shows(reports):
    page = reports["zh"].read_text(encoding="utf-8")
    font, size = _embedded_font(page)
    cmap = font.getBestCmap()
    shown = {ch for ch in visible_text(page) if ord(ch) > 0x2E80}  # CJK and full-width forms
    assert len(shown) > 150 and not {ch for ch in shown if ord(ch) not in cmap}
    assert len(cmap) < 1500 and size < 200_000  # a subset, not the 16 MB font
    assert "SIL Open Font License" in font["name"].getDebugName(13)


def test_the_explorer_holds_every_hour_of_the_city(reports, august_week):
    from energysim.report.plots import city_part

    page = reports["en"].read_text(encoding="utf-8")
    packed = re.search(r'id="explorer-data">([^<]+)<', page).group(1)
    data = json.loads(gzip.decompress(base64.b64decode(packed)))
    ds = es.read_results(august_week)
    city = city_part(ds)
    assert data["hours"] == 168 and data["start"] == "2025-08-01T00:00"
    np.testing.assert_allclose(data["demand"], city.demand.sum("region").values, atol=0.5)
    supply = sum(np.array(s["values"]) for s in data["series"] if s["sign"] > 0)
    taken = sum(np.array(s["values"]) for s in data["series"] if s["sign"] < 0)
    # the stack closes the city's balance hour by hour: supply − consumption − sales = demand − unserved
    served = (city.demand - city.unserved).sum("region").values
    np.testing.assert_allclose(supply - taken, served, atol=len(data["series"]))
    assert [name for name, _ in data["presets"]][:1] == ["week of the summer peak"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_markdown_report_has_the_same_sections(august_week, tmp_path, lang):
    from energysim.cli import main

    out = tmp_path / "r.md"
    assert main(["report", str(august_week), "-o", str(out), "--lang", lang]) == 0
    text = out.read_text(encoding="utf-8")
    heading = {"en": "## Executive summary", "zh": "## 要点摘要"}[lang]
    assert text.index(heading) < text.index("## " + {"en": "Key figures", "zh": "关键指标"}[lang])
    assert "![mix](r-mix.png)" in text and (tmp_path / "r-mix.png").is_file()
    assert not re.search(r"\bnan\b|\bNaN\b", text) and "NaN" not in text
