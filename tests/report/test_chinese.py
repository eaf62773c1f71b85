"""Chinese output: complete (no English phrase left where a word exists), correct (the peak price is a price),
aligned (double-width characters count two columns), and `--lang zh` wherever a command prints words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import energysim as es
import energysim.report.i18n as i18n
from energysim.cli import main, parser
from energysim.report.i18n import display_width, table_text, tr, tr_note
from tests.conftest import REPO


class Recording(dict):
    """WORDS that note every phrase asked for in Chinese and not there."""

    def __init__(self, words: dict[str, str]) -> None:
        super().__init__(words)
        self.missing: set[str] = set()

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        if key not in self:
            self.missing.add(key)
        return super().get(key, default)


def _targets(ds):
    from energysim.report.targets import evaluate_targets
    from energysim.scenario.targets import load_targets

    return evaluate_targets(ds, load_targets(Path(ds.attrs["targets_file"])))


def test_every_phrase_of_the_chinese_summary_targets_and_report_is_translated(august_week, monkeypatch):
    """The summary, the target table and every section of the report ask only for phrases that have Chinese
    (the figures are drawn by report/plots.py and left out here)."""
    import energysim.report.document as document
    from energysim.report.page import html_page
    from energysim.report.tables import format_summary
    from energysim.report.targets import format_targets, targets_context

    words = Recording(i18n.WORDS)
    monkeypatch.setattr(i18n, "WORDS", words)
    monkeypatch.setattr(document, "_charts", lambda ds, lang: [])
    ds = es.read_results(august_week)
    targets = _targets(ds)
    format_summary(ds, "zh")
    format_targets(targets, "zh")
    targets_context(ds, None, "results/base.nc", "zh")
    targets_context(ds, ds.assign_attrs(view="local"), None, "zh")
    html_page(document.build_report(ds, targets=targets, lang="zh"), ds)
    assert sorted(words.missing) == []


def test_the_peak_price_is_labelled_a_price_and_the_peak_load_a_load(august_week):
    """最高负荷 (peak load) was printed before the peak price: it must stand before MW only."""
    from energysim.report.tables import format_summary

    text = format_summary(es.read_results(august_week), "zh")
    price_line = next(line for line in text.splitlines() if line.startswith("电价"))
    assert "最高电价" in price_line and "最高负荷" not in price_line
    assert price_line.count("元/MWh") >= 2  # the average and the peak price, each with its unit
    assert "最高负荷 14,000 MW" in text or "最高负荷 1" in text  # the city's peak load, in MW


def test_status_kinds_units_and_verdicts_are_chinese(august_week):
    from energysim.report.tables import format_summary
    from energysim.report.targets import format_targets

    ds = es.read_results(august_week)
    summary = format_summary(ds, "zh")
    assert "求解状态 最优" in summary and "optimal" not in summary
    assert {"火电", "必开机组", "储能", "锅炉"} <= set(summary.split())
    assert "百万元" in summary and "MCNY" not in summary
    table = format_targets(_targets(ds), "zh")
    assert {"是", "不适用"} <= set(table.split()) and "≥" in table and "≤" in table
    assert "无基准年结果" in table or "非全年" in table  # the notes too
    assert ">=" not in table and "yes" not in table


def test_tables_with_chinese_names_line_up_by_display_width():
    """Each character of 嘉兴电厂 takes two columns of a terminal: padding by len() shifted every column after it."""
    table = pd.DataFrame(
        {"名称": ["嘉兴电厂一期", "pv", "秦山核电"], "装机_MW": [660.0, 5500.0, float("nan")]},
        index=pd.Index(["jpp_phase1", "pv", "qinshan"], name="tech"),
    )
    lines = table_text(table, digits=1).splitlines()
    assert len({display_width(line) for line in lines}) == 1, lines
    ends = {
        display_width(line[: line.rindex(word) + len(word)])
        for line, word in zip(lines[2:], ("一期", "pv", "核电"), strict=True)
    }
    assert len(ends) == 1  # the names end in one column (right-aligned)
    assert "—" in lines[-1] and "nan" not in "".join(lines).lower()
    assert display_width("嘉兴 PP") == 7 and display_width("±5 %") == 4


def test_the_summary_tables_line_up_in_chinese(august_week):
    from energysim.report.tables import format_summary

    text = format_summary(es.read_results(august_week), "zh")
    blocks = [b.splitlines() for b in text.split("\n\n")]
    tech = next(b for b in blocks if b[0].lstrip().startswith("名称"))
    assert len(tech) > 10 and len({display_width(line) for line in tech}) == 1


def test_notes_keep_their_numbers_in_chinese():
    assert tr_note("partial year (168 of 8760 h)", "zh") == "非全年(计算168/8760小时)"
    assert tr_note("± 0.02 (1 s.e., 1000 samples)", "zh") == "± 0.02(1倍标准误, 1000次抽样)"
    assert tr_note("no base-year results", "zh") == "无基准年结果"
    assert tr_note("something new", "zh") == "something new"
    assert tr("{met} of {total} plan targets are met", "zh", met=3, total=4) == "4项规划目标中3项达标"


COMMANDS_WITH_WORDS = (
    ["run", "s.yaml"],
    ["summary", "r.nc"],
    ["targets", "r.nc"],
    ["plot", "r.nc"],
    ["report", "r.nc"],
    ["profiles", "plot", "2025"],
)


@pytest.mark.parametrize("command", COMMANDS_WITH_WORDS, ids=lambda c: " ".join(c[:2]))
def test_lang_zh_is_accepted_by_every_command_that_prints_words(command):
    args = parser().parse_args([*command, "--lang", "zh"])
    assert args.lang == "zh"


def test_profiles_plot_and_targets_in_chinese(august_week, tmp_path, capsys):
    out = tmp_path / "profiles-zh.png"
    data = REPO / "data" / "profiles"
    assert main(["profiles", "plot", "2025", "--lang", "zh", "--data", str(data), "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    capsys.readouterr()
    assert main(["targets", str(august_week), "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "规划条款" in text and "新增光伏、储能装机70万千瓦以上" in text


# names of regions and gas sources -----------------------------------------------------------------------------


def test_regions_and_gas_sources_print_their_chinese_names(august_week):
    """The region column showed jiaxing/zhejiang and the gas pool West-East pipelines … in Chinese tables."""
    from energysim.report.sectors import gas_table
    from energysim.report.tables import tech_table

    ds = es.read_results(august_week)
    assert set(tech_table(ds, "zh")["区域"]) == {"嘉兴", "浙江(省内其余)"}
    assert set(tech_table(ds)["region"]) == {"Jiaxing", "rest of Zhejiang"}
    gas = gas_table(ds, "zh")
    assert gas.index.name == "气源" and gas["name"]["lng"].startswith("液化天然气")
    assert {n[:4] for n in gas["name"]} == {"西气东输", "川气东送", "液化天然"}


@pytest.mark.parametrize(
    ("where", "name"),
    [("regions.r", "Jiaxing"), ("technologies.coal", "coal PP"), ("regions.r", " "), ("regions.r", "嘉兴\n电厂")],
)
def test_a_chinese_name_must_be_one_line_with_chinese_characters(make_scenario, where, name):
    from energysim.errors import ScenarioError
    from tests.conftest import one_region

    coal = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
    scenario, profiles = one_region([50.0], {"coal": coal})
    section, key = where.split(".")
    scenario[section][key]["display_name_zh"] = name
    with pytest.raises(ScenarioError, match=rf"{where}\.display_name_zh"):
        es.load_scenario(make_scenario(scenario, profiles))
    scenario[section][key]["display_name_zh"] = "嘉兴"
    es.load_scenario(make_scenario(scenario, profiles))
