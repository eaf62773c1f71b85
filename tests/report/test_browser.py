"""The report in a real browser: headless Chromium from the system's packages (``.ci/run`` installs Debian's
``chromium``), driven over the DevTools protocol (tests/report/chromium.py). It renders without console errors,
its Chinese glyphs are drawn by the embedded font (on a machine with no Chinese font), its explorer answers the
mouse, and a screenshot is far from blank."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from tests.report.chromium import Chromium, find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (chromium, chromium-browser, google-chrome or $ENERGYSIM_CHROMIUM): "
    "`apt-get install chromium`, as .ci/run does",
)
SCREENSHOTS = os.environ.get("ENERGYSIM_SCREENSHOTS")
"""A folder to keep the screenshots in, for a person to look at (optional)."""


def _image(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _keep(name: str, png: bytes) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SCREENSHOTS) / name).write_bytes(png)


def _colours(image: np.ndarray) -> int:
    """How many distinct colours an image has."""
    packed = (image[..., 0] << 16) | (image[..., 1] << 8) | image[..., 2]
    return len(np.unique(packed))


def _ink(image: np.ndarray) -> float:
    """Share of pixels that are not (near) white."""
    return float((image.min(axis=2) < 200).mean())


def _rect(browser: Chromium, session: str, selector: str, *, page: bool = True) -> dict[str, float]:
    """An element's box in CSS px: in the page (for a screenshot's clip) or in the viewport (for the mouse)."""
    script = (
        f"(r => JSON.stringify({{x: r.x + {'scrollX' if page else '0'}, y: r.y + {'scrollY' if page else '0'}, "
        f"width: r.width, height: r.height}}))(document.querySelector('{selector}').getBoundingClientRect())"
    )
    return json.loads(browser.evaluate(session, script))


def _system_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    return bool(found.strip())


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as chromium:  # type: ignore[arg-type]
        yield chromium


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_renders_without_console_errors_and_its_explorer_answers(browser, reports, lang):
    started = time.perf_counter()
    session, page = browser.open(reports[lang])
    assert page.errors == [], page.errors
    assert browser.evaluate(session, "document.getElementById('explorer').dataset.ready") == "true"
    assert browser.evaluate(session, "document.querySelectorAll('#explorer svg path').length") > 10
    label = browser.evaluate(session, "document.querySelector('.explorer-label').textContent")
    assert re.search(r"(?<!\d)1\D{0,2}: 2025-08-01 – 2025-08-07", label)  # week 1 / 第1周
    browser.evaluate(session, "document.querySelector('#explorer svg').scrollIntoView()")
    box = _rect(browser, session, "#explorer svg", page=False)
    browser.mouse(session, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = browser.evaluate(session, "(t => t.hidden ? '' : t.textContent)(document.querySelector('.explorer-tip'))")
    assert "2025-08-04" in tip and " MW" in tip and {"en": "CNY/MWh", "zh": "元/MWh"}[lang] in tip
    browser.collect(page)
    assert page.errors == [], page.errors
    print(f"{lang}: rendered and checked in {time.perf_counter() - started:.1f} s")


def test_the_chinese_glyphs_are_drawn_by_the_embedded_font(browser, reports, tmp_path):
    session, page = browser.open(reports["zh"])
    assert page.errors == []
    heading = browser.evaluate(session, "document.querySelector('h1').textContent")
    assert heading.startswith("能源规划简报")
    loaded = (
        "[...document.fonts].some(f => f.family.replace(/[\"']/g, '') === 'energysim-sans' && f.status === 'loaded')"
    )
    assert browser.evaluate(session, loaded)
    assert browser.evaluate(session, "document.fonts.check('28px energysim-sans', '能源规划简报要点摘要')")
    clip = _rect(browser, session, "h1")
    with_font = browser.screenshot(session, clip=clip)
    _keep("zh-heading.png", with_font)
    drawn = _image(with_font)
    assert _ink(drawn) > 0.03  # the heading is drawn, not blank

    # the same page without its font: where no system font has Chinese, the glyphs become empty boxes
    bare = tmp_path / "no-font.html"
    text = reports["zh"].read_text(encoding="utf-8")
    bare.write_text(re.sub(r"@font-face\{[^}]*\}", "", text, count=1), encoding="utf-8")
    session, page = browser.open(bare)
    without = browser.screenshot(session, clip=clip)
    _keep("zh-heading-without-font.png", without)
    if _system_cjk_font():
        pytest.skip("this machine has a Chinese system font: the page without its font still draws the glyphs")
    other = _image(without)
    shape = tuple(min(a, b) for a, b in zip(drawn.shape, other.shape, strict=True))
    crop = tuple(slice(0, n) for n in shape)
    changed = float((np.abs(drawn[crop] - other[crop]).sum(axis=2) > 60).mean())
    assert changed > 0.02, f"only {changed:.1%} of the heading's pixels change without the embedded font"


def test_a_screenshot_is_far_from_blank(browser, reports):
    for lang, path in reports.items():
        session, _ = browser.open(path, width=1280, height=1800)
        png = browser.screenshot(session)
        _keep(f"report-{lang}.png", png)
        image = _image(png)
        colours = _colours(image)
        assert image.shape[:2] == (1800, 1280)
        assert colours > 200 and 0.03 < _ink(image) < 0.8, (colours, _ink(image))
        browser.evaluate(session, "document.getElementById('explore').scrollIntoView()")
        chart = _image(browser.screenshot(session, clip=_rect(browser, session, "#explorer svg")))
        assert _colours(chart) > 20 and _ink(chart) > 0.2
