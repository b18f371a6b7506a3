"""The text as the FTS5 tokenizer is given it, the phrases a query becomes, snippets (knowledge/fulltext.py)."""

from __future__ import annotations

from attgraph.knowledge.fulltext import CLOSE, OPEN, Snippet, any_of, cut, marked, phrase, prepare, tokens


def test_han_characters_are_tokens_of_their_own() -> None:
    assert tokens("特别讨论") == ["特", "别", "讨", "论"]
    assert tokens("2025 年 12 月 4 日") == tokens("2025年12月4日") == ["2025", "年", "12", "月", "4", "日"]
    assert tokens("Markus V.LACANILAO") == ["Markus", "V", "LACANILAO"]
    assert tokens("ATT/CSP11.WGETI") == ["ATT", "CSP11", "WGETI"]


def test_full_width_letters_and_digits_fold() -> None:
    assert prepare("ＡＴＴ ７") == "ATT 7"


def test_marks_and_separators_cannot_come_from_the_data() -> None:
    assert prepare(f"a{OPEN}b{CLOSE}c\u200bd") == "abcd"


def test_phrases_are_quoted() -> None:
    assert phrase('say "NEAR(a b)" OR *') == '"say NEAR a b OR"'
    assert phrase("中介", prefix=True) == '"中 介"*'
    assert phrase("*-:") == ""
    assert any_of(['"a"', "", '"a"', '"b"']) == '("a" OR "b")'
    assert any_of(['"a"']) == '"a"'
    assert any_of([]) == ""


def test_marked_snippet() -> None:
    raw = f"…在\u200b {OPEN}2025{CLOSE} {OPEN}年{CLOSE}\u200b{OPEN}12{CLOSE} 月\nnext"
    assert marked(raw) == Snippet("…在 2025 年12 月 · next", ((3, 11),))  # one mark: "2025 年12"
    assert Snippet("ab cd", ((3, 5),)).parts() == [("ab ", False), ("cd", True)]


def test_cut_at_a_word() -> None:
    assert cut("one two three four", width=9) == Snippet("one two…")
    assert cut("缔约国在评估是否存在", width=4) == Snippet("缔约国在…")
    assert cut("short") == Snippet("short")
