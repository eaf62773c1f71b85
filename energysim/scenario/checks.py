"""Cross-field checks on a schema-valid scenario: names that must refer to something that exists."""

from __future__ import annotations

import difflib

from energysim.errors import Problem
from energysim.scenario.schema import Scenario
from energysim.scenario.technologies import ELECTRICITY, STEAM_KINDS


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean `{close[0]}`?" if close else f"known: {', '.join(known) or 'none'}"


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
        elif tech.region is not None and tech.region not in regions:
            problems.append(
                Problem(
                    file,
                    f"technologies.{name}.region",
                    "a region defined under `regions`",
                    repr(tech.region),
                    _suggest(tech.region, regions),
                )
            )
        fuel = getattr(tech, "fuel", None)
        if fuel is not None and fuel not in fuels and not (tech.kind == "boiler" and fuel == ELECTRICITY):
            problems.append(
                Problem(
                    file,
                    f"technologies.{name}.fuel",
                    "a fuel defined under `fuels`",
                    repr(fuel),
                    _suggest(fuel, fuels),
                )
            )
    problems += _steam_and_gas(scenario, file)
    techs = list(scenario.technologies)
    for key in ("renewable_techs", "major_projects"):
        for i, name in enumerate(getattr(scenario.accounting, key)):
            if name not in techs:
                problems.append(
                    Problem(file, f"accounting.{key}[{i}]", "a technology name", repr(name), _suggest(name, techs))
                )
    for name, link in scenario.links.items():
        for key, end in (("from", link.start), ("to", link.end)):
            if end not in regions:
                problems.append(
                    Problem(
                        file,
                        f"links.{name}.{key}",
                        "a region defined under `regions`",
                        repr(end),
                        _suggest(end, regions),
                    )
                )
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
    if gas.fuel not in scenario.fuels:
        problems.append(
            Problem(
                file,
                "gas.fuel",
                "a fuel defined under `fuels`",
                repr(gas.fuel),
                _suggest(gas.fuel, list(scenario.fuels)),
            )
        )
    links = list(gas.interconnections)
    for name, source in gas.sources.items():
        if source.via is not None and source.via not in links:
            problems.append(
                Problem(
                    file,
                    f"gas.sources.{name}.via",
                    "an interconnection under `gas.interconnections`",
                    repr(source.via),
                    _suggest(source.via, links),
                )
            )
    lng = [n for n, s in gas.sources.items() if s.kind == "lng"]
    for name, tank in gas.lng_storage.items():
        if tank.source not in lng:
            problems.append(
                Problem(
                    file,
                    f"gas.lng_storage.{name}.source",
                    "an LNG source (`kind: lng`) under `gas.sources`",
                    repr(tank.source),
                    _suggest(tank.source, lng),
                )
            )
    return problems
