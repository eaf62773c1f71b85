"""The bad-input corpus: every problem a planner can cause ends in exit 1 with the file, the line where there is
one, the key path, what was expected, what was found and a hint; never exit 4 ("internal error", our bug).

Each case writes a tiny scenario (one region, two hours) with one thing wrong and runs the command line on it.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
import xarray as xr
from ruamel.yaml import YAML

import energysim as es
from energysim.cli import EXIT_INPUT, main
from tests.conftest import one_region, write_scenario
from tests.inputs.test_yaml_policy import billion_laughs

COAL = {"kind": "thermal", "capacity_mw": 100, "fuel": "coal", "heat_rate_gj_per_mwh": 10}
PV = {"kind": "variable", "capacity_mw": 10, "profile": {"file": "profiles.csv", "column": "pv"}}
INF = float("inf")

Case = Callable[[Path], tuple[list[str], list[str]]]
"""``case(folder)`` → (command-line arguments, fragments the error message must hold)."""


def tiny(folder: Path, techs: dict | None = None, demand: list[float] | None = None, **extra: object) -> Path:
    """A valid two-hour scenario (coal, PV) changed by ``extra`` top-level keys, in block style; returns its path."""
    scenario, profiles = one_region(demand or [50.0, 60.0], techs or {"coal": COAL, "pv": PV}, **extra)
    profiles["pv"] = [0.0, 0.5][: len(profiles["load"])] + [0.5] * (len(profiles["load"]) - 2)
    path = write_scenario(folder, scenario, profiles)
    written = YAML(typ="safe", pure=True).load(path.read_text())
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(written, stream)
    return path


def edited(folder: Path, old: str, new: str, **kw: object) -> Path:
    """The tiny scenario with ``old`` replaced by ``new`` in its YAML text."""
    path = tiny(folder, **kw)
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new, 1))
    return path


def validate(path: Path, *more: str) -> list[str]:
    return ["validate", str(path), *more]


def run(path: Path, folder: Path, *more: str) -> list[str]:
    return ["run", str(path), "-o", str(folder / "out.nc"), *more]


# Hole 1: resource exhaustion -------------------------------------------------------------------------------------

HOLE_1: dict[str, Case] = {
    "alias-bomb": lambda f: (
        validate(_with_line(tiny(f), billion_laughs())),
        ["scenario.yaml:", "values once aliases are expanded"],
    ),
    "oversized-file": lambda f: (
        validate(_with_line(tiny(f), "# " + "x" * 1_100_000 + "\n")),
        ["expected a YAML file of at most 1,000,000 bytes"],
    ),
}


# Hole 2: input errors that were reported as internal errors ---------------------------------------------------


def _corrupt_gz(folder: Path, truncate: bool) -> tuple[list[str], list[str]]:
    path = tiny(folder)
    csv = (folder / "profiles.csv").read_bytes() * 50
    data = gzip.compress(csv)
    data = data[: len(data) // 2] if truncate else data[:10] + b"\xff" * 20 + data[30:]
    (folder / "profiles.csv.gz").write_bytes(data)
    path.write_text(path.read_text().replace("profiles.csv", "profiles.csv.gz"))
    return validate(path), ["regions.r.demand.file", "a damaged or truncated compressed file"]


HOLE_2: dict[str, Case] = {
    "invalid-date": lambda f: (
        validate(edited(f, "    kind: thermal\n", "    kind: thermal\n    available_from: 2025-13-45\n")),
        ["scenario.yaml:", "technologies.coal.available_from", "'2025-13-45'", "valid date"],
    ),
    "latin-1-file": lambda f: (
        validate(_write_bytes(f, "name: é\n".encode("latin-1"))),
        ["s.yaml:1", "expected UTF-8 text", "save the file as UTF-8"],
    ),
    "utf-16-file": lambda f: (validate(_write_bytes(f, "name: x\n".encode("utf-16"))), ["found UTF-16 text"]),
    "nul-byte": lambda f: (validate(edited(f, "name: test", "name: te\0st")), ["scenario.yaml:", "U+0000"]),
    "deep-nesting": lambda f: (
        validate(_write_bytes(f, ("a: " + "[" * 3000 + "]" * 3000 + "\n").encode())),
        ["s.yaml:1", "nesting at most 64 levels"],
    ),
    "set-not-yaml": lambda f: (
        validate(tiny(f), "--set", "policy.co2_price_cny_per_t=[1,"),
        ["--set: policy.co2_price_cny_per_t: expected a YAML value", "'[1,'"],
    ),
    "extends-a-number": lambda f: (
        validate(_with_line(tiny(f), "extends: [5]\n")),
        ["scenario.yaml:1: extends.0: expected a file name, found 5"],
    ),
    "overrides-a-mapping": lambda f: (
        validate(_with_line(tiny(f), "overrides: {a: 1}\n")),
        ["scenario.yaml:1: overrides: expected an override set's name, or a list of them, found a mapping"],
    ),
    "aggregate-days-out-of-range": lambda f: (
        ["aggregate", str(tiny(f)), "--days", "1"],
        ["--days: days: expected greater than or equal to 2, found 1"],
    ),
    "aggregate-negative-seed": lambda f: (["aggregate", str(tiny(f)), "--seed", "-1"], ["--seed: seed: expected"]),
    "truncated-csv-gz": lambda f: _corrupt_gz(f, truncate=True),
    "corrupt-csv-gz": lambda f: _corrupt_gz(f, truncate=False),
}


def _write_bytes(folder: Path, content: bytes) -> Path:
    path = folder / "s.yaml"
    path.write_bytes(content)
    return path


# Hole 3: non-finite and absurd numbers ---------------------------------------------------------------------------


def _number(key: str, value: object, where: str = "coal") -> Case:
    """A technology field (or, with ``where`` empty, a top-level dotted key) set to ``value`` with --set."""
    path = f"technologies.{where}.{key}" if where else key
    return lambda f: (validate(tiny(f), "--set", f"{path}={_yaml(value)}"), [f"--set: {path}: expected"])


def _yaml(value: object) -> str:
    if value == INF:
        return ".inf"
    if value is True:
        return "true"
    return str(value)


HOLE_3: dict[str, Case] = {
    "inf-capacity": _number("capacity_mw", INF),
    "inf-heat-rate": _number("heat_rate_gj_per_mwh", INF),
    "inf-voll": _number("value_of_lost_load_cny_per_mwh", INF, where=""),
    "inf-fuel-price": _number("fuels.coal.price_cny_per_gj", INF, where=""),
    "inf-co2-price": lambda f: (
        validate(tiny(f, policy={"co2_price_cny_per_t": 10}), "--set", "policy.co2_price_cny_per_t=.inf"),
        ["policy.co2_price_cny_per_t: expected a finite number, found inf"],
    ),
    "inf-duration": lambda f: (
        validate(
            tiny(f, techs={"coal": COAL, "bat": {"kind": "storage", "capacity_mw": 5, "duration_hours": 2}}),
            "--set",
            "technologies.bat.duration_hours=.inf",
        ),
        ["technologies.bat.duration_hours: expected a finite number"],
    ),
    "inf-gas-tier": lambda f: (
        validate(
            tiny(f, gas={"fuel": "gas", "sources": {"p": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": INF}]}}})
        ),
        ["gas.sources.p.tiers.0.price_cny_per_m3", "finite number"],
    ),
    "tiny-lifetime": lambda f: (
        validate(tiny(f, techs={"coal": {**COAL, "lifetime_years": 1e-20}})),
        ["technologies.coal.lifetime_years: expected greater than or equal to 1, found 1e-20"],
    ),
    "huge-lifetime": _number("lifetime_years", 1e30),
    "tiny-discount-rate": lambda f: (
        validate(tiny(f, finance={"discount_rate": 1e-17})),
        ["finance.discount_rate: expected 0, or a number between 1e-12 and 1e+12 in size, found 1e-17"],
    ),
    "tiny-efficiency": lambda f: (
        validate(tiny(f, techs={"coal": COAL, "b": {"kind": "boiler", "fuel": "coal", "efficiency": 1e-308}})),
        ["technologies.b.efficiency: expected 0, or a number between"],
    ),
    "date-out-of-range": lambda f: (
        validate(edited(f, "    kind: thermal\n", "    kind: thermal\n    available_from: 0005-01-01\n")),
        ["technologies.coal.available_from: expected a date in the years 1900-2200"],
    ),
    "huge-capacity": _number("capacity_mw", 1e30),
    "bool-capacity": lambda f: (
        validate(tiny(f, techs={"coal": {**COAL, "capacity_mw": True}})),
        ["technologies.coal.capacity_mw: expected a valid number, found true"],
    ),
    "bool-month": lambda f: (
        validate(tiny(f, policy={"peak_reserve": {"months": [True, 7]}})),
        ["policy.peak_reserve.months.0: expected a valid integer, found true"],
    ),
    "zero-profile-energy": lambda f: (
        validate(
            edited(f, "column: load", "column: load\n      annual_twh: 1.0", demand=[0.0, 0.0]),
        ),
        ["regions.r.demand: expected a profile with hours above 0"],
    ),
    "inf-profile": lambda f: (validate(tiny(f, demand=[50.0, INF])), ["regions.r.demand: expected finite numbers"]),
    "huge-profile": lambda f: (validate(tiny(f, demand=[50.0, 1e300])), ["regions.r.demand: expected finite numbers"]),
    "overflowing-scale": lambda f: (
        validate(edited(f, "column: load", "column: load\n      scale: 1.0e+12", demand=[50.0, 1e297])),
        ["regions.r.demand: expected finite numbers of at most 1e+12 (after `scale`)"],
    ),
    "peak-below-mean": lambda f: (
        validate(edited(f, "column: load", "column: load\n      annual_twh: 0.876\n      peak_mw: 50")),
        ["regions.r.demand.peak_mw: expected a peak of at least the mean demand", "100.0 MW", "upside down"],
    ),
    "flat-profile-two-targets": lambda f: (
        validate(edited(f, "column: load", "column: load\n      annual_twh: 0.876\n      peak_mw: 150", demand=[5, 5])),
        ["regions.r.demand: expected a profile that varies", "give only one of them"],
    ),
    "hours-beyond-horizon": lambda f: (run(tiny(f), f, "--hours", "100000"), ["--hours: hours: expected 1 to 2"]),
    "hours-beyond-the-year": lambda f: (
        validate(tiny(f, time={"year": 2025, "hours": 10000})),
        ["time: expected `hours` within the year: at most 8760 in 2025, found 10000"],
    ),
}


# Hole 7: files named in a scenario that are missing, reported at their key and line ------------------------------

HOLE_7: dict[str, Case] = {
    "missing-extends": lambda f: (
        validate(_with_line(tiny(f), "extends: base.yaml\n")),
        ["scenario.yaml:1: extends: expected an existing scenario file, found no file at 'base.yaml'"],
    ),
    "missing-targets": lambda f: (
        validate(tiny(f, targets="targets/plan.yaml")),
        [
            "scenario.yaml:",
            "targets: expected an existing target registry (YAML), found no file at 'targets/plan.yaml'",
        ],
    ),
    "missing-override-set": lambda f: (
        validate(_with_line(tiny(f), "overrides: [dear_gas]\n")),
        ["scenario.yaml:1: overrides: expected an override set", "no file for 'dear_gas'"],
    ),
    "missing-profile-file": lambda f: (
        validate(edited(f, "file: profiles.csv", "file: nowhere.csv")),
        ["scenario.yaml:", "regions.r.demand.file: expected an existing CSV file, found no file at 'nowhere.csv'"],
    ),
    "all-at-once": lambda f: (
        validate(
            tiny(f, techs={"coal": {**COAL, "capacity_mv": 1, "fuel": "cole"}, "pv": PV}, targets="t.yaml"),
            "--set",
            "policy.co2_price=5",
        ),
        ["4 problems", "capacity_mv", "technologies.coal.fuel", "targets:", "policy.co2_price:", "--set"],
    ),
}


# Hole 4: keys that do nothing ------------------------------------------------------------------------------------

POOL = {"fuel": "gas", "sources": {"pipe": {"kind": "pipeline", "tiers": [{"price_cny_per_m3": 2.5}]}}}
GAS_PLANT = {"kind": "thermal", "capacity_mw": 100, "fuel": "gas", "heat_rate_gj_per_mwh": 7}


def _pooled(folder: Path) -> Path:
    """The tiny scenario with a gas plant supplied by a gas pool (the gas fuel has no price)."""
    return tiny(folder, techs={"coal": COAL, "gas": GAS_PLANT}, gas=POOL)


HOLE_4: dict[str, Case] = {
    "cost-key-under-highs-options": lambda f: (
        validate(tiny(f, solver={"highs_options": {"capex_cny_per_kw": 900}})),
        ["scenario.yaml:", "solver.highs_options.capex_cny_per_kw: expected an option HiGHS knows"],
    ),
    "mistyped-highs-option": lambda f: (
        validate(tiny(f, solver={"highs_options": {"presolv": "off"}})),
        ["solver.highs_options.presolv", "did you mean `presolve`?"],
    ),
    "highs-option-bad-value": lambda f: (
        validate(tiny(f, solver={"highs_options": {"presolve": "sometimes"}})),
        ["solver.highs_options.presolve: expected a value HiGHS accepts for `presolve` (a string"],
    ),
    "highs-option-writing-files": lambda f: (
        validate(tiny(f, solver={"highs_options": {"solution_file": "/etc/x"}})),
        ["solver.highs_options.solution_file: expected a HiGHS option that is not about files"],
    ),
    "commitment-blocks-without-commitment": lambda f: (
        validate(tiny(f, commitment="off", commitment_block_hours=24)),
        ["commitment_block_hours: expected a key commitment uses, found `commitment: off`", "commitment: linear"],
    ),
    "commitment-block-not-a-divisor-of-a-day": lambda f: (
        validate(tiny(f, commitment_block_hours=5)),
        ["scenario.yaml:1: commitment_block_hours: expected 1, 2, 3, 4, 6, 8, 12 or 24, found 5"],
    ),
    "cost-key-under-sweep": lambda f: (
        validate(tiny(f, sweep={"capex_cny_per_kw": [900, 1200]})),
        ["scenario.yaml:", "sweep.capex_cny_per_kw: expected a key path this scenario has"],
    ),
    "sweep-a-name": lambda f: (
        validate(tiny(f, sweep={"name": ["a", "b"]})),
        ["sweep.name: expected a key whose value"],
    ),
    "pool-fuel-price-in-file": lambda f: (
        validate(_with_line(_pooled(f), "fuels:\n  gas: {price_cny_per_gj: 90}\n", replace_key="fuels")),
        ["fuels.gas.price_cny_per_gj: expected no price for the gas pool's fuel", "gas.sources.*"],
    ),
    "pool-fuel-price-by-set": lambda f: (
        validate(_pooled(f), "--set", "fuels.gas.price_cny_per_gj=90"),
        ["--set: fuels.gas.price_cny_per_gj: expected no price for the gas pool's fuel"],
    ),
    "pool-fuel-price-by-param": lambda f: (
        ["sweep", str(_pooled(f)), "--param", "fuels.gas.price_cny_per_gj=72,90", "-o", str(f / "out")],
        ["fuels.gas.price_cny_per_gj: expected no price for the gas pool's fuel"],
    ),
    "pooled-tech-price-override": lambda f: (
        validate(_pooled(f), "--set", "technologies.gas.fuel_price_cny_per_gj=90"),
        ["technologies.gas.fuel_price_cny_per_gj: expected no price for the gas pool's fuel"],
    ),
    "phaseout-fuel-unknown": lambda f: (
        validate(tiny(f, policy={"coal_boiler_phaseout": {"fuel": "cole", "from": "2025-07-01"}})),
        ["policy.coal_boiler_phaseout.fuel: expected a fuel defined under `fuels`", "did you mean `coal`?"],
    ),
    "renewable-kind-unknown": lambda f: (
        validate(tiny(f, policy={"renewable_share": {"min_share": 0.1, "kinds": ["varaible"]}})),
        ["policy.renewable_share.kinds.0: expected a kind of power technology", "did you mean `variable`?"],
    ),
    "renewable-tech-unknown": lambda f: (
        validate(tiny(f, policy={"renewable_share": {"min_share": 0.1, "techs": ["pv2"]}})),
        ["policy.renewable_share.techs.0: expected a technology under `technologies`", "did you mean `pv`?"],
    ),
    "base-results-not-nc": lambda f: (
        validate(tiny(f, base_results="base.csv")),
        ["base_results: expected a results file (.nc), found 'base.csv'"],
    ),
    "fuel-without-price": lambda f: (
        validate(_with_line(tiny(f), "fuels:\n  coal: {co2_t_per_gj: 0.1}\n", replace_key="fuels")),
        ["fuels.coal.price_cny_per_gj: expected a price, CNY/GJ (burnt by coal)"],
    ),
}


# Hole 5: files outside the scenario's tree ----------------------------------------------------------------------


def _outside(folder: Path, key: str, value: str) -> Path:
    """A scenario in ``folder/project/scenarios`` (the project has data/) naming ``value`` under ``key``."""
    scenarios = folder / "project" / "scenarios"
    (folder / "project" / "data").mkdir(parents=True)
    scenarios.mkdir()
    (folder / "secret.csv").write_text("root:x:0:0:secret first line\n1\n")
    path = tiny(scenarios)
    text = path.read_text().replace("file: profiles.csv", "file: ../data/profiles.csv", 1)
    (scenarios / "profiles.csv").rename(folder / "project" / "data" / "profiles.csv")
    text = text.replace("file: profiles.csv", "file: ../data/profiles.csv")
    path.write_text(
        text.replace(f"{key}: ../data/profiles.csv", f"{key}: {value}", 1)
        if key == "file"
        else text + f"{key}: {value}\n"
    )
    return path


def _outside_case(key: str, value: str, dotted: str) -> Case:
    return lambda f: (
        validate(_outside(f, key, value.replace("TMP", str(f)))),
        [f"{dotted}: expected a path inside the scenario's tree", "which is outside it", "--data-root"],
    )


HOLE_5: dict[str, Case] = {
    "absolute-profile": _outside_case("file", "TMP/secret.csv", "regions.r.demand.file"),
    "dotdot-profile": _outside_case("file", "../../secret.csv", "regions.r.demand.file"),
    "dotdot-targets": _outside_case("targets", "../../secret.csv", "targets"),
    "absolute-base-results": _outside_case("base_results", "/etc/base.nc", "base_results"),
    "nul-in-a-profile-path": lambda f: (
        validate(edited(f, "file: profiles.csv", 'file: "pro\\0files.csv"')),
        ["regions.r.demand.file: expected a file path, found a path with a NUL character"],
    ),
    "overlong-extends-path": lambda f: (
        validate(_with_line(tiny(f), f"extends: {'x' * 300}.yaml\n")),
        ["scenario.yaml:1: extends: expected a file name, found a path too long for the file system"],
    ),
    "extends-outside": lambda f: (
        validate(_with_line(tiny(_folder(f / "variants")), "extends: ../base.yaml\n")),
        ["scenario.yaml:1: extends: expected a path inside the scenario's tree"],
    ),
}


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _with_line(path: Path, line: str, replace_key: str = "") -> Path:
    """``line`` written at the top of the scenario (after removing the top-level ``replace_key`` block)."""
    text = path.read_text()
    if replace_key:
        data = YAML(typ="safe", pure=True).load(text)
        data.pop(replace_key)
        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style = False
        with path.open("w", encoding="utf-8") as stream:
            yaml.dump(data, stream)
        text = path.read_text()
    path.write_text(line + text)
    return path


# Hole 2, continued: results files given to the results commands, and outputs that cannot be written -----------


@pytest.fixture(scope="module")
def good_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny solved run's results file."""
    folder = tmp_path_factory.mktemp("good")
    out = folder / "good.nc"
    assert main(["run", str(tiny(folder)), "-o", str(out)]) == 0
    return out


