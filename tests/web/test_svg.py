"""Pictures drawn on the server: escaped text, safe links, layout that follows the data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from attgraph.web import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_timeline_has_a_column_per_cycle_and_a_bar_per_run() -> None:
    bars = [svg.Bar("Chair", "Ada", 4, 5, "/id/person/ada"), svg.Bar("Chair", "Bo", 6, 6),
            svg.Bar("Facilitator", "Bo", 5, 5)]
    root = parse(svg.timeline("Posts", bars))
    assert texts(root) == ["CSP4", "CSP5", "CSP6", "Chair", "Ada", "Bo", "Facilitator", "Bo"]
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("rx") == "4"]
    # the names take 232 px; the three columns share the rest of the 1,120 px (292 px each)
    assert [(r.get("x"), r.get("width")) for r in rects] == [
        ("235.0", "578.0"), ("819.0", "286.0"), ("527.0", "286.0")]
    assert [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")] == ["/id/person/ada"]
    assert root.get("width") == "1120"


def test_every_cycle_of_a_long_timeline_fits_the_column() -> None:
    bars = [svg.Bar("Chair", f"Holder number {n} with a long name", n, n) for n in range(1, 13)]
    root = parse(svg.timeline("Posts", bars))
    assert root.get("width") == "1120"
    assert [t for t in texts(root) if t.startswith("CSP")] == [f"CSP{n}" for n in range(1, 13)]
    names = [t for t in texts(root) if not t.startswith("CSP") and t != "Chair"]
    assert names[:2] == ["Holder", "number…"]  # two lines in a 67 px bar; the whole name is its tooltip


def test_flow_keeps_the_order_given_and_draws_arrows_between_steps() -> None:
    steps = [svg.Step("1", "Collect the facts", "收集事实", "/id/s1"), svg.Step("2", "Decide", "作出决定")]
    root = parse(svg.flow("Steps", steps))
    assert texts(root) == ["1", "Collect the facts", "收集事实", "2", "Decide", "作出决定"]
    assert len([line for line in root.iter("{http://www.w3.org/2000/svg}line")]) == 1


def test_text_is_escaped_and_unsafe_links_dropped() -> None:
    edges = [svg.Edge("<b>p</b>", "</text><script>alert(1)</script>", "javascript:alert(1)", True),
             svg.Edge("q & r", "x", "//evil.example/", False), svg.Edge("s", "y", "https://example.org/y", False)]
    text = svg.neighbourhood("N & <M>", "centre \"quoted\"", edges)
    root = parse(text)
    assert "<script>" not in text
    assert root.find("s:title", NS) is not None and root.find("s:title", NS).text == "N & <M>"  # type: ignore[union-attr]
    assert [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")] == ["https://example.org/y"]
    assert "</text><script>alert(1)</script>" in texts(root)


def test_wrap_breaks_latin_at_spaces_and_chinese_anywhere() -> None:
    assert svg.wrap("Determine whether there is an overriding risk", 20) == [
        "Determine whether", "there is an", "overriding risk"]
    assert svg.wrap("确定是否存在高于一切的风险", 10) == ["确定是否存", "在高于一切", "的风险"]
    assert svg.text_width("ab过境") == 6
    assert re.fullmatch(r"[^…]*…", svg.wrap("word " * 40, 10, max_lines=2)[-1])
