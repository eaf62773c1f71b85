"""How sure each verdict is: tornadoes and flip points from the one-at-a-time variants, probabilities, KPI
distributions and the strongest drivers from the joint (Latin-hypercube) sample of a robustness study.

- **Flip point** of a target along one input (one at a time): where its margin crosses zero on the straight
  lines through the solved points (low, base, high) — an interpolation between solves, not a further solve;
  an LP's answer moves in steps, so the bracketing solves are given too ("between 40 and 60").
- **Probability met**: the share of joint samples whose verdict is ``yes`` (``n/a`` left out), with its binomial
  standard error √(p(1 − p)/n).
- **Drivers**: the inputs whose values rank-correlate most with the verdict (met or not) over the joint sample
  (Spearman's ρ; with the margin when the verdict never flips); for each, the single threshold on it that best
  separates met from not met (a decision stump), which gives the sentence "flips when the coal price is above …".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energysim.inputs.uncertainty import UncertainInput
from energysim.report.i18n import ENDS, Lang, pad, tr, unit_name

MIN_RHO = 0.05
"""A rank correlation below this names no driver."""

KPI_UNITS = {
    "cost_mcny": "MCNY",
    "co2_territorial_mt": "Mt",
    "co2_consumption_mt": "Mt",
    "energy_intensity_tce_per_1e4cny": "tce/10⁴ CNY",
    "co2_intensity_territorial_t_per_1e4cny": "t/10⁴ CNY",
    "co2_intensity_consumption_t_per_1e4cny": "t/10⁴ CNY",
    "co2_intensity_territorial_change_pct": "%",
    "co2_intensity_consumption_change_pct": "%",
    "unserved_mwh": "MWh",
    "lole_days": "d/yr",
    "lole_hours": "h/yr",
    "eue_mwh": "MWh/yr",
    "orderly_power_use_probability": "1",
}


KPI_NAMES_ZH = {
    "cost_mcny": "总成本",
    "co2_territorial_mt": "属地CO2排放",
    "co2_consumption_mt": "消费侧CO2排放",
    "energy_intensity_tce_per_1e4cny": "能耗强度",
    "co2_intensity_territorial_t_per_1e4cny": "碳排放强度(属地口径)",
    "co2_intensity_consumption_t_per_1e4cny": "碳排放强度(消费侧口径)",
    "co2_intensity_territorial_change_pct": "碳排放强度较基准年变化(属地口径)",
    "co2_intensity_consumption_change_pct": "碳排放强度较基准年变化(消费侧口径)",
    "unserved_mwh": "缺供电量",
    "lole_days": "失负荷期望(天)",
    "lole_hours": "失负荷期望(小时)",
    "eue_mwh": "期望缺供电量",
    "orderly_power_use_probability": "有序用电概率",
}
"""The KPIs of a robustness study in Chinese."""


def kpi_name(kpi: str, lang: Lang = "en") -> str:
    """A KPI of the study as the report calls it in ``lang`` (its key in English)."""
    return KPI_NAMES_ZH.get(kpi, kpi) if lang == "zh" else kpi


def shown(inp: UncertainInput, value: float, lang: Lang = "en") -> str:
    """``inp.show(value)`` in ``lang``: a weather year as 气象年N, the unit in Chinese."""
    text = inp.show(value)
    if lang != "zh":
        return text
    if inp.kind == "weather":
        return f"气象年{round(value)}"
    unit = inp.display_unit or inp.unit
    return text.removesuffix(unit) + unit_name(unit, lang) if unit and text.endswith(unit) else text


def records_frame(records: Sequence[dict[str, Any]], inputs: Sequence[UncertainInput]) -> pd.DataFrame:
    """One row per variant: kind, label, error, every input's value (base where not set), the KPIs, and each
    target's value, verdict (1 met, 0 not, NaN n/a) and margin; for a study on typical days (``--days``) also
    the raw values on the days (``days:kpi:…``, ``days:value:…``, ``days:met:…``)."""
    rows = []
    for record in records:
        v = record["variant"]
        row: dict[str, Any] = {
            "index": v["index"],
            "kind": v["kind"],
            "label": v["label"],
            "error": record.get("error", ""),
        }
        for inp in inputs:
            row[f"in:{inp.name}"] = v["values"].get(inp.name, inp.base)
        row["seconds"] = record.get("seconds", np.nan)
        row["solve"] = record.get("solve", "")
        for name, value in record.get("kpis", {}).items():
            row[f"kpi:{name}"] = value
        for target, result in record.get("targets", {}).items():
            row[f"met:{target}"] = result["met"]
            row[f"value:{target}"] = result["value"]
            row[f"margin:{target}"] = result["margin"]
        for name, value in record.get("days_kpis", {}).items():  # robustness --days: before anchoring
            row[f"days:kpi:{name}"] = value
        for target, result in record.get("days_targets", {}).items():
            row[f"days:value:{target}"] = result["value"]
            row[f"days:met:{target}"] = result["met"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("index")


OTHER_BASIS = {"consumption": "territorial", "territorial": "consumption"}


def add_other_basis(frame: pd.DataFrame, registry: Any) -> list[str]:
    """For each carbon-intensity target, the same target on the other CO2 basis as a further column set
    (``<id>@<basis>``), from the KPIs every variant reports on both bases; returns the ids added. A structural
    switch that needs no solve: the ``basis`` input flips a verdict when the two disagree."""
    added = []
    for target in getattr(registry, "targets", []):
        if target.metric != "co2_intensity_change_pct" or target.basis_key not in OTHER_BASIS:
            continue
        other = OTHER_BASIS[target.basis_key]
        column = f"kpi:co2_intensity_{other}_change_pct"
        if column not in frame:
            continue
        value = frame[column].astype(float)
        margin = value - target.threshold if target.comparison == ">=" else target.threshold - value
        name = f"{target.id}@{other}"
        known = frame.get(f"met:{target.id}", pd.Series(np.nan, index=frame.index)).notna()
        frame[f"value:{name}"] = value
        frame[f"margin:{name}"] = margin
        frame[f"met:{name}"] = np.where(known & value.notna(), (margin >= 0).astype(float), np.nan)
        added.append(name)
    return added


def tornado(frame: pd.DataFrame, inputs: Sequence[UncertainInput], column: str) -> pd.DataFrame:
    """For ``column`` (a KPI or a target's value), each one-at-a-time input's values at its ends and the swing,
    largest first."""
    base = frame[frame.kind == "base"][column].iloc[0]
    oat = frame[frame.kind == "one_at_a_time"]
    rows = []
    for inp in inputs:
        moved = oat[oat.label.str.startswith(f"{inp.name} ")]
        if moved.empty or column not in moved:
            continue
        values = np.append(moved[column].to_numpy(dtype=float), base)
        if np.isnan(values).all():
            continue
        low, high = np.nanmin(values), np.nanmax(values)
        rows.append({"input": inp.name, "label": inp.label, "low": low, "high": high, "base": base,
                     "swing": high - low})  # fmt: skip
    table = pd.DataFrame(rows, columns=["input", "label", "low", "high", "base", "swing"])
    return table.sort_values("swing", ascending=False).set_index("input")


def flip_points(
    frame: pd.DataFrame, inputs: Sequence[UncertainInput], target: str, lang: Lang = "en"
) -> dict[str, str]:
    """Input → how the target's verdict flips when that input alone moves (absent: it does not flip within the
    input's range), in ``lang``."""
    margin = f"margin:{target}"
    if margin not in frame:
        return {}
    base_row = frame[frame.kind == "base"].iloc[0]
    base_margin = float(base_row[margin])
    oat = frame[frame.kind == "one_at_a_time"]
    out = {}
    for inp in inputs:
        if inp.kind == "basis":  # no solve: the same variants on the other CO2 basis
            own, _, basis = target.partition("@")
            if basis:  # the target on the other basis: its partner is the registry's own
                partner, other = f"margin:{own}", "registry's"
            else:
                partner = next((c for c in frame if c.startswith(f"margin:{target}@")), "")
                other = partner.split("@")[-1]
            if partner in frame and not np.isnan(base_margin) and (float(base_row[partner]) >= 0) != (base_margin >= 0):
                basis = tr(other, lang)
                out[inp.name] = tr("{input}: on the {basis} basis", lang, input=inp.name_in(lang), basis=basis)
            continue
        moved = oat[oat.label.str.startswith(f"{inp.name} ")]
        if moved.empty or np.isnan(base_margin):
            continue
        if inp.kind in ("number", "date", "outage_scale"):
            xs = np.append(moved[f"in:{inp.name}"].to_numpy(dtype=float), inp.base)
            ys = np.append(moved[margin].to_numpy(dtype=float), base_margin)
            order = np.argsort(xs)
            xs, ys = xs[order], ys[order]
            for (x0, y0), (x1, y1) in zip(zip(xs, ys, strict=True), zip(xs[1:], ys[1:], strict=True), strict=False):
                if np.isfinite(y0) and np.isfinite(y1) and (y0 < 0) != (y1 < 0) and x1 != x0:
                    at = x0 + (0 - y0) * (x1 - x0) / (y1 - y0)
                    side = "below" if (y0 >= 0) != (base_margin >= 0) else "above"
                    a, b, x = (shown(inp, v, lang) for v in (x0, x1, at))
                    out[inp.name] = tr("{input} {side} ≈{x} (between {a} and {b})", lang, input=inp.name_in(lang),
                                       side=tr(side, lang), x=x, a=a, b=b)  # fmt: skip
                    break
        else:
            flipped = moved[(moved[margin] >= 0) != (base_margin >= 0)]
            if len(flipped):
                setting = flipped.label.iloc[0].removeprefix(inp.name + " ")
                if lang == "zh":
                    setting = f"气象年{setting}" if inp.kind == "weather" else ENDS.get(setting, setting)
                out[inp.name] = f"{inp.name_in(lang)}: {setting}"
    return out


def _stump(x: np.ndarray, met: np.ndarray) -> tuple[float, str, int]:
    """The threshold on ``x`` that best separates met (1) from not met (0): (threshold, side where it is met
    more often — ``below`` or ``above`` —, how many samples it calls right)."""
    order = np.argsort(x)
    xs, ys = x[order], met[order]
    n = len(xs)
    met_below = np.concatenate([[0], np.cumsum(ys)])  # met among the first k
    k = np.arange(n + 1)
    below_rule = met_below + ((n - k) - (ys.sum() - met_below))  # met below the split, not met above
    above_rule = (k - met_below) + (ys.sum() - met_below)
    best_below, best_above = int(np.argmax(below_rule)), int(np.argmax(above_rule))
    if below_rule[best_below] >= above_rule[best_above]:
        k_best, side, score = best_below, "below", below_rule[best_below]
    else:
        k_best, side, score = best_above, "above", above_rule[best_above]
    threshold = xs[min(k_best, n - 1)] if k_best in (0, n) else (xs[k_best - 1] + xs[k_best]) / 2
    return float(threshold), side, int(score)


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    rx, ry = pd.Series(x).rank().to_numpy(), pd.Series(y).rank().to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


def joint_verdicts(
    frame: pd.DataFrame,
    inputs: Sequence[UncertainInput],
    targets: Sequence[str],
    *,
    flips: dict[str, dict[str, str]],
    lang: Lang = "en",
) -> pd.DataFrame:
    """Per target over the joint sample: probability met and its standard error, the two strongest drivers (ρ
    and the flip threshold) and the sentence planners read, in ``lang``."""
    samples = frame[(frame.kind == "sample") & (frame.error == "")]
    by_name = {inp.name: inp for inp in inputs}
    joint = [inp for inp in inputs if f"in:{inp.name}" in samples and samples[f"in:{inp.name}"].nunique() > 1]
    rows = []
    for target in targets:
        met = samples.get(f"met:{target}")
        margin = samples.get(f"margin:{target}")
        if met is None or met.dropna().empty:
            verdict = tr("n/a in every sample", lang)
            rows.append({"target": target, "n": 0, "p_met": np.nan, "p_met_se": np.nan, "verdict": verdict})
            continue
        keep = met.notna()
        y, m = met[keep].to_numpy(dtype=float), margin[keep].to_numpy(dtype=float)
        p, n = float(y.mean()), len(y)
        se = float(np.sqrt(p * (1 - p) / n))
        outcome = y if 0 < p < 1 else m  # what drives the verdict; when it never flips, what moves its margin
        rho = {inp.name: _spearman(samples.loc[keep, f"in:{inp.name}"].to_numpy(dtype=float), outcome) for inp in joint}
        top = [k for k in sorted(rho, key=lambda k: -abs(rho[k])) if abs(rho[k]) >= MIN_RHO][:2]
        phrases = []
        for name in top:
            inp = by_name[name]
            x = samples.loc[keep, f"in:{name}"].to_numpy(dtype=float)
            threshold, side, right = _stump(x, y)
            alone = flips.get(target, {}).get(name)
            if 0 < p < 1 and right <= max(int(y.sum()), n - int(y.sum())):  # no better than the majority
                phrase = tr("{input} moves (ρ = {rho}; no single threshold separates met from not met)", lang,
                            input=inp.name_in(lang), rho=f"{rho[name]:+.2f}")  # fmt: skip
                phrases.append(phrase + (tr(" (alone: {alone})", lang, alone=alone) if alone else ""))
            elif 0 < p < 1:
                bad = "above" if side == "below" else "below"
                phrases.append(_flip_phrase(inp, bad, threshold, alone, lang))
            else:
                phrases.append(f"{inp.name_in(lang)} (ρ = {rho[name]:+.2f})")
        sentence = _verdict_sentence(p, n, se, phrases, lang)
        rows.append({"target": target, "n": n, "p_met": p, "p_met_se": se, "driver_1": top[0] if top else "",
                     "rho_1": rho.get(top[0], np.nan) if top else np.nan, "driver_2": top[1] if len(top) > 1 else "",
                     "rho_2": rho.get(top[1], np.nan) if len(top) > 1 else np.nan, "verdict": sentence})  # fmt: skip
    return pd.DataFrame(rows).set_index("target")


def _flip_phrase(inp: UncertainInput, side: str, threshold: float, alone: str | None, lang: Lang) -> str:
    """``coal price is above 60 CNY/GJ (alone: …)``: where the verdict is lost, in ``lang``."""
    phrase = tr("{input} is {side} {at}", lang, input=inp.name_in(lang), side=tr(side, lang),
                at=shown(inp, threshold, lang))  # fmt: skip
    return phrase + (tr(" (alone: {alone})", lang, alone=alone) if alone else "")


def _verdict_sentence(p: float, n: int, se: float, phrases: list[str], lang: Lang) -> str:
    """``met in 53% of 24 samples (± 10%); flips when …`` in ``lang`` (the sentences are :data:`WORDS
    <energysim.report.i18n.WORDS>`)."""
    if 0 < p < 1:
        head = tr("met in {p} of {n} samples (± {se})", lang, p=f"{p:.0%}", n=n, se=f"{se:.0%}")
        tail = "; flips when {phrases}"
    else:
        head = tr("met in all {n} samples" if p == 1 else "not met in any of {n} samples", lang, n=n)
        tail = "; margin moves most with {phrases}"
    return head + tr(tail if phrases else "; no input moves it", lang, phrases=tr(" or ", lang).join(phrases))


def kpi_distributions(frame: pd.DataFrame) -> pd.DataFrame:
    """Per KPI over the joint sample: mean ± standard error, 5th, 50th and 95th percentiles, and the base."""
    samples = frame[(frame.kind == "sample") & (frame.error == "")]
    base = frame[frame.kind == "base"]
    rows = []
    for column in [c for c in frame.columns if c.startswith("kpi:")]:
        x = samples[column].dropna().to_numpy(dtype=float)
        if not len(x):
            continue
        name = column[4:]
        rows.append({"kpi": name, "unit": KPI_UNITS.get(name, ""), "base": float(base[column].iloc[0]),
                     "mean": x.mean(), "se": x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else np.nan,
                     "p5": np.percentile(x, 5), "p50": np.percentile(x, 50), "p95": np.percentile(x, 95)})  # fmt: skip
    columns = ["kpi", "unit", "base", "mean", "se", "p5", "p50", "p95"]
    return pd.DataFrame(rows, columns=columns).set_index("kpi")


def robustness_dataset(
    frame: pd.DataFrame,
    inputs: Sequence[UncertainInput],
    targets: Sequence[str],
    attrs: dict[str, Any],
    clauses: dict[str, str] | None = None,
) -> xr.Dataset:
    """Everything as one Dataset: per variant (inputs, KPIs, verdicts), per input (range, English and Chinese
    label), per target (its clause of the plan from ``clauses``, probability, drivers, one-at-a-time flips, the
    sentence), per KPI (distribution)."""
    flips = {t: flip_points(frame, inputs, t) for t in targets}
    kpis = kpi_distributions(frame)
    names = [inp.name for inp in inputs]
    data: dict[str, Any] = {
        "variant_kind": (("variant",), frame.kind.to_numpy(str)),
        "variant_label": (("variant",), frame.label.to_numpy(str)),
        "variant_error": (("variant",), frame.error.to_numpy(str)),
        "variant_seconds": (("variant",), frame.seconds.to_numpy(float), {"units": "s"}),
        "variant_solve": (("variant",), frame.solve.astype(str).to_numpy(str)),
        "input_value": (("variant", "input"), frame[[f"in:{n}" for n in names]].to_numpy(float)),
        "input_label": (("input",), np.array([i.label for i in inputs], dtype=str)),
        "input_label_zh": (("input",), np.array([i.name_in("zh") for i in inputs], dtype=str)),
        "input_kind": (("input",), np.array([i.kind for i in inputs], dtype=str)),
        "input_base": (("input",), np.array([i.base for i in inputs], dtype=float)),
        "input_low": (("input",), np.array([i.low for i in inputs], dtype=float)),
        "input_high": (("input",), np.array([i.high for i in inputs], dtype=float)),
        "input_confidence": (("input",), np.array([i.confidence for i in inputs], dtype=str)),
        "input_unit": (("input",), np.array([i.display_unit or i.unit for i in inputs], dtype=str)),
        "input_display_factor": (("input",), np.array([i.display_factor for i in inputs], dtype=float)),
    }
    for column in [c for c in frame.columns if c.startswith("kpi:")]:
        name = column[4:]
        data[name] = (("variant",), frame[column].to_numpy(float), {"units": KPI_UNITS.get(name, "")})
    for column in [c for c in frame.columns if c.startswith("days:kpi:")]:
        name = column[9:]
        data[f"{name}_days"] = (("variant",), frame[column].to_numpy(float),
                                {"units": KPI_UNITS.get(name, ""), "long_name": f"{name} on the typical days, "
                                 "before anchoring"})  # fmt: skip
    if targets:
        verdicts = joint_verdicts(frame, inputs, targets, flips=flips)
        for key in ("met", "value", "margin"):
            cols = [f"{key}:{t}" for t in targets]
            values = np.stack(
                [frame[c].to_numpy(float) if c in frame else np.full(len(frame), np.nan) for c in cols], 1
            )
            data[f"target_{key}"] = (("variant", "target"), values)
        for key in ("met", "value"):
            cols = [f"days:{key}:{t}" for t in targets]
            if any(c in frame for c in cols):  # robustness --days: before anchoring
                values = np.stack(
                    [frame[c].to_numpy(float) if c in frame else np.full(len(frame), np.nan) for c in cols], 1
                )
                data[f"target_{key}_days"] = (("variant", "target"), values, {"long_name": "on the typical days"})
        data["met_probability"] = (("target",), verdicts.p_met.reindex(targets).to_numpy(float), {"units": "1"})
        data["met_probability_se"] = (("target",), verdicts.p_met_se.reindex(targets).to_numpy(float), {"units": "1"})
        data["verdict"] = (("target",), verdicts.verdict.reindex(targets).fillna("").to_numpy(str))
        data["target_clause"] = (
            ("target",),
            np.array([(clauses or {}).get(t.split("@")[0], t) for t in targets], dtype=str),
        )
        for k in ("driver_1", "driver_2"):
            col = verdicts[k] if k in verdicts else pd.Series("", index=verdicts.index)
            data[k] = (("target",), col.reindex(targets).fillna("").to_numpy(str))
        flip_text = ["; ".join(flips[t].values()) for t in targets]
        data["flips_one_at_a_time"] = (("target",), np.array(flip_text, dtype=str))
    for stat in ("base", "mean", "se", "p5", "p50", "p95"):
        data[f"kpi_{stat}"] = (("kpi",), kpis[stat].to_numpy(float))
    coords = {"variant": frame.index.to_numpy(), "input": names, "target": list(targets), "kpi": list(kpis.index)}
    return xr.Dataset(data, coords=coords, attrs={"study": "robustness", **attrs})


def _fmt(value: Any, spec: str) -> str:
    """``value`` formatted with ``spec``; — when it is missing or NaN (a study with no joint sample has no
    spread; a resumed one may have no fresh solve), never ``nan``."""
    number = float("nan") if value is None else float(value)
    return "—" if np.isnan(number) else format(number, spec)


def format_robustness(ds: xr.Dataset, lang: Lang = "en") -> str:
    """The printed report in ``lang``: each verdict with its probability and drivers, the one-at-a-time flips and
    the KPI distributions (in Chinese, the sentences are said again from the study's variants, targets by their
    clause of the plan)."""
    a = ds.attrs
    samples = int((ds.variant_kind == "sample").sum())
    solved = int(a.get("variants_solved_here", ds.sizes["variant"]))
    resumed = "resumed: {solved} solved in this run, " if solved < ds.sizes["variant"] else ""
    lines = [
        tr(
            "verdict robustness — {name}: {variants} variants ({samples} joint samples, seed {seed}), {inputs} "
            "uncertain inputs; " + resumed + "{seconds} s, median {median} s a variant (first, fresh solve {fresh} "
            "s), {workers}",
            lang,
            solved=solved,
            name=a.get("scenario_name", ""),
            variants=int(ds.sizes["variant"]),
            samples=samples,
            seed=a.get("seed"),
            inputs=int(ds.sizes["input"]),
            seconds=_fmt(a.get("seconds"), ".0f"),
            median=_fmt(a.get("median_variant_seconds"), ".1f"),
            fresh=_fmt(a.get("fresh_seconds"), ".1f"),
            workers=_workers(str(a.get("workers", "")), lang),
        ),
    ]
    if a.get("anchoring") and lang == "zh":
        lines.append(
            f"在{a['days']}个典型日上求解(含极端日共{a['typical_days']}天), 以全年基准为锚: "
            "各值 = 全年基准 + (变体 − 同一典型日上的基准)"
        )
    elif a.get("anchoring"):
        lines.append(str(a["anchoring"]))
    lines += ["", tr("verdicts (joint sample):", lang)]
    verdicts, flips = _sentences(ds, lang)
    for t in ds.target.values:
        name = str(ds.target_clause.sel(target=t).values) if lang == "zh" and "target_clause" in ds else str(t)
        if lang == "zh" and "@" in str(t):
            name += tr("(on the {basis} basis)", lang, basis=tr(str(t).split("@")[-1], lang))
        lines.append(f"  {name}: {verdicts[str(t)] or tr('n/a', lang)}")
        if flips[str(t)]:
            lines.append(f"      {tr('one at a time it flips with', lang)}: {flips[str(t)]}")
    lines += ["", tr("KPIs over the joint sample (base; mean ± s.e.; 5–50–95 %):", lang)]
    for k in ds.kpi.values:
        r = ds.sel(kpi=k)
        unit = unit_name(ds[str(k)].attrs.get("units", "") if str(k) in ds else "", lang)
        lines.append(
            f"  {pad(kpi_name(str(k), lang), 42)} {_fmt(r.kpi_base, '12,.4g')}; {_fmt(r.kpi_mean, ',.4g')} ± "
            f"{_fmt(r.kpi_se, ',.2g')}; {_fmt(r.kpi_p5, ',.4g')} – {_fmt(r.kpi_p50, ',.4g')} – "
            f"{_fmt(r.kpi_p95, ',.4g')} {unit}"
        )
    return "\n".join(lines)


def _sentences(ds: xr.Dataset, lang: Lang) -> tuple[dict[str, str], dict[str, str]]:
    """Target → its verdict sentence and its one-at-a-time flips, in ``lang``: as stored for English, said again
    from the variants otherwise (the same numbers: the study's frame is rebuilt from the Dataset)."""
    targets = [str(t) for t in ds.target.values]
    if lang == "en" or not targets:
        return (
            {t: str(ds.verdict.sel(target=t).values) for t in targets},
            {t: str(ds.flips_one_at_a_time.sel(target=t).values) for t in targets},
        )
    frame, inputs = from_dataset(ds)
    flips = {t: flip_points(frame, inputs, t, lang) for t in targets}
    table = joint_verdicts(frame, inputs, targets, flips=flips, lang=lang)
    return table.verdict.reindex(targets).fillna("").to_dict(), {t: "; ".join(flips[t].values()) for t in targets}


def _workers(text: str, lang: Lang) -> str:
    """Where the variants ran (``this process``, ``2 local processes``, a scheduler's address) in ``lang``."""
    if lang != "zh":
        return text
    count, _, rest = text.partition(" ")
    if text == "this process":
        return "本进程"
    return f"本地{count}个进程" if rest == "local processes" else text


def from_dataset(ds: xr.Dataset) -> tuple[pd.DataFrame, list[UncertainInput]]:
    """The variant frame and the inputs (enough to show their values) back from a robustness Dataset."""
    inputs = [
        UncertainInput(
            name=str(n),
            label=str(ds.input_label.sel(input=n).values),
            label_zh=str(ds.input_label_zh.sel(input=n).values) if "input_label_zh" in ds else "",
            kind=str(ds.input_kind.sel(input=n).values),
            keys=(),
            base=float(ds.input_base.sel(input=n)),
            low=float(ds.input_low.sel(input=n)),
            high=float(ds.input_high.sel(input=n)),
            confidence=str(ds.input_confidence.sel(input=n).values),
            source="",
            unit=str(ds.input_unit.sel(input=n).values),
            display_factor=float(ds.input_display_factor.sel(input=n)),
        )
        for n in ds.input.values
    ]
    frame = pd.DataFrame(
        {"kind": ds.variant_kind.values.astype(str), "label": ds.variant_label.values.astype(str),
         "error": ds.variant_error.values.astype(str)},
        index=ds.variant.values,
    )  # fmt: skip
    for n in ds.input.values:
        frame[f"in:{n}"] = ds.input_value.sel(input=n).values
    for k in KPI_UNITS:
        if k in ds.data_vars:
            frame[f"kpi:{k}"] = ds[k].values
    for t in ds.target.values:
        for key in ("met", "value", "margin"):
            frame[f"{key}:{t}"] = ds[f"target_{key}"].sel(target=t).values
    return frame, inputs


REPORT_TORNADOES = ("kpi:cost_mcny", "kpi:co2_intensity_consumption_change_pct", "kpi:lole_days")


def tornado_figure(
    frame: pd.DataFrame, inputs: Sequence[UncertainInput], columns: Sequence[str], top: int = 8, lang: Lang = "en"
) -> Any:
    """Tornado bars (value at each end of each input, one at a time) for a few KPIs or target values; labels in
    ``lang`` (draw a Chinese one inside :func:`~energysim.report.i18n.font_context`)."""
    import matplotlib.pyplot as plt

    labels = {inp.label: inp.name_in(lang) for inp in inputs}
    fig, axes = plt.subplots(1, len(columns), figsize=(5.2 * len(columns), 0.45 * top + 1.6), squeeze=False)
    for ax, column in zip(axes[0], columns, strict=True):
        table = tornado(frame, inputs, column).head(top).iloc[::-1]
        base = float(table.base.iloc[0]) if len(table) else 0.0
        names = [labels.get(label, label) for label in table.label]
        ax.barh(names, table.high - base, left=base, color="tab:red", alpha=0.7)
        ax.barh(names, table.low - base, left=base, color="tab:blue", alpha=0.7)
        ax.axvline(base, color="k", lw=0.8)
        kind, _, name = column.partition(":")
        ax.set_title(kpi_name(name, lang) if kind == "kpi" else name, fontsize=9)
    fig.tight_layout()
    return fig
