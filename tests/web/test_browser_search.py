"""Search and the named-query picker in a real browser (Debian's Chromium, headless, driven by Playwright), over
a fixture project of their own: the web suite's plus the search fixture (an accented name and the records
about it) and a query whose IRI parameter declares its class.

Search ``Petrovic`` from the header's box and land on the person; fill a form with the picker and run it.
Screenshots at 1280 and 400 px wide go to ``tests/artifacts/``; neither may scroll sideways, no request may
leave the service, the console must stay free of errors (a Content-Security-Policy violation is one).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..conftest import FIXTURES as SHARED_FIXTURES
from .conftest import ARTIFACTS, LIMITS, Server, make_fixture_project, serving
from .test_browser import browser

__all__ = ["browser"]

pytestmark = pytest.mark.slow

APPOINTMENTS = """\
# title: Appointments of a person
# description: The appointments ?person holds, with the post of each.
# param: person iri att:Person = person:ada-example -- the person
PREFIX att: <https://w3id.org/attgraph/ontology#>
SELECT ?person ?appointment ?post WHERE { ?appointment a att:Appointment ; att:holder ?person ; att:post ?post }
ORDER BY ?appointment
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = make_fixture_project(tmp_path_factory.mktemp("browser-search") / "project")
    (root / "data" / "search.ttl").write_bytes((SHARED_FIXTURES / "search.ttl").read_bytes())
    (root / "queries" / "appointments-of-person.rq").write_text(APPOINTMENTS, encoding="utf-8")
    with serving(root, LIMITS) as running:
        yield running


def _watch(page: object, server: Server) -> tuple[list[str], list[str]]:
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server.base, "data:")) else outside.append(r.url))  # type: ignore[attr-defined]
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    return outside, errors


def _no_sideways_scroll(page: object) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")  # type: ignore[attr-defined]
    assert width[0] <= width[1], width


@pytest.mark.parametrize("width", [1280, 400])
def test_search_petrovic_and_land_on_the_person(site: Server, browser: object, width: int) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    outside, errors = _watch(page, site)

    page.goto(f"{site.base}/")
    box = page.locator("form.quick-search input[name=q]")
    box.fill("Petrovic")
    box.press("Enter")
    expect(page).to_have_url(f"{site.base}/search?q=Petrovic")
    first = page.locator("ol.hits > li").first
    expect(first.locator(".kind")).to_have_text("person")
    expect(first.locator(".snippet mark")).to_have_text("PETROVIĆ")
    kinds = page.locator("ol.hits > li .kind")
    expect(kinds).to_have_count(4)  # the person first, then the records about them and the passage naming them
    assert sorted(kinds.all_text_contents()) == ["appointment", "numbered paragraph", "person", "time:Interval"]
    _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / f"search-{width}.png"), full_page=True)

    first.get_by_role("link", name="Stela PETROVIĆ").click()
    expect(page).to_have_url(f"{site.base}/id/person/stela-petrovic")
    expect(page.locator("h1")).to_contain_text("Stela PETROVIĆ")
    assert outside == []
    assert errors == []


@pytest.mark.parametrize("width", [1280, 400])
def test_fill_a_named_query_form_with_the_picker(site: Server, browser: object, width: int) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": width, "height": 900})
    outside, errors = _watch(page, site)

    page.goto(f"{site.base}/queries/appointments-of-person")
    field = page.get_by_role("combobox", name="person")
    expect(page.locator("#param-person-picked")).to_have_text("Ada EXAMPLE")
    field.fill("")
    field.press_sequentially("Bo")
    options = page.get_by_role("option")
    expect(options).to_have_count(1)  # only people: the appointments that mention Bo SAMPLE are left out
    expect(options.first).to_contain_text("Bo SAMPLE")
    expect(options.first).to_contain_text("person · person:bo-sample")
    _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / f"picker-{width}.png"), full_page=True)
    options.first.click()
    expect(field).to_have_value("person:bo-sample")
    expect(page.locator("#param-person-picked")).to_have_text("Bo SAMPLE")

    page.get_by_role("button", name="Run 运行").click()
    expect(page).to_have_url(f"{site.base}/queries/appointments-of-person?person=person%3Abo-sample")
    cells = page.locator("table.result-table tbody tr td:nth-child(2)")
    expect(cells).to_have_text(["appointment:t3", "appointment:t4"])

    field = page.get_by_role("combobox", name="person")
    field.fill("nobody-at-all")
    field.press("Escape")
    page.get_by_role("button", name="Run 运行").click()
    expect(page.locator(".error .error-message")).to_have_text(
        "parameter 'person': no resource (a person) has the key 'nobody-at-all'; give a prefixed name "
        "(body:WGETI), a full IRI or a page of this service, or pick one from the list")
    expect(page.get_by_role("combobox", name="person")).to_have_attribute("aria-invalid", "true")
    _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / f"picker-error-{width}.png"), full_page=True)
    assert outside == []
    assert [e for e in errors if "400" not in e] == []  # the page itself answers 400, as it should

