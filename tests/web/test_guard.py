"""The lexical guard: tokens, depth, updates, SERVICE and dataset clauses, before any engine sees a query."""

from __future__ import annotations

import pytest

from attgraph.engine.guard import Inspection, inspect, tokens
from attgraph.errors import QueryRefused
from attgraph.knowledge.namespaces import PREFIXES

LIMITS = {"max_bytes": 32768, "max_depth": 100, "prefixes": PREFIXES}


def refusal(text: str, **limits: int) -> QueryRefused:
    with pytest.raises(QueryRefused) as caught:
        inspect(text, **{**LIMITS, **limits})  # type: ignore[arg-type]
    return caught.value


def test_tokens_keep_strings_iris_and_names_whole() -> None:
    text = 'SELECT ?s WHERE { ?s ex:load "DROP ALL" . ?s <http://x/SERVICE> \'\'\'a\nb\'\'\'@en } # SERVICE'
    assert [(t.kind, t.text) for t in tokens(text)] == [
        ("word", "SELECT"), ("var", "?s"), ("word", "WHERE"), ("char", "{"), ("var", "?s"), ("pname", "ex:load"),
        ("string", '"DROP ALL"'), ("char", "."), ("var", "?s"), ("iri", "<http://x/SERVICE>"),
        ("string", "'''a\nb'''"), ("lang", "@en"), ("char", "}"),
    ]


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "select"), ("PREFIX x: <http://x/> construct WHERE {}", "construct"),
    ("BASE <http://b/> DESCRIBE <a>", "describe"), ("ask {}", "ask"), ("# only a comment\n{}", None),
])
def test_form(text: str, form: str | None) -> None:
    assert inspect(text, **LIMITS).form == form  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "keyword"), [
    ("DROP ALL", "DROP"), ("insert data { <a> <b> <c> }", "INSERT"), ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://127.0.0.1:9/>", "LOAD"), ("CLEAR DEFAULT", "CLEAR"), ("CREATE GRAPH <g>", "CREATE"),
    ("ADD DEFAULT TO <g>", "ADD"), ("MOVE <a> TO <b>", "MOVE"), ("COPY <a> TO <b>", "COPY"),
    ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"), ("SELECT * {} ; DROP ALL", "DROP"),
])
def test_updates_are_refused(text: str, keyword: str) -> None:
    error = refusal(text)
    assert (error.code, error.message) == (
        "update_refused", f"this service is read-only: SPARQL Update ({keyword}) is not accepted")


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { VALUES ?e { <http://127.0.0.1:9/> } service ?e { ?s ?p ?o } }",
])
def test_service_is_refused(text: str) -> None:
    error = refusal(text)
    assert (error.code, error.message) == (
        "service_refused", "SERVICE is not allowed: this service never sends requests to other endpoints")


def test_keywords_inside_literals_iris_names_and_comments_are_not_refused() -> None:
    text = ('PREFIX ex: <http://e/> SELECT ("DROP ALL" AS ?x) (\'SERVICE\' AS ?y) WHERE '
            "{ ex:drop ex:load <http://x/SERVICE> . ?insert ?delete _:load } # LOAD <http://x/>")
    assert inspect(text, **LIMITS).form == "select"  # type: ignore[arg-type]


def test_depth_counts_brackets() -> None:
    assert inspect("SELECT * WHERE { { ( [ ] ) } }", **LIMITS).depth == 4  # type: ignore[arg-type]
    error = refusal("SELECT * WHERE " + "{" * 101 + "}" * 101)
    assert (error.code, error.message) == (
        "query_too_deep", "the query nests brackets or operators more than 100 deep (at character 116); "
        "the limit is 100")


def test_depth_counts_runs_of_unary_operators() -> None:
    error = refusal("ASK { FILTER(" + "!" * 5000 + "true) }")
    assert error.code == "query_too_deep"
    assert inspect("ASK { FILTER(1 - -1 != 2) }", **LIMITS).depth == 4  # type: ignore[arg-type]


def test_size_is_in_utf8_bytes() -> None:
    text = "SELECT ?x { BIND('" + "过" * 11000 + "' AS ?x) }"
    error = refusal(text)
    assert (error.code, error.status) == ("query_too_large", 413)
    assert error.message == f"the query is {len(text.encode())} bytes long; the limit is 32768 bytes"


def test_empty_query() -> None:
    error = refusal("  \n ")
    assert (error.code, error.message) == ("query_missing", "the query is empty")


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * FROM <http://g/1> FROM NAMED <http://g/2> WHERE {}", Inspection("select", ("http://g/1",),
                                                                                ("http://g/2",), 1)),
    ("BASE <http://g/> SELECT * FROM <1> FROM NAMED <sub/2> {}", Inspection("select", ("http://g/1",),
                                                                            ("http://g/sub/2",), 1)),
    ("PREFIX g: <http://g/> SELECT * FROM g:one {}", Inspection("select", ("http://g/one",), (), 1)),
    ("SELECT * FROM article:9 {}", Inspection("select", ("https://w3id.org/attgraph/id/article/9",), (), 1)),
    ("SELECT * FROM <http://g/\\u0031> {}", Inspection("select", ("http://g/1",), (), 1)),
])
def test_dataset_clauses_are_resolved(text: str, expected: Inspection) -> None:
    assert inspect(text, **LIMITS) == expected  # type: ignore[arg-type]


