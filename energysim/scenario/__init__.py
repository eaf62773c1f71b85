"""Room 1: what the planner wrote — schema and loader."""

from energysim.scenario.load import load_scenario
from energysim.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario"]
