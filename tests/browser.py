"""Headless Chromium for the web tests: Debian's ``chromium`` driven by Playwright, with axe-core.

Playwright cannot download its own browser here (and needs none): it drives the system
Chromium that ``.ci/run`` installs with apt-get. axe-core 4.x comes inside the
``axe-playwright-python`` package and is injected into each page. Tests that need the
browser skip, saying why, only when Chromium or Playwright is genuinely missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

#: WCAG 2.0, 2.1 and 2.2 at levels A and AA: the axe-core tags of the rules that apply
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

CHROMIUM_ARGS = [
    "--no-sandbox",  # root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The system Chromium, or None."""
    for name in (os.environ.get("LEAFWRIGHT_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Playwright gives it a fresh, temporary profile)."""
    path = chromium_path()
    if path is None and os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: .ci/run installs chromium with apt-get")
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright's Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def axe_violations(page) -> list[dict]:
    """axe-core's violations of the WCAG 2.2 A and AA rules on the loaded page."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}})
    assert result.response["testEngine"]["version"].startswith("4."), result.response["testEngine"]
    return result.response["violations"]


def describe(violations: list[dict]) -> str:
    """Violations as readable lines for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:200]}")
    return "\n".join(lines)


def open_page(browser, path: Path, *, width: int = 1280, height: int = 900, **kw):
    """A new page showing a local file; every request it makes is recorded in ``page.lw_requests``."""
    context = browser.new_context(viewport={"width": width, "height": height}, **kw)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.lw_requests = requests
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page