def _results_file(folder: Path, good: Path, kind: str) -> Path:
    """A results file that is missing, a folder, another program's netCDF, damaged (cut short), YAML, or written
    before the accounting record."""
    path = folder / f"{kind}.nc"
    if kind == "folder":
        path.mkdir()
    elif kind == "foreign":
        xr.Dataset({"t2m": ("time", [1.0, 2.0])}).to_netcdf(path, engine="h5netcdf")
    elif kind == "damaged":
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "yaml":
        path.write_text("name: not results\n")
    elif kind == "pre-accounting":  # written before the accounting record existed
        es.write_results(es.read_results(good).drop_vars("tech_dispatch"), path)
    return path


RESULTS_FOUND = {
    "missing": "no such file",
    "folder": "a folder",
    "foreign": "a netCDF file without generation",
    "damaged": "a file that cannot be read as netCDF",
    "yaml": "a file that cannot be read as netCDF",
    "pre-accounting": "results written before the accounting bases were recorded",
}


def _results_case(command: str, kind: str) -> Callable[[Path, Path], tuple[list[str], list[str]]]:
    def case(folder: Path, good: Path) -> tuple[list[str], list[str]]:
        bad = str(_results_file(folder, good, kind))
        argv = {
            "summary": ["summary", bad],
            "report": ["report", bad, "-o", str(folder / "r.html")],
            "compare": ["compare", str(good), bad],
            "targets": ["targets", bad],
            "targets-base": ["targets", str(good), "--targets", str(folder / "t.yaml"), "--base", bad],
            "plot": ["plot", bad, "-o", str(folder / "figs")],
        }[command]
        if command == "targets-base":
            (folder / "t.yaml").write_text(TARGETS)
        return argv, [f"{kind}.nc: expected an energysim results file", RESULTS_FOUND[kind]]

    return case


