"""Exceptions that reach the planner: each says where, what was expected, what was found, and what to do."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One input problem.

    ``key_path`` is dotted (``technologies.pv.capacity_mw``); ``line`` is 1-based, or None when unknown.
    """

    file: str
    key_path: str
    expected: str
    found: str
    hint: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.key_path or '<top level>'}: expected {self.expected}, found {self.found}"
        return f"{text}. {self.hint}" if self.hint else text


def did_you_mean(name: str, known: Sequence[str], otherwise: str = "") -> str:
    """A hint naming the closest of ``known`` to a misspelt ``name``; ``otherwise`` when none is close.

    >>> did_you_mean("cole", ["coal", "gas"]), did_you_mean("x", ["coal"], "known: coal")
    ('did you mean `coal`?', 'known: coal')
    """
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean `{close[0]}`?" if close else otherwise


class EnergysimError(Exception):
    """Base class of every error energysim raises on purpose."""


MAX_SHOWN = 50
"""Problems printed in a message; the rest are counted (a generated file can have thousands)."""


class ScenarioError(EnergysimError, ValueError):
    """The input is invalid: the scenario (YAML or its profile files), a command-line value, or a results file
    given to a command; carries every problem found at once (``subject`` names what was read)."""

    def __init__(self, problems: list[Problem], *, subject: str = "the scenario") -> None:
        self.problems = list(problems)
        self.subject = subject
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {subject}:"
        lines = [head, *(f"  - {p}" for p in self.problems[:MAX_SHOWN])]
        if n > MAX_SHOWN:
            lines.append(f"  … and {n - MAX_SHOWN} more")
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[object, ...]:  # picklable (Dask workers send errors back)
        return (_rebuild, (type(self), self.problems, self.subject))


class UsageError(ScenarioError):
    """The command line asks for what the files cannot give as asked: e.g. a sweep of several variants read
    without ``--variant``, or a variant it does not have (the command line's exit code 2, usage)."""

    def __init__(self, problems: list[Problem], *, subject: str = "the command line") -> None:
        super().__init__(problems, subject=subject)


def _rebuild(cls: type[ScenarioError], problems: list[Problem], subject: str) -> ScenarioError:
    return cls(problems, subject=subject)


@dataclass
class InfeasibleError(EnergysimError):
    """The scenario has no feasible plan; ``diagnosis`` says which balance or limit fails, where and by how much."""

    diagnosis: list[str] = field(default_factory=list)
    status: str = "infeasible"

    def __str__(self) -> str:
        lines = [f"The scenario has no feasible solution (solver: {self.status})."]
        lines += [f"  - {d}" for d in self.diagnosis] or ["  - no diagnosis available"]
        return "\n".join(lines)


class SolverError(EnergysimError):
    """HiGHS stopped without an optimal solution for a reason other than infeasibility (time limit, unbounded …)."""
