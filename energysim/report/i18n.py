"""English and Chinese words for tables, figures and reports, technology names by language, and a CJK font.

The Chinese font is Noto Sans CJK SC from the ``mplfonts`` package (installed with energysim); it is
registered with matplotlib only when a Chinese figure is drawn, and only inside :func:`font_context`.
"""

from __future__ import annotations

import contextlib
import importlib.resources
from collections.abc import Iterator
from typing import Literal

import matplotlib
import xarray as xr
from matplotlib import font_manager

Lang = Literal["en", "zh"]
LANGS = ("en", "zh")

WORDS: dict[str, str] = {
    "scenario": "情景",
    "status": "求解状态",
    "demand": "用电量",
    "peak": "最高负荷",
    "imports": "外购电",
    "exports": "外送电",
    "of demand": "占用电量",
    "curtailment": "弃电",
    "unserved energy": "缺供电量",
    "CO2 territorial": "属地CO2排放",
    "consumption-based": "消费侧",
    "city": "城市",
    "sited view": "属地口径",
    "local view": "调度口径",
    "net": "净",
    "city energy cost": "城市能源成本",
    "province": "全省",
    "summer peak": "夏季最高负荷",
    "winter peak": "冬季最高负荷",
    "city share of the provincial peak": "占全省最高负荷比例",
    "from other provinces": "省外来电",
    "at most": "最大",
    "region": "区域",
    "from the province": "省网受入",
    "to the province": "送省网",
    "total cost": "总成本",
    "price": "电价",
    "average (demand-weighted)": "负荷加权平均",
    "steam": "工业蒸汽",
    "steam demand": "蒸汽需求",
    "unserved": "缺供",
    "average steam price": "平均汽价",
    "gas pool": "天然气资源池",
    "gas bought": "购气量",
    "pool average cost": "资源池平均成本",
    "average price": "平均气价",
    "city gas not supplied": "城市燃气缺供",
    "peak reserve": "高峰备用",
    "least firm margin in the peak seasons": "迎峰度夏/度冬最小可靠裕度",
    "shortfall": "缺口",
    "at most, in": "最大, 持续",
    "penalty": "罚金",
    "in the total": "计入总成本",
    "reserve value": "备用价值",
    "fuel-burning fleets, efficiency over the run": "燃料机组能效(计算期)",
    "unit commitment (thermal plants)": "火电机组组合",
    "units": "机组台数",
    "full_load_hours": "利用小时",
    "starts_per_unit": "单机启动次数",
    "price_CNY_per_MWh": "平均电价_元每MWh",
    "heat": "供热量",
    "fuel": "燃料",
    "fuel_TJ": "燃料_TJ",
    "electricity_GWh": "发电量_GWh",
    "heat_TJ": "供热量_TJ",
    "efficiency_%": "能效_%",
    "limit_%": "上限_%",
    "name": "名称",
    "kind": "类型",
    "capacity_MW": "装机_MW",
    "new_MW": "新增_MW",
    "generation_TWh": "发电量_TWh",
    "share_%": "占比_%",
    "CO2_kt": "CO2_千吨",
    "cost_MCNY": "成本_百万元",
    "Dispatch around the peak of months": "负荷高峰周的电力平衡, 月份",
    "consumption below zero": "用电(负值)",
    "Load and residual-load duration curves": "负荷与净负荷持续曲线",
    "load": "负荷",
    "residual load": "净负荷",
    "hours": "小时",
    "Capacity": "装机容量",
    "Generation": "发电量",
    "Emissions by source": "分来源碳排放",
    "Gas supply by source": "分气源供气",
    "gas supplied": "供气量",
    "No gas pool in this scenario": "本情景无天然气资源池",
    "Steam supply by technology (daily mean)": "分技术蒸汽供应(日均)",
    # figures: dispatch window, CO2 bases, gas price, waterfall (energysim.report.plots, .compare)
    "Dispatch": "电力平衡",
    "the week around the peak hour of": "最高负荷时刻所在的一周, 月份",
    "this run has no hour in": "本次计算不含",
    "the whole run": "绘制计算期全部时段",
    "peak hour of": "最高负荷时刻, 月份",
    "the week around its peak hour": "计算期最高负荷时刻所在的一周",
    "consumption": "用电",
    "charging": "充电",
    "CO2 by source on two bases (not to be added)": "分来源CO2排放, 两种口径(不可相加)",
    "CO2, territorial": "属地CO2排放",
    "plants and boilers of the view": "本口径下的电厂与锅炉",
    "CO2, consumption basis": "消费侧CO2排放",
    "locally dispatched plants and boilers": "本地调度的电厂与锅炉",
    "purchased electricity at the grid-average factor": "外购电 × 电网平均排放因子",
    "leakage (consumption − territorial)": "排放转移(消费侧 − 属地)",
    "grid imports at the import factor, not territorial": "外购电按购入排放因子计, 不计入属地排放",
    "Purchased electricity": "外购电",
    "purchased electricity": "外购电",
    "gas price": "气价",
    "gas price (dual of the gas balance), daily mean": "气价(燃气平衡对偶价, 日均)",
    "Cost change by component": "分项成本变化",
    "CO2 consumption basis": "消费侧CO2排放",
    "investment (annualised)": "投资(年化)",
    "fixed O&M": "固定运维",
    "variable O&M": "可变运维",
    "CO2 price": "碳价成本",
    "electricity bought in": "外购电费",
    "start-ups": "启停成本",
    "unserved electricity": "缺供电量",
    "unserved steam": "缺供蒸汽",
    "gas purchases": "购气成本",
    "unserved city gas": "城市燃气缺供",
    "reserve shortfall": "备用缺口",
    "green certificates": "绿证",
    "deep peaking": "深度调峰",
    "smaller changes": "其他较小变化",
    "Plan targets": "规划目标",
    "electricity injected (incl. storage discharge and grid imports)": "上网电力(含储能放电与外购)",
    "electricity price (dual of the hourly balance)": "电价(小时平衡对偶价)",
    "electricity demand": "用电负荷",
    "gas price (dual of the gas balance), per MWh thermal": "气价(燃气平衡对偶价, 按热值)",
    "steam supplied (incl. accumulator discharge)": "蒸汽供应(含蓄热器放汽)",
    "installed capacity (most in service at any hour of the horizon)": "装机容量",
}
"""English phrase → Chinese (terms as used by Chinese power planners)."""


def tr(text: str, lang: Lang = "en") -> str:
    """``text`` in ``lang`` (unknown phrases stay English)."""
    return WORDS.get(text, text) if lang == "zh" else text


def tech_names(ds: xr.Dataset, lang: Lang = "en") -> dict[str, str]:
    """Technology → display name in ``lang`` (the scenario's ``display_name_zh`` for Chinese)."""
    column = "display_name_zh" if lang == "zh" and "display_name_zh" in ds else "display_name"
    return {str(t): str(n) for t, n in zip(ds.tech.values, ds[column].values, strict=True)}


def cjk_font_file() -> str:
    """Path of the bundled Noto Sans CJK SC font."""
    return str(importlib.resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf")


@contextlib.contextmanager
def font_context(lang: Lang = "en") -> Iterator[None]:
    """matplotlib settings for ``lang`` while figures are built and saved (Chinese: the CJK font first)."""
    if lang != "zh":
        yield
        return
    path = cjk_font_file()
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [name, "DejaVu Sans"],
                                "axes.unicode_minus": False}):  # fmt: skip
        yield
