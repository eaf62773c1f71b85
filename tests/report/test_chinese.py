"""Chinese output: complete (no English phrase left where a word exists), correct (the peak price is a price),
aligned (double-width characters count two columns), and `--lang zh` wherever a command prints words."""

from __future__ import annotations

import re
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


# `--lang zh` on adequacy, robustness and compare -------------------------------------------------------------

ZH_TARGETS = """plan: 测试规划
targets:
  - {id: low_co2, clause: 减少碳排放, metric: co2_territorial_t, basis: the plants' CO2, comparison: "<=",
     threshold: 250, unit: t, horizon: run}
  - {id: co2_intensity, clause: 降低碳排放强度, metric: co2_intensity_change_pct, accounting: territorial,
     basis: b, comparison: "<=", threshold: 0, unit: "%", horizon: run}
  - {id: lole, clause: 保障电力供应, metric: lole_days_per_year, basis: b, comparison: "<=", threshold: 0.1,
     unit: d/yr}
"""
ZH_UNCERTAIN = """input,label,label_zh,set,kind,table,row,low,high,max,display_factor,display_unit,confidence,source
coal_price,coal price,煤价,fuels.coal.price_cny_per_gj,number,,,30,60,,,,E,test
co2_price,carbon price,碳价,policy.co2_price_cny_per_t,number,,,50,150,,,,S,test
"""
ALLOWED = {"MW", "GW", "MWh", "TWh", "GWh", "kW", "GJ", "CNY", "LOLE", "EUE", "CO2", "tCO2", "LNG", "tce", "UTC", "m3"}
ALLOWED |= {"JSON"}
"""ASCII words Chinese output may hold: units and abbreviations planners write so in Chinese too."""


def untranslated(text: str, *, ids: tuple[str, ...] = ()) -> list[str]:
    r"""ASCII words left in Chinese ``text`` that are not units (:data:`ALLOWED`): once file names, paths, the
    program, command names and options (``energysim adequacy``, ``--variant``), exponents (2.6e-05) and the given
    ids (scenario, target, technology and input keys) are taken out, every English word is one that was not
    translated. Paths, commands and options are matched in ASCII only: Python's ``\S`` and ``\w`` match Chinese
    too, so an English word written straight beside Chinese text (no space between them, as Chinese is written)
    would have been taken out with the path or option next to it."""
    path = r"[A-Za-z0-9_.~+/-]*"
    files = rf"{path}\.(nc|yaml|csv|png)\b|{path}/results{path}"
    text = re.sub(rf"{files}|energysim(?: [a-z]+)?(?![\w.])|--[a-z0-9-]+|°C|m³|\d[eE][+-]\d+", " ", text)
    for name in sorted(ids, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in ALLOWED})


def test_the_untranslated_check_finds_english_words():
    assert untranslated("失负荷期望 0.3 d/yr; 煤价 40 CNY/GJ, n/a", ids=("plan",)) == ["a", "d", "n", "yr"]
    assert untranslated("读取 /tmp/x/results/plan-2h.nc: plan · 属地口径 · 100 MW", ids=("plan",)) == []
    # English beside Chinese, with no space, next to a path, a command or an option
    assert untranslated("结果written已写入rob/x.nc", ids=("plan",)) == ["written"]
    assert untranslated("已写入/tmp/results/a失败failed", ids=("plan",)) == ["failed"]
    assert untranslated("energysim 运行完毕done; 参数--days已设置left", ids=("plan",)) == ["done", "left"]
    assert untranslated("计划plan已求解", ids=("plan",)) == ["plan"]  # an id glued to Chinese is not an id printed
    assert untranslated("运行 energysim adequacy --samples 300 见 results/plan-2h-adequacy.nc") == []