TRICKY = [
    'SELECT ?s WHERE { ?s ex:load "DROP ALL" . ?s <http://x/SERVICE> \'\'\'a\nb\'\'\'@en } # SERVICE',
    "ASK{}", "ask {}", "SELECT ?select WHERE { ?select ex:ask ?ask }", "PREFIX ask: <http://x/> ASK { ask:a ?p ?o }",
    "SELECT * { ?s ?p \"x\"} # INSERT here is a comment", 'SELECT * { ?s ?p "x"INSERT }',
    "SELECT * { ?s ?p ex:a-INSERT }",
    "ASK { FILTER(1 - -1 != 2) }", "ASK { FILTER(- - - - 1 < 2) }", "ASK { FILTER(!!!true) }",
    "SELECT * WHERE { { ( [ ] ) } }", "SELECT * {\u3000FILTER(-\u3000-1 = 1) }", "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE <http://x/a>", "SELECT * FROM <http://x/g> {}", "select * from named <http://x/g> {}",
    "SELECT ?x_INSERT WHERE {}", "SELECT * { ?s ?p 1e-5, -2.5e+3, +1 }", "SELECT * { ?s ex:p\\.q ?o }",
    "SELECT * { ?s ?p 'it''s' }", "SELECT * { ?s ?p ?o } #", "# only a comment\nASK {}", "SELECT * { _:b1 ?p ?o }",
    "SELECT * { ?s ?p \"v\"@en-GB ; ?q \"1\"^^xsd:int }", "SELECT * WHERE { ?s ?p ?o . ?a<=?b> ?c }",
    "SELECT (" * 60 + "1" + ")" * 60 + " {}", "ASK {" + "-" * 120 + "1 }",
]


def _corpus() -> list[str]:
    from attgraph.settings import PROJECT_ROOT

    folders = ("queries", "src/attgraph/knowledge/sparql", "src/attgraph/checks/rules", "bench/queries",
               "tests/web/fixtures/queries")
    return TRICKY + [path.read_text(encoding="utf-8") for folder in folders
                     for path in sorted((PROJECT_ROOT / folder).glob("*.rq"))]


def test_the_quick_path_agrees_with_the_tokens_or_steps_aside() -> None:
    """Without tokenizing, the guard must reach exactly the token-by-token inspection, or leave it the query."""
    from attgraph.engine.guard import _quick, _tokenized

    quick = 0
    for text in _corpus():
        fast = _quick(text, 100)
        if fast is None:
            continue
        quick += 1
        try:
            expected: Inspection | str = _tokenized(text, 100, PREFIXES)
        except QueryRefused as error:
            expected = error.code
        assert fast == expected, text
    assert quick >= 80  # the queries without ! - + (those are counted token by token)


_ADVERSARIAL = {
    "hyphen runs": "ASK {} " + "a-" * 4000,
    "hyphen runs with a colon at the end": "ASK {} " + "a-" * 4000 + ":x",
    "dot runs": "ASK {} " + "a." * 4000,
    "mixed runs": "ASK {} " + "ab-c.d-" * 1000,
    "runs between names": "ASK {} " + "a-a-a-a:b " * 800,
    "numbers in runs": "ASK {} " + "a-1e-5-" * 1000,
    "non-ASCII letters": "ASK {} " + "é-" * 4000,
    "unary after true": "ASK { FILTER(true" + "-" * 4000 + "1) }",
}


def _reference_tokens(text: str) -> list[tuple[str, str, int]]:
    """The plain definition of the tokens: the scanner tried at every position (quadratic on some texts)."""
    from attgraph.engine.guard import _TOKEN

    return [(m.lastgroup or "char", m.group(), m.start()) for m in _TOKEN.finditer(text)
            if m.lastgroup not in ("space", "comment")]


@pytest.mark.parametrize("name", sorted(_ADVERSARIAL))
def test_the_tokens_are_those_of_the_plain_scanner(name: str) -> None:
    text = _ADVERSARIAL[name]
    assert [tuple(t) for t in tokens(text)] == _reference_tokens(text)


def test_the_tokens_agree_with_the_plain_scanner_on_every_shipped_query_and_random_text() -> None:
    import random

    generator = random.Random(16)
    alphabet = "a-b.c_1e:+!{}()?$@<>\"' \n#"
    texts = _corpus() + ["".join(generator.choice(alphabet) for _ in range(generator.randrange(1, 60)))
                         for _ in range(3000)]
    for text in texts:
        assert [tuple(t) for t in tokens(text)] == _reference_tokens(text), text


@pytest.mark.parametrize("name", sorted(_ADVERSARIAL))
def test_the_scanner_reads_each_character_a_bounded_number_of_times(name: str, monkeypatch: pytest.MonkeyPatch,
                                                                    ) -> None:
    """Linear time, shown by counting: the stretches of name read after a failed prefixed name add up to no more
    than the text (each is read once), and every token is matched once."""
    from attgraph.engine import guard

    text = _ADVERSARIAL[name]
    read = []
    real = guard._NAME_RUN

    class Counting:
        def match(self, string: str, position: int) -> object:
            found = real.match(string, position)
            read.append(found.end() - position if found else 0)
            return found

    monkeypatch.setattr(guard, "_NAME_RUN", Counting())
    list(guard.tokens(text))
    assert sum(read) <= len(text)
