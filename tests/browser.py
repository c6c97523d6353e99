"""Open a local HTML file in a real headless Chromium with the network cut off.

For tests of anything the workbench writes for people to open (maps,
reports): the page is loaded from ``file://``; every request that is not
``file:``, ``data:`` or ``blob:`` is aborted and recorded; console errors,
uncaught page errors and failed requests are collected; a screenshot is taken.
Uses the Debian ``chromium`` (``/usr/bin/chromium``) through Playwright, so
no browser download is needed. A server the test started on the loopback
(``http://127.0.0.1:<port>/...``, e.g. JupyterLab) may be opened too: then
requests to that origin are allowed and everything else is still cut off.

    with Browser() as browser:
        visit = browser.open(path, screenshot=tmp_path / "map.png", ready="window.anshinMapReady === true")
    assert visit.clean, visit.problems()
    counts = pixel_counts(visit.screenshot, {"boundary": "#56657a"})
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
LOOPBACK = ("http://127.0.0.1:", "http://localhost:")


@dataclass
class Visit:
    """What happened while a page loaded: requests, errors, timing, screenshot."""

    url: str
    allowed: tuple = LOCAL_SCHEMES  # URL prefixes that may load
    screenshot: Path | None = None
    requests: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console_messages: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    ready_s: float | None = None  # from navigation start until ``ready`` held
    result: object = None  # the value of ``evaluate``

    @property
    def clean(self) -> bool:
        """True when nothing left the file, nothing failed and nothing logged an error."""
        return not (self.blocked_requests or self.failed_requests or self.console_errors or self.page_errors)

    def problems(self) -> str:
        """The problems, one per line, for an assertion message."""
        lines = [f"blocked: {u}" for u in self.blocked_requests]
        lines += [f"failed: {u}" for u in self.failed_requests]
        lines += [f"console: {m}" for m in self.console_errors]
        lines += [f"page error: {m}" for m in self.page_errors]
        return "\n".join(lines) or "(none)"


class Browser:
    """One headless Chromium for several pages; use as a context manager."""

    def __init__(self, viewport: tuple[int, int] = (1280, 800)):
        self.viewport = {"width": viewport[0], "height": viewport[1]}
        self._playwright = None
        self._browser = None

    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._playwright.stop()

    def open(self, path, *, screenshot=None, ready: str | None = None, evaluate: str | None = None,
             interact=None, timeout_s: float = 60.0, settle_ms: int = 0, viewport: tuple[int, int] | None = None,
             full_page: bool = False) -> Visit:
        """Load ``path`` (a file, or a loopback URL) offline; wait for the JS expression ``ready`` (if given); screenshot.

        ``evaluate`` is a JS expression whose value lands in ``Visit.result``;
        ``interact`` a function of the Playwright page, called after ``ready``
        (clicks, typing), whose return value lands there instead.
        ``settle_ms`` waits that much longer before the screenshot (for late errors).
        ``viewport`` (width, height) overrides the browser's for this page;
        ``full_page`` screenshots the whole scrollable page.
        """
        if str(path).startswith(LOOPBACK):
            url = str(path)
            origin = "/".join(url.split("/")[:3]) + "/"
            visit = Visit(url=url, allowed=LOCAL_SCHEMES + (origin,))
        else:
            url = Path(path).resolve().as_uri()
            visit = Visit(url=url)
        size = {"width": viewport[0], "height": viewport[1]} if viewport else self.viewport
        context = self._browser.new_context(viewport=size, service_workers="block")
        try:
            context.route("**/*", lambda route: _route(route, visit))
            page = context.new_page()
            page.on("request", lambda request: visit.requests.append(request.url))
            page.on("requestfailed", lambda request: _failed(request, visit))
            page.on("console", lambda message: _console(message, visit))
            page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
            started = time.perf_counter()
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            if ready:
                page.wait_for_function(ready, timeout=timeout_s * 1000, polling="raf")
            visit.ready_s = time.perf_counter() - started
            if settle_ms:
                page.wait_for_timeout(settle_ms)
            if evaluate:
                visit.result = page.evaluate(evaluate)
            if interact is not None:
                visit.result = interact(page)
            if screenshot is not None:
                visit.screenshot = Path(screenshot)
                page.screenshot(path=str(visit.screenshot), full_page=full_page)
        finally:
            context.close()
        # Requests that never reached the route handler (the browser's own) still count.
        visit.blocked_requests += [u for u in visit.requests
                                   if not u.startswith(visit.allowed) and u not in visit.blocked_requests]
        return visit


def open_html(path, **kwargs) -> Visit:
    """Open one file in a fresh browser (see ``Browser.open`` for the keywords)."""
    with Browser() as browser:
        return browser.open(path, **kwargs)


def _route(route, visit: Visit) -> None:
    url = route.request.url
    if url.startswith(visit.allowed):
        route.continue_()
    else:
        visit.blocked_requests.append(url)
        route.abort("blockedbyclient")


def _failed(request, visit: Visit) -> None:
    if request.url.startswith(visit.allowed):
        visit.failed_requests.append(f"{request.url} ({request.failure})")


def _console(message, visit: Visit) -> None:
    text = f"{message.type}: {message.text}"
    visit.console_messages.append(text)
    if message.type == "error":
        visit.console_errors.append(text)


def pixel_counts(png, colours: dict, tolerance: int = 24) -> dict[str, int]:
    """How many pixels of a screenshot are within ``tolerance`` (per channel) of each colour.

    ``colours`` maps a label to ``"#rrggbb"`` or an (r, g, b) tuple.
    """
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    counts = {}
    for label, colour in colours.items():
        rgb = _rgb(colour)
        close = np.all(np.abs(pixels - np.array(rgb, dtype=np.int16)) <= tolerance, axis=-1)
        counts[label] = int(close.sum())
    return counts


def _rgb(colour) -> tuple[int, int, int]:
    if isinstance(colour, str):
        text = colour.lstrip("#")
        return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(colour)
