"""The path policy: which files a scenario may make energysim read.

A path written in a scenario (a profile's ``file``, ``targets``, ``base_results``, an ``extends`` parent, an
override set named under ``overrides``) must resolve inside the scenario's tree, or inside a data root the user
allowed explicitly:

- the scenario's tree is its *project*: the nearest folder at or above the scenario file's folder that holds a
  ``data/`` folder (the shipped ``scenarios/*.yaml`` reach ``../data/…`` and ``../results/…``), or, when there is
  none, the scenario file's own folder;
- further roots come from ``ENERGYSIM_DATA_ROOT`` (folders separated by ``os.pathsep``), which the command line's
  ``--data-root DIR`` sets.

Paths given on the command line (the scenario, ``--override FILE``, ``--targets``, ``--base``) are the user's own
choice and are not restricted. Messages about refused paths never show what those files hold.
"""

from __future__ import annotations

import os
from pathlib import Path

from energysim.errors import Problem

DATA_ROOT_ENV = "ENERGYSIM_DATA_ROOT"


def project_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` that holds a ``data/`` folder (None if there is none below the
    home folder or the file system's root, which are never a project)."""
    for candidate in (folder, *folder.parents):
        if candidate == candidate.parent or candidate == Path.home():  # never the whole disk or home folder
            return None
        if (candidate / "data").is_dir():
            return candidate
    return None


def allowed_roots(scenario_file: Path) -> list[Path]:
    """Folders whose files a scenario at ``scenario_file`` may name: its tree, then the data roots."""
    folder = scenario_file.resolve().parent
    roots = [project_root(folder) or folder]
    roots += [Path(p).expanduser().resolve() for p in os.environ.get(DATA_ROOT_ENV, "").split(os.pathsep) if p]
    return roots


def path_trouble(text: str) -> str:
    """Why ``text`` cannot name a file on this machine ("" if it can): a NUL character, or a name too long."""
    if "\x00" in text:
        return "a path with a NUL character"
    if len(text.encode()) > 4000 or any(len(part.encode()) > 255 for part in Path(text).parts):
        return "a path too long for the file system"
    return ""


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether ``path`` (resolved, links followed) lies in one of ``roots`` (False if it cannot be resolved: a
    loop of links, a NUL character, a name too long)."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return any(resolved.is_relative_to(root) for root in roots)


def outside_problem(file: str, key: str, written: str, roots: list[Path], line: int | None = None) -> Problem:
    """The problem for a path that leaves the allowed roots."""
    return Problem(
        file,
        key,
        f"a path inside the scenario's tree ({roots[0]})" + (" or a data root" if len(roots) > 1 else ""),
        f"{written!r}, which is outside it",
        f"move the file into the project, or allow its folder with --data-root DIR (or {DATA_ROOT_ENV})",
        line,
    )


def output_problems(path: Path, option: str, *, folder: bool = False) -> list[Problem]:
    """Why energysim cannot write ``path`` (given with ``option``), checked before any work is done: it must be
    new or a regular file (a folder for ``folder`` outputs), never a device, and its folder must be writable
    (results are written to a temporary file beside it, then renamed)."""
    what = "a folder to write into" if folder else "a new or regular file to write"

    def problem(found: str, hint: str) -> list[Problem]:
        return [Problem(option, str(path), what, found, hint)]

    if path.exists() or path.is_symlink():
        if folder and not path.is_dir():
            return problem("a file", "give the name of a folder (it is created if missing)")
        if not folder and path.is_dir():
            return problem("a folder", f"give a file name, e.g. {path / 'results.nc'}")
        if not folder and not path.is_file():
            return problem("a device or other special file", "give the name of an ordinary file")
        if not os.access(path, os.W_OK):
            return problem("a file or folder that is not writable", "choose another place")
    parent = path if folder and path.is_dir() else path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return problem(f"a path through {parent}, which is a file", "choose a path whose folders are folders")
    if not os.access(parent, os.W_OK | os.X_OK):
        return problem(f"a place in {parent}, which is not writable", "choose a folder you can write to")
    return []
