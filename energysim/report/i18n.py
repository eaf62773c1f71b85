"""English and Chinese words for tables, figures and reports, technology names by language, and a CJK font.

The Chinese font is Noto Sans CJK SC from the ``mplfonts`` package (installed with energysim); it is
registered with matplotlib only when a Chinese figure is drawn, and only inside :func:`font_context`.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Literal

import matplotlib
import pandas as pd
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
    "sited": "属地口径",
    "local": "调度口径",
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
    "electricity use": "用电",
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
    # the summary printed by `run` and `summary`
    "peak price": "最高电价",
    "optimal": "最优",
    "time_limit": "达到时间上限",
    "iteration_limit": "达到迭代上限",
    "territorial basis": "属地口径",
    "consumption basis": "消费侧口径",
    "dual-control basis": "能耗双控口径",
    "own plants": "本地调度机组",
    "net purchased": "净外购电",
    "leakage": "排放转移",
    "CO2 of grid imports at the model's import factor": "外来电按模型输入排放因子计的CO2",
    "counted by the CO2 cap only under policy.co2_basis: consumption; here {basis}; never priced: the carbon price "
    "is in the import price": "仅在policy.co2_basis为consumption时计入总量上限(本情景: {basis}); "
    "不另计碳价, 碳价已含在购电价中",
    "energy": "能源消费",
    "on the dual-control intensity basis (the city's fossil fuels + non-fossil power + net purchases at 0.1229 "
    "tce/MWh; new renewables kept, feedstock and separately accounted projects out)": "能耗双控强度口径"
    "(本市化石能源 + 非化石电力 + 净外购电按0.1229 tce/MWh折标; 新增可再生能源计入强度, 原料用能与单列项目扣除)",
    "coal": "煤",
    "gas": "天然气",
    "electricity": "电力",
    "capacity_t/h": "容量_t/h",
    "new_t/h": "新增_t/h",
    "steam_Mt": "供汽量_Mt",
    "supply_1e4m3": "供气量_万m3",
    "avg_price_CNY/m3": "均价_元每m3",
    "of_max_%": "占上限_%",
    "of_take_or_pay_%": "占照付不议_%",
    "electricity_GWh_used": "用电量_GWh",
    # the report (energysim.report.document and its parts)
    "Energy plan briefing: {name}": "能源规划简报: {name}",
    "Executive summary": "要点摘要",
    "Key figures": "关键指标",
    "Dispatch, any week of the year": "逐时电力平衡(任选一周)",
    "Charts": "图表",
    "Details": "明细",
    "Technologies": "各类机组",
    "Technologies, unit commitment, efficiency, steam and gas": "机组、机组组合、能效、蒸汽与天然气",
    "Assumptions and sources": "主要假设与数据来源",
    "Accounting rules": "核算规则",
    "What the verdicts were judged on": "判定所依据的结果与核算口径",
    "Probabilistic adequacy": "概率性充裕度评估",
    "Verdict robustness": "结论稳健性",
    "Dispatch in the summer peak week": "夏季高峰周电力平衡",
    "Dispatch in the winter peak week": "冬季高峰周电力平衡",
    "Capacity and generation by technology": "分技术装机与发电量",
    "n/a (the figure could not be drawn: {error})": "无法绘制({error})",
    "The city: supply by technology above zero, consumption and sales below, demand and price; choose a week with "
    "the slider, the arrows or a preset, and point at an hour for its values.": "本市: 零线以上为分技术供电, 以下为"
    "用电(储能充电等)与外送; 黑线为用电负荷, 虚线为电价。用滑块、箭头或预设选择一周, 鼠标指向某小时可查看数值。",
    "Every default is a row of data/ with its source and a confidence mark: sourced, secondary copy, derived from "
    "sourced rows, or estimate with its reason (data/README.md; public statistics in data/sources/jiaxing-facts.md "
    "and zhejiang-facts.md).": "每个默认值都是data/中的一行, 注明来源与可信度: 有出处、转引、由有出处数据推算、"
    "或估计(附理由)(见data/README.md; 公开统计见data/sources/jiaxing-facts.md与zhejiang-facts.md)。",
    "font": "字体",
    # executive summary
    "{met} of {total} plan targets are met": "{total}项规划目标中{met}项达标",
    "{met} of {total} targets met": "{total}项目标中{met}项达标",
    ", {n} not met": ", {n}项未达标",
    ", {n} cannot be judged on these results": ", {n}项无法依据本次结果判定",
    ".": "。",
    "; ": "; ",
    "No plan targets were evaluated (the scenario names no target registry).": "未评估规划目标(情景未指定目标清单)。",
    "The system costs {cost} over the horizon; the city's energy {city}.": "计算期内系统总成本{cost}; "
    "本市能源成本{city}。",
    "CO2: {territorial} on the territorial basis, {consumption} on the consumption basis.": "二氧化碳排放: 属地口径"
    "{territorial}, 消费侧口径{consumption}。",
    "Security: {unserved} of electricity not supplied; the firm margin in the peak seasons falls to {margin} at its "
    "lowest (planning margin {required}).": "保供: 缺供电量{unserved}; 迎峰度夏(冬)期间可靠裕度最低{margin}"
    "(规划备用率{required})。",
    "Security: {unserved} of electricity not supplied.": "保供: 缺供电量{unserved}。",
    "{value} against {against}: {margin}": "{value}, 目标{against}: {margin}",
    "{amount} to spare": "富余{amount}",
    "{amount} short": "差{amount}",
    "exactly at the threshold": "恰好达到目标值",
    "n/a ({reason})": "无法判定({reason})",
    # what a target measures
    "new capacity": "新增装机",
    "capacity in service": "在运装机",
    "steam from small coal boilers after the phase-out": "淘汰后小型燃煤锅炉供汽量",
    "electricity not supplied in the peak seasons": "高峰时段缺供电量",
    "peak-season reserve shortfall": "高峰时段备用缺口",
    "energy intensity against the base year": "能耗强度较基准年变化",
    "carbon intensity against the base year": "碳排放强度较基准年变化",
    "gas price against the base year": "气价较基准年变化",
    "heat (steam) price against the base year": "热(汽)价较基准年变化",
    "CO2, territorial basis": "二氧化碳排放(属地口径)",
    "loss-of-load expectation": "失负荷期望",
    "probability of orderly power use": "有序用电概率",
    # above the target table (energysim.report.targets.targets_context)
    "{name}: {view}; {solved} of {year} h from {start} ({whole}); consumption-basis grid factor {grid} tCO2/MWh; "
    "major projects out of the energy account: {projects}": "{name}: {view}; {year}小时中的{solved}小时, 自{start}起"
    "({whole}); 消费侧口径电网排放因子{grid} tCO2/MWh; 能耗单列项目: {projects}",
    "full year": "全年",
    "weather year {k}": "第{k}气象年",
    "partial year": "非全年",
    "plan targets": "规划目标",
    "results: {line}": "本次结果: {line}",
    "base:    {line}": "基准年:   {line}",
    "base:    none{where} — changes against the base year are n/a": "基准年:   无{where} — 较基准年的变化无法判定",
    "         solve the base-year scenario first (energysim run …), or give --base FILE": (
        "         请先计算基准年情景(energysim run …), 或以 --base 指定结果文件"
    ),
    "warning: the base is in the {base} view and the results in the {results} view: changes against it are n/a "
    "(give a base of the same view: `base_results:` in the scenario, or --base)": "注意: 基准年结果为{base}口径, "
    "本次结果为{results}口径, 较基准年的变化无法判定(请给出同一口径的基准年结果: 情景中的base_results或--base)",
    # the target table
    "measured": "衡量指标",
    "target value": "目标值",
    "implied cost": "隐含成本",
    "verdict": "结论",
    "dual control": "能耗双控",
    # notes on a target (energysim.report.targets)
    "no base-year results": "无基准年结果",
    "probabilistic: run `energysim adequacy` (or give its file)": "概率性指标: 需先运行 energysim adequacy"
    "(或指定其结果文件)",
    "results carry no accounting record: run the scenario again": "结果文件缺少核算记录, 请重新运行情景",
    "base results carry no accounting record: run the base scenario again": "基准年结果缺少核算记录, "
    "请重新运行基准情景",
    "; within 2 s.e. of the threshold": "; 与目标值相差不足2倍标准误",
    # key figures
    "Cost": "成本",
    "Carbon": "碳排放",
    "Energy": "能源",
    "Security of supply": "电力保供",
    "Purchases": "购售电",
    "Steam and gas": "蒸汽与天然气",
    "CO2": "二氧化碳",
    "Total cost of the system": "系统总成本",
    "the optimised total: every region's plants, fuel, carbon at {price} CNY/t, purchases and penalties": "优化目标值: "
    "各区域机组、燃料、碳价{price}元/吨、购电与罚金",
    "The city's energy cost": "本市能源成本",
    "its own plants, gas, shortfall penalties and net purchases at its hourly price": "本市机组、天然气、缺供罚金及按"
    "逐时电价计的净购电",
    "Average electricity price": "平均电价",
    "demand-weighted; highest hour {peak}": "负荷加权; 最高小时{peak}",
    "plants and boilers of the {view}": "{view}内的电厂与锅炉",
    "locally dispatched plants and boilers + net purchased electricity × {factor} tCO2/MWh ({source})": "本地调度的"
    "电厂与锅炉 + 净外购电 × {factor} tCO2/MWh({source})",
    "Carbon intensity": "碳排放强度",
    "consumption basis, per 10⁴ CNY of GDP ({gdp} bn CNY/yr); territorial {territorial}": "消费侧口径, 每万元GDP"
    "(GDP {gdp}十亿元/年); 属地口径{territorial}",
    "Energy use": "能源消费量",
    "dual-control intensity basis: fossil fuels + non-fossil power + net purchases at 0.1229 tce/MWh": "能耗双控强度"
    "口径: 化石能源 + 非化石电力 + 净外购电(按0.1229 tce/MWh折标)",
    "Energy intensity": "能耗强度",
    "n/a (no GDP in the scenario: economy.gdp_bn_cny)": "无(情景未给出GDP: economy.gdp_bn_cny)",
    "per 10⁴ CNY of GDP": "每万元GDP",
    "{change} against the base year": "较基准年{change}",
    "change against the base year: n/a ({reason})": "较基准年变化: 无法判定({reason})",
    "Peak demand": "最高负荷",
    "the city, hourly; demand {demand}": "本市逐时; 全社会用电量{demand}",
    "Net purchases": "净外购电",
    "Net sales": "净外送电",
    "of the city's demand; bought {bought}, sold {sold}": "占本市用电量; 购入{bought}, 送出{sold}",
    "From other provinces": "省外来电",
    "of the province's demand; {energy}, at most {peak}": "占全省用电量; {energy}, 最大{peak}",
    "Electricity not supplied": "缺供电量",
    "the city, over the horizon": "本市, 计算期内",
    "Least firm margin in the peak seasons": "迎峰度夏(冬)最小可靠裕度",
    "planning margin {required}; shortfall up to {shortfall} in {hours}": "规划备用率{required}; 最大缺口{shortfall},"
    " 持续{hours}",
    "Loss-of-load expectation": "失负荷期望",
    "{samples} sampled years with forced outages and weather years; {hours} h/yr; P(orderly power use) {p}": "{samples}"
    "个抽样年(含强迫停运与气象年); {hours}小时/年; 有序用电概率{p}",
    "Average steam price": "平均汽价",
    "demand-weighted; steam demand {demand}, not supplied {unserved}": "按需求加权; 蒸汽需求{demand}, 缺供{unserved}",
    "Gas pool average cost": "资源池平均气价",
    "gas bought {bought}; city gas not supplied {unserved}": "购气量{bought}; 城市燃气缺供{unserved}",
    # assumptions and provenance
    "assumption": "假设",
    "source": "来源",
    "confidence": "可信度",
    "sourced": "有出处",
    "secondary": "转引",
    "derived": "推算",
    "estimate": "估计",
    "n/a (no data/parameters.csv row {key})": "无(data/parameters.csv中无{key}行)",
    "changed for this run (data: {default}) — ": "本次运行已修改(数据默认值: {default}) — ",
    "Electricity demand of the city": "本市全社会用电量",
    "Peak demand of the city": "本市最高负荷",
    "Industrial steam demand": "工业蒸汽需求",
    "GDP of the city": "本市GDP",
    "Coal price": "煤价",
    "Pipeline gas price (West-East, first tier)": "管道气价(西气东输, 第一档)",
    "LNG price": "LNG价格",
    "Carbon price": "碳价",
    "Grid-average CO2 factor of purchased electricity": "外购电电网平均排放因子",
    "Planning reserve margin in the peak seasons": "迎峰度夏(冬)规划备用率",
    "Value of lost load": "失负荷价值",
    "Link between the city and the province": "本市与省网联络容量",
    "Discount rate": "折现率",
    "none": "无",
    "n/a (results carry no accounting record: run the scenario again)": "无(结果文件缺少核算记录, 请重新运行情景)",
    "CO2, territorial basis: plants and boilers of the {view}.": "二氧化碳属地口径: {view}内的电厂与锅炉。",
    "CO2, consumption basis: locally dispatched plants and boilers + net purchased electricity × {factor} tCO2/MWh "
    "({source}); leakage = consumption − territorial.": "二氧化碳消费侧口径: 本地调度的电厂与锅炉 + 净外购电 × "
    "{factor} tCO2/MWh({source}); 排放转移 = 消费侧 − 属地。",
    "Energy (dual control): fossil fuels of the city's own plants + their non-fossil power + net purchases, "
    "electricity at {tce} tce/MWh (GB/T 2589-2020); new renewable power since the base year out of the total, kept in "
    "the intensity (发改运行〔2022〕1258号); feedstock out of both (发改环资〔2022〕803号): {feedstock} tce/yr; "
    "projects accounted separately (能耗单列): {projects}.": "能耗双控: 本市机组的化石能源 + 其非化石电力 + 净外购电, "
    "电力按{tce} tce/MWh折标(GB/T 2589-2020); 基准年以来新增可再生能源不纳入总量、计入强度(发改运行〔2022〕1258号); "
    "原料用能不纳入总量与强度(发改环资〔2022〕803号): {feedstock} tce/年; 能耗单列项目: {projects}。",
    "The carbon price ({price} CNY/t) is charged on the {basis} basis.": "碳价({price}元/吨)按{basis}口径计收。",
    "horizon": "计算期",
    "{solved} of {year} h, {first} to {last}; {view}": "{year}小时中的{solved}小时, {first}至{last}; {view}",
    "target registry": "目标清单",
    "base-year results": "基准年结果",
    "solver": "求解器",
    "{solver}, {method}: {status}; objective {objective}; {seconds}": "{solver}, {method}: {status}; 目标函数"
    "{objective}; 用时{seconds}",
    "results created": "结果生成时间",
    "report created": "报告生成时间",
    "{created} with energysim {version}": "{created}, energysim {version}",
    "scenario file": "情景文件",
    "overrides": "覆盖集",
    "sets": "参数修改",
    "variant": "变体",
    "results file": "结果文件",
    # the dispatch explorer
    "week": "周",
    "week {n}: {first} – {last}": "第{n}周: {first} – {last}",
    "drawn": "用电",
    "previous week": "上一周",
    "next week": "下一周",
    "go to": "跳转到",
    "power [MW]": "电力 [MW]",
    "price [CNY/MWh]": "电价 [元/MWh]",
    "week of the summer peak": "夏季最高负荷所在周",
    "week of the winter peak": "冬季最高负荷所在周",
    "week of the tightest firm margin": "可靠裕度最紧张的一周",
    "This browser cannot unpack the hourly data (it needs DecompressionStream: Chrome or Edge 80+, Firefox 113+, "
    "Safari 16.4+); the static charts below show the peak weeks.": "本浏览器无法解压逐时数据(需要DecompressionStream: "
    "Chrome/Edge 80+、Firefox 113+、Safari 16.4+); 下方静态图表给出了高峰周。",
    "group": "类别",
    "figure": "指标",
    "basis": "口径",
    "gas_province": "天然气(省网)",
    "whole system": "全系统",
    "tech": "机组",
    "gas_source": "气源",
    # `energysim profiles plot`
    "Summer peak week from {day}": "夏季高峰周(自{day}起)",
    "Winter week from {day}": "冬季典型周(自{day}起)",
    "Spring Festival week from {day}": "春节周(自{day}起)",
    "PV output, {mw} MW fleet": "光伏出力(装机{mw} MW)",
    "air temperature": "气温",
    "air temperature [°C]": "气温 [°C]",
    "Load duration curve {year}: peak {peak} MW, {energy} TWh": "{year}年负荷持续曲线: 最高负荷{peak} MW, "
    "用电量{energy} TWh",
    "hours in the year [h]": "全年小时数 [h]",
    "demand [MW]": "用电负荷 [MW]",
    # `energysim adequacy` (energysim.report.adequacy)
    "probabilistic adequacy — {name}: {samples} sampled years (seed {seed}, chunks of {chunk}), {hours} h each "
    "({first} … {last}), {weather} weather years, {units} units, ties and links sampled; {seconds} s ({rate} "
    "samples/s)": "概率性充裕度评估 — {name}: 抽样{samples}年(随机种子{seed}, 每批{chunk}年), 每年模拟{hours}小时"
    "({first} … {last}), {weather}个气象年, 对{units}台机组及联络线、输电通道抽样停运; 用时{seconds}秒"
    "(每秒{rate}次抽样)",
    "loss of load counted over the simulated hours only": "失负荷仅统计模拟时段",
    "mean ± Monte Carlo standard error": "均值 ± 蒙特卡洛标准误",
    "no loss of load seen: P(year) < {bound} at 95 %": "未出现失负荷: 年发生概率 < {bound}(95 %置信)",
    "no (relative s.e. {se})": "否(相对标准误{se})",
    "{hour} h {p}": "{hour}时 {p}",
    "{month}: {p}": "{month}月 {p}",
    "hours of the day most often short": "最常缺电的时刻",
    "by month": "分月",
    "worst sampled events": "抽样中最严重的失负荷事件",
    "weather years against the facts": "气象年与公开资料对比",
    "notes": "说明",
    "{region}: demand moves day by day with the weather years' demand, rescaled to their energy and peak": "{region}: "
    "负荷随各气象年嘉兴负荷逐日变化, 再按其电量和最高负荷缩放",
    "hour of the day": "时刻",
    "month": "月份",
    "loss-of-load probability": "失负荷概率",
    "loss-of-load probability, {samples} sampled years (band: ±2 s.e.)": "失负荷概率, 抽样{samples}年"
    "(阴影: ±2倍标准误)",
    "plan targets: none of the registry's targets is an adequacy metric": "规划目标: 目标清单中没有充裕度指标",
    "adequacy study written to {out}": "充裕度评估结果已写入 {out}",
    # `energysim robustness` (energysim.report.robustness)
    "verdict robustness — {name}: {variants} variants ({samples} joint samples, seed {seed}), {inputs} uncertain "
    "inputs; {seconds} s, median {median} s a variant (first, fresh solve {fresh} s), {workers}": "结论稳健性 — "
    "{name}: {variants}个变体({samples}次联合抽样, 随机种子{seed}), {inputs}个不确定输入; 用时{seconds}秒, 每个变体"
    "中位数{median}秒(首次冷启动求解{fresh}秒), {workers}",
    "verdict robustness — {name}: {variants} variants ({samples} joint samples, seed {seed}), {inputs} uncertain "
    "inputs; resumed: {solved} solved in this run, {seconds} s, median {median} s a variant (first, fresh solve "
    "{fresh} s), {workers}": "结论稳健性 — {name}: {variants}个变体({samples}次联合抽样, 随机种子{seed}), {inputs}个"
    "不确定输入; 续算: 本次求解{solved}个, 用时{seconds}秒, 每个变体中位数{median}秒(首次冷启动求解{fresh}秒), "
    "{workers}",
    "verdicts (joint sample):": "各项结论(联合抽样):",
    "one at a time it flips with": "单独变动时结论翻转的条件",
    "KPIs over the joint sample (base; mean ± s.e.; 5–50–95 %):": "联合抽样下的关键指标(基准值; 均值 ± 标准误; "
    "5–50–95 %分位数):",
    "robustness study written to {out} (one JSON file per variant beside it)": "结论稳健性结果已写入 {out}"
    "(每个变体一个JSON文件, 在同一文件夹中)",
    "met in {p} of {n} samples (± {se})": "{n}次抽样中{p}达标(± {se})",
    "met in all {n} samples": "{n}次抽样全部达标",
    "not met in any of {n} samples": "{n}次抽样均未达标",
    "; flips when {phrases}": "; 结论在以下情况下翻转: {phrases}",
    "; margin moves most with {phrases}": "; 裕度主要随以下输入变化: {phrases}",
    "; no input moves it": "; 没有输入影响该结论",
    " or ": "或",
    "n/a in every sample": "每次抽样均无法判定",
    "{input} is {side} {at}": "{input}{side}{at}",
    "{input} moves (ρ = {rho}; no single threshold separates met from not met)": (
        "{input}变动(ρ = {rho}; 无单一阈值区分达标与否)"
    ),
    " (alone: {alone})": "(单独变动时: {alone})",
    "{input} {side} ≈{x} (between {a} and {b})": "{input}{side}≈{x}(介于{a}与{b}之间)",
    "{input}: on the {basis} basis": "{input}: 按{basis}口径",
    "(on the {basis} basis)": "(按{basis}口径)",
    "below": "低于",
    "above": "高于",
    "registry's": "目标清单规定的",
    # what a command read (energysim.cli.reading.read_line)
    "read {where}: {scenario} · {view} · {horizon} · {accounting} · created {created}": "读取 {where}: {scenario} · "
    "{view} · {horizon} · {accounting} · 生成于 {created}",
    "{given} variant {index} of {of} ({variant})": "{given} 第{index}个变体(共{of}个, {variant})",
    "{solved} of {year} h from {start} ({whole})": "{year}小时中的{solved}小时, 自{start}起({whole})",
    "{view} (attributed; solved file: {own})": "{view}(重新归属; 求解时为{own})",
    "CO2 policy on the {basis} basis": "CO2政策按{basis}口径",
    ", consumption basis at {grid} tCO2/MWh": ", 消费侧口径按{grid} tCO2/MWh",
    # `energysim compare` (energysim.cli.results, energysim.report.compare)
    # the KPI rows of `compare` (report.compare.kpi_table; per technology: quantity.tech) and the columns of
    # `stress` (studies.stress.stress_report)
    "demand_TWh": "用电量_TWh",
    "peak_demand_MW": "最高负荷_MW",
    "imports_TWh": "外购电_TWh",
    "exports_TWh": "外送电_TWh",
    "import_share": "净外购电占用电量比例",
    "co2_territorial_Mt": "属地CO2排放_百万吨",
    "co2_consumption_Mt": "消费侧CO2排放_百万吨",
    "co2_leakage_Mt": "排放转移_百万吨",
    "city_cost_MCNY": "城市能源成本_百万元",
    "average_price_CNY_per_MWh": "平均电价_元每MWh",
    "peak_price_CNY_per_MWh": "最高电价_元每MWh",
    "curtailment_TWh": "弃电_TWh",
    "unserved_MWh": "缺供电量_MWh",
    "co2_imports_at_import_factor_Mt": "外来电CO2(按模型输入排放因子)_百万吨",
    "total_cost_MCNY": "总成本_百万元",
    "province_demand_TWh": "全省用电量_TWh",
    "province_summer_peak_MW": "全省夏季最高负荷_MW",
    "province_winter_peak_MW": "全省冬季最高负荷_MW",
    "province_peak_MW": "全省最高负荷_MW",
    "from_other_provinces_TWh": "省外来电_TWh",
    "from_other_provinces_share": "省外来电占全省用电量比例",
    "from_other_provinces_max_MW": "省外来电最大_MW",
    "city_share_of_provincial_peak": "全省最高负荷时刻本市负荷占比",
    "city_peak_to_provincial_peak": "本市与全省最高负荷之比",
    "province_average_price_CNY_per_MWh": "全省平均电价_元每MWh",
    "steam_demand_Mt": "蒸汽需求_百万吨",
    "steam_unserved_t": "缺供蒸汽_吨",
    "average_steam_price_CNY_per_t": "平均汽价_元每吨",
    "gas_supply_1e4m3": "购气量_万m3",
    "gas_pool_average_cost_CNY_per_m3": "资源池平均成本_元每m3",
    "gas_average_price_CNY_per_m3": "平均气价_元每m3",
    "gas_unserved_1e4m3": "城市燃气缺供_万m3",
    "reserve_min_margin_%": "高峰最小可靠裕度_%",
    "reserve_max_shortfall_MW": "备用最大缺口_MW",
    "reserve_shortfall_hours": "备用缺口小时数",
    "reserve_shortfall_penalty_MCNY": "备用缺口罚金_百万元",
    "reserve_value_CNY_per_kW": "备用价值_元每kW",
    "co2_own_plants_Mt": "本地调度机组CO2_百万吨",
    "co2_provincial_plants_Mt": "省调机组CO2_百万吨",
    "co2_purchased_electricity_Mt": "外购电CO2_百万吨",
    "electricity_purchased_TWh": "净外购电_TWh",
    "new_capacity_MW": "新增装机_MW",
    "unserved_hours": "缺供小时数",
    "worst_hour": "缺供最严重时刻",
    "worst_MW": "最大缺供_MW",
    "reserve_shortfall_MW": "备用最大缺口_MW",
    "extra_cost_MCNY": "增加成本_百万元",
    "of_which_reserve_penalty_MCNY": "其中备用缺口罚金_百万元",
    "peak_hour": "最高负荷时刻",
    "peak_MW": "最高负荷_MW",
    "inputs changed from {a} to {b}:": "输入变化({a} → {b}):",
    "(none)": "(无)",
    "before": "变化前",
    "after": "变化后",
    "input": "输入项",
    "runs:": "各次结果:",
    "the runs are in different views: territorial CO2 counts different plants, consumption-based does not": "各次结果"
    "口径不同: 属地CO2所计电厂不同, 消费侧CO2不受影响",
    "KPIs:": "关键指标:",
    "kpi": "指标",
    "target verdicts (each run against its registry, base-year results and adequacy study, as `targets`):": "规划"
    "目标结论(各次结果对照各自的目标清单、基准年结果与充裕度评估, 同 energysim targets):",
    "waterfall written to {path}": "瀑布图已写入 {path}",
    "CO2 territorial: plants and boilers of the {view}; CO2 consumption basis: locally dispatched plants and boilers "
    "+ net purchased electricity × {factor} tCO2/MWh ({source}); leakage = consumption − territorial": "属地CO2排放: "
    "{view}内的电厂与锅炉; 消费侧CO2排放: 本地调度的电厂与锅炉 + 净外购电 × {factor} tCO2/MWh({source}); "
    "排放转移 = 消费侧 − 属地",
    # `energysim stress` and `energysim phaseout`
    "reading the scenario and its profiles": "读取情景及其逐时曲线",
    "solving the scenario: the fleet it builds": "求解情景, 得出其建设的机组",
    "stress case {name}": "压力情景: {name}",
    "stress case": "压力情景",
    "not applicable here": "本情景不适用",
    "skipped:": "已跳过:",
    "resources carrying the peak hour of each stress period (MW):": "各压力情景时段最高负荷时刻承担供电的主要资源(MW):",
    "{hour}, demand {mw} MW": "{hour}, 负荷{mw} MW",
    "solving without the phase-out": "求解不淘汰燃煤锅炉的情形",
    "solving with it": "求解淘汰燃煤锅炉的情形",
    "coal boilers of at most {size} t/h shut from {day}:": "{day}起关停{size}蒸吨/小时及以下燃煤锅炉:",
    "coal boilers removed": "关停燃煤锅炉容量",
    "electricity for steam": "蒸汽用电量",
    "gas for plants and boilers": "电厂与锅炉用气量",
    "electricity purchased (net)": "净外购电",
    "CO2 leakage (consumption − territorial)": "排放转移(消费侧 − 属地)",
    # `energysim sweep`
    "{cost} MCNY in {seconds} s": "{cost}百万元, 用时{seconds}秒",
    "solved": "已求解",
    "resumed": "已完成",
    "failed": "失败",
    "{done} of {total} variants have results in {out} (read one with `energysim summary {out} --variant "
    "NAME|INDEX`; all with energysim.open_sweep)": "{total}个变体中{done}个已有结果, 位于 {out}(查看单个变体: "
    "energysim summary {out} --variant 名称或序号; 全部: energysim.open_sweep)",
    # technology kinds (`tech_kind`)
    "kind:thermal": "火电",
    "kind:must_run": "必开机组",
    "kind:variable": "风电光伏",
    "kind:chp": "热电联产",
    "kind:storage": "储能",
    "kind:grid": "电网联络",
    "kind:boiler": "锅炉",
    "kind:heat_pump": "热泵",
    "kind:steam_storage": "蓄热",
    "kind:demand_shift": "可转移负荷",
    "kind:demand_curtail": "可中断负荷",
    # target verdicts
    "yes": "是",
    "no": "否",
    "n/a": "不适用",
    "met": "达标",
    "not met": "未达标",
    "cannot be judged": "无法判定",
    # the targets table
    "target": "目标",
    "clause": "规划条款",
    "accounting": "核算口径",
    "value": "数值",
    "comparison": "比较",
    "threshold": "目标值",
    "unit": "单位",
    "margin": "裕度",
    "implied_cost": "隐含成本",
    "note": "说明",
    "constraint": "约束",
    "check": "校核",
    "territorial": "属地",
    "consumption": "消费侧",
    "dual_control": "能耗双控",
}
"""English phrase → Chinese (terms as used by Chinese power planners)."""

UNITS: dict[str, str] = {
    "MCNY": "百万元",
    "CNY": "元",
    "CNY/MWh": "元/MWh",
    "CNY/t": "元/吨",
    "CNY/tCO2": "元/吨CO2",
    "CNY/GJ": "元/GJ",
    "CNY/m3": "元/m³",
    "CNY/kW": "元/kW",
    "10^4 m3": "万m³",
    "bn CNY": "十亿元",
    "t": "吨",
    "t/h": "蒸吨/小时",
    "h": "小时",
    "s": "秒",
    "d/yr": "天/年",
    "h/yr": "小时/年",
    "MWh/yr": "MWh/年",
    "pp": "个百分点",
    "tCO2/10⁴ CNY": "吨CO2/万元",
    "tce/10⁴ CNY": "吨标煤/万元",
    "t/10⁴ CNY": "吨/万元",
    "Mtce": "百万吨标煤",
    "Mt": "百万吨",
    "kt": "千吨",
    "kt CO2": "千吨CO2",
}
"""Units that Chinese tables write otherwise (the rest, MW, TWh, %, are the same)."""


def tr(text: str, lang: Lang = "en", **fields: object) -> str:
    """``text`` in ``lang`` (unknown phrases stay English), its ``{fields}`` filled in when given.

    >>> tr("{met} of {total} targets met", "zh", met=3, total=4)
    '4项目标中3项达标'
    """
    text = WORDS.get(text, text) if lang == "zh" else text
    return text.format(**fields) if fields else text


NOTES: tuple[tuple[str, str], ...] = (
    (r"on (?P<a>\d+) of (?P<b>\d+) h", "按计算的{a}/{b}小时"),
    (r"partial year \((?P<a>\d+) of (?P<b>\d+) h\)", "非全年(计算{a}/{b}小时)"),
    (r"base is a partial year \((?P<a>\d+) of (?P<b>\d+) h\)", "基准年结果非全年(计算{a}/{b}小时)"),
    (r"base covers (?P<a>\d+) of (?P<b>\d+) h, results (?P<c>\d+) of (?P<d>\d+) h",
     "基准年结果覆盖{a}/{b}小时, 本次结果{c}/{d}小时"),
    (r"(?P<who>base|target) in the (?P<a>\w+) view, results in the (?P<b>\w+) view", "{who}为{a}口径, 结果为{b}口径"),
    (r"± (?P<se>\S+) \(1 s\.e\., (?P<n>\d+) samples\)(?P<close>; within 2 s\.e\. of the threshold)?",
     "± {se}(1倍标准误, {n}次抽样){close}"),
    (r"(?P<day>\S+) is outside the horizon \((?P<a>\S+) to (?P<b>\S+)\)", "{day}不在计算期内({a}至{b})"),
    (r"grid factors differ: base (?P<a>\S+), results (?P<b>\S+) tCO2/MWh",
     "电网排放因子不同: 基准年{a}, 本次{b} tCO2/MWh"),
    (r"separately accounted projects differ: base (?P<a>.+), results (?P<b>.+)", "单列项目不同: 基准年{a}, 本次{b}"),
    (r"no region (?P<a>\S+) in the adequacy study", "充裕度评估中无区域{a}"),
    (r"(?P<a>\S+): no solved run, no steam: extraction CHP at full power, back-pressure none",
     "{a}: 无求解结果, 不计供汽: 抽凝机组按满发计, 背压机组不计"),
)  # fmt: skip
"""Notes on a target (:func:`energysim.report.targets.not_comparable` and the adequacy standard error) with
numbers in them → Chinese templates; the notes without numbers are in :data:`WORDS`."""

NOTE_FIELDS = {"base": "基准年结果", "target": "目标", "sited": "属地", "local": "调度",
               "; within 2 s.e. of the threshold": "; 与目标值相差不足2倍标准误"}  # fmt: skip


def tr_note(note: str, lang: Lang = "en") -> str:
    """A target's note in ``lang``: a phrase of :data:`WORDS`, a pattern of :data:`NOTES` with its numbers kept,
    else the note as it is.

    >>> tr_note("partial year (168 of 8760 h)", "zh")
    '非全年(计算168/8760小时)'
    """
    if lang != "zh" or not note:
        return note
    if note in WORDS:
        return WORDS[note]
    return _by_pattern(note, NOTES, lambda _, value: NOTE_FIELDS.get(value, value)) or note


def _by_pattern(text: str, patterns: tuple[tuple[str, str], ...], field: Callable[[str, str], str]) -> str | None:
    """``text`` by the template of the first pattern it matches whole, each caught field passed through
    ``field(name, value)`` (an optional group not caught: ``""``); None when no pattern matches. The one
    mechanism of :func:`tr_note` and :func:`tr_line`."""
    for pattern, template in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            return template.format(**{k: field(k, v or "") for k, v in match.groupdict().items()})
    return None


PROGRESS: tuple[tuple[str, str], ...] = (
    (r"solving (?P<a>\S+) for the fleet it builds …", "求解{a}, 得出其建设的机组 …"),
    (r"(?P<n>\d+) weather years of (?P<year>\d+) in (?P<s>\S+) s", "生成{year}年的{n}个气象年, 用时{s}秒"),
    (r"sampling (?P<n>[\d,]+) years of (?P<h>[\d,]+) h …", "抽样{n}年, 每年{h}小时 …"),
    (r"(?P<n>\d+) variants: (?P<a>\d+) already done, (?P<b>\d+) to solve", "共{n}个变体: 已完成{a}个, 待求解{b}个"),
    (r"\[(?P<i>\d+)/(?P<n>\d+)\] (?P<label>.+?): (?P<s>[\d.]+) s \((?P<how>[^)]*)\)  \((?P<t>\d+) s\)",
     "[{i}/{n}] {label}: {s}秒({how})  (累计{t}秒)"),
    (r"\[(?P<i>\d+)/(?P<n>\d+)\] (?P<label>.+?): (?P<error>.+)  \((?P<t>\d+) s\)",
     "[{i}/{n}] {label}: 失败: {error}  (累计{t}秒)"),
    (r"left out: (?P<a>\S+): the scenario does not set (?P<key>\S+)", "未纳入: {a}(情景文件未设置{key})"),
    (r"the base on every hour \(the anchor of the typical-day variants\) …",
     "基准情景逐时全年求解(典型日变体的锚点) …"),
    (r"the base on every hour: (?P<s>[\d.]+) s", "基准情景逐时全年求解: 用时{s}秒"),
    (r"(?P<n>\d+) typical days picked from the base: (?P<s>[\d.]+) s", "从基准情景选出{n}个典型日: 用时{s}秒"),
    (r"(?P<n>\d+) typical days picked from weather year (?P<k>\d+): (?P<s>[\d.]+) s",
     "从气象年{k}选出{n}个典型日: 用时{s}秒"),
    (r"time\.aggregate of the scenario \((?P<d>\d+) days, seed (?P<seed>\d+)\) gives way to --days (?P<n>\d+) "
     r"\(seed \d+, extremes (?P<x>kept|not kept)\); the anchor solves every hour",
     "情景的time.aggregate({d}天, 种子{seed})改用--days {n}(种子{seed}, 极端日{x}); 锚点逐时全年求解"),
    (r"left out: (?P<a>\S+): only one weather year", "未纳入: {a}(只有一个气象年)"),
    (r"no base-year results at (?P<a>.+): targets measured against the base year are n/a",
     "{a}处无基准年结果: 以基准年为参照的目标无法判定"),
)  # fmt: skip
"""Progress lines of the studies (``adequacy``, ``robustness``) → Chinese; variant labels and errors stay."""


def tr_line(line: str, lang: Lang = "en") -> str:
    """A progress line in ``lang`` (:data:`PROGRESS`), its indent kept; a line no pattern knows stays as it is.

    >>> tr_line("  sampling 1,000 years of 2,952 h …", "zh")
    '  抽样1,000年, 每年2,952小时 …'
    """
    if lang != "zh":
        return line
    text = line.lstrip()

    def field(name: str, value: str) -> str:
        return variant_label(value, lang) if name == "label" else PROGRESS_WORDS.get(value, value)

    said = _by_pattern(text, PROGRESS, field)
    return line if said is None else line[: len(line) - len(text)] + said


SOLVE_KINDS = {"fresh": "重新求解", "changes": "在上次解的基础上修改后求解"}
"""How a robustness variant was solved (:class:`energysim.solver.resolve.Resolver`) → Chinese."""
PROGRESS_WORDS = {**SOLVE_KINDS, "kept": "保留", "not kept": "不保留"}
"""Words caught inside progress lines (solve kinds, whether extreme days are kept) → Chinese."""


def variant_label(label: str, lang: Lang = "en") -> str:
    """A robustness variant's label in ``lang``: ``base`` → 基准, ``coal_price low`` → ``coal_price 低值``,
    ``sample 7`` → 抽样7 (the input's id stays: it names the row of data/uncertainty.csv)."""
    if lang != "zh":
        return label
    name, _, end = label.rpartition(" ")
    if label == "base":
        return "基准"
    if name == "sample" and end.isdigit():
        return f"抽样{end}"
    return f"{name} {ENDS[end]}" if end in ENDS else label


ENDS = {"low": "低值", "high": "高值"}


TYPESET = {"CNY/m3": "CNY/m³", "10^4 m3": "10⁴ m³"}
"""Units written in ASCII in column names and typeset in reports."""


def unit_name(unit: str, lang: Lang = "en") -> str:
    """A unit in ``lang`` (``MCNY`` → 百万元; ``10^4 m3`` → 10⁴ m³)."""
    return UNITS.get(unit, unit) if lang == "zh" else TYPESET.get(unit, unit)


def kind_name(kind: str, lang: Lang = "en") -> str:
    """A technology kind (``tech_kind``) in ``lang``: ``must_run`` → ``must run`` or 必开机组."""
    return WORDS.get(f"kind:{kind}", kind) if lang == "zh" else kind.replace("_", " ")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a ``<pre>``: 2 for wide and full-width characters (CJK), 0 for
    combining marks, 1 otherwise (ambiguous ones, such as ±, — and ×, count 1 as in a Western terminal).

    >>> display_width("嘉兴 PP"), display_width("±5 %")
    (7, 4)
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns (:func:`display_width`), left-aligned unless
    ``right``."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


NA = "—"
"""What a report shows for a missing number (never ``NaN``)."""


def table_text(table: pd.DataFrame, *, digits: int | None = None, float_format: str | None = None) -> str:
    """``table.to_string()`` with its columns aligned by display width (Chinese characters count two columns)
    and missing numbers shown as :data:`NA`; numbers rounded to ``digits`` or formatted with ``float_format``
    (e.g. ``"{:,.2f}"``)."""
    if digits is not None:
        table = table.round(digits)
    formatter = (lambda x: NA if missing(x) else float_format.format(x)) if float_format else None
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", None):
        return table.to_string(na_rep=NA, float_format=formatter)


def missing(value: object) -> bool:
    """Whether ``value`` is no number (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def tech_names(ds: xr.Dataset, lang: Lang = "en") -> dict[str, str]:
    """Technology → display name in ``lang`` (the scenario's ``display_name_zh`` for Chinese)."""
    column = "display_name_zh" if lang == "zh" and "display_name_zh" in ds else "display_name"
    return {str(t): str(n) for t, n in zip(ds.tech.values, ds[column].values, strict=True)}


def grid_source(ds: xr.Dataset, lang: Lang = "en") -> str:
    """Where the run's grid-average CO2 factor comes from, in ``lang`` (results written before the Chinese source
    was recorded give the English one)."""
    source = str(ds.attrs.get("grid_co2_source", "?"))
    return str(ds.attrs.get("grid_co2_source_zh", source)) if lang == "zh" else source


def region_names(ds: xr.Dataset, lang: Lang = "en") -> dict[str, str]:
    """Region → display name in ``lang`` (the scenario's ``display_name_zh`` for Chinese; the id in results
    written before regions had names); ``system`` (an adequacy study's loss of load anywhere) too."""
    column = "region_name_zh" if lang == "zh" else "region_name"
    names = {str(r): str(r) for r in ds.region.values}
    if column in ds:
        names |= {str(r): str(n) for r, n in zip(ds.region.values, ds[column].values, strict=True)}
    return names | {"system": tr("whole system", lang)} if "system" in names else names


def gas_source_names(ds: xr.Dataset, lang: Lang = "en") -> dict[str, str]:
    """Gas source → display name in ``lang`` (``display_name_zh`` for Chinese, else ``display_name``)."""
    column = "gas_source_name_zh" if lang == "zh" and "gas_source_name_zh" in ds else "gas_source_name"
    return {str(s): str(n) for s, n in zip(ds.gas_source.values, ds[column].values, strict=True)}


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
