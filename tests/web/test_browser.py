"""The query page in a real browser (Debian's Chromium, headless, driven by Playwright; never downloaded):
run a named example, see a known row, follow its link to the resource page and see its Chinese label."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ARTIFACTS, Server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.fail("Chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        running = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield running
        finally:
            running.close()


def open_page(browser: object, base: str, width: int = 1280) -> tuple[Any, list[str]]:
    """A new page ``width`` px wide in the real browser, and the list that collects every request it makes to a
    host other than ``base`` (``data:`` URLs aside)."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:")) else outside.append(r.url))
    return page, outside


def test_run_an_example_and_follow_a_link(server: Server, browser: object) -> None:
    from playwright.sync_api import expect

    page, outside = open_page(browser, server.base, 1280)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{server.base}/query")
    page.get_by_role("link", name="Article headings").click()
    expect(page.locator("#query-text")).to_contain_text("FILTER(lang(?heading) = ?lang)")
    page.get_by_role("button", name="Run 运行").click()
    row = page.locator("table.result-table tbody tr").filter(has_text="过境或转运")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("article:9")
    expect(page.locator("table.result-table tbody tr")).to_have_count(28)
    page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=False)

    row.get_by_role("link", name="article:9").click()
    expect(page).to_have_url(f"{server.base}/id/article/9")
    expect(page.locator('h1 .label[lang="zh"]')).to_have_text("第9条：过境或转运")
    expect(page.locator("section.related li").first).to_contain_text("test transit · 测试过境")
    page.screenshot(path=str(ARTIFACTS / "resource-page.png"), full_page=False)

    page.goto(f"{server.base}/id/body/TESTWG")
    expect(page.locator("svg.timeline")).to_have_count(1)
    page.locator("svg.timeline").screenshot(path=str(ARTIFACTS / "timeline.png"))
    assert outside == []
    assert errors == []


def test_the_validation_report_fits_the_page_and_keeps_the_text(project_server: Server, browser: object) -> None:
    from playwright.sync_api import expect

    from tests.test_validation import FIVE

    text = FIVE.read_text(encoding="utf-8")
    page, outside = open_page(browser, project_server.base, 1280)
    page.goto(f"{project_server.base}/validate")
    page.locator('textarea[name="data"]').fill(text)
    page.get_by_role("button", name="Validate 验证").click()
    rows = page.locator("section.report > .table-wrap table.report-table tbody tr")
    expect(rows).to_have_count(5, timeout=120_000)
    expect(rows.nth(0).locator("td.where")).to_contain_text("line 18, column 16")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate("document.querySelector('section.report').scrollWidth") <= \
        page.evaluate("document.querySelector('section.report').clientWidth")
    expect(page.locator('textarea[name="data"]')).to_have_value(text)
    page.screenshot(path=str(ARTIFACTS / "validation-report.png"), full_page=True)
    assert outside == []


def test_the_api_page_lists_every_route_from_here(server: Server, browser: object) -> None:
    from playwright.sync_api import expect

    page, outside = open_page(browser, server.base, 1280)
    page.goto(f"{server.base}/api")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/validate" in [p.strip() for p in paths]
    assert "/queries/article-headings" in [p.strip().replace("\u200b", "") for p in paths]
    page.screenshot(path=str(ARTIFACTS / "api-page.png"), full_page=False)
    assert outside == []


@pytest.mark.parametrize("width", [1280, 400])
def test_a_list_page_filters_and_fits(project_server: Server, browser: object, width: int) -> None:
    from playwright.sync_api import expect

    page, outside = open_page(browser, project_server.base, width)
    page.goto(f"{project_server.base}/list/")
    page.get_by_role("link", name="Recommendations").click()
    rows = page.locator("table.list-table tbody tr")
    before = rows.count()
    facet = page.locator('section.facet[data-facet="session"] li a').first
    chosen = facet.inner_text()
    facet.click()
    expect(page.locator('section.facet[data-facet="session"] li.selected')).to_have_count(1)
    after = rows.count()
    assert 0 < after < before
    expect(rows.first).to_contain_text(chosen)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"list-{width}.png"), full_page=True)
    assert outside == []


@pytest.mark.parametrize("width", [1280, 400])
def test_the_body_timeline_fits_with_every_cycle(project_server: Server, browser: object, width: int) -> None:
    from playwright.sync_api import expect

    page, _ = open_page(browser, project_server.base, width)
    page.goto(f"{project_server.base}/id/body/WGETI")
    cycles = sorted({t for t in page.locator("table.picture-listing td:nth-child(3)").all_inner_texts()})
    assert cycles, "the listing names the cycles"
    if width >= 1000:
        timeline = page.locator("svg.timeline")
        expect(timeline).to_be_visible()
        box = timeline.bounding_box()
        column = page.locator("main").bounding_box()
        assert box is not None and column is not None and box["x"] + box["width"] <= column["x"] + column["width"]
        labels = [t for t in timeline.locator("text").all_text_contents() if t.startswith("CSP")]
        assert labels == sorted(labels, key=lambda t: int(t[3:])) and len(labels) >= 2
    else:
        expect(page.locator("svg.timeline")).to_be_hidden()
        expect(page.locator("table.picture-listing")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"timeline-{width}.png"), full_page=False)


PAGES = ["/", "/query", "/queries", "/queries/chairs-of-body", "/search?q=WGETI", "/id/article/7", "/id/body/WGETI",
         "/id/person/stela-petrovic", "/list/", "/list/documents", "/validate", "/ontology"]


@pytest.mark.parametrize("width", [1280, 400])
def test_no_page_is_wider_than_the_screen(project_server: Server, browser: object, width: int) -> None:
    page, _ = open_page(browser, project_server.base, width)
    wide = {}
    for path in PAGES:
        page.goto(f"{project_server.base}{path}")
        found = page.evaluate("document.documentElement.scrollWidth")
        if found > width:
            wide[path] = found
    assert wide == {}
