"""A one-page report a planner can send on: key figures, target verdicts and the figures, as a self-contained
HTML file (images embedded) or Markdown with the images beside it."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd
import xarray as xr

from energysim.report.i18n import Lang, font_context, tr
from energysim.report.plots import FIGURES
from energysim.report.tables import format_summary


def _png(fig: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)  # type: ignore[attr-defined]
    return buffer.getvalue()


def write_report(
    ds: xr.Dataset,
    path: str | Path,
    *,
    targets: pd.DataFrame | None = None,
    context: list[str] | None = None,
    lang: Lang = "en",
    adequacy: xr.Dataset | None = None,
    robustness: xr.Dataset | None = None,
) -> Path:
    """Write ``.html`` (self-contained) or ``.md`` (figures as PNG files beside it), in ``lang``; ``context``: the
    lines naming the results' and the base's view, horizon and accounting, printed above the target table;
    ``adequacy`` and ``robustness``: the studies of the scenario (``energysim adequacy``/``robustness``), each a
    section with its table and figure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"energysim — {ds.attrs.get('scenario_name', '')}"
    with font_context(lang):
        figures = {name: _png(draw(ds, lang=lang)) for name, draw in FIGURES.items()}
    studies = study_sections(adequacy, robustness)
    for name, (_, figure) in studies.items():
        if figure is not None:
            figures[name] = figure
    summary = format_summary(ds, lang)
    columns = ["clause", "accounting", "value", "threshold", "unit", "met", "margin", "note"]
    verdicts = "" if targets is None else targets[columns]
    context = context or []
    if path.suffix == ".md":
        parts = [f"# {title}", "", "```", summary, "```"]
        if targets is not None:
            parts += ["", f"## {tr('Plan targets', lang)}", "", "```", *context, "", verdicts.to_string(), "```"]
        for name, (text, _) in studies.items():
            parts += ["", f"## {name.replace('_', ' ')}", "", "```", text, "```"]
        for name, data in figures.items():
            (path.parent / f"{path.stem}-{name}.png").write_bytes(data)
            parts += ["", f"## {name.replace('_', ' ')}", "", f"![{name}]({path.stem}-{name}.png)"]
        path.write_text("\n".join(parts) + "\n", encoding="utf-8")
        return path
    body = [f"<h1>{html.escape(title)}</h1>", f"<pre>{html.escape(summary)}</pre>"]
    if targets is not None:
        body += [
            f"<h2>{tr('Plan targets', lang)}</h2>",
            f"<pre>{html.escape(chr(10).join(context))}</pre>",
            verdicts.to_html(float_format=lambda x: f"{x:,.2f}", na_rep="–"),
        ]
    for name, (text, _) in studies.items():
        body += [f"<h2>{html.escape(name.replace('_', ' '))}</h2>", f"<pre>{html.escape(text)}</pre>"]
    for name, data in figures.items():
        encoded = base64.b64encode(data).decode()
        body += [
            f"<h2>{html.escape(name.replace('_', ' '))}</h2>",
            f'<img alt="{name}" style="max-width:100%" src="data:image/png;base64,{encoded}">',
        ]
    style = "body{font-family:sans-serif;max-width:1100px;margin:auto}pre{font-size:11px;overflow-x:auto}"
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n",
        encoding="utf-8",
    )
    return path


def study_sections(adequacy: xr.Dataset | None, robustness: xr.Dataset | None) -> dict[str, tuple[str, bytes | None]]:
    """Section name → (text, figure PNG) for the adequacy and robustness studies given."""
    sections: dict[str, tuple[str, bytes | None]] = {}
    if adequacy is not None:
        from energysim.report.adequacy import format_adequacy, lolp_figure

        sections["probabilistic_adequacy"] = (format_adequacy(adequacy), _png(lolp_figure(adequacy)))
    if robustness is not None:
        from energysim.report.robustness import REPORT_TORNADOES, format_robustness, from_dataset, tornado_figure

        frame, inputs = from_dataset(robustness)
        columns = [c for c in REPORT_TORNADOES if c in frame]
        figure = _png(tornado_figure(frame, inputs, columns)) if columns else None
        sections["verdict_robustness"] = (format_robustness(robustness), figure)
    return sections
