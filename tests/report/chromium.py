"""Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``): no websocket
client, no browser download — the system's ``chromium`` (Debian's package; ``.ci/run`` installs it).

The protocol's messages are JSON, separated by NUL bytes, read from the browser's fd 4 and written to its fd 3.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 60.0


def find_chromium() -> str | None:
    """The browser to test with: ``$ENERGYSIM_CHROMIUM``, else the first of :data:`CANDIDATES` on the PATH."""
    given = os.environ.get("ENERGYSIM_CHROMIUM")
    if given:
        return given if shutil.which(given) else None
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


@dataclass
class Page:
    """What the browser said while loading a page: console messages by level, uncaught exceptions, log entries
    (failed loads, CSP, …), and the page's session for more commands."""

    console: list[tuple[str, str]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every console error, uncaught exception and error log entry."""
        return (
            [text for level, text in self.console if level in ("error", "assert")]
            + self.exceptions
            + [text for level, text in self.log if level == "error"]
        )


class Chromium:
    """One headless browser; ``with Chromium(path) as browser: browser.open(file)``."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.profile = tempfile.TemporaryDirectory(prefix="energysim-chromium-")
        self._log = open(Path(self.profile.name) / "stderr.log", "wb")  # noqa: SIM115 — closed in close()
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child_fds() -> None:  # the protocol's fds: 3 (browser reads) and 4 (browser writes), inheritable
            reads, writes = os.dup(to_browser_r), os.dup(from_browser_w)  # neither 3 nor 4 is overwritten early
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",  # CI runs as root
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={self.profile.name}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,  # to a file: a pipe nobody reads would fill and stall the browser
            close_fds=False,  # keep 3 and 4 (closing happens after preexec_fn); our other fds are close-on-exec
            preexec_fn=child_fds,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser (this one only) and remove its profile."""
        with contextlib.suppress(Exception):  # already gone
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        self._log.close()
        self.profile.cleanup()

    def _read_message(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            ready, _, _ = select.select([self._from_browser], [], [], 0.5)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium exited ({self.process.poll()})")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events meanwhile are kept for :meth:`wait_event`)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(answer)

    def wait_event(self, method: str, timeout: float = TIMEOUT_S) -> dict[str, Any]:
        """The first event ``method`` (kept or still to come)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline))

    def open(self, path: Path, *, width: int = 1280, height: int = 900) -> tuple[str, Page]:
        """Load a local file in a new tab, wait for its load event and its fonts; the tab's session and what the
        page said while loading."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session)
        self.call(
            "Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=1, mobile=False
        )
        self.call("Page.navigate", session, url=path.resolve().as_uri())
        self.wait_event("Page.loadEventFired")
        self.evaluate(session, "document.fonts.ready.then(() => true)")
        page = Page()
        self.collect(page)
        return session, page

    def collect(self, page: Page) -> Page:
        """Move what the browser said since the last call (console, exceptions, log) into ``page``."""
        self.call("Browser.getVersion")  # a round trip, so that earlier events have arrived
        for event in self._events:
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                page.console.append((params.get("type", ""), text))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                page.exceptions.append(str(details.get("exception", {}).get("description", details.get("text"))))
            elif event.get("method") == "Log.entryAdded":
                entry = params.get("entry", {})
                page.log.append((entry.get("level", ""), f"{entry.get('text', '')} {entry.get('url', '')}".strip()))
        self._events.clear()
        return page

    def evaluate(self, session: str, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call("Runtime.evaluate", session, expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mouse(self, session: str, x: float, y: float) -> None:
        """Move the mouse to (x, y) CSS px of the viewport."""
        self.call("Input.dispatchMouseEvent", session, type="mouseMoved", x=x, y=y)

    def screenshot(self, session: str, *, clip: dict[str, float] | None = None, full_page: bool = False) -> bytes:
        """A PNG of the viewport, of ``clip`` (x, y, width, height in CSS px), or of the whole page."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.evaluate(
                session, "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            clip = {"x": 0, "y": 0, "width": size[0], "height": size[1]}
            params["captureBeyondViewport"] = True
        if clip is not None:
            params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.call("Page.captureScreenshot", session, **params)["data"])
