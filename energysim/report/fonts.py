"""The report's own font: a subset of Noto Sans CJK SC holding only the characters the page shows, embedded as a
base64 WOFF ``@font-face``, so that Chinese renders on a machine without any CJK font and the file stays small.

Noto Sans CJK SC comes with the ``mplfonts`` package (an energysim dependency) under the SIL Open Font License
1.1, which allows subsetting and embedding; the subset keeps the font's name table, so its copyright and licence
notices travel with it. Subsetting is fontTools' (a matplotlib dependency).
"""

from __future__ import annotations

import base64
import io

from energysim.report.i18n import cjk_font_file

FAMILY = "energysim-sans"
"""The CSS family name of the embedded subset."""

LICENCE = "Noto Sans CJK SC (subset), © Adobe, SIL Open Font License 1.1 — https://openfontlicense.org"


def subset_woff(text: str, *, font_file: str | None = None) -> bytes:
    """A WOFF font with the glyphs of the characters in ``text`` (those the font has), from ``font_file``
    (default: Noto Sans CJK SC). No layout features and no hinting: a report needs neither, and they make up
    half of a subset's size."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(
        flavor="woff",
        layout_features=[],
        hinting=False,
        name_IDs=["*"],  # copyright (0), licence (13) and its URL (14) with the rest
        name_languages=["*"],
        notdef_outline=True,
    )
    font = TTFont(font_file or cjk_font_file(), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | {" "})))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def font_face_css(text: str, *, family: str = FAMILY) -> tuple[str, int]:
    """The ``@font-face`` rule embedding :func:`subset_woff` of ``text`` as ``family``, and the font's size in
    bytes (before base64)."""
    woff = subset_woff(text)
    encoded = base64.b64encode(woff).decode()
    rule = (
        f"/* {LICENCE} */\n"
        f"@font-face{{font-family:'{family}';font-style:normal;font-weight:400;font-display:block;"
        f"src:url(data:font/woff;base64,{encoded}) format('woff')}}"
    )
    return rule, len(woff)
