"""Every figure renders for a small run; compare lists input changes and KPI deltas. The report, in English and
Chinese, HTML and Markdown: tests/report/."""

from __future__ import annotations

import pytest

import energysim as es
from energysim.cli import main
from energysim.report.compare import cost_components, input_differences, kpi_table
from energysim.report.plots import FIGURES, comparison_bars, label, tech_colours
from tests.conftest import DEFAULT_SCENARIO

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two summer days of the plan, at the default CO2 price and at 200 CNY/t."""
    folder = tmp_path_factory.mktemp("runs")
    runs = []
    for sets in ([], ["policy.co2_price_cny_per_t=200"]):
        inputs = es.build_inputs(es.load_scenario(DEFAULT_SCENARIO, sets=sets))
        runs.append(es.run_inputs(inputs.isel(time=slice(24 * 212, 24 * 214))))
    a, b = runs
    return es.write_results(a, folder / "a.nc"), es.write_results(b, folder / "b.nc")


def test_the_plot_command_draws_every_figure(two_runs, tmp_path):
    """Every figure of FIGURES, drawn by ``energysim plot`` (the report's figures: tests/report/test_briefing.py)."""
    assert main(["plot", str(two_runs[0]), "-o", str(tmp_path / "figs")]) == 0
    files = sorted((tmp_path / "figs").glob("*.png"))
    assert [p.stem for p in files] == sorted(FIGURES)
    for path in files:
        assert path.read_bytes()[:8] == PNG, path.name


def test_labels_from_attrs_and_a_colour_per_technology(two_runs, tmp_path):
    ds = es.read_results(two_runs[0])
    comparison_bars({"a": ds, "b": es.read_results(two_runs[1])}).savefig(tmp_path / "bars.png")
    assert label(ds.price) == "electricity price (dual of the hourly balance) [CNY/MWh]"
    colours = tech_colours(ds)
    assert len(set(colours.values())) >= len(colours) - 2  # distinct colours per technology


def test_compare_names_the_changed_input_and_the_kpi_change(two_runs, tmp_path, capsys):
    a, b = (es.read_results(p) for p in two_runs)
    diff = input_differences(a, b)
    assert list(diff.index) == ["policy.co2_price_cny_per_t"]
    assert (diff.iloc[0].before, diff.iloc[0].after) == (75, 200)
    table = kpi_table({"a": a, "b": b})
    carbon = float(b.cost.sel(cost_component="carbon").sum() - a.cost.sel(cost_component="carbon").sum()) / 1e6
    assert carbon > 0 and cost_components(b)["carbon"] - cost_components(a)["carbon"] == pytest.approx(carbon)
    assert table.loc["total_cost_MCNY", "b − a"] == pytest.approx(
        table.loc["total_cost_MCNY", "b"] - table.loc["total_cost_MCNY", "a"]
    )
    assert main(["compare", *map(str, two_runs), "--waterfall", str(tmp_path / "w.png")]) == 0
    out = capsys.readouterr().out
    assert "KPIs:" in out and "co2_consumption_Mt" in out and "target verdicts" in out and "new_pv_storage" in out
    assert (
        "co2_leakage_Mt" in out and "jiaxing-2025-plan: sited view; 48 of 8760 h from 2025-08-01 (partial year)" in out
    )
    assert table.loc["co2_leakage_Mt", "b"] == pytest.approx(
        table.loc["co2_consumption_Mt", "b"] - table.loc["co2_territorial_Mt", "b"]
    )
    assert (tmp_path / "w.png").read_bytes()[:8] == PNG


def test_chinese_summary_figures_and_report(two_runs, tmp_path):
    """`--lang zh`: Chinese technology names from the scenario, Chinese labels, a CJK font that has the glyphs."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from energysim.report.i18n import cjk_font_file, font_context
    from energysim.report.plots import mix
    from energysim.report.tables import format_summary

    ds = es.read_results(two_runs[0])
    text = format_summary(ds, "zh")
    assert "嘉兴电厂四期9号机组" in text and "秦山核电" in text and "总成本" in text
    font = FT2Font(cjk_font_file())
    assert all(font.get_char_index(ord(ch)) for ch in "嘉兴电厂秦山核电装机容量")  # glyphs, not empty boxes
    with font_context("zh"):
        fig = mix(ds, lang="zh")
        fig.savefig(tmp_path / "zh.png")
        title = fig.axes[0].get_title()
        used = font_manager.findfont(fig.axes[0].title.get_fontproperties())
    assert title == "装机容量" and used.endswith("NotoSansCJKsc-Regular.otf")  # the report in Chinese: tests/report
