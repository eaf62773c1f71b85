"""Tables and a figure of a probabilistic adequacy study (an ``energysim adequacy`` Dataset): every estimate with
its Monte Carlo standard error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from energysim.inputs.weather_year import SHARES_THE_WEATHER
from energysim.profiles.weather_years import FACTS, against_facts
from energysim.report.i18n import Lang, region_names, table_text, tr, tr_note

WEATHER_PREFIX = "weather_"


def _pm(mean: float, se: float, digits: int = 2) -> str:
    return f"{mean:,.{digits}f} ± {se:,.{digits}f}"


ADEQUACY_COLUMNS = {
    "LOLE h/yr": "LOLE 小时/年",
    "LOLE d/yr": "LOLE 天/年",
    "EUE MWh/yr": "EUE MWh/年",
    "P(orderly power use)": "有序用电概率",
    "worst event MW": "最严重事件 MW",
    "converged": "是否收敛",
}
"""The adequacy table's columns → Chinese (units kept: MW, MWh; h/yr and d/yr as 小时/年 and 天/年)."""


def adequacy_table(ds: xr.Dataset, lang: Lang = "en") -> pd.DataFrame:
    """Per region: LOLE (h/yr, d/yr), EUE (MWh/yr), the probability of orderly power use and the worst event of
    the year, each ``mean ± standard error``, and whether the estimates converged; in ``lang``."""
    names = region_names(ds, lang)
    rows = []
    for region in ds.region.values:
        r = ds.sel(region=region)

        def pm(name: str, digits: int = 2, r: xr.Dataset = r) -> str:
            return _pm(float(r[name]), float(r[f"{name}_se"]), digits)

        if float(r.lole_hours) == 0:
            converged = tr("no loss of load seen: P(year) < {bound} at 95 %", lang,
                           bound=f"{float(r.no_loss_upper_bound):.2g}")  # fmt: skip
        elif bool(r.converged):
            converged = tr("yes", lang)
        else:
            converged = tr("no (relative s.e. {se})", lang, se=f"{float(r.lole_relative_se):.0%}")
        rows.append(
            {
                "region": names[str(region)],
                "LOLE h/yr": pm("lole_hours", 3),
                "LOLE d/yr": pm("lole_days", 3),
                "EUE MWh/yr": pm("eue", 1),
                "P(orderly power use)": pm("orderly_power_use_probability", 3),
                "worst event MW": pm("worst_event_depth", 0),
                "converged": converged,
            }
        )
    table = pd.DataFrame(rows).set_index("region")
    if lang == "zh":
        table = table.rename(columns=ADEQUACY_COLUMNS).rename_axis(tr("region", lang))
    return table


EVENT_COLUMNS = {"region": "区域", "start": "开始时间", "duration h": "持续 小时", "depth MW": "深度 MW",
                 "energy MWh": "电量 MWh", "weather year": "气象年", "sample": "抽样序号"}  # fmt: skip
"""The events table's columns → Chinese."""


def events_table(ds: xr.Dataset, n: int = 10, lang: Lang = "en") -> pd.DataFrame:
    """The ``n`` largest sampled events: region, when, duration, depth, energy, weather year, sample; in
    ``lang``."""
    if "event" not in ds.dims or not ds.sizes["event"]:
        frame = pd.DataFrame(columns=["region", "start", "duration h", "depth MW", "energy MWh", "weather year"])
    else:
        names = region_names(ds, lang)
        frame = pd.DataFrame(
            {
                "region": [names.get(str(r), str(r)) for r in ds.event_region.values],
                "start": pd.to_datetime(ds.event_start.values).strftime("%Y-%m-%d %H:00"),
                "duration h": ds.event_duration_h.values,
                "depth MW": ds.event_depth_mw.values,
                "energy MWh": ds.event_energy_mwh.values,
                "weather year": ds.event_weather_year.values,
                "sample": ds.event_sample.values,
            }
        ).head(n)
    return frame.rename(columns=EVENT_COLUMNS) if lang == "zh" else frame


