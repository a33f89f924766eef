"""Real-browser support for the test suite: Debian's Chromium driven by Playwright, axe-core.

Playwright's own browser download cannot be used here, so the tests launch the system Chromium
(`CHROMIUM` or the first of chromium / chromium-browser on PATH). Without one, browser tests are
skipped locally with a message, and fail in CI (CI=true), where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCREENSHOT_DIR = os.environ.get("SCREENSHOT_DIR")


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def launch_browser(playwright):
    path = chromium_path()
    if path is None:
        message = "Debian's chromium is needed for browser tests (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return playwright.chromium.launch(
        executable_path=path,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )


def axe_violations(page) -> list[dict[str, Any]]:
    # evaluate() runs through the DevTools protocol, so the page's CSP does not block axe.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def check_page(page, *, lang: str, name: str) -> None:
    """The checks every page must pass: lang, one h1, no axe violation."""
    assert page.get_attribute("html", "lang") == lang, name
    assert page.locator("h1").count() == 1, f"{name}: expected exactly one h1"
    violations = axe_violations(page)
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOT_DIR}/{name}-{lang}.png", full_page=True)
    assert violations == [], f"{name} ({lang}): {violations}"
