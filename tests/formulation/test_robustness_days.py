"""Verdict robustness on representative days (``--days``), anchored on the full-year base, on a coal-only system
whose answer is known by hand.

Four flat days of demand 40, 40, 60 and 150 MW, met by coal at 10 GJ/MWh and 0.1 tCO2/GJ (1 t/MWh). Two typical
days (no extremes) cluster {40, 40, 60} and {150}: the first stands for three days as a 40 MW day, so the days
miss 20 MW × 24 h = 480 MWh of the year (6,480 against 6,960 MWh)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from ruamel.yaml import YAML

from energysim.errors import ScenarioError
from energysim.studies.robustness import Source, robustness_study
from energysim.studies.robustness_days import anchor_records
from tests.conftest import one_region

COAL = {"kind": "thermal", "capacity_mw": 200, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
DAYS = [40.0] * 24 + [40.0] * 24 + [60.0] * 24 + [150.0] * 24
FULL_MWH, DAYS_MWH = 24 * 290, 24 * 270  # the year, and the year as the two typical days stand for it
UNCERTAIN = """input,label,set,kind,table,row,low,high,max,display_factor,display_unit,confidence,source
coal_price,coal price,fuels.coal.price_cny_per_gj,number,,,30,60,,,,E,test
"""
KW = {"samples": 0, "weather_years": 1, "adequacy_samples": 0, "days": 2}
CNY_TOL = 1e-6  # relative, on CNY totals


@pytest.fixture
def four_days(make_scenario, tmp_path):
    """The four days with coal at 40 CNY/GJ; target: territorial CO2 ≤ 6,700 t (met on the days, not in the
    year); ``time.aggregate`` set (3 days, no extremes: its seed and extremes are what --days takes)."""
    scenario, profiles = one_region(DAYS, {"coal": COAL})
    scenario["fuels"]["coal"]["price_cny_per_gj"] = 40.0
    scenario["time"]["aggregate"] = {"days": 3, "seed": 0, "keep_extremes": False}
    target = {"id": "co2_cap", "clause": "减碳", "metric": "co2_territorial_t", "basis": "CO2 of the plants",
              "comparison": "<=", "threshold": 6700, "unit": "t", "horizon": "run"}  # fmt: skip
    with (tmp_path / "targets.yaml").open("w") as f:
        YAML(typ="safe", pure=True).dump({"plan": "test", "targets": [target]}, f)
    scenario["targets"] = "targets.yaml"
    (tmp_path / "uncertainty.csv").write_text(UNCERTAIN, encoding="utf-8")
    return make_scenario(scenario, profiles)


def test_values_are_the_full_year_base_plus_the_change_on_the_days(four_days, tmp_path):
    """Coal at 40 CNY/GJ × 10 GJ/MWh = 400 CNY/MWh: the full-year base costs 400 × 6,960 = 2,784,000 CNY, the base
    on the days 400 × 6,480 = 2,592,000. Coal price 40 → 60 CNY/GJ (+200 CNY/MWh): on the days +200 × 6,480 =
    1,296,000 CNY (3,888,000 in all). Anchored: the full-year base + 1,296,000 = 4,080,000. The true full-year
    value is 600 × 6,960 = 4,176,000: anchoring removes the days' bias at the base (400 × 480 = 192,000 CNY) but
    not the part of it that moves with the price (200 × 480 = 96,000)."""
    said: list[str] = []
    ds = robustness_study(Source(str(four_days)), tmp_path / "s", uncertainty=tmp_path / "uncertainty.csv",
                          say=said.append, **KW)  # fmt: skip
    labels = list(ds.variant_label.values)
    base, high = labels.index("base"), labels.index("coal_price high")
    full = ds.anchor_full_year.sel(anchor_kpi="cost_mcny").item() * 1e6
    raw = ds.cost_mcny_days.values * 1e6
    assert (full, raw[base], raw[high]) == pytest.approx((2_784_000, 2_592_000, 3_888_000), rel=CNY_TOL)
    assert raw[high] - raw[base] == pytest.approx(200 * DAYS_MWH, rel=CNY_TOL)
    assert full - raw[base] == pytest.approx(400 * (FULL_MWH - DAYS_MWH), rel=CNY_TOL)  # the bias at the base
    anchored = ds.cost_mcny.values * 1e6
    assert anchored[base] == pytest.approx(2_784_000, rel=CNY_TOL)
    assert anchored[high] == pytest.approx(4_080_000, rel=CNY_TOL)  # not 4,176,000 (the year) nor 3,888,000 (days)
    np.testing.assert_allclose(ds.co2_territorial_mt.values, FULL_MWH / 1e6, rtol=1e-9)  # coal only: CO2 unmoved
    np.testing.assert_allclose(ds.co2_territorial_mt_days.values, DAYS_MWH / 1e6, rtol=1e-9)

    # the verdict comes from the anchored value: 6,960 t > 6,700 t, though the days alone (6,480 t) say met
    assert ds.target_met.sel(target="co2_cap").values.tolist() == [0.0] * len(labels)
    assert ds.target_met_days.sel(target="co2_cap").values.tolist() == [1.0] * len(labels)
    assert ds.anchor_bias.sel(anchor_kpi="target:co2_cap").item() == pytest.approx(DAYS_MWH - FULL_MWH)
    assert ds.attrs["days"] == 2 and ds.attrs["typical_days"] == 2
    assert ds.attrs["anchoring"].startswith("solved on 2 representative days (2 with the extreme days, seed 0)")
    assert any("time.aggregate of the scenario (3 days, seed 0) gives way to --days 2" in line for line in said)

    # resume: the anchor and the variants are read back; another --days in the folder is another study
    again: list[str] = []
    robustness_study(Source(str(four_days)), tmp_path / "s", uncertainty=tmp_path / "uncertainty.csv",
                     say=again.append, **KW)  # fmt: skip
    assert any("0 to solve" in line for line in again) and not any("every hour:" in line for line in again)
    assert json.loads((tmp_path / "s" / "design.json").read_text())["days"]["days"] == 2
    for other in ({**KW, "days": 3}, {k: v for k, v in KW.items() if k != "days"}):
        with pytest.raises(ValueError, match="another robustness study"):
            robustness_study(Source(str(four_days)), tmp_path / "s", uncertainty=tmp_path / "uncertainty.csv", **other)


def test_anchoring_arithmetic_and_verdicts():
    """X̂ = X_base + (x_v − x_base) per KPI and target; the verdict from X̂. Cost: 100 + (95 − 90) = 105 (a ratio
    100 × 95/90 would give 105.6). Target t ≤ 10: 9 + (12 − 10) = 11, margin −1, not met (the base's 9 is met).
    Target s ≥ 5: anchor 4, days 6 (base) and 8: the base's 4 is not met (margin −1) though its days' 6 is; the
    variant's 4 + (8 − 6) = 6 is met, margin +1 (a margin taken as threshold − value would flip both)."""
    anchor = {
        "kpis": {"cost": 100.0},
        "targets": {"t": {"value": 9.0, "met": 1.0, "margin": 1.0}, "s": {"value": 4.0, "met": 0.0, "margin": -1.0}},
    }

    def solved(kind: str, cost: float, value: float, at_least: float) -> dict:
        return {"variant": {"kind": kind}, "kpis": {"cost": cost},
                "targets": {"t": {"value": value, "met": 1}, "s": {"value": at_least, "met": 1}}}  # fmt: skip

    records = [solved("base", 90.0, 10.0, 6.0), solved("sample", 95.0, 12.0, 8.0)]
    records.append({"variant": {"kind": "sample"}, "error": "x"})
    base, moved, failed = anchor_records(records, anchor, {"t": ("<=", 10.0), "s": (">=", 5.0)})
    assert base["kpis"] == {"cost": 100.0} and moved["kpis"] == {"cost": 105.0}
    assert moved["targets"]["t"] == {"value": 11.0, "met": 0.0, "margin": -1.0}
    assert base["targets"]["t"] == {"value": 9.0, "met": 1.0, "margin": 1.0}
    assert base["targets"]["s"] == {"value": 4.0, "met": 0.0, "margin": -1.0}
    assert moved["targets"]["s"] == {"value": 6.0, "met": 1.0, "margin": 1.0}
    assert moved["days_kpis"] == {"cost": 95.0} and moved["days_targets"]["s"]["value"] == 8.0
    assert failed == records[2]


def test_a_weather_year_variant_is_anchored_on_its_year():
    """Weather year 1's base: 110 on every hour, 120 on its days; its variant at 125 on those days is 110 + 5 =
    115 (on the shipped year's anchor it would be 100 + (125 − 90) = 135); a variant of the shipped year keeps
    the base's anchor: 100 + (95 − 90) = 105."""
    anchor = {"kpis": {"cost": 100.0}, "targets": {}}
    year1 = {"kpis": {"cost": 110.0}, "targets": {}, "days_base": {"kpis": {"cost": 120.0}, "targets": {}}}
    records = [
        {"variant": {"kind": "base", "values": {}}, "kpis": {"cost": 90.0}, "targets": {}},
        {"variant": {"kind": "sample", "values": {"wy": 1.0}}, "kpis": {"cost": 125.0}, "targets": {}},
        {"variant": {"kind": "sample", "values": {"wy": 0.0}}, "kpis": {"cost": 95.0}, "targets": {}},
    ]
    out = anchor_records(records, anchor, {}, year_anchors={1: year1},
                         weather_of=lambda r: round(r["variant"]["values"].get("wy", 0)))  # fmt: skip
    assert [r["kpis"]["cost"] for r in out] == [100.0, 115.0, 105.0]


@pytest.mark.parametrize(
    ("hours", "days", "found"),
    [(36, 2, "--hours 36, 1.50 days"), (96, 4, "--days 4"), (96, 1, "--days 1")],
)
def test_days_on_a_horizon_they_cannot_be_picked_from_are_refused(four_days, tmp_path, hours, days, found):
    with pytest.raises(ScenarioError) as info:
        robustness_study(Source(str(four_days), hours=hours), tmp_path / "x", uncertainty=tmp_path / "uncertainty.csv",
                         **{**KW, "days": days})  # fmt: skip
    text = str(info.value)
    assert "--days: expected" in text and f"found {found}" in text and str(four_days) in text
    assert not (tmp_path / "x").exists()  # refused before the folder is claimed


def test_a_weather_year_is_solved_on_its_own_days_and_anchored_on_its_own_year(four_days, tmp_path):
    """A weather year swaps the year's demand and renewables: its days are picked from it (once), the other
    variants keep the base's. Its variants are anchored on the base in that weather year, solved on every hour and
    on the year's days (``anchor-wy1.json``): the one-at-a-time weather-year variant is that full year exactly."""
    weather = "weather_year,weather year,,weather,,,,,,,,E,test\n"
    (tmp_path / "both.csv").write_text(UNCERTAIN + weather, encoding="utf-8")
    said: list[str] = []
    ds = robustness_study(Source(str(four_days)), tmp_path / "w", uncertainty=tmp_path / "both.csv",
                          say=said.append, **{**KW, "weather_years": 2})  # fmt: skip
    labels = list(ds.variant_label.values)
    assert "weather_year 1" in labels and not ds.variant_error.values.any()
    picked = [line for line in said if "typical days picked from" in line]
    assert sorted(p.split(" from ")[1].split(":")[0] for p in picked) == ["the base", "weather year 1"]
    records = {json.loads(f.read_text())["variant"]["label"]: json.loads(f.read_text())
               for f in (tmp_path / "w").glob("0*.json")}  # fmt: skip
    year = json.loads((tmp_path / "w" / "anchor-wy1.json").read_text())
    w = labels.index("weather_year 1")
    assert ds.cost_mcny.values[w] == pytest.approx(year["kpis"]["cost_mcny"], rel=1e-12)
    assert ds.cost_mcny_days.values[w] == pytest.approx(year["days_base"]["kpis"]["cost_mcny"], rel=1e-9)
    assert year["days_base"]["typical_days"] == records["weather_year 1"]["typical_days"]
    assert len(records["weather_year 1"]["typical_days"]) == 2
    assert ds.attrs["weather_year_anchors"] == 1 and "(1 weather year)" in ds.attrs["anchoring"]


def test_the_command_line_flag(four_days, tmp_path, capsys):
    """``--days 2`` prints the anchoring in planner words; ``--days 4`` on four days is bad input (exit 1, the file,
    the key, what was expected and found, a hint; no traceback)."""
    from energysim.cli import EXIT_INPUT, main

    args = ["robustness", str(four_days), "--samples", "0", "--weather-years", "1", "--adequacy-samples", "0",
            "--uncertainty", str(tmp_path / "uncertainty.csv"), "-o", str(tmp_path / "cli")]  # fmt: skip
    assert main([*args, "--days", "2"]) == 0
    out = capsys.readouterr().out
    assert "solved on 2 representative days (2 with the extreme days, seed 0), anchored on the full-year base" in out
    assert "co2_territorial_mt +" not in out and "co2_territorial_mt -6.90 %" in out  # 6,480 against 6,960 t
    assert main([*args, "--days", "4"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert f"{four_days}: --days: expected fewer typical days than the 4 days of the horizon, found --days 4" in err
    assert "Traceback" not in err and "drop --days to solve every hour" in err


def test_typical_day_variants_are_solved_grouped_by_weather_year_switches_last():
    """Variants sharing a weather year share its typical days (one LP pattern, re-solved as changes): the order
    groups them, keeps the design order within a year, and puts the switches (another LP shape) last."""
    from energysim.inputs.uncertainty import UncertainInput
    from energysim.studies.robustness import Variant, _by_weather_year

    def inp(name: str, kind: str) -> UncertainInput:
        return UncertainInput(name=name, label=name, kind=kind, confidence="E", source="", unit="", keys=(),
                              base=0.0, low=0.0, high=1.0)  # fmt: skip

    inputs = [inp("coal", "number"), inp("weather", "weather"), inp("commitment", "switch")]
    todo = [
        Variant(0, "base", {}, "base"),
        Variant(1, "one_at_a_time", {"commitment": 1.0}, "commitment off"),
        Variant(2, "sample", {"coal": 0.3, "weather": 2.0}, "sample 2"),
        Variant(3, "sample", {"coal": 0.7, "weather": 1.0}, "sample 3"),
        Variant(4, "sample", {"coal": 0.1, "weather": 2.0}, "sample 4"),
        Variant(5, "one_at_a_time", {"coal": 0.0}, "coal low"),
    ]
    assert [v.index for v in _by_weather_year(todo, inputs)] == [0, 5, 3, 2, 4, 1]


def test_a_weather_year_travels_as_its_number_and_the_worker_applies_it(four_days, tmp_path):
    """A weather-year variant's job carries the year's number, not its demand and renewables (10 MB a job on the
    plan); the worker's inputs, the shared base with the changes and then the weather year, are the client's."""
    import pandas as pd

    import energysim as es
    from energysim.inputs.uncertainty import read_uncertainty, resolve_inputs
    from energysim.inputs.weather_year import with_weather_year
    from energysim.profiles.weather_years import weather_years
    from energysim.studies.distributed import with_changes
    from energysim.studies.robustness import Variant, _jobs, variant_inputs

    (tmp_path / "both.csv").write_text(UNCERTAIN + "weather_year,weather year,,weather,,,,,,,,E,test\n", "utf-8")
    scenario = es.load_scenario(four_days)
    inputs, _ = resolve_inputs(read_uncertainty(tmp_path / "both.csv"), scenario, weather_years=2)
    source = Source(str(four_days))
    weather = weather_years(pd.Timestamp(es.build_inputs(scenario).time.values[0]).year, 2)
    base = variant_inputs(source, inputs, Variant(0, "base", {}, "base"), weather, every_hour=True)
    v = Variant(1, "sample", {"weather_year": 1.0, "coal_price": 60.0}, "sample 1")
    [(changes, scale, days)] = list(_jobs([v], source, inputs, weather, base, lambda k: None, every_hour=True))
    assert changes["weather_year"] == 1 and "demand" not in changes["variables"]
    assert (scale, days) == (1.0, None)  # no outage-rate input; every hour
    worker = with_weather_year(with_changes(base, changes), weather, changes["weather_year"])
    client = variant_inputs(source, inputs, v, weather, every_hour=True)
    assert not worker.demand.equals(base.demand)  # the weather year moved the demand
    assert worker.identical(client)


def test_a_weather_year_leaves_the_adequacy_study_to_sample_every_weather_year(four_days, tmp_path):
    """LOLE is an expectation over the weather years, which the variant's adequacy study samples itself: with the
    fleet unchanged (coal 200 MW in every variant), weather year 1's unserved energy, loss-of-load hours and
    orderly-power-use probability are the base's. (Built from weather year 1's demand, each sampled year j was
    mapped as d × w₁/w₀ × wⱼ/w₀: year 1's weather counted twice, 9 in 10 joint samples of the plan failing LOLE.)"""
    (tmp_path / "both.csv").write_text(UNCERTAIN + "weather_year,weather year,,weather,,,,,,,,E,test\n", "utf-8")
    ds = robustness_study(Source(str(four_days)), tmp_path / "w", uncertainty=tmp_path / "both.csv",
                          **{**KW, "weather_years": 2, "adequacy_samples": 40})  # fmt: skip
    labels = list(ds.variant_label.values)
    base, w = labels.index("base"), labels.index("weather_year 1")
    assert ds.eue_mwh_days.values[base] > 0  # the single unit fails in some samples: something to compare
    assert ds.cost_mcny_days.values[w] != ds.cost_mcny_days.values[base]  # the LP did solve weather year 1
    for kpi in ("eue_mwh", "lole_hours", "orderly_power_use_probability"):
        assert ds[f"{kpi}_days"].values[w] == ds[f"{kpi}_days"].values[base], kpi


def layout_of(model, program) -> tuple:
    """A full-year model's layout: every set with its members, every variable's columns, every row block's rows."""
    import pyomo.environ as pyo

    from energysim.model.lp import lp_of

    sets = [(s.name, tuple(s)) for s in model.component_objects((pyo.Set, pyo.RangeSet), descend_into=True)]
    columns = [(name, cols.shape, cols.ravel()[:1].tolist()) for name, cols in lp_of(model).columns.items()]
    rows = [(getattr(c, "name", ""), r.start, r.stop) for c, r in program.row_components]
    return sets, columns, rows, program.a.shape


def test_the_years_layout_is_reused_only_for_the_same_layout(make_scenario, monkeypatch):
    """Variants read onto the year through a persistent solver reuse the full-year model of the one before when
    its layout is the same, and each reused model has the layout a model of the variant's own would have: a
    variant with other demand, coal price and in-service date of the gas unit builds no year model. Each of these
    builds its own: coal committed with a minimum up time of 30 h, then of 40 h (the same rows on the days, which
    cap it at the day, not in the year), and no battery (other columns). The answers are those of a year model of
    the variant's own (the same objective). Coal 200 MW, gas 100 MW from 2 January (variant: 3 January), a
    20 MW / 40 MWh battery."""
    from energysim.inputs import build_inputs
    from energysim.inputs.typical_days import typical_days
    from energysim.pipeline import run_inputs
    from energysim.scenario import load_scenario
    from energysim.solver import expand
    from energysim.solver.resolve import PersistentSolver

    gas = {"kind": "thermal", "capacity_mw": 100, "fuel": "gas", "heat_rate_gj_per_mwh": 7,
           "available_from": "2025-01-02"}  # fmt: skip
    battery = {"kind": "storage", "capacity_mw": 20, "duration_hours": 2}

    def inputs(scale=1.0, coal=30.0, gas_from="2025-01-02", with_battery=True, min_up=None):
        committed = {"min_stable_fraction": 0.4, "min_up_hours": min_up, "unit_size_mw": 100} if min_up else {}
        techs = {"coal": COAL | committed, "gas": gas | {"available_from": gas_from},
                 **({"battery": battery} if with_battery else {})}  # fmt: skip
        scenario, profiles = one_region([scale * d for d in DAYS], techs)
        scenario["fuels"]["coal"]["price_cny_per_gj"] = coal
        return build_inputs(load_scenario(make_scenario(scenario, profiles)))

    base = inputs()
    days = typical_days(base, 2, seed=0, keep_extremes=False)
    cases = [base, inputs(1.1, 45.0, "2025-01-03"), inputs(min_up=30), inputs(min_up=40), inputs(with_battery=False)]
    built, reused_layouts = [], []
    kept_or_built = expand.year_layout

    def checked(full_inputs, key=None, kept=None):
        hit = kept is not None and key in kept
        layout = kept_or_built(full_inputs, key, kept)
        if hit:
            reused_layouts.append(layout_of(*layout) == layout_of(*kept_or_built(full_inputs)))
        else:
            built.append(1)
        return layout

    monkeypatch.setattr(expand, "year_layout", checked)
    solver = PersistentSolver()
    objectives, builds = [], []
    for case in cases:
        objectives.append(run_inputs(case, persistent=solver, days=days).attrs["objective_cny"])
        builds.append(len(built))
    assert builds == [1, 1, 2, 3, 4]
    assert reused_layouts == [True]  # the second variant's: the layout its own year model has
    assert len(solver.year_layout) == 1  # kept with the solver, the last one only
    monkeypatch.setattr(expand, "year_layout", kept_or_built)
    own = [run_inputs(case, days=days).attrs["objective_cny"] for case in cases]
    assert objectives == pytest.approx(own, rel=1e-9)
