"""The YAML resource policy and linear composition: hostile or broken files end in a ScenarioError naming the
file (and line), quickly, never in a MemoryError, RecursionError or UnicodeDecodeError."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest

from energysim.errors import ScenarioError
from energysim.scenario.compose import Layer, Leaves, Origin, merge, parse_set
from energysim.scenario.load import read_yaml
from energysim.scenario.yamlio import MAX_BYTES, MAX_DEPTH, MAX_NODES


def billion_laughs(levels: int = 9) -> str:
    """About 600 bytes standing for 9**9 values."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def problem_of(tmp_path: Path, content: str | bytes, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    assert time.perf_counter() - t0 < 5.0
    [p] = info.value.problems
    assert p.file == str(path)
    return p


def test_an_alias_bomb_is_refused_before_anything_is_built(tmp_path):
    text = billion_laughs()
    assert len(text) < 700
    p = problem_of(tmp_path, text)
    assert f"at most {MAX_NODES:,} values once aliases are expanded" in p.expected and p.line is not None


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path):
    p = problem_of(tmp_path, "a: &a {b: *a}\n")
    assert "contains itself" in p.found and p.line == 1


@pytest.mark.parametrize("text", ["a: " + "[" * 5000 + "]" * 5000 + "\n", "a: " + "[" * 100 + "]" * 100 + "\n"])
def test_deep_nesting_is_refused(tmp_path, text):
    assert f"at most {MAX_DEPTH} levels" in problem_of(tmp_path, text).expected


def test_deep_nesting_through_aliases_is_refused(tmp_path):
    """Each anchor is 40 levels deep and holds the previous one: shallow as written, deep once expanded."""
    lines = [f"a0: &a0 {'[' * 40}1{']' * 40}"]
    lines += [f"a{i}: &a{i} {'[' * 40}*a{i - 1}{']' * 40}" for i in range(1, 4)]
    assert "through aliases" in problem_of(tmp_path, "\n".join(lines) + "\n").found


def test_a_file_that_is_too_large_or_not_a_file_is_refused(tmp_path):
    p = problem_of(tmp_path, "a: 1\n" + "#" * MAX_BYTES + "\n")
    assert "bytes" in p.expected and p.hint == "split it up"
    (tmp_path / "folder.yaml").mkdir()
    with pytest.raises(ScenarioError, match="found a folder"):
        read_yaml(tmp_path / "folder.yaml")
    with pytest.raises(ScenarioError, match="found no such file"):
        read_yaml(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("content", "found", "line"),
    [
        ("name: é\n".encode("utf-16"), "UTF-16 text", None),
        ("a: 1\nname: é\n".encode("latin-1"), "bytes that are not UTF-8", 2),
        (b"a: 1\nb: x\x00y\n", "the control character U+0000", 2),
    ],
    ids=["utf-16", "latin-1", "nul"],
)
def test_text_that_is_not_utf8_or_has_control_characters(tmp_path, content, found, line):
    p = problem_of(tmp_path, content)
    assert found in p.found and p.line == line


@pytest.mark.parametrize(
    ("text", "found", "line"),
    [
        ("a: 1\nb: !!int many\n", "a value its tag cannot hold", 2),
        ("a: !!python/object:os.system x\n", "could not determine a constructor", 1),
        ("a: 1\na: 2\n", "duplicate key", 2),
        ("a: {b: 1\n", "", 2),
    ],
    ids=["bad-int-tag", "python-tag", "duplicate", "syntax"],
)
def test_values_yaml_cannot_build_name_their_line(tmp_path, text, found, line):
    p = problem_of(tmp_path, text)
    assert found in p.found and p.line == line


def test_an_impossible_date_stays_text_for_the_schema_to_report(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("available_from: 2025-13-45\nok: 2025-06-22\n")
    data = read_yaml(path)
    assert data["available_from"] == "2025-13-45" and str(data["ok"]) == "2025-06-22"


def test_a_set_value_that_is_not_yaml_names_the_key():
    with pytest.raises(ScenarioError) as info:
        parse_set("policy.co2_price_cny_per_t=[1,")
    [p] = info.value.problems
    assert (p.file, p.key_path) == ("--set", "policy.co2_price_cny_per_t") and "'[1,'" in p.found


def _layer(n: int, strict_value: float = 1.0) -> Layer:
    origin = Origin("f.yaml", 1)
    return Layer("f", {("fuels", f"f{i}", "price_cny_per_gj"): (strict_value, origin) for i in range(n)})


def _merge_seconds(n: int) -> float:
    """Best of two: compose ``n`` keys, replace each, then replace their whole map (garbage collection paused)."""
    layers = [_layer(n), _layer(n, 2.0), Layer("g", {("fuels",): (None, Origin("g"))})]
    best = float("inf")
    gc.disable()
    try:
        for _ in range(2):
            base = Leaves()
            t0 = time.perf_counter()
            assert merge(base, layers[0], strict=False) == []
            assert merge(base, layers[1], strict=True) == []
            assert merge(base, layers[2], strict=True) == []
            best = min(best, time.perf_counter() - t0)
            assert list(base) == [("fuels",)]
    finally:
        gc.enable()
    return best


def test_merging_is_linear_in_the_number_of_keys():
    """20,000 keys took a minute when every key scanned every leaf (quadratic: 4× the keys, 16× the time); now 4×
    the keys take about 4× the time (a ratio, so that a busy machine does not fail the test)."""
    small, large = _merge_seconds(5_000), _merge_seconds(20_000)
    assert large < 8 * small + 0.2
