"""Bad input → one clear message per problem: file, line, key path, expected, found, hint; all at once."""

from __future__ import annotations

import pytest

import energysim as es
from energysim.errors import Problem, ScenarioError, UsageError
from tests.conftest import one_region

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}


def problems(path) -> list:
    with pytest.raises(ScenarioError) as info:
        es.build_inputs(es.load_scenario(path))
    return info.value.problems


def test_unknown_key_suggests_the_right_one(make_scenario):
    scenario, profiles = one_region([1], {"coal": {**COAL, "capacity_mv": 5}})
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "technologies.coal.capacity_mv"
    assert "did you mean `capacity_mw`" in p.hint
    assert p.line is not None and p.file.endswith("scenario.yaml")


def test_wrong_type_negative_and_out_of_range_are_reported_together(make_scenario):
    scenario, profiles = one_region(
        [1],
        {
            "coal": {**COAL, "capacity_mw": "lots", "availability": 1.5},
            "gas": {**COAL, "capacity_mw": -3},
        },
    )
    found = {p.key_path: p for p in problems(make_scenario(scenario, profiles))}
    assert set(found) == {
        "technologies.coal.capacity_mw",
        "technologies.coal.availability",
        "technologies.gas.capacity_mw",
    }
    assert "'lots'" in found["technologies.coal.capacity_mw"].found
    assert "less than or equal to 1" in found["technologies.coal.availability"].expected
    assert "greater than or equal to 0" in found["technologies.gas.capacity_mw"].expected


def test_unknown_kind_lists_the_kinds(make_scenario):
    scenario, profiles = one_region([1], {"coal": {"kind": "fusion"}})
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "technologies.coal.kind"
    assert "thermal" in p.expected and "'fusion'" in p.found


def test_missing_required_key(make_scenario):
    scenario, profiles = one_region([1], {"pv": {"kind": "variable", "capacity_mw": 1}})
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "technologies.pv.profile"
    assert "required" in p.expected


def test_reference_to_undefined_region_and_fuel(make_scenario):
    scenario, profiles = one_region([1], {"coal": {**COAL, "fuel": "cole", "region": "x"}})
    found = {p.key_path: p for p in problems(make_scenario(scenario, profiles))}
    assert "did you mean `coal`" in found["technologies.coal.fuel"].hint
    assert "technologies.coal.region" in found


def test_accounting_lists_must_name_technologies(make_scenario):
    scenario, profiles = one_region([1], {"coal": COAL}, accounting={"major_projects": ["cole"]})
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "accounting.major_projects[0]" and "did you mean `coal`" in p.hint


def test_missing_profile_file(make_scenario):
    scenario, profiles = one_region([1], {"coal": COAL})
    scenario["regions"]["r"]["demand"]["file"] = "nowhere.csv"
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "regions.r.demand.file"
    assert "nowhere.csv" in p.found


def test_profile_too_short_for_the_horizon(make_scenario):
    scenario, profiles = one_region([1, 2, 3], {"coal": COAL})
    scenario["time"]["hours"] = 5
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "regions.r.demand"
    assert "2 hours missing" in p.found


def test_nan_in_profile(make_scenario):
    scenario, profiles = one_region([1.0, float("nan")], {"coal": COAL})
    [p] = problems(make_scenario(scenario, profiles))
    assert "1 hours missing or NaN" in p.found


def test_capacity_factor_above_one(make_scenario):
    scenario, profiles = one_region(
        [1, 1], {"pv": {"kind": "variable", "profile": {"file": "profiles.csv", "column": "pv"}}}
    )
    profiles["pv"] = [0.5, 1.2]
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "technologies.pv.profile" and "1.2" in p.found


