"""Fixtures for the view tests: one headless Chromium for the session, pages that
may not touch the network, and the miniature dataset."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "browser: runs the view in headless Chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

    Skips when Chromium is missing on a developer machine; in CI (``CI`` set)
    a missing browser is a failure, so the browser tests cannot silently vanish.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - declared in the test extra
        pytest.fail(f"playwright is not installed ({exc}); pip install -e '.[test]'")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageProbe:
    """A page plus everything it tried that a view must never do."""

    page: Any
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: Path, *, timeout_ms: int = 15000) -> None:
        """Load ``path`` and wait until the view says it has drawn."""
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=timeout_ms)

    def assert_clean(self) -> None:
        """No network attempt, console error, uncaught exception or dialog."""
        assert self.external_requests == [], self.external_requests
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def probe(browser: Any) -> Iterator[PageProbe]:
    """A fresh page whose every non-file request is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    p = PageProbe(page)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            p.external_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: p.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: p.page_errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        p.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield p
    finally:
        context.close()


@pytest.fixture
def mini() -> Any:
    """The miniature seed Dataset (see minigraph.py)."""
    from minigraph import mini_dataset

    return mini_dataset()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots (test-artifacts/ at the repository root)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
