"""The Markdown layout of a :class:`~energysim.report.document.Report`: the same sections as the HTML page, the
figures as PNG files beside it (no explorer: Markdown has no script)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from energysim.report.i18n import NA, tr

if TYPE_CHECKING:
    from energysim.report.document import Report


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return NA
    if isinstance(value, float):
        digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def md_table(frame: pd.DataFrame, *, index: bool = True) -> str:
    """``frame`` as a Markdown table (missing values as —)."""
    head = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(map(_cell, head)) + " |", "|" + "---|" * len(head)]
    for label, row in frame.iterrows():
        cells = ([label] if index else []) + list(row.values)
        lines.append("| " + " | ".join(map(_cell, cells)) + " |")
    return "\n".join(lines)


def markdown(report: Report, stem: str) -> tuple[str, dict[str, bytes]]:
    """The Markdown text and the images to write beside it (file name → PNG)."""
    lang = report.lang
    parts = [f"# {report.title}", ""]
    parts += [report.subtitle, ""] if report.subtitle else []
    parts += [f"*{report.run}*", "", f"## {tr('Executive summary', lang)}", "", *report.headline, ""]
    parts += [f"- **{v.status}** — {v.name}: {v.text}" for v in report.verdicts]
    figures = pd.DataFrame(
        [(f.group, f.label, f.value, f.basis) for f in report.figures],
        columns=[tr(c, lang) for c in ("group", "figure", "value", "basis")],
    )
    parts += ["", f"## {tr('Key figures', lang)}", "", md_table(figures, index=False), ""]
    parts += [f"## {tr('Plan targets', lang)}", ""]
    if report.targets is None:
        parts.append(tr("No plan targets were evaluated (the scenario names no target registry).", lang))
    else:
        shown = report.targets.drop(columns=["met"]).set_index("target").rename(columns=lambda c: tr(c, lang))
        shown.index.name = tr("target", lang)
        parts += [md_table(shown), "", *(f"> {line}  " for line in report.context)]
    images: dict[str, bytes] = {}
    parts += ["", f"## {tr('Charts', lang)}"]
    for name, title, data, reason in report.charts:
        if data is None:
            parts += ["", f"### {title}", "", reason]
            continue
        images[f"{stem}-{name}.png"] = data
        parts += ["", f"### {title}", "", f"![{name}]({stem}-{name}.png)"]
    for name, title, text, data in report.studies:
        parts += ["", f"## {title}", "", "```", text, "```"]
        if data is not None:
            images[f"{stem}-{name}.png"] = data
            parts += ["", f"![{name}]({stem}-{name}.png)"]
    parts += ["", f"## {tr('Details', lang)}"]
    for title, frame in report.details:
        parts += ["", f"### {title}", "", md_table(frame)]
    assumptions = report.assumptions.rename(columns=lambda c: tr(c, lang))
    parts += ["", f"## {tr('Assumptions and sources', lang)}", "", md_table(assumptions, index=False), ""]
    parts += [f"- {rule}" for rule in report.rules]
    parts += ["", "---", ""] + [f"- **{label}**: {text}" for label, text in report.provenance]
    return "\n".join(parts) + "\n", images