TARGETS = """plan: test
targets:
  - {id: co2, clause: c, metric: co2_intensity_change_pct, basis: b, comparison: "<=", threshold: 0, unit: "%"}
"""

RESULTS_CASES = {
    f"{command}-{kind}": _results_case(command, kind)
    for command, kinds in {
        "summary": list(RESULTS_FOUND),
        "report": ["damaged"],
        "compare": ["foreign"],
        "targets": ["missing"],
        "targets-base": ["foreign"],
        "plot": ["yaml"],
    }.items()
    for kind in kinds
}


def _names_outside(folder: Path, good: Path) -> list[str]:
    """A results file whose attrs name a target registry outside its project (a file it has no business reading)."""
    secret = folder.parent / f"{folder.name}-secret.yaml"
    secret.write_text("root:x:0:0:secret first line\n")
    ds = es.read_results(good)
    ds.attrs["targets_file"] = str(secret)
    es.write_results(ds, folder / "named.nc")
    return ["targets", str(folder / "named.nc")]


RESULTS_CASES["targets-registry-outside"] = lambda f, g: (
    _names_outside(f, g),
    ["targets_file: expected a file inside the working folder's or the results file's project", "--targets FILE"],
)


def _parent_is_a_file(folder: Path) -> Path:
    (folder / "plain").write_text("x")
    return folder / "plain" / "out.nc"


