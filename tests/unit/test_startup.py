"""The command line starts quickly: ``--help`` and ``--version`` load none of the heavy libraries (measured:
0.2-0.3 s against 2.4-8.6 s when ``import energysim`` pulled in Pyomo, xarray and scipy)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("numpy", "pandas", "xarray", "scipy", "pyomo", "highspy", "matplotlib", "pydantic", "tsam", "sklearn")

PROBE = """
import json, runpy, sys
argv, heavy = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["energysim", *argv]
try:
    runpy.run_module("energysim", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & heavy)
print(json.dumps({"code": code, "heavy": loaded}), file=sys.stderr)
"""


def _probe(*argv: str) -> tuple[str, dict]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": ""},
        check=False,
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [("--help",), ("run", "--help"), ("sweep", "--help")], ids=" ".join)
def test_help_imports_no_heavy_library(argv):
    out, probe = _probe(*argv)
    assert probe == {"code": 0, "heavy": []}
    assert "usage: energysim" in out


def test_version_prints_the_package_version():
    out, probe = _probe("--version")
    assert probe == {"code": 0, "heavy": []}
    assert out.startswith("energysim ") and out.split()[1][0].isdigit()


def test_the_public_api_still_resolves():
    import energysim as es

    assert es.run.__module__ == "energysim.pipeline" and es.ScenarioError.__module__ == "energysim.errors"
    assert "load_scenario" in dir(es)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        es.nothing  # noqa: B018
