"""Results files named by what they hold: scenario, view, horizon and variant.

``run S`` writes ``results/<name>.nc``; a run in another view than the scenario's own, on fewer hours than the
full year, or with ``--override``/``--set`` gets each of those in its name, in that order
(``results/jiaxing-2025-plan-local-168h-gas_price_high.nc``), so runs of one scenario never overwrite each other.
Sweeps and studies add their own suffix to the same stem (``-sweep/``, ``-adequacy.nc``, ``-robustness/``), so
they sit beside the run they belong to.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from energysim.scenario import Scenario

RESULTS_FOLDER = Path("results")

_UNSAFE = re.compile(r"[^A-Za-z0-9._=+,-]+")
_MAX_STEM = 120
"""Characters of a stem before its tail is replaced by a hash (file names are limited to 255 bytes)."""


def safe_part(text: str) -> str:
    """``text`` as a piece of a file name: runs of characters other than letters, digits and ``. _ = + , -``
    become ``_``.

    >>> safe_part("policy.co2_price_cny_per_t=100")
    'policy.co2_price_cny_per_t=100'
    >>> safe_part("../my overrides/gas high.yaml")
    '.._my_overrides_gas_high.yaml'
    """
    return _UNSAFE.sub("_", text).strip("_") or "_"


def variant_label(overrides: Sequence[str] = (), sets: Sequence[str] = ()) -> str:
    """What ``--override`` and ``--set`` change, as a label: override names (a path's stem), then each
    ``key=value``, joined by commas; empty for the scenario as written.

    >>> variant_label(["gas_price_high"], ["policy.co2_price_cny_per_t=100"])
    'gas_price_high,policy.co2_price_cny_per_t=100'
    """
    names = [Path(o).stem if o.endswith((".yaml", ".yml")) else o for o in overrides]
    return ",".join([*names, *(s.replace(" ", "") for s in sets)])


def results_stem(
    name: str,
    *,
    view: str | None = None,
    own_view: str | None = None,
    hours: int | None = None,
    full_year: int | None = None,
    variant: str = "",
) -> str:
    """``name[-view][-<hours>h][-variant]``: the view only if it is not the scenario's own, the hours only if
    they are not the full year.

    >>> results_stem("jiaxing-2025-plan", view="local", own_view="sited", hours=168, full_year=8760)
    'jiaxing-2025-plan-local-168h'
    >>> results_stem("jiaxing-2025-plan", view="sited", own_view="sited", hours=8760, full_year=8760)
    'jiaxing-2025-plan'
    """
    parts = [name]
    if view and view != own_view:
        parts.append(view)
    if hours is not None and hours != full_year:
        parts.append(f"{hours}h")
    if variant:
        parts.append(variant)
    stem = "-".join(safe_part(p) for p in parts)
    if len(stem) > _MAX_STEM:  # many --set: keep the start readable, make the rest unique
        digest = hashlib.sha256(stem.encode()).hexdigest()[:10]
        stem = f"{stem[: _MAX_STEM - 11]}~{digest}"
    return stem


def scenario_stem(
    scenario: Scenario,
    *,
    view: str | None = None,
    hours: int | None = None,
    overrides: Sequence[str] = (),
    sets: Sequence[str] = (),
) -> str:
    """The stem of a run of ``scenario`` (as loaded, before ``--view``) in ``view`` on its first ``hours``."""
    from energysim.inputs import horizon, hours_in_year

    index = horizon(scenario)
    solved = min(hours, len(index)) if hours else len(index)
    if scenario.time.aggregate is not None and not hours:  # typical days are read back onto the whole year
        solved = len(index)
    return results_stem(
        scenario.name,
        view=view or scenario.view,
        own_view=scenario.view,
        hours=solved,
        full_year=hours_in_year(index[0].year) if index[0].dayofyear == 1 and index[0].hour == 0 else None,
        variant=variant_label(overrides, sets),
    )


def default_results_path(
    scenario: Scenario,
    *,
    view: str | None = None,
    hours: int | None = None,
    overrides: Sequence[str] = (),
    sets: Sequence[str] = (),
    suffix: str = ".nc",
) -> Path:
    """``results/<stem><suffix>`` (:func:`scenario_stem`); ``suffix`` is ``.nc``, or a study's
    (``-sweep``, ``-adequacy.nc``, ``-robustness``)."""
    stem = scenario_stem(scenario, view=view, hours=hours, overrides=overrides, sets=sets)
    return RESULTS_FOLDER / f"{stem}{suffix}"