@pytest.fixture(scope="module")
def zh_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-hour base year and plan with Chinese names (one region, coal 100 MW as one unit, gas 3 × 50 MW,
    the plan adds 50 MW of PV), both solved, and the plan's adequacy study beside it (in English: the tests
    below write their own).

    Demand 190 MW: coal (40 CNY/GJ, 1 tCO2/MWh) runs first at a carbon price of 100 CNY/t, 272 t of CO2 against
    a target of 250; dearer coal (above ≈44 CNY/GJ) puts gas first and meets it. A coal unit out leaves 150 MW,
    so the sampled years lose load."""
    from tests.conftest import one_region, write_scenario

    folder = tmp_path_factory.mktemp("zh")
    (folder / "data").mkdir()
    (folder / "targets.yaml").write_text(ZH_TARGETS, encoding="utf-8")
    (folder / "uncertainty.csv").write_text(ZH_UNCERTAIN, encoding="utf-8")
    coal = {"kind": "thermal", "capacity_mw": 100, "unit_size_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10,
            "display_name_zh": "燃煤电厂"}  # fmt: skip
    gas = {"kind": "thermal", "capacity_mw": 150, "unit_size_mw": 50, "fuel": "gas", "heat_rate_gj_per_mwh": 10,
           "display_name_zh": "燃气电厂"}  # fmt: skip
    pv = {"kind": "variable", "capacity_mw": 50, "profile": {"file": "profiles.csv", "column": "pv"},
          "display_name_zh": "光伏"}  # fmt: skip
    for name, techs, extra in (
        ("base", {"coal": coal, "gas": gas}, {}),
        (
            "plan",
            {"coal": coal, "gas": gas, "pv": pv},
            {"targets": "targets.yaml", "base_results": "results/base-2h.nc"},
        ),
    ):
        scenario, profiles = one_region([190.0, 190.0], techs, economy={"gdp_bn_cny": 8.76},
                                        policy={"co2_price_cny_per_t": 100}, **extra)  # fmt: skip
        scenario["name"] = name
        scenario["regions"]["r"] |= {"display_name": "the city", "display_name_zh": "嘉兴"}
        scenario["fuels"]["coal"] |= {"price_cny_per_gj": 40.0, "co2_t_per_gj": 0.1}
        scenario["fuels"]["gas"] |= {"price_cny_per_gj": 50.0, "co2_t_per_gj": 0.04}
        profiles["pv"] = [0.0, 0.6]
        write_scenario(folder, scenario, profiles).rename(folder / f"{name}.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        for name in ("base", "plan"):
            assert main(["run", f"{name}.yaml"]) == 0
        assert main([*ADEQUACY, "--samples", "300"]) == 0  # results/plan-2h-adequacy.nc, read by compare
    return folder


ADEQUACY = ["adequacy", "plan.yaml", "--results", "results/plan-2h.nc", "--weather-years", "1", "--season", "year"]


IDS = ("base", "plan", "base-2h", "plan-2h", "low_co2", "co2_intensity", "lole", "coal", "gas", "pv", "r", "test")
"""Keys of the project above that Chinese output may print as they are (the scenario, target and technology
ids a planner types)."""


def test_adequacy_in_chinese(zh_project, capsys, monkeypatch):
    monkeypatch.chdir(zh_project)
    args = [*ADEQUACY, "--samples", "300", "-o", "adequacy-zh.nc"]
    assert main([*args, "--lang", "zh"]) == 0
    out, err = capsys.readouterr()
    for heading in ("概率性充裕度评估 — plan: 抽样300年", "失负荷仅统计模拟时段", "LOLE 小时/年", "有序用电概率",
                    "是否收敛", "最常缺电的时刻", "抽样中最严重的失负荷事件", "规划目标 — 测试规划",
                    "保障电力供应", "充裕度评估结果已写入"):  # fmt: skip
        assert heading in out, (heading, out)
    table = out.split("\n\n")[1].splitlines()
    assert table[2].startswith("嘉兴 ") and len({display_width(line) for line in table}) == 1, table
    assert untranslated(out, ids=IDS) == [], out
    assert "抽样300年, 每年2小时" in err and untranslated(err, ids=IDS) == [], err
    assert main(args) == 0
    english = capsys.readouterr().out
    assert "probabilistic adequacy — plan" in english and "LOLE h/yr" in english and "嘉兴" not in english


def test_adequacy_in_chinese_names_the_weather_years_against_the_facts(zh_project):
    """The weather-year table (ten generated years take too long here: three made-up years stand in)."""
    from energysim.report.adequacy import format_adequacy, with_weather_statistics

    ds = es.read_results(zh_project / "results" / "plan-2h-adequacy.nc")
    stats = pd.DataFrame(
        {"max_temperature_c": [38.0, 40.1, 39.0], "days_max_35c": [20, 31, 25], "longest_hot_spell_days": [6, 9, 7],
         "peak_mw": [14000.0, 14500.0, 13900.0], "peak_time": ["2025-07-28 14:00", "2025-08-05 13:00",
         "2025-07-12 15:00"], "peak_in_13_15h": [True, True, True], "days_above_0.76_peak": [40, 55, 48],
         "winter_summer_peak_ratio": [0.8, 0.83, 0.81]},
        index=pd.Index([0, 1, 2], name="weather_year"),
    )  # fmt: skip
    text = format_adequacy(with_weather_statistics(ds, stats), "zh")
    assert "气象年与公开资料对比" in text and "最高负荷出现在13–15时" in text and "100%的年份" in text
    assert untranslated(text, ids=IDS) == [], text


def test_robustness_in_chinese(zh_project, capsys, monkeypatch):
    """Each verdict said in Chinese from the same variants: the clause of the plan, the probability, what flips
    it; the KPIs by their Chinese names; the progress lines."""
    monkeypatch.chdir(zh_project)
    args = ["robustness", "plan.yaml", "--samples", "4", "--seed", "1", "--weather-years", "1", "--adequacy-samples",
            "2", "--uncertainty", "uncertainty.csv", "-o", "rob"]  # fmt: skip
    assert main([*args, "--lang", "zh"]) == 0
    out, err = capsys.readouterr()
    for heading in ("结论稳健性 — plan: 9个变体(4次联合抽样, 随机种子1), 2个不确定输入", "本进程",
                    "各项结论(联合抽样):", "  减少碳排放: 4次抽样", "降低碳排放强度(按消费侧口径)",
                    "联合抽样下的关键指标", "总成本", "失负荷期望(天)", "百万元", "结论稳健性结果已写入"):  # fmt: skip
        assert heading in out, (heading, out)
    assert "单独变动时结论翻转的条件: 煤价高于≈" in out and "元/GJ" in out
    assert untranslated(out, ids=IDS) == [], out
    assert "[1/9] 基准" in err and "coal_price 低值" in err
    assert untranslated(err, ids=(*IDS, "coal_price", "co2_price")) == [], err
    assert main(args) == 0  # resumed: every variant read back, the English sentences as stored
    english = capsys.readouterr().out
    assert "low_co2: " in english and "one at a time it flips with: coal price above ≈" in english


def test_compare_in_chinese(zh_project, capsys, monkeypatch, tmp_path):
    """The read lines, the input changes' headings, the KPIs by Chinese name (PV by its Chinese name), the CO2
    bases and the verdicts by clause, each verdict word and note in Chinese; the waterfall drawn."""
    monkeypatch.chdir(zh_project)
    waterfall = tmp_path / "w.png"
    assert main(["compare", "results/base-2h.nc", "results/plan-2h.nc", "--lang", "zh", "--waterfall",
                 str(waterfall)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    for heading in ("读取 ", "输入变化(base-2h → plan-2h):", "变化前", "变化后", "各次结果:", "属地CO2排放:",
                    "关键指标:", "装机_MW.光伏", "总成本_百万元", "规划目标结论", "减少碳排放", "保障电力供应",
                    "瀑布图已写入"):  # fmt: skip
        assert heading in out, (heading, out)
    row = next(line for line in out.splitlines() if line.startswith("装机_MW.光伏"))
    assert row.split()[1:] == ["0.000", "50.000", "50.000"], row
    assert re.search(r"^保障电力供应 .*(是|否)", out, re.M), out  # judged on the adequacy study beside the plan
    inputs = out.split("输入变化")[1].split("\n\n")[0]  # YAML keys and values as the planner wrote them
    assert untranslated(out.replace(inputs, ""), ids=IDS) == [], out
    kpis = out.split("关键指标:\n")[1].split("\n\n")[0].splitlines()
    assert len({display_width(line) for line in kpis}) == 1, kpis
    assert waterfall.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("command", ["adequacy", "robustness", "compare"])
def test_lang_zh_is_accepted_by_the_study_commands(command):
    given = {"adequacy": ["adequacy", "s.yaml"], "robustness": ["robustness", "s.yaml"],
             "compare": ["compare", "a.nc", "b.nc"]}[command]  # fmt: skip
    assert parser().parse_args([*given, "--lang", "zh"]).lang == "zh"


def test_stress_and_phaseout_in_chinese(make_scenario, tmp_path, capsys):
    """The other two studies a planner reads: the stress table by the case's Chinese name, the phase-out
    comparison by Chinese row names and units; both with their progress lines in Chinese."""
    from tests.conftest import one_region
    from tests.formulation.test_steam import GAS_BOILER, SMALL_COAL, with_steam
    from tests.formulation.test_stress import COAL, GAS

    scenario, profiles = one_region([90.0] * 24, {"coal": COAL | {"display_name_zh": "燃煤电厂"}, "gas": GAS})
    case = tmp_path / "outage.yaml"
    case.write_text("name: outage\nname_zh: 机组停运\noutage_mw: {coal: 30}\n", encoding="utf-8")
    assert main(["stress", str(make_scenario(scenario, profiles)), "--cases", str(case), "--lang", "zh"]) == 0
    out, err = capsys.readouterr()
    assert "压力情景: 机组停运" in err and "求解情景, 得出其建设的机组" in err
    for heading in ("压力情景", "缺供电量_MWh", "增加成本_百万元", "机组停运", "承担供电的主要资源", "燃煤电厂 70"):
        assert heading in out, (heading, out)
    assert untranslated(out, ids=("gas",)) == [] and untranslated(err) == [], out + err

    techs = {"small_coal": SMALL_COAL, "gas_boiler": GAS_BOILER | {"display_name_zh": "燃气锅炉"}}
    scenario, profiles = with_steam([0] * 24, [50] * 24, techs, policy={"coal_boiler_phaseout": {"from": "2025-01-01"}})
    assert main(["phaseout", str(make_scenario(scenario, profiles)), "--lang", "zh"]) == 0
    out, err = capsys.readouterr()
    for heading in ("2025-01-01起关停35蒸吨/小时及以下燃煤锅炉", "不淘汰", "关停燃煤锅炉容量", "工业蒸汽: 燃气锅炉",
                    "属地CO2排放", "千吨", "平均汽价", "元/吨"):  # fmt: skip
        assert heading in out, (heading, out)
    assert "求解不淘汰燃煤锅炉的情形" in err
    assert untranslated(out) == [] and untranslated(err) == [], out + err


@pytest.mark.parametrize("command", [["stress", "s.yaml"], ["phaseout", "s.yaml"]], ids=lambda c: c[0])
def test_lang_zh_is_accepted_by_stress_and_phaseout(command):
    assert parser().parse_args([*command, "--lang", "zh"]).lang == "zh"


def test_sweep_in_chinese(make_scenario, tmp_path, capsys):
    """A sweep's lines in Chinese; the variants are named by their settings (key=value), as the planner gave them."""
    from tests.conftest import one_region

    coal = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
    scenario, profiles = one_region([50.0, 50.0], {"coal": coal}, policy={"co2_price_cny_per_t": 100})
    args = ["sweep", str(make_scenario(scenario, profiles)), "--param", "policy.co2_price_cny_per_t=1,400"]
    assert main([*args, "-o", str(tmp_path / "sweep"), "--lang", "zh"]) == 0
    out, err = (text.replace(str(tmp_path / "sweep"), "") for text in capsys.readouterr())
    assert "已求解" in err and "百万元, 用时" in err and "2个变体中2个已有结果" in out and "百万元" in out
    ids = ("policy.co2_price_cny_per_t", "energysim.open_sweep")
    assert untranslated(out, ids=ids) == [] and untranslated(err, ids=ids) == [], out + err


@pytest.mark.parametrize(
    "line",
    [
        "  the base on every hour (the anchor of the typical-day variants) …",
        "  the base on every hour: 108.2 s",
        "  51 typical days picked from the base: 4.1 s",
        "  51 typical days picked from weather year 3: 6.0 s",
        "  time.aggregate of the scenario (12 days, seed 0) gives way to --days 48 (seed 0, extremes kept); the anchor"
        " solves every hour",
        "  left out: qinshan_availability: the scenario does not set technologies.qinshan.availability",
    ],
)
def test_robustness_days_progress_lines_are_chinese(line):
    """The progress lines of `robustness --days` (stderr) under --lang zh: no English word left but ids."""
    from energysim.report.i18n import tr_line

    text = tr_line(line, "zh")
    assert text != line
    for key in ("technologies.qinshan.availability", "qinshan_availability", "time.aggregate"):  # ids beside CJK
        text = text.replace(key, " ")
    assert untranslated(text) == []
