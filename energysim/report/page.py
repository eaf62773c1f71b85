"""The HTML layout of a :class:`~energysim.report.document.Report`: one self-contained page — styles, images
(base64 PNG), the dispatch explorer's data and script, and a subset of a CJK font (:mod:`energysim.report.fonts`)
are all inside it, so it opens offline and renders Chinese on a machine without Chinese fonts."""

from __future__ import annotations

import base64
import html
from importlib.resources import files
from typing import TYPE_CHECKING

import pandas as pd

from energysim.report.i18n import NA, tr

if TYPE_CHECKING:
    import xarray as xr

    from energysim.report.document import Report

MET_CLASS = {"yes": "met", "no": "not-met", "n/a": "na"}
"""CSS class of a verdict (the target table's ``met``)."""
NUMERIC = ("value", "target value", "margin", "implied cost")


def esc(text: object) -> str:
    """``text`` escaped for HTML (missing values as :data:`~energysim.report.i18n.NA`)."""
    if text is None or (isinstance(text, float) and text != text):
        return NA
    return html.escape(str(text))


def _cell(value: object) -> tuple[str, bool]:
    """A table cell's text and whether it is a number (right-aligned)."""
    if isinstance(value, bool):
        return esc(value), False
    if isinstance(value, int | float):
        if value != value:  # NaN
            return NA, True
        digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}", True
    return esc(value), False


