"""A report a planner can forward: an executive summary (the plan's verdicts first, in planner words), the key
figures with their accounting bases, the targets with their operators and margins, the charts (a week-by-week
dispatch explorer and the figures of :mod:`energysim.report.plots`), the studies of the scenario, the details,
the assumptions with their sources, and the run's provenance.

As one self-contained HTML page (:mod:`energysim.report.page`: images, data, script and a font subset inside, no
network) or as Markdown with the figures as PNG files beside it; in English or Chinese.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xarray as xr

from energysim.report.briefing import Verdict, headline, target_rows, verdicts
from energysim.report.i18n import Lang, font_context, tech_names, tr
from energysim.report.keyfigures import KeyFigure, headline_numbers, key_figures
from energysim.report.provenance import accounting_rules, assumptions, provenance

log = logging.getLogger(__name__)

CHART_TITLES = {
    "dispatch_summer": "Dispatch in the summer peak week",
    "dispatch_winter": "Dispatch in the winter peak week",
    "duration_curves": "Load and residual-load duration curves",
    "mix": "Capacity and generation by technology",
    "emissions": "Emissions by source",
    "gas_supply": "Gas supply by source",
    "steam_supply": "Steam supply by technology (daily mean)",
    "probabilistic_adequacy": "Probabilistic adequacy",
    "verdict_robustness": "Verdict robustness",
}
"""Section and chart headings by figure name (others: the name in words)."""

CHART_DPI = 100


@dataclass
class Report:
    """Everything a report says, in its language, before it is laid out."""

    lang: Lang
    title: str
    subtitle: str
    run: str
    headline: list[str]
    verdicts: list[Verdict]
    figures: list[KeyFigure]
    targets: pd.DataFrame | None
    context: list[str]
    charts: list[tuple[str, str, bytes | None, str]] = field(default_factory=list)
    """(name, title, PNG or None, why there is none)."""
    studies: list[tuple[str, str, str, bytes | None]] = field(default_factory=list)
    """(name, title, text, PNG or None)."""
    details: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    assumptions: pd.DataFrame = field(default_factory=pd.DataFrame)
    rules: list[str] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)


def chart_title(name: str, lang: Lang) -> str:
    """A figure's heading in ``lang``."""
    return tr(CHART_TITLES.get(name, name.replace("_", " ").capitalize()), lang)


def png(fig: object, *, dpi: int = CHART_DPI, colours: int | None = 256) -> bytes:
    """A figure as PNG; with ``colours``, reduced to a palette of that many (a chart's flat colours and
    anti-aliased edges fit in 256: a third of the size, no visible change). pyplot figures are closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)  # type: ignore[attr-defined]
    if getattr(fig, "number", None) is not None:  # made by pyplot: release it
        import matplotlib.pyplot as plt

        plt.close(fig)  # type: ignore[arg-type]
    if colours is None:
        return buffer.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    palette = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


def _charts(ds: xr.Dataset, lang: Lang) -> list[tuple[str, str, bytes | None, str]]:
    from energysim.report.plots import FIGURES

    charts = []
    with font_context(lang):
        for name, draw in FIGURES.items():
            try:
                charts.append((name, chart_title(name, lang), png(draw(ds, lang=lang)), ""))
            except Exception as exc:  # one figure that cannot be drawn must not cost the whole report
                log.warning("figure %s not drawn: %s: %s", name, type(exc).__name__, exc)
                reason = tr("n/a (the figure could not be drawn: {error})", lang, error=f"{type(exc).__name__}: {exc}")
                charts.append((name, chart_title(name, lang), None, reason))
    return charts


def _details(ds: xr.Dataset, lang: Lang) -> list[tuple[str, pd.DataFrame]]:
    """The summary's tables: technologies, unit commitment, efficiency, steam and gas."""
    from energysim.report.sectors import efficiency_table, gas_table, steam_table
    from energysim.report.tables import commitment_table, tech_table

    names = tech_names(ds, lang)
    out = [(tr("Technologies", lang), tech_table(ds, lang))]  # tech_table and commitment_table translate their own
    committed = commitment_table(ds, lang)
    if len(committed):
        out.append((tr("unit commitment (thermal plants)", lang), committed))

    def translated(table: pd.DataFrame) -> pd.DataFrame:
        return table.rename(columns=lambda c: tr(str(c), lang))

    efficiency = efficiency_table(ds)
    if len(efficiency):
        efficiency = efficiency.assign(fuel=efficiency.fuel.map(lambda f: tr(str(f), lang)))
        efficiency.index = efficiency.index.map(names)
        out.append((tr("fuel-burning fleets, efficiency over the run", lang), translated(efficiency)))
    if float(ds.steam_demand.sum()) > 0:
        steam = steam_table(ds).assign(name=lambda t: t.index.map(names))
        steam = steam.rename(columns={"electricity_GWh": "electricity_GWh_used"})
        out.append((tr("steam", lang), translated(steam)))
    if ds.sizes.get("gas_source", 0):
        out.append((tr("gas pool", lang), translated(gas_table(ds, lang))))
    return out


