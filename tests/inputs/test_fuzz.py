"""Fuzzing the loader: whatever the file or the value, loading ends in a valid scenario or a ScenarioError, never in
another exception (exit 4); and every mutation that is valid solves to a finite objective, or stops as
infeasible or not optimal with a reason (exit 3), never with a NaN or infinite cost.

A small scenario (four hours: coal, gas, PV, a battery, the grid at a price profile, a steam zone with a boiler,
a CO2 price, a peak reserve) is mutated three ways: its YAML text byte by byte, one value at a time with nasty
values, and one number at a time across absurd but finite magnitudes, which are then solved.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import energysim as es
from energysim.errors import InfeasibleError, ScenarioError, SolverError
from energysim.results import total_cost
from energysim.scenario.compose import parse_set
from tests.conftest import one_region, write_scenario

HOURS = 4
TECHS = {
    "coal": {
        "kind": "thermal",
        "capacity_mw": 60,
        "fuel": "coal",
        "heat_rate_gj_per_mwh": 10,
        "min_stable_fraction": 0.2,
    },
    "gas": {
        "kind": "thermal",
        "capacity_mw": 0,
        "max_new_mw": 50,
        "capex_cny_per_kw": 3000,
        "lifetime_years": 25,
        "fuel": "gas",
        "heat_rate_gj_per_mwh": 7,
    },
    "pv": {"kind": "variable", "capacity_mw": 20, "profile": {"file": "profiles.csv", "column": "pv"}},
    "battery": {"kind": "storage", "capacity_mw": 10, "duration_hours": 2, "max_new_mw": 10, "capex_cny_per_kwh": 800},
    "grid": {
        "kind": "grid",
        "import_capacity_mw": 20,
        "export_capacity_mw": 10,
        "import_price_cny_per_mwh": {"file": "profiles.csv", "column": "tou", "scale": 400},
        "export_price_cny_per_mwh": 200,
    },
    "boiler": {"kind": "boiler", "fuel": "coal", "efficiency": 0.8, "capacity_t_per_h": 30},
}
PROFILES = {
    "load": [50.0, 60.0, 70.0, 55.0],
    "pv": [0.0, 0.4, 0.8, 0.2],
    "tou": [0.8, 1.0, 1.4, 1.0],
    "steam": [20.0] * HOURS,
}
EXTRA = {
    "policy": {"co2_price_cny_per_t": 75, "peak_reserve": {"margin": 0.1, "months": [1]}},
    "finance": {"discount_rate": 0.06},
}
FUZZ = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)


def base() -> dict[str, Any]:
    scenario, _ = one_region(PROFILES["load"], {k: dict(v) for k, v in TECHS.items()}, **EXTRA)
    scenario["regions"]["r"]["steam_demand"] = {"file": "profiles.csv", "column": "steam"}
    return scenario


def leaves(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path to a value (numbers, strings, lists …) of a nested mapping."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*prefix, k))] if node else [prefix]
    return [prefix]


def put(node: dict, path: tuple, value: Any) -> dict:
    """A copy of ``node`` with ``value`` at ``path``."""
    out = dict(node)
    out[path[0]] = value if len(path) == 1 else put(node[path[0]], path[1:], value)
    return out


def at(node: Any, path: tuple) -> Any:
    return node if not path else at(node[path[0]], path[1:])


BASE = base()
PATHS = leaves(BASE)
NUMBER_PATHS = [p for p in PATHS if isinstance(at(BASE, p), int | float) and not isinstance(at(BASE, p), bool)]


def load_or_refuse(folder: Path, scenario: dict[str, Any] | None = None, text: bytes | None = None) -> Any:
    """Load (and read the profiles of) a scenario; return the inputs, or the ScenarioError. Anything else fails."""
    path = write_scenario(folder, scenario or BASE, PROFILES)
    if text is not None:
        path.write_bytes(text)
    try:
        return es.build_inputs(es.load_scenario(path))
    except ScenarioError as exc:
        assert exc.problems and all(p.expected and p.found is not None for p in exc.problems), exc
        return exc


def test_the_base_scenario_is_valid_and_solves():
    with tempfile.TemporaryDirectory() as folder:
        inputs = load_or_refuse(Path(folder))
        assert not isinstance(inputs, ScenarioError), inputs
        assert math.isfinite(es.run_inputs(inputs).attrs["objective_cny"])


NASTY = st.one_of(
    st.sampled_from([None, True, False, "", "x", "2025-13-45", [], {}, [1, "a"], {"a": 1}, 10**30, -(10**30)]),
    st.sampled_from(["\x00", "a" * 300, "../../x.csv", "/etc/hostname", "-1e-300", "1e400", "nan", "0x10"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=20),
    st.lists(st.floats(allow_nan=True), max_size=3),
    st.dates().map(str),
)


@settings(FUZZ, max_examples=100)
@given(path=st.sampled_from(PATHS), value=NASTY)
def test_any_value_anywhere_loads_or_is_refused(path, value):
    with tempfile.TemporaryDirectory() as folder:
        load_or_refuse(Path(folder), put(BASE, path, value))


@settings(FUZZ, max_examples=40)
@given(path=st.sampled_from(PATHS), name=st.text(min_size=1, max_size=12))
def test_any_new_key_loads_or_is_refused(path, name):
    with tempfile.TemporaryDirectory() as folder:
        load_or_refuse(Path(folder), put(BASE, (*path[:-1], name), 1.0))


def _text() -> bytes:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        with path.open("w") as stream:
            yaml.dump(BASE, stream)
        return path.read_bytes()


TEXT = _text()
SNIPPETS = [b"\x00", b"\xff\xfe", b"&a ", b"*a", b"*b ", b"!!python/object ", b"{", b"[", b"]", b":", b"- ", b"\n  "]
SNIPPETS += [b"\t", b"<<: ", b"? ", b"%YAML 1.1\n", b"'", b'"', b"#", b"2025-13-45", b".inf", b"1e400", b"true"]
JUNK = st.one_of(st.binary(max_size=4), st.sampled_from(SNIPPETS))


@settings(FUZZ, max_examples=120)
@given(edits=st.lists(st.tuples(st.integers(0, len(TEXT)), st.integers(0, 3), JUNK), min_size=1, max_size=4))
def test_any_text_loads_or_is_refused(edits):
    text = TEXT
    for at, cut, junk in edits:
        at = min(at, len(text))
        text = text[:at] + junk + text[at + cut :]
    with tempfile.TemporaryDirectory() as folder:
        load_or_refuse(Path(folder), text=text)


@settings(FUZZ, max_examples=200)
@given(text=st.text(max_size=40))
def test_any_set_text_parses_or_is_refused(text):
    try:
        parse_set(text)
    except ScenarioError as exc:
        assert exc.problems


MAGNITUDES = st.one_of(
    st.sampled_from([0, 1e-17, 1e-9, 0.5, 1, 2, 100, 1e6, 1e9, 1e12, 1.0000001e12, -1, -1e-9]),
    st.floats(min_value=0, max_value=1e4),
)


@settings(FUZZ, max_examples=25)
@given(path=st.sampled_from(NUMBER_PATHS), value=MAGNITUDES)
def test_every_valid_number_solves_to_a_finite_objective_or_says_why(path, value):
    """Absurd but finite numbers: refused with a reason, solved to a finite cost, or reported infeasible or not
    optimal (exit 3) — never a NaN or infinite objective written as an answer."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = load_or_refuse(Path(folder), put(BASE, path, value))
        if isinstance(inputs, ScenarioError):
            return
        try:
            ds = es.run_inputs(inputs)
        except (InfeasibleError, SolverError) as exc:
            assert str(exc)
            return
        assert math.isfinite(ds.attrs["objective_cny"]) and math.isfinite(total_cost(ds))
        assert np.isfinite(ds.cost.values).all() and np.isfinite(ds.generation.values).all()
