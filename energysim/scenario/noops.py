"""No silent no-ops: a key, ``--set``, ``--param`` or ``sweep:`` entry that cannot change the model is an error that
says why. Checked on the composed leaves (key path → value and where it was written), so each problem has a line.

- the gas price of the pool's fuel: when ``gas:`` exists, its fuel is bought through ``gas.sources.*`` (tiers,
  take-or-pay), so ``fuels.<that fuel>.price_cny_per_gj`` and a technology's ``fuel_price_cny_per_gj`` for it
  would be ignored;
- ``solver.highs_options``: only options HiGHS knows, with values it accepts (it ignored the others silently),
  and none that make HiGHS read or write files of its own;
- ``commitment_block_hours`` with ``commitment: off``: there are no commitment decisions to block;
- ``sweep:``: every key a path this scenario has, whose change can move the results.
"""

from __future__ import annotations

from energysim.errors import Problem, did_you_mean
from energysim.scenario.compose import KeyPath, Leaves, written

POOL_PRICE_HINT = "the gas price comes from `gas.sources.*` (tiers, take-or-pay) when a gas pool exists"
HIGHS_FILE_OPTIONS = frozenset(
    {
        "log_file",
        "solution_file",
        "read_solution_file",
        "read_basis_file",
        "write_basis_file",
        "write_model_file",
        "write_model_to_file",
        "write_presolved_model_file",
        "write_solution_to_file",
    }
)
"""HiGHS options that read or write files: energysim writes its own results (and the solver log with --debug)."""
UNSWEPT = ("name", "description", "sweep", "extends", "overrides")
"""Top-level keys whose change cannot move the results."""


def pool_fuel(leaves: Leaves) -> str | None:
    """The fuel the gas pool supplies (None without a pool)."""
    if not any(key[0] == "gas" for key in leaves):
        return None
    value = leaves.get(("gas", "fuel"), ("gas", None))[0]
    return value if isinstance(value, str) else None


def pool_price_keys(leaves: Leaves) -> set[KeyPath]:
    """Key paths whose value the gas pool makes irrelevant: its fuel's price, and technologies' price overrides
    for that fuel."""
    fuel = pool_fuel(leaves)
    if fuel is None:
        return set()
    keys = {("fuels", fuel, "price_cny_per_gj")}
    for key, (value, _) in leaves.items():
        if len(key) == 3 and key[0] == "technologies" and key[2] == "fuel" and value == fuel:
            keys.add(("technologies", key[1], "fuel_price_cny_per_gj"))
    return keys


def pool_price_problem(key: KeyPath, file: str, line: int | None) -> Problem:
    return Problem(
        file,
        ".".join(key),
        "no price for the gas pool's fuel",
        "a price that would be ignored",
        f"{POOL_PRICE_HINT}: remove this key, or change e.g. `gas.sources.<name>.tiers`",
        line,
    )


def noop_problems(leaves: Leaves) -> list[Problem]:
    """Every key of the composed scenario that cannot affect the model, with why."""
    problems = []
    for key in sorted(pool_price_keys(leaves) & set(leaves)):
        origin = leaves[key][1]
        problems.append(pool_price_problem(key, origin.file, origin.line))
    problems += _highs_option_problems(leaves)
    problems += _sweep_problems(leaves)
    problems += _commitment_problems(leaves)
    return problems


def _commitment_problems(leaves: Leaves) -> list[Problem]:
    """``commitment_block_hours`` without commitment (``commitment: off``) changes nothing."""
    block = leaves.get(("commitment_block_hours",))
    off = leaves.get(("commitment",), (None, None))[0] == "off"
    if block is None or not off:
        return []
    origin = block[1]
    hint = "remove `commitment_block_hours`, or set `commitment: linear` (or `integer`)"
    return [
        Problem(origin.file, "commitment_block_hours", "a key commitment uses", "`commitment: off`", hint, origin.line)
    ]


def explain(problems: list[Problem], leaves: Leaves) -> list[Problem]:
    """Merge problems ("a new key") on a key the gas pool makes irrelevant, told as such."""
    ignored = {".".join(k) for k in pool_price_keys(leaves)}
    return [
        pool_price_problem(tuple(p.key_path.split(".")), p.file, p.line) if p.key_path in ignored else p
        for p in problems
    ]


def _highs_option_problems(leaves: Leaves) -> list[Problem]:
    options = {
        key[2]: origin for key, origin in leaves.items() if key[:2] == ("solver", "highs_options") and len(key) == 3
    }
    if not options:
        return []
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    known = sorted(name for name in dir(h.getOptions()) if not name.startswith("_"))
    problems = []
    for name, (value, origin) in options.items():
        key = f"solver.highs_options.{name}"
        if name in HIGHS_FILE_OPTIONS:
            hint = "energysim writes its own results; --debug shows the solver log"
            problems.append(
                Problem(origin.file, key, "a HiGHS option that is not about files", f"`{name}`", hint, origin.line)
            )
            continue
        status, _ = h.getOptionValue(name)
        if status != highspy.HighsStatus.kOk:
            hint = did_you_mean(name, known, "see HiGHS's option list (`highspy.Highs().getOptions()`)")
            problems.append(
                Problem(origin.file, key, "an option HiGHS knows", f"unknown option `{name}`", hint, origin.line)
            )
        elif isinstance(value, list | dict) or h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            _, kind = h.getOptionType(name)
            kind_name = str(kind).rsplit(".", 1)[-1].removeprefix("k").lower()
            hint = "HiGHS refused it; see its option list"
            if isinstance(value, bool) and kind_name == "string":
                hint = "write it in quotes, e.g. 'off': unquoted, YAML reads on/off as true/false"
            problems.append(
                Problem(
                    origin.file,
                    key,
                    f"a value HiGHS accepts for `{name}` (a {kind_name} in its range)",
                    repr(value),
                    hint,
                    origin.line,
                )
            )
    return problems


def _sweep_problems(leaves: Leaves) -> list[Problem]:
    """Each ``sweep:`` key must name a value of this scenario that can move the results, with a list of values."""
    problems = []
    ignored = pool_price_keys(leaves)
    paths: list[str] | None = None
    for key, (values, origin) in leaves.items():
        if key[0] != "sweep" or len(key) != 2:
            continue
        where = (origin.file, f"sweep.{key[1]}")
        target = tuple(key[1].split("."))
        if not isinstance(values, list) or not values:
            problems.append(
                Problem(*where, "a list of values to solve", repr(values), "e.g. [75, 150, 300]", origin.line)
            )
        elif target in ignored:
            problems.append(pool_price_problem(target, origin.file, origin.line))
        elif target[0] in UNSWEPT or target[-1] in ("display_name", "display_name_zh"):
            hint = "sweep prices, caps, demand or capacities"
            problems.append(
                Problem(*where, "a key whose value can change the results", f"`{key[1]}`", hint, origin.line)
            )
        elif not written(leaves, target):
            if paths is None:
                paths = [".".join(k) for k in leaves if k[0] != "sweep"]
            among = paths if len(problems) < 20 else []
            hint = did_you_mean(key[1], among, "sweep a key the scenario writes (a default is not one)")
            problems.append(Problem(*where, "a key path this scenario has", f"`{key[1]}`", hint, origin.line))
    return problems