OUTPUT_CASES: dict[str, Callable[[Path, Path], tuple[list[str], list[str]]]] = {
    "run-into-a-folder": lambda f, g: (["run", str(tiny(f)), "-o", str(f)], ["--output", "found a folder"]),
    "run-parent-is-a-file": lambda f, g: (
        ["run", str(tiny(f)), "-o", str(_parent_is_a_file(f))],
        ["plain, which is a file"],
    ),
    "run-unwritable": lambda f, g: (
        ["run", str(tiny(f)), "-o", "/proc/self/out.nc"],
        ["/proc/self, which is not writable"],
    ),
    "run-device": lambda f, g: (["run", str(tiny(f)), "-o", "/dev/full"], ["a device or other special file"]),
    "report-into-a-folder": lambda f, g: (["report", str(g), "-o", str(f)], ["found a folder"]),
    "plot-into-a-file": lambda f, g: (["plot", str(g), "-o", str(g)], ["a folder to write into, found a file"]),
    "compare-waterfall-parent-is-a-file": lambda f, g: (
        ["compare", str(g), str(g), "--waterfall", str(_parent_is_a_file(f))],
        ["which is a file"],
    ),
    "sweep-into-a-folder": lambda f, g: (
        ["sweep", str(tiny(f)), "--param", "policy.co2_price_cny_per_t=1,2", "-o", str(f)],
        ["found a folder"],
    ),
    "adequacy-into-a-folder": lambda f, g: (["adequacy", str(tiny(f)), "-o", str(f)], ["--output", "found a folder"]),
    "robustness-into-a-file": lambda f, g: (
        ["robustness", str(tiny(f)), "-o", str(g)],
        ["--output", "a folder to write into, found a file"],
    ),
}