def build_report(
    ds: xr.Dataset,
    *,
    targets: pd.DataFrame | None = None,
    context: list[str] | None = None,
    lang: Lang = "en",
    adequacy: xr.Dataset | None = None,
    robustness: xr.Dataset | None = None,
    plan: str | None = None,
) -> Report:
    """What the report of ``ds`` says (see :func:`write_report` for the arguments)."""
    if plan is None and targets is not None:
        plan = _plan_name(ds)
    numbers = headline_numbers(ds, adequacy)
    name = str(ds.attrs.get("scenario_name", "?"))
    run = "; ".join(text.rstrip(".") for _, text in provenance(ds, lang)[:2])
    report = Report(
        lang=lang,
        title=tr("Energy plan briefing: {name}", lang, name=name),
        subtitle=plan or "",
        run=run,
        headline=headline(ds, targets, numbers, lang),
        verdicts=verdicts(targets, lang) if targets is not None else [],
        figures=key_figures(ds, numbers, targets, lang),
        targets=target_rows(targets, lang) if targets is not None else None,
        context=context or [],
        charts=_charts(ds, lang),
        details=_details(ds, lang),
        assumptions=assumptions(ds, lang),
        rules=accounting_rules(ds, lang),
        provenance=provenance(ds, lang),
    )
    for key, (text, figure) in study_sections(adequacy, robustness, lang).items():
        report.studies.append((key, chart_title(key, lang), text, figure))
    return report


def write_report(
    ds: xr.Dataset,
    path: str | Path,
    *,
    targets: pd.DataFrame | None = None,
    context: list[str] | None = None,
    lang: Lang = "en",
    adequacy: xr.Dataset | None = None,
    robustness: xr.Dataset | None = None,
    plan: str | None = None,
) -> Path:
    """Write ``.html`` (one self-contained page) or ``.md`` (figures as PNG files beside it), in ``lang``.

    ``targets``: the evaluated targets (:func:`energysim.report.targets.evaluate_targets`); ``context``: the lines
    naming the results' and the base's view, horizon and accounting, shown above the target table; ``adequacy``
    and ``robustness``: the studies of the scenario (``energysim adequacy``/``robustness``), each a section with
    its table and figure; ``plan``: the plan's name (the registry's ``plan``; default: the one the results'
    ``targets_file`` names, if it can be read).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = build_report(
        ds, targets=targets, context=context, lang=lang, adequacy=adequacy, robustness=robustness, plan=plan
    )
    if path.suffix == ".md":
        from energysim.report.markdown import markdown

        text, images = markdown(report, path.stem)
        for name, data in images.items():
            (path.parent / name).write_bytes(data)
        path.write_text(text, encoding="utf-8")
        return path
    from energysim.report.page import html_page

    path.write_text(html_page(report, ds), encoding="utf-8")
    return path


def _plan_name(ds: xr.Dataset) -> str | None:
    """The registry's plan name, when the results name a registry that can be read (the target table was made
    from it)."""
    from energysim.scenario.targets import load_targets

    registry = ds.attrs.get("targets_file")
    if not registry or not Path(registry).is_file():
        return None
    try:
        return load_targets(Path(registry)).plan
    except Exception:  # a registry that does not load was already reported with the targets
        return None


def study_sections(
    adequacy: xr.Dataset | None, robustness: xr.Dataset | None, lang: Lang = "en"
) -> dict[str, tuple[str, bytes | None]]:
    """Section name → (text, figure PNG) for the adequacy and robustness studies given, in ``lang``."""
    sections: dict[str, tuple[str, bytes | None]] = {}
    with font_context(lang):
        if adequacy is not None:
            from energysim.report.adequacy import format_adequacy, lolp_figure

            figure = png(lolp_figure(adequacy, lang))
            sections["probabilistic_adequacy"] = (format_adequacy(adequacy, lang), figure)
        if robustness is not None:
            from energysim.report.robustness import REPORT_TORNADOES, format_robustness, from_dataset, tornado_figure

            frame, inputs = from_dataset(robustness)
            columns = [c for c in REPORT_TORNADOES if c in frame]
            figure = png(tornado_figure(frame, inputs, columns, lang=lang)) if columns else None
            sections["verdict_robustness"] = (format_robustness(robustness, lang), figure)
    return sections


__all__ = ["Report", "build_report", "chart_title", "png", "study_sections", "write_report"]
