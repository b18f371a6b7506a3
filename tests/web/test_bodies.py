"""Reading query strings and form bodies: ``parse_fields`` reads exactly what ``urllib.parse.parse_qsl`` reads
(blank values kept, strict UTF-8), through its own faster decoder."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, quote, unquote_plus

import pytest

from attgraph.errors import AttgraphError
from attgraph.web.bodies import Fields, parse_fields, scope_fields, unquote_field

#: Encoded texts where a decoder can go wrong: bad or cut escapes, backslashes, plus signs, non-ASCII.
TRICKY = [
    "", "%", "%%", "%%41", "a%2", "%zz", "%4", "100%", "%41", "%4a%4A", "a+b", "+%2B+", "\\", "\\x41", "\\%41",
    "\\\\x41%41", "%5Cx41", "%5C%5C", "é%41", "中文", "%E4%B8%AD%E6%96%87", "%e4%b8%ad", "%00", "%0A%0D",
    "%F0%9F%98%80", "\\N{DIGIT ONE}", "\\u0041", "%5Cu0041", "a%+b", "%%E4%B8%AD", "%2", "x%g0",
]
#: Texts whose decoded bytes are not UTF-8.
NOT_UTF8 = ["%C3", "%FF", "%E4%B8", "a%80b", "%C3%28"]


@pytest.mark.parametrize("text", TRICKY)
def test_unquote_field_matches_urllib(text: str) -> None:
    assert unquote_field(text) == unquote_plus(text, errors="strict")


@pytest.mark.parametrize("text", NOT_UTF8)
def test_unquote_field_refuses_bytes_that_are_not_utf8(text: str) -> None:
    with pytest.raises(UnicodeDecodeError):
        unquote_plus(text, errors="strict")
    with pytest.raises(UnicodeDecodeError):
        unquote_field(text)


def test_unquote_field_matches_urllib_on_random_texts() -> None:
    pieces = ["%", "+", "\\", "x", "4", "1", "A", "f", "g", "é", "中", "%4", "%41", "%E4%B8%AD", "%5C", "&", "="]
    chooser = random.Random(7)
    for _ in range(3000):
        text = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 12)))
        try:
            expected: str | type = unquote_plus(text, errors="strict")
        except UnicodeDecodeError:
            expected = UnicodeDecodeError
        try:
            found: str | type = unquote_field(text)
        except UnicodeDecodeError:
            found = UnicodeDecodeError
        assert found == expected, text


def test_a_query_round_trips() -> None:
    query = 'SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "高于一切的风险"@zh } # 100% \\ +'
    assert parse_fields(f"query={quote(query, safe='')}&format=json".encode(), "query string").items == (
        ("query", query), ("format", "json"))


@pytest.mark.parametrize("data", [
    "", "a", "a=", "=b", "a=1&a=2", "a=1&&b=2", "&", "a=b=c", "a+b=c+d", "q=%E4%B8%AD&r=%",
    "x=%zz&y", "a=1;b=2", "k%3Dv=1",
])
def test_parse_fields_matches_parse_qsl(data: str) -> None:
    assert parse_fields(data.encode(), "query string").items == tuple(
        parse_qsl(data, keep_blank_values=True, errors="strict"))


def test_parse_fields_refuses_invalid_utf8_and_too_many_fields() -> None:
    with pytest.raises(AttgraphError) as caught:
        parse_fields(b"query=%C3", "query string")
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        "bad_encoding", 400, "the query string is not valid UTF-8")
    with pytest.raises(AttgraphError) as caught:
        parse_fields(b"&".join([b"a=1"] * 201), "form body")
    assert (caught.value.status, caught.value.message) == (400, "the form body has more than 200 fields")
    assert len(parse_fields(b"&".join([b"a=1"] * 200), "form body").items) == 200


def test_the_query_string_is_parsed_once_per_request() -> None:
    scope = {"type": "http", "query_string": b"query=ASK%20%7B%7D&format=csv"}
    first = scope_fields(scope)
    assert first == Fields((("query", "ASK {}"), ("format", "csv")))
    assert scope_fields(scope) is first