@pytest.mark.parametrize("case", [*RESULTS_CASES.values(), *OUTPUT_CASES.values()], ids=[*RESULTS_CASES, *OUTPUT_CASES])
def test_bad_results_file_or_output_exits_1_before_any_work(case, tmp_path, good_results, capsys) -> None:
    argv, fragments = case(tmp_path, good_results)
    if any(a in ("/proc/self/out.nc", "/dev/full") for a in argv) and not Path("/proc/self").is_dir():
        pytest.skip("needs Linux's /proc and /dev")
    code = main(argv)
    err = capsys.readouterr().err
    assert code == EXIT_INPUT, err
    assert "internal error" not in err and "solve (" not in err  # refused before solving
    assert "secret first line" not in err
    for fragment in fragments:
        assert fragment in err, err
    assert Path("/dev/full").is_char_device() or not Path("/dev/full").exists()


CASES = {
    **{f"hole1-{k}": v for k, v in HOLE_1.items()},
    **{f"hole2-{k}": v for k, v in HOLE_2.items()},
    **{f"hole3-{k}": v for k, v in HOLE_3.items()},
    **{f"hole4-{k}": v for k, v in HOLE_4.items()},
    **{f"hole7-{k}": v for k, v in HOLE_7.items()},
    **{f"hole5-{k}": v for k, v in HOLE_5.items()},
}