def weather_statistics(ds: xr.Dataset) -> pd.DataFrame | None:
    """The heatwave statistics of the weather years the study sampled (None if it carries none)."""
    names = [v for v in ds.data_vars if v.startswith(WEATHER_PREFIX)]
    if not names:
        return None
    frame = pd.DataFrame({v[len(WEATHER_PREFIX) :]: ds[v].values for v in names})
    frame.index = pd.Index(ds.weather_year.values, name="weather_year")
    return frame


FACTS_ZH = {
    "hottest hour, °C": ("最高气温, °C", f"历史极值{FACTS['record_high_c']}(嘉兴资料§8)"),
    "years above the record": ("超过历史极值的年份", "罕见(数十年一遇)"),
    "days with a maximum ≥ 35 °C": ("日最高气温 ≥ 35 °C 的天数", "资料中无"),
    "peak hour 13–15 h": ("最高负荷出现在13–15时", "夏季高峰在13:00–15:00(嘉兴资料§8)"),
    "peak between 10 Jul and 20 Aug": ("最高负荷出现在7月10日至8月20日", "7月中旬至8月中旬(嘉兴资料§8)"),
    "days with a peak ≥ 0.76 × the year's": (
        "日最高负荷 ≥ 全年最高负荷 × 0.76 的天数",
        f"{FACTS['days_above']}(浙江2025年: 最高负荷131 GW, 超过100 GW的天数)",
    ),
    "winter / summer peak": ("冬季与夏季最高负荷之比", f"{FACTS['winter_summer_ratio']}(浙江2024、2025年)"),
    "annual peak, MW": ("全年最高负荷, MW", "发布的逐时曲线中为14,000(规划值)"),
}
"""The rows of :func:`~energysim.profiles.weather_years.against_facts` in Chinese: statistic → (statistic, the
facts); ``JX``/``ZJ`` § are the sections of data/sources/jiaxing-facts.md and zhejiang-facts.md."""


def facts_table(stats: pd.DataFrame, lang: Lang = "en") -> pd.DataFrame:
    """The weather years' statistics beside the facts they should resemble
    (:func:`~energysim.profiles.weather_years.against_facts`), in ``lang``."""
    table = against_facts(stats)
    if lang != "zh":
        return table
    generated = table.iloc[:, 1].str.replace(" of years", "的年份", regex=False)
    rows = [FACTS_ZH.get(str(k), (str(k), str(v))) for k, v in table.iloc[:, 0].items()]
    return pd.DataFrame(
        {"资料": [facts for _, facts in rows], "生成的气象年: 中位数(范围)": generated.to_numpy()},
        index=pd.Index([name for name, _ in rows], name="统计量"),
    )


def with_weather_statistics(ds: xr.Dataset, stats: pd.DataFrame) -> xr.Dataset:
    """``ds`` with the heatwave statistics (:func:`energysim.profiles.weather_years.heatwave_statistics`)."""
    data = {
        f"{WEATHER_PREFIX}{name}": (("weather_year",), stats[name].to_numpy(), {"long_name": name.replace("_", " ")})
        for name in stats.columns
    }
    return ds.assign(data).assign_coords(weather_year=stats.index.to_numpy())


