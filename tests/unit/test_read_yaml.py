"""Reading scenario YAML: the fast parser gives the same values and key lines as ruamel's round-trip loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from energysim.errors import ScenarioError
from energysim.scenario.load import read_yaml
from tests.conftest import REPO

SHIPPED = sorted((REPO / "scenarios").rglob("*.yaml")) + sorted((REPO / "benchmarks").rglob("*.yaml"))


def _key_lines(node, prefix=()):
    """(key path → 0-based line) of every mapping key, from a round-trip or a :func:`read_yaml` tree."""
    out = {}
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        path = (*prefix, key)
        if isinstance(node, dict):
            out[path] = node.lc.key(key)[0]
        out |= _key_lines(value, path)
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_values_and_key_lines_equal_the_round_trip_loaders(path):
    round_trip = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    fast = read_yaml(path)
    assert fast == round_trip
    assert _key_lines(fast) == _key_lines(round_trip)


def test_yaml_1_2_flow_values_with_colons_are_read(tmp_path: Path):
    """libyaml (YAML 1.1) refuses `:` inside a flow-style plain value; the YAML 1.2 parser takes it."""
    path = tmp_path / "s.yaml"
    path.write_text("name: t\ntime: {hours: 48, start: 2025-01-01 00:00}\n", encoding="utf-8")
    data = read_yaml(path)
    assert data == {"name": "t", "time": {"hours": 48, "start": "2025-01-01 00:00"}}
    assert data.lc.key("time") == (1, 0) and data["time"].lc.key("start")[0] == 1


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: t\ntechnologies:\n  pv: {kind: variable\n  coal: 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_yaml(path)
    problem = err.value.problems[0]
    assert problem.file == str(path) and problem.line is not None and problem.expected == "valid YAML"