@pytest.mark.parametrize("make", [tiny, _pooled], ids=["tiny", "pooled"])
def test_the_scenarios_the_cases_start_from_are_valid(make: Callable[[Path], Path], tmp_path: Path) -> None:
    assert main(validate(make(tmp_path))) == 0


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_exits_1_with_a_located_message(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    argv, fragments = case(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == EXIT_INPUT, err
    assert "internal error" not in err and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    assert "secret first line" not in err and "root:x" not in err  # never what a refused file holds
    assert not (tmp_path / "out.nc").exists()


def test_the_capital_recovery_factor_is_finite_for_any_valid_rate_and_lifetime():
    """r(1+r)^n / ((1+r)^n − 1) divided by zero at r = 1e-17 and overflowed at n = 1e30; the stable form does not."""
    from energysim.inputs.common import capital_recovery_factor as crf

    assert crf(0.06, 25) == pytest.approx(0.0782267, rel=1e-6)
    assert crf(1e-17, 25) == pytest.approx(1 / 25, rel=1e-9) and crf(1e-12, 1) == pytest.approx(1.0, rel=1e-9)
    assert crf(0.0, 25) == pytest.approx(0.04) and crf(1.0, 100) == pytest.approx(1.0) and crf(0.06, 1e30) == 0.06