def test_missing_column_names_the_columns(make_scenario):
    scenario, profiles = one_region([1], {"coal": COAL})
    scenario["regions"]["r"]["demand"]["column"] = "lod"
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "regions.r.demand.column" and "load" in p.hint


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ntime: {year: 2025\nregions: {}\n")
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(path)
    assert info.value.problems[0].line is not None
    assert "valid YAML" in str(info.value)


def test_message_format_is_one_line_per_problem(make_scenario):
    scenario, profiles = one_region([1], {"coal": {**COAL, "capacity_mv": 5, "availability": 2}})
    with pytest.raises(ScenarioError) as info:
        es.load_scenario(make_scenario(scenario, profiles))
    text = str(info.value)
    assert text.splitlines()[0] == "2 problems in the scenario:"
    assert "scenario.yaml:" in text and "technologies.coal.availability: expected" in text


def gas_scenario(sources: dict, **gas: object) -> tuple[dict, dict]:
    scenario, profiles = one_region([1], {"coal": COAL})
    scenario["gas"] = {"sources": sources, **gas}
    return scenario, profiles


def test_gas_tiers_falling_in_price_are_rejected(make_scenario):
    tiers = [{"volume_1e4m3_per_year": 100, "price_cny_per_m3": 3.0}, {"price_cny_per_m3": 2.5}]
    [p] = problems(make_scenario(*gas_scenario({"pipe": {"kind": "pipeline", "tiers": tiers}})))
    assert p.key_path == "gas.sources.pipe" and "must not fall" in p.expected and "[3.0, 2.5]" in p.expected


def test_take_or_pay_above_the_maximum_is_rejected(make_scenario):
    source = {
        "kind": "pipeline",
        "tiers": [{"price_cny_per_m3": 2.5}],
        "max_1e4m3_per_year": 100,
        "take_or_pay_1e4m3_per_year": 150,
    }
    [p] = problems(make_scenario(*gas_scenario({"pipe": source})))
    assert "take-or-pay minimum 150 is above the annual maximum 100" in p.expected


def test_unknown_interconnection_and_tank_source(make_scenario):
    sources = {"pipe": {"kind": "pipeline", "via": "tye", "tiers": [{"price_cny_per_m3": 2.5}]}}
    tanks = {"t": {"source": "pipe", "capacity_1e4m3": 10, "send_out_max_1e4m3_per_day": 5}}
    found = {
        p.key_path: p
        for p in problems(
            make_scenario(
                *gas_scenario(sources, interconnections={"tie": {"capacity_1e4m3_per_day": 10}}, lng_storage=tanks)
            )
        )
    }
    assert "did you mean `tie`" in found["gas.sources.pipe.via"].hint
    assert "LNG source" in found["gas.lng_storage.t.source"].expected


def test_steam_zone_without_a_supplier(make_scenario):
    scenario, profiles = one_region([1], {"coal": COAL})
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "load"}
    [p] = problems(make_scenario(scenario, profiles))
    assert p.key_path == "regions.r.steam_demand" and "steam supplier" in p.expected


def test_chp_expansion_is_refused_with_a_reason(make_scenario):
    chp = {
        "kind": "chp",
        "capacity_mw": 10,
        "max_new_mw": 5,
        "steam_capacity_t_per_h": 10,
        "fuel": "coal",
        "heat_rate_gj_per_mwh": 10,
        "back_pressure_mwe_per_mwth": 0.7,
        "power_loss_mwe_per_mwth": 0.15,
    }
    [p] = problems(make_scenario(*one_region([1], {"chp": chp})))
    assert p.key_path == "technologies.chp" and "CHP expansion is not modelled" in p.expected


@pytest.mark.parametrize("cls", [ScenarioError, UsageError])
def test_errors_come_back_from_a_worker_as_the_same_class(cls):
    """Dask workers pickle the error they raise: a usage error (exit 2) must not come back as bad input (exit 1)."""
    import pickle

    error = cls([Problem("--variant", "variant", "one of the sweep's variants", "'x'")], subject="the sweep")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls and again.problems == error.problems and str(again) == str(error)