def format_adequacy(ds: xr.Dataset, lang: Lang = "en") -> str:
    """The printed report in ``lang``: what was sampled, the table, LOLP by hour and month, the worst events, the
    weather years against the facts, the study's notes; tables aligned by display width."""
    a = ds.attrs
    lines = [
        tr(
            "probabilistic adequacy — {name}: {samples} sampled years (seed {seed}, chunks of {chunk}), {hours} h "
            "each ({first} … {last}), {weather} weather years, {units} units, ties and links sampled; {seconds} s "
            "({rate} samples/s)",
            lang,
            name=a.get("scenario_name", ""),
            samples=f"{a['samples']:,}",
            seed=a["seed"],
            chunk=a["chunk"],
            hours=f"{a['simulated_hours']:,}",
            first=a["simulated_from"][:10],
            last=a["simulated_to"][:10],
            weather=a["weather_years"],
            units=a["units_sampled"],
            seconds=f"{a['seconds']:.1f}",
            rate=f"{a['samples_per_second']:,.0f}",
        ),
        f"  ({tr(a['lole_scope'], lang)}; {tr('mean ± Monte Carlo standard error', lang)})",
        "",
        table_text(adequacy_table(ds, lang)),
    ]
    lolp = ds.lolp_hour.max("region")
    if float(lolp.max()) > 0:
        top = lolp.to_series().dropna()  # hours of the day the run does not simulate have no LOLP
        top = top[top > 0].sort_values(ascending=False).head(5)
        hours = ", ".join(tr("{hour} h {p}", lang, hour=f"{h:02d}", p=f"{p:.2%}") for h, p in top.items())
        months = ds.lolp_month.max("region").to_series().dropna()
        by_month = ", ".join(tr("{month}: {p}", lang, month=m, p=f"{p:.2%}") for m, p in months.items())
        events = events_table(ds, lang=lang)
        lines += [
            "",
            f"{tr('hours of the day most often short', lang)}: {hours}",
            f"{tr('by month', lang)}: {by_month}",
            "",
            f"{tr('worst sampled events', lang)}:",
            table_text(events.set_index(events.columns[0]), float_format="{:,.0f}"),
        ]
    stats = weather_statistics(ds)
    if stats is not None:
        lines += ["", f"{tr('weather years against the facts', lang)}:", table_text(facts_table(stats, lang))]
    if a.get("notes"):
        notes = "; ".join(adequacy_note(note, ds, lang) for note in str(a["notes"]).split("; "))
        lines += ["", f"{tr('notes', lang)}: {notes}"]
    return "\n".join(lines)


def adequacy_note(note: str, ds: xr.Dataset, lang: Lang = "en") -> str:
    """One of the study's notes in ``lang``, the region it names by its display name."""
    if lang != "zh":
        return note
    region, sep, rest = note.partition(": ")
    if sep and rest == SHARES_THE_WEATHER:
        return tr(f"{{region}}: {SHARES_THE_WEATHER}", lang, region=region_names(ds, lang).get(region, region))
    return tr_note(note, lang)


def lolp_figure(ds: xr.Dataset, lang: Lang = "en") -> object:
    """LOLP by hour of day and by month, per region, with ±2 standard errors; labels in ``lang`` (draw a Chinese
    one inside :func:`~energysim.report.i18n.font_context`)."""
    import matplotlib.pyplot as plt

    names = region_names(ds, lang)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for region in ds.region.values:
        for ax, name, dim in ((axes[0], "lolp_hour", "hour"), (axes[1], "lolp_month", "month")):
            mean = ds[name].sel(region=region)
            se = ds[f"{name}_se"].sel(region=region)
            x = ds[dim].values
            ax.plot(x, mean.values, marker="o", label=names[str(region)])
            ax.fill_between(x, np.clip(mean - 2 * se, 0, None), mean + 2 * se, alpha=0.2)
            if lang == "zh":
                ax.set_xlabel(tr("month" if dim == "month" else "hour of the day", lang))
                ax.set_ylabel(tr("loss-of-load probability", lang))
            else:
                ax.set_xlabel(dim)
                ax.set_ylabel(f"{ds[name].attrs.get('long_name', name)} [{ds[name].attrs.get('units', '')}]")
    axes[0].legend()
    fig.suptitle(tr("loss-of-load probability, {samples} sampled years (band: ±2 s.e.)", lang,
                    samples=f"{ds.attrs['samples']:,}"))  # fmt: skip
    fig.tight_layout()
    return fig