def table(
    frame: pd.DataFrame,
    *,
    index: bool = True,
    row_class: pd.Series | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """``frame`` as an HTML table: numbers right-aligned with thousands separators, missing ones as —; each cell
    classed by its column's name, the header cells showing ``headers[column]`` when given."""
    headers = headers or {}
    head = ([esc(frame.index.name or "")] if index else []) + [esc(headers.get(c, c)) for c in frame.columns]
    rows = []
    for i, (label, row) in enumerate(frame.iterrows()):
        cells = [f"<th>{esc(label)}</th>"] if index else []
        for column, value in row.items():
            text, numeric = _cell(value)
            classes = " ".join(c for c in ("num" if numeric or column in NUMERIC else "", _css(column)) if c)
            cells.append(f'<td class="{classes}">{text}</td>')
        css = f' class="{row_class.iloc[i]}"' if row_class is not None else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    head_row = "".join(f"<th>{h}</th>" for h in head)
    return f"<table><thead><tr>{head_row}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _css(name: object) -> str:
    """A column name as a CSS class (letters, digits and hyphens)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in str(name)).strip("-").lower()


def _summary(report: Report) -> str:
    lang = report.lang
    parts = [f'<section id="summary"><h2>{tr("Executive summary", lang)}</h2><div class="headline">']
    parts += [f"<p>{esc(line)}</p>" for line in report.headline]
    parts.append("</div>")
    if report.verdicts:
        items = [
            f'<li class="{MET_CLASS.get(v.met, "na")}"><span class="badge">{esc(v.status)}'
            f'</span><span class="verdict-name">{esc(v.name)}</span><span>{esc(v.text)}</span></li>'
            for v in report.verdicts
        ]
        parts.append(f'<ul class="verdicts">{"".join(items)}</ul>')
    return "".join(parts) + "</section>"


def _figures(report: Report) -> str:
    cards = [
        f'<div class="figure"><div class="group">{esc(f.group)}</div><div class="label">{esc(f.label)}</div>'
        f'<div class="value">{esc(f.value)}</div><div class="basis">{esc(f.basis)}</div></div>'
        for f in report.figures
    ]
    heading = tr("Key figures", report.lang)
    return f'<section id="key-figures"><h2>{heading}</h2><div class="figures">{"".join(cards)}</div></section>'


def _targets(report: Report) -> str:
    lang = report.lang
    if report.targets is None:
        note = tr("No plan targets were evaluated (the scenario names no target registry).", lang)
        return f'<section id="targets"><h2>{tr("Plan targets", lang)}</h2><p>{esc(note)}</p></section>'
    rows = report.targets
    classes = rows.met.map(MET_CLASS).fillna("na")
    shown = rows.drop(columns=["met"]).set_index("target")
    shown.index.name = tr("target", lang)
    headers = {c: tr(c, lang) for c in shown.columns}
    context = "".join(f'<p class="context">{esc(line)}</p>' for line in report.context)
    return (
        f'<section id="targets"><h2>{tr("Plan targets", lang)}</h2>{table(shown, row_class=classes, headers=headers)}'
        f"<details><summary>{tr('What the verdicts were judged on', lang)}</summary>{context}</details></section>"
    )


def _image(data: bytes, alt: str) -> str:
    return f'<img alt="{esc(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


def _charts(report: Report, explorer: str) -> str:
    lang = report.lang
    guide = tr(
        "The city: supply by technology above zero, consumption and sales below, demand and price; choose a week "
        "with the slider, the arrows or a preset, and point at an hour for its values.",
        lang,
    )
    parts = [
        f'<section id="explore"><h2>{tr("Dispatch, any week of the year", lang)}</h2>'
        f'<p class="context">{esc(guide)}</p>{explorer}</section>',
        f'<section id="charts"><h2>{tr("Charts", lang)}</h2>',
    ]
    for name, title, data, reason in report.charts:
        body = _image(data, title) if data is not None else f"<p>{esc(reason)}</p>"
        parts.append(
            f'<figure class="chart" id="chart-{esc(name)}"><figcaption>{esc(title)}</figcaption>{body}</figure>'
        )
    parts.append("</section>")
    for name, title, text, data in report.studies:
        figure = _image(data, title) if data is not None else ""
        parts.append(f'<section id="{esc(name)}"><h2>{esc(title)}</h2><pre>{esc(text)}</pre>{figure}</section>')
    return "".join(parts)


def _details(report: Report) -> str:
    lang = report.lang
    tables = "".join(f"<h3>{esc(title)}</h3>{table(frame)}" for title, frame in report.details)
    return (
        f'<section id="details"><h2>{tr("Details", lang)}</h2><details><summary>'
        f"{tr('Technologies, unit commitment, efficiency, steam and gas', lang)}</summary>{tables}</details></section>"
    )


def _assumptions(report: Report) -> str:
    lang = report.lang
    frame = report.assumptions
    headers = {c: tr(c, lang) for c in frame.columns}
    rules = "".join(f"<li>{esc(rule)}</li>" for rule in report.rules)
    legend = tr(
        "Every default is a row of data/ with its source and a confidence mark: sourced, secondary copy, derived "
        "from sourced rows, or estimate with its reason (data/README.md; public statistics in "
        "data/sources/jiaxing-facts.md and zhejiang-facts.md).",
        lang,
    )
    return (
        f'<section id="assumptions"><h2>{tr("Assumptions and sources", lang)}</h2>'
        f"{table(frame, index=False, headers=headers)}"
        f'<p class="context">{esc(legend)}</p><h3>{tr("Accounting rules", lang)}</h3><ul>{rules}</ul></section>'
    )


def _footer(report: Report) -> str:
    from energysim.report.fonts import LICENCE

    rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(text)}</dd>" for label, text in report.provenance)
    return f"<footer><dl>{rows}<dt>{tr('font', report.lang)}</dt><dd>{esc(LICENCE)}</dd></dl></footer>"


def _nav(report: Report) -> str:
    lang = report.lang
    links = [("summary", "Executive summary"), ("key-figures", "Key figures"), ("targets", "Plan targets"),
             ("explore", "Dispatch, any week of the year"), ("charts", "Charts")]  # fmt: skip
    links += [("details", "Details"), ("assumptions", "Assumptions and sources")]
    shown = [(name, tr(title, lang)) for name, title in links[:5]]
    shown += [(name, title) for name, title, _, _ in report.studies]  # titles already in the page's language
    shown += [(name, tr(title, lang)) for name, title in links[5:]]
    return "<nav>" + "".join(f'<a href="#{name}">{esc(title)}</a>' for name, title in shown) + "</nav>"


def asset(name: str) -> str:
    """A file of ``energysim/report/assets``."""
    return (files("energysim.report") / "assets" / name).read_text(encoding="utf-8")


def html_page(report: Report, ds: xr.Dataset) -> str:
    """The whole page: layout, styles, the explorer of ``ds`` and its script, and the font subset of every
    character the page shows."""
    from energysim.report.explorer import explorer_html
    from energysim.report.fonts import font_face_css

    lang = report.lang
    header = (
        f"<header><h1>{esc(report.title)}</h1>"
        + (f'<p class="subtitle">{esc(report.subtitle)}</p>' if report.subtitle else "")
        + f'<p class="run">{esc(report.run)}</p>{_nav(report)}</header>'
    )
    body = (
        header
        + "<main>"
        + _summary(report)
        + _figures(report)
        + _targets(report)
        + _charts(report, explorer_html(ds, lang))
        + _details(report)
        + _assumptions(report)
        + "</main>"
        + _footer(report)
    )
    font, _ = font_face_css(html.unescape(body) + report.title + "0123456789,.−–—:;%() ")
    return (
        f'<!doctype html>\n<html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; font-src data:; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        f"<title>{esc(report.title)}</title><style>{font}\n{asset('report.css')}</style></head>"
        f"<body>{body}<script>{asset('explorer.js')}</script></body></html>\n"
    )
