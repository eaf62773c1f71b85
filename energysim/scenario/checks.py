"""Cross-field checks on a schema-valid scenario: names that must refer to something that exists."""

from __future__ import annotations

import difflib

from energysim.errors import Problem
from energysim.scenario.schema import Scenario


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean `{close[0]}`?" if close else f"known: {', '.join(known) or 'none'}"


def check_references(scenario: Scenario, file: str) -> list[Problem]:
    """Every region, fuel and link end named in the scenario must be defined; returns all problems."""
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
        if fuel is not None and fuel not in fuels:
            problems.append(
                Problem(
                    file,
                    f"technologies.{name}.fuel",
                    "a fuel defined under `fuels`",
                    repr(fuel),
                    _suggest(fuel, fuels),
                )
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
