"""Probabilistic adequacy on micro-systems with answers by hand: the binomial closed form of two units, storage,
curtailable load and links worked hour by hour, sampled outage rates against their inputs, and seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import energysim as es
from energysim.studies.adequacy import simulate
from energysim.studies.adequacy_system import adequacy_system
from tests.conftest import one_region

MW_TOL = 1e-6


def outage_table(rate: float, mttr_h: float) -> pd.DataFrame:
    """Every unit and tie in one class: ``rate`` forced outage rate, ``mttr_h`` repair time, no maintenance."""
    return pd.DataFrame(
        [
            {"class": "unit", "match": "thermal:*;must_run:*;chp:*", "min_unit_mw": 0, "max_unit_mw": np.inf,
             "unit_mw": 100, "forced_outage_rate": rate, "mttr_h": mttr_h, "planned_days": 0, "planned_share": 0,
             "source": "test", "confidence": "E"},
            {"class": "tie", "match": "grid:*;link:*", "min_unit_mw": 0, "max_unit_mw": np.inf, "unit_mw": 4000,
             "forced_outage_rate": 0.0, "mttr_h": 1, "planned_days": 0, "planned_share": 0, "source": "test",
             "confidence": "E"},
        ]
    ).set_index("class")  # fmt: skip


def system_of(make_scenario, demand, techs, *, rate=0.0, mttr_h=1.0, **extra):
    scenario, profiles = one_region(demand, techs, **extra)
    inputs = es.build_inputs(es.load_scenario(make_scenario(scenario, profiles)))
    return adequacy_system(inputs, outages=outage_table(rate, mttr_h), season="year")


TWO_UNITS = {"coal": {"kind": "thermal", "capacity_mw": 200, "unit_size_mw": 100, "fuel": "coal",
                      "heat_rate_gj_per_mwh": 10}}  # fmt: skip


@pytest.mark.parametrize(("demand", "closed_form"), [(150.0, 1 - 0.9**2), (50.0, 0.1**2)])
def test_two_units_lose_load_with_the_binomial_probability(make_scenario, demand, closed_form):
    """Two 100 MW units, each out with probability q = 0.1 (MTTR 4 h): a 150 MW load is short whenever one is out,
    P = 1 − (1 − q)² = 0.19; a 50 MW load only when both are, P = q² = 0.01. LOLE = P × 1,000 h."""
    system = system_of(make_scenario, [demand] * 1000, TWO_UNITS, rate=0.1, mttr_h=4.0)
    ds = simulate(system, 400, seed=3)
    lolp = float(ds.lole_hours.sel(region="r")) / 1000
    se = float(ds.lole_hours_se.sel(region="r")) / 1000
    assert abs(lolp - closed_form) < 4 * se, (lolp, se)
    assert se < 0.1 * closed_form
    np.testing.assert_allclose(ds.lolp_hour.sel(region="r"), closed_form, atol=5 * float(ds.lolp_hour_se.max()))
    # 150 MW: one out (2q(1 − q)) leaves 50 MW short, both out (q²) 150 MW; 50 MW: short only when both are out
    expected = 1000 * (2 * 0.1 * 0.9 * (demand - 100) + 0.1**2 * demand) if demand > 100 else 1000 * 0.1**2 * demand
    assert float(ds.eue.sel(region="r")) == pytest.approx(expected, abs=4 * float(ds.eue_se.sel(region="r")))


def test_sampled_outage_rates_and_repair_times_converge_to_their_inputs(make_scenario):
    """q = 0.1, MTTR 5 h: over 300 × 2,000 unit-hours the share of hours out and the mean repair are within 5 %."""
    system = system_of(make_scenario, [50.0] * 2000, TWO_UNITS, rate=0.1, mttr_h=5.0)
    ds = simulate(system, 300, seed=11)
    np.testing.assert_allclose(ds.unit_sampled_forced_outage_rate, 0.1, rtol=0.05)
    np.testing.assert_allclose(ds.unit_sampled_mttr, 5.0, rtol=0.05)
    assert list(ds.unit_tech.values) == ["coal", "coal"]


STORE = {"kind": "storage", "capacity_mw": 30, "duration_hours": 2, "efficiency_charge": 0.9,
         "efficiency_discharge": 0.9}  # fmt: skip
FIRM = {"coal": {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}}


def test_storage_covers_what_its_energy_allows(make_scenario):
    """100 MW never fails; demand 80, 150, 150, 80, 80, 80, 150 MW; a 30 MW / 60 MWh store, η 0.9 each way, full.

    h1: 50 short, 30 from storage (60 − 33.3 = 26.7 MWh left) → 20 unserved; h2: it delivers 26.7 × 0.9 = 24
    → 26 unserved, empty; h3–h5: 20 MW spare charge 18 MWh each (54 MWh); h6: 50 short, 30 delivered (54 − 33.3 =
    20.7 left) → 20 unserved. EUE = 20 + 26 + 20 = 66 MWh, LOLE 3 h, in every sample (nothing fails).
    """
    system = system_of(make_scenario, [80, 150, 150, 80, 80, 80, 150], {**FIRM, "battery": STORE})
    ds = simulate(system, 4, seed=0)
    assert float(ds.eue.sel(region="r")) == pytest.approx(66.0, abs=MW_TOL)
    assert float(ds.eue_se.sel(region="r")) == pytest.approx(0.0, abs=MW_TOL)
    assert float(ds.lole_hours.sel(region="r")) == 3
    assert float(ds.lole_days.sel(region="r")) == 1  # all seven hours on 1 January
    assert float(ds.orderly_power_use_probability.sel(region="r")) == 1
    np.testing.assert_array_equal(ds.lolp_hour.sel(region="r", hour=[0, 1, 2, 3, 4, 5, 6]), [0, 1, 1, 0, 0, 0, 1])
    assert np.isnan(ds.lolp_hour.sel(region="r", hour=7))  # an hour of the day never simulated
    assert float(ds.worst_event_energy.sel(region="r")) == pytest.approx(46.0, abs=MW_TOL)  # hours 1-2
    assert float(ds.worst_event_duration.sel(region="r")) == 2
    assert float(ds.event_depth_mw[0]) == pytest.approx(26.0, abs=MW_TOL)


def test_curtailable_load_is_called_within_its_budget(make_scenario):
    """100 MW firm; 130 MW demand in hours 0-1 and 3-5; a 20 MW VPP with 2 calls of at most 2 h (4 h a year):
    call 1 covers hours 0-1, call 2 hours 3-4, hour 5 is on its own: unserved 10 × 4 + 30 = 70 MWh."""
    vpp = {"kind": "demand_curtail", "capacity_mw": 20, "max_events_per_year": 2, "max_hours_per_event": 2}
    system = system_of(make_scenario, [130, 130, 90, 130, 130, 130], {**FIRM, "vpp": vpp})
    ds = simulate(system, 2, seed=0)
    assert float(ds.eue.sel(region="r")) == pytest.approx(70.0, abs=MW_TOL)
    assert float(ds.lole_hours.sel(region="r")) == 5
    # the worst event is hours 3-5: 10 + 10 + 30 MWh, 30 MW deep (the budget spent); then hours 0-1, 20 MWh
    assert float(ds.worst_event_energy.sel(region="r")) == pytest.approx(50.0, abs=MW_TOL)
    assert float(ds.worst_event_depth.sel(region="r")) == pytest.approx(30.0, abs=MW_TOL)
    assert float(ds.worst_event_duration.sel(region="r")) == 3
    np.testing.assert_allclose(ds.event_energy_mwh.values, [50.0, 50.0, 20.0, 20.0], atol=MW_TOL)


def test_two_regions_share_through_the_link_and_its_neighbours_storage(make_scenario):
    """North: 100 MW firm, demand 60, and a 20 MW / 20 MWh store; south: demand 90 MW, nothing of its own. The
    100 MW link loses 10 %. Hour 0: north sends its 40 MW spare (36 arrive) and its store 20 MW more (18
    arrive): 90 − 54 = 36 unserved in the south. Hour 1: the store is empty (nothing spare to charge): 54."""
    scenario = {
        "name": "two",
        "time": {"start": "2025-07-01 00:00", "hours": 2},
        "regions": {"north": {"demand": {"file": "profiles.csv", "column": "n"}},
                    "south": {"demand": {"file": "profiles.csv", "column": "s"}}},
        "technologies": {
            "coal": {**FIRM["coal"], "region": "north"},
            "battery": {"kind": "storage", "region": "north", "capacity_mw": 20, "duration_hours": 1,
                        "efficiency_charge": 1.0, "efficiency_discharge": 1.0},
        },
        "fuels": {"coal": {"price_cny_per_gj": 30.0, "co2_t_per_gj": 0.1}},
        "links": {"tie": {"from": "north", "to": "south", "capacity_mw": 100, "loss_fraction": 0.1}},
    }  # fmt: skip
    path = make_scenario(scenario, {"n": [60, 60], "s": [90, 90]}, start="2025-07-01 00:00")
    inputs = es.build_inputs(es.load_scenario(path))
    ds = simulate(adequacy_system(inputs, outages=outage_table(0.0, 1.0), season="year"), 2, seed=0)
    assert list(ds.region.values) == ["north", "south", "system"]
    np.testing.assert_allclose(ds.eue.values, [0.0, 90.0, 90.0], atol=MW_TOL)
    np.testing.assert_allclose(ds.lole_hours.values, [0, 2, 2])
    # hour by hour: 36 then 54 MW short, one 2-h event 54 MW deep (a 45 + 45 split would be 45 deep)
    np.testing.assert_allclose(ds.worst_event_depth.values, [0.0, 54.0, 54.0], atol=MW_TOL)
    np.testing.assert_allclose(ds.worst_event_duration.values, [0, 2, 2])
    np.testing.assert_allclose(ds.sample_unserved.sel(region="south"), [90.0, 90.0], atol=MW_TOL)


def test_the_same_seed_gives_the_same_answer_wherever_the_chunks_run(make_scenario):
    system = system_of(make_scenario, [150.0] * 300, TWO_UNITS, rate=0.1, mttr_h=4.0)
    one = simulate(system, 30, seed=5, chunk=10)

    def backwards(system, jobs):  # as if workers finished in another order
        from energysim.studies.adequacy import simulate_chunk

        return [simulate_chunk(system, *job) for job in reversed(jobs)][::-1]

    again = simulate(system, 30, seed=5, chunk=10, run_chunks=backwards)
    other = simulate(system, 30, seed=6, chunk=10)
    keep = [v for v in one.data_vars if v.startswith(("lole", "eue", "sample", "unit"))]
    xr.testing.assert_equal(one[keep], again[keep])
    assert not np.array_equal(one.sample_lol_hours.values, other.sample_lol_hours.values)


def test_events_are_runs_of_short_hours_split_where_a_block_starts():
    """Region r, two samples over 6 h, a block starting at hour 3 (e.g. the winter peak after the summer one).

    Sample 0 short in hours 1-4 (10, 20, 30, 40 MW): the block start splits it into [1, 3) (30 MWh, 20 MW deep)
    and [3, 5) (70 MWh, 40 MW deep), its worst. Sample 1 short in hours 0 and 5 (5 MW each): two 1-h events of
    5 MWh; the earlier is its worst. The chunk's events by energy: 70, 30, 5 (hour 0), 5 (hour 5)."""
    from types import SimpleNamespace

    from energysim.studies.adequacy import _events

    time = np.arange("2025-07-01T00", "2025-07-01T06", dtype="datetime64[h]")
    system = SimpleNamespace(regions=("r",), block_start=np.array([1, 0, 0, 1, 0, 0], dtype=bool), time=time,
                             weather_years=np.array([2020, 2021]))  # fmt: skip
    unserved = np.array([[[0, 10, 20, 30, 40, 0], [5, 0, 0, 0, 0, 5]]], dtype=float)
    events, worst = _events(system, unserved, unserved > 0, np.array([0, 1]), first=10)
    assert [(e["sample"], str(e["start"])[11:13], e["duration_h"], e["depth_mw"], e["energy_mwh"]) for e in events] == [
        (10, "03", 2.0, 40.0, 70.0),
        (10, "01", 2.0, 20.0, 30.0),
        (11, "00", 1.0, 5.0, 5.0),
        (11, "05", 1.0, 5.0, 5.0),
    ]
    assert [e["weather_year"] for e in events] == [2020, 2020, 2021, 2021]
    np.testing.assert_array_equal(worst[:, 0, :], [[40.0, 5.0], [2.0, 1.0], [70.0, 5.0]])  # depth, duration, energy
