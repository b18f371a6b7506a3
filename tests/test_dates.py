"""Days and months as people type them (knowledge/dates.py)."""

from __future__ import annotations

import pytest

from attgraph.knowledge.dates import DateMention, find_dates, parse_day


@pytest.mark.parametrize(("text", "iso"), [
    ("2025 年 12 月 4 日", "2025-12-04"),
    ("2025年12月4日", "2025-12-04"),
    ("2025-12-04", "2025-12-04"),
    ("2025-12-4", "2025-12-04"),
    ("4 December 2025", "2025-12-04"),
    ("4 Dec 2025", "2025-12-04"),
    ("December 4, 2025", "2025-12-04"),
    ("2025 年 12 月", "2025-12"),
    ("December 2025", "2025-12"),
    ("2025-12", "2025-12"),
])
def test_forms(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


def test_where_in_a_text() -> None:
    text = "继 2025 年 12 月 4 日第十二届缔约国会议主席邀请，于 2026年3月17日讨论"
    assert [(d.iso, text[d.start:d.end]) for d in find_dates(text)] == [
        ("2025-12-04", "2025 年 12 月 4 日"), ("2026-03-17", "2026年3月17日")]


@pytest.mark.parametrize("text", ["2025-13-01", "30 February 2025", "2025", "Article 7", "CSP11", "7.4",
                                  "ATT/CSP11/2025/SEC/834", "2025-2026"])
def test_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_forms_and_tokens() -> None:
    day = DateMention(2025, 12, 4, 0, 0)
    assert day.forms() == ["2025 年 12 月 4 日", "4 december 2025", "december 4 2025", "2025-12-04"]
    assert (day.token, DateMention(2025, 12, None, 0, 0).token) == ("d20251204", "m202512")


def test_parse_day() -> None:
    assert parse_day(" 2025 年 6 月 1 日 ") == "2025-06-01"
    assert parse_day("1 June 2025") == "2025-06-01"
    assert parse_day("June 2025") is None
    assert parse_day("on 1 June 2025") is None
