"""Cross-field checks on a schema-valid scenario: names that must refer to something that exists."""

from __future__ import annotations

from energysim.errors import Problem, did_you_mean
from energysim.scenario.schema import Scenario
from energysim.scenario.technologies import ELECTRICITY, POWER_KINDS, STEAM_KINDS, VPP_KINDS


def _suggest(name: str, known: list[str]) -> str:
    return did_you_mean(name, known, f"known: {', '.join(known) or 'none'}")


def _unknown(file: str, key: str, expected: str, name: str, known: list[str]) -> list[Problem]:
    """A problem if ``name`` is not among ``known`` (with the closest known name as the hint), else none."""
    return [] if name in known else [Problem(file, key, expected, repr(name), _suggest(name, known))]


def check_references(scenario: Scenario, file: str) -> list[Problem]:
    """Every region, fuel, link end and accounting list entry named in the scenario must be defined; returns all
    problems."""
    regions = list(scenario.regions)
    fuels = list(scenario.fuels)
    problems: list[Problem] = []
    for name, tech in scenario.technologies.items():
        if tech.region is None and len(regions) > 1:
            problems.append(
                Problem(
                    file,
                    f"technologies.{name}.region",
                    f"a region name (there are {len(regions)} regions)",
                    "nothing",
                    f"add `region:` ({', '.join(regions)})",
                )
            )
        elif tech.region is not None:
            problems += _unknown(
                file, f"technologies.{name}.region", "a region defined under `regions`", tech.region, regions
            )
        fuel = getattr(tech, "fuel", None)
        if fuel is not None and not (tech.kind == "boiler" and fuel == ELECTRICITY):
            problems += _unknown(file, f"technologies.{name}.fuel", "a fuel defined under `fuels`", fuel, fuels)
    problems += _fuel_prices(scenario, file)
    problems += _policy_names(scenario, file)
    problems += _steam_and_gas(scenario, file)
    techs = list(scenario.technologies)
    for key in ("renewable_techs", "major_projects"):
        for i, name in enumerate(getattr(scenario.accounting, key)):
            problems += _unknown(file, f"accounting.{key}[{i}]", "a technology name", name, techs)
    for name, link in scenario.links.items():
        for key, end in (("from", link.start), ("to", link.end)):
            problems += _unknown(file, f"links.{name}.{key}", "a region defined under `regions`", end, regions)
        if link.start == link.end:
            problems.append(
                Problem(
                    file,
                    f"links.{name}.to",
                    "a region other than `from`",
                    repr(link.end),
                    "a link joins two different regions",
                )
            )
    return problems


def _steam_and_gas(scenario: Scenario, file: str) -> list[Problem]:
    """A steam zone needs a supplier; gas sources, tanks and the pool's fuel must refer to what exists."""
    problems = []
    only = next(iter(scenario.regions)) if len(scenario.regions) == 1 else None
    for name, region in scenario.regions.items():
        if region.steam_demand is None:
            continue
        suppliers = [
            n
            for n, t in scenario.technologies.items()
            if t.kind in STEAM_KINDS and t.kind != "steam_storage" and (t.region or only) == name
        ]
        if not suppliers:
            problems.append(
                Problem(
                    file,
                    f"regions.{name}.steam_demand",
                    "at least one steam supplier in this region (chp, boiler or heat_pump)",
                    "none",
                    "add a boiler or CHP with `region: " + name + "`, or remove the steam demand",
                )
            )
    gas = scenario.gas
    if gas is None:
        return problems
    problems += _unknown(file, "gas.fuel", "a fuel defined under `fuels`", gas.fuel, list(scenario.fuels))
    links = list(gas.interconnections)
    for name, source in gas.sources.items():
        if source.via is not None:
            expected = "an interconnection under `gas.interconnections`"
            problems += _unknown(file, f"gas.sources.{name}.via", expected, source.via, links)
    lng = [n for n, s in gas.sources.items() if s.kind == "lng"]
    for name, tank in gas.lng_storage.items():
        expected = "an LNG source (`kind: lng`) under `gas.sources`"
        problems += _unknown(file, f"gas.lng_storage.{name}.source", expected, tank.source, lng)
    return problems


def _fuel_prices(scenario: Scenario, file: str) -> list[Problem]:
    """A fuel burnt outside the gas pool needs a price (a technology's own ``fuel_price_cny_per_gj`` will do)."""
    pooled = scenario.gas.fuel if scenario.gas is not None else None
    problems = []
    for name, fuel in scenario.fuels.items():
        if name == pooled or fuel.price_cny_per_gj is not None:
            continue
        users = [
            n
            for n, t in scenario.technologies.items()
            if getattr(t, "fuel", None) == name and getattr(t, "fuel_price_cny_per_gj", None) is None
        ]
        if users:
            problems.append(
                Problem(
                    file,
                    f"fuels.{name}.price_cny_per_gj",
                    f"a price, CNY/GJ (burnt by {', '.join(users[:3])}{' …' if len(users) > 3 else ''})",
                    "nothing",
                    "only the gas pool's fuel goes without one",
                )
            )
    return problems


def _policy_names(scenario: Scenario, file: str) -> list[Problem]:
    """Names in the policy: the phase-out's fuel, and the kinds and technologies counted as renewable."""
    problems = []
    policy = scenario.policy
    if policy.coal_boiler_phaseout is not None:
        fuel, fuels = policy.coal_boiler_phaseout.fuel, list(scenario.fuels)
        problems += _unknown(file, "policy.coal_boiler_phaseout.fuel", "a fuel defined under `fuels`", fuel, fuels)
    rule = policy.renewable_share
    if rule is None:
        return problems
    kinds = [k for k in POWER_KINDS if k not in VPP_KINDS]
    for i, kind in enumerate(rule.kinds):
        if kind not in kinds:
            problems.append(
                Problem(
                    file,
                    f"policy.renewable_share.kinds.{i}",
                    "a kind of power technology",
                    repr(kind),
                    _suggest(kind, kinds)
                    if kind not in STEAM_KINDS
                    else "steam output does not count: " + ", ".join(kinds),
                )
            )
    names = list(scenario.technologies)
    for i, name in enumerate(rule.techs):
        problems += _unknown(
            file, f"policy.renewable_share.techs.{i}", "a technology under `technologies`", name, names
        )
    return problems
