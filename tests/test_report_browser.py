"""The report page in a real browser: headless Chromium (Debian's `chromium`) via playwright.

No console errors, no request leaving the file, the score, the contract titles and the chart
visible, nothing wider than a 375-pixel phone, and a screenshot at desktop and phone widths
under the test's tmp dir. One browser for the module. In CI a missing browser fails the tests.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "history.csv"
AS_OF = "2026-11-21"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_WIDTH = 375
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: .ci/run installs chromium)")
    pytest.skip(reason)


def _chromium() -> str | None:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install '.[test]')")
    executable = _chromium()
    if executable is None:
        _missing("no chromium found (apt-get install chromium)")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The sample's report page and its JSON document (made once for the module)."""
    from helpers import invoke_in_process

    folder = tmp_path_factory.mktemp("report")
    out = folder / "jss-report.html"
    run = invoke_in_process("report", SAMPLE, "--as-of", AS_OF, "-o", out, "-q")
    assert run.code == 0, run.stderr
    doc = invoke_in_process("report", SAMPLE, "--as-of", AS_OF, "--format", "json", "-q")
    assert doc.code == 0, doc.stderr
    return out, json.loads(doc.stdout)


def _open(
    browser: Any, path: Path, width: int, scheme: str = "light"
) -> tuple[Any, list[str], list[str]]:
    """A page at `width` pixels with the file loaded: (page, console errors, outside requests)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    own = path.resolve().as_uri()

    def route(r: Any) -> None:
        if r.request.url == own:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(own)
    page.wait_for_load_state("load")
    return page, errors, outside


def test_desktop_page_shows_score_titles_and_chart(browser, page_file, tmp_path):
    path, doc = page_file
    page, errors, outside = _open(browser, path, 1280)
    try:
        assert page.evaluate(BACKGROUND) == "rgb(255, 255, 255)"
        assert page.locator("#jss").inner_text() == f"{doc['score']['jss']}%"
        assert page.locator("svg.chart").is_visible()
        box = page.locator("svg.chart").bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 200
        titles = page.locator("#contracts .title").all_inner_texts()
        expected = [r["title"] or r["contract_id"] for r in doc["contracts"]]
        assert titles == expected
        assert page.get_by_text(expected[0], exact=True).first.is_visible()
        # The filter shows only negative outcomes once chosen.
        page.select_option("#filter-outcome", "negative")
        shown = page.locator("#contracts tbody tr:visible")
        negatives = [r for r in doc["contracts"] if r["outcome"] == "negative"]
        assert shown.count() == len(negatives) > 0
        page.screenshot(path=str(tmp_path / "desktop.png"), full_page=True)
    finally:
        page.context.close()
    assert errors == []
    assert outside == []
    assert (tmp_path / "desktop.png").stat().st_size > 10_000


def test_phone_page_in_dark_has_no_horizontal_scroll(browser, page_file, tmp_path):
    path, doc = page_file
    page, errors, outside = _open(browser, path, PHONE_WIDTH, scheme="dark")
    try:
        # Dark colours follow prefers-color-scheme (--bg #0d1117).
        assert page.evaluate(BACKGROUND) == "rgb(13, 17, 23)"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        assert page.locator("#jss").is_visible()
        assert page.locator("svg.chart").is_visible()
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    finally:
        page.context.close()
    assert errors == []
    assert outside == []
    assert (tmp_path / "phone.png").stat().st_size > 10_000
