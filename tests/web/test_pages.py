"""Pages people read, over real HTTP: dereferencing, resource pages, pictures, search, named queries, the
ontology page, and the safety of everything they print."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from rdflib import Graph, Literal, URIRef

from .conftest import Server

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ID = "https://w3id.org/attgraph/id/"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class Page(HTMLParser):
    """The links, scripts and texts of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[tuple[str, str]] = []
        self.sources: list[str] = []
        self._script: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "script":
            self._script = values.get("type") or "text/javascript"
            if values.get("src"):
                self.sources.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.sources.append(values["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def page(server: Server, path: str, **params: str) -> httpx.Response:
    response = httpx.get(f"{server.base}{path}", params=params or None, headers={"accept": HTML}, timeout=15)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    return response


def test_article_page_shows_both_labels_and_what_is_linked(server: Server) -> None:
    response = page(server, "/id/article/9")
    assert (response.status_code, response.headers["content-type"]) == (200, "text/html; charset=utf-8")
    text = response.text
    assert '<span class="label" lang="en">Article 9: Transit or trans-shipment</span>' in text
    assert '<span class="label" lang="zh">第9条：过境或转运</span>' in text
    assert ('<a href="/id/concept/test-transit" title="https://w3id.org/attgraph/id/concept/test-transit">'
            "test transit · 测试过境</a>") in text
    assert '<blockquote lang="zh">缔约国应当审查过境申请。</blockquote>' in text
    assert response.headers["content-location"] == "/id/article/9.html"
    assert response.headers["vary"] == "Accept"


def test_article_sections_group_linked_resources(server: Server) -> None:
    text = page(server, "/id/article/7").text
    sections = re.findall(r'<h3><a href="/ontology#(\w+)"[^>]*>[^<]*</a> <span class="note">\((\d+)\)</span>', text)
    treaty = Graph().parse(server.root / "data" / "treaty.ttl")
    parts = set(treaty.subjects(URIRef("https://w3id.org/attgraph/ontology#article"), URIRef(f"{ID}article/7")))
    assert sections == [("Provision", str(len(parts - {URIRef(f"{ID}article/7")})))]


def test_resource_page_lists_properties_and_inverse_links(server: Server) -> None:
    text = page(server, "/id/concept/test-transit").text
    assert '<a href="/ontology#interprets" title="https://w3id.org/attgraph/ontology#interprets">' \
           "interprets · 解释条款</a>" in text
    assert ('<li><a href="/id/source/test-doc/p1" title="https://w3id.org/attgraph/id/source/test-doc/p1">'
            'test-doc ¶1 · 第1段</a> <span class="note">№ 1</span></li>') in text
    unit = page(server, "/id/source/test-doc/p1").text
    assert ('<a href="/ontology#citesProvision" title="https://w3id.org/attgraph/ontology#citesProvision">'
            "cites provision · 引用条款</a>") in unit
    assert '<th><a href="/ontology#wasDerivedFrom"' not in unit
    assert "(of this)" in unit and "test transit · 测试过境" in unit


def test_body_page_draws_the_posts_on_a_timeline(server: Server) -> None:
    text = page(server, "/id/body/TESTWG").text
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="timeline".*?</svg>', text, re.S)
    assert svg is not None
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg.group())
    assert labels == ["CSP4", "CSP5", "CSP6", "Chair of the test working", "group", "Ada EXAMPLE", "Bo SAMPLE",
                      "Facilitator of the test", "sub-working group", "Bo SAMPLE"]
    assert '<a href="/id/person/ada-example">' in svg.group()
    listing = re.search(r'<table class="result-table picture-listing">.*?</table>', text, re.S)
    assert listing is not None
    rows = re.findall(r"<tr><td>.*?</td><td>(.*?)</td><td>(.*?)</td></tr>", listing.group())
    assert [(re.sub("<[^>]+>", "", holder), span) for holder, span in rows] == [
        ("Ada EXAMPLE", "CSP4–CSP5"), ("Bo SAMPLE", "CSP6"), ("Bo SAMPLE", "CSP5")]


def test_framework_page_draws_the_steps_in_order(server: Server) -> None:
    text = page(server, "/id/framework/test-flow").text
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="flow".*?</svg>', text, re.S)
    assert svg is not None
    assert re.findall(r"<text [^>]*>([^<]*)</text>", svg.group()) == [
        "1", "Collect the facts", "收集事实", "2", "Weigh the risk", "权衡风险", "3", "Decide", "作出决定"]


def test_every_page_has_a_neighbourhood(server: Server) -> None:
    text = page(server, "/id/person/bo-sample").text
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="neighbourhood".*?</svg>', text, re.S)
    assert svg is not None
    assert re.findall(r"<text [^>]*>([^<]*)</text>", svg.group()) == [
        "holder", "appointment:t3", "holder", "appointment:t4", "Bo SAMPLE"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("suffix", "accept", "content_type", "rdf_format"), [
    ("", "text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("", "application/ld+json", "application/ld+json", "json-ld"),
    ("", "application/n-triples", "application/n-triples", "nt"),
    ("", "application/rdf+xml", "application/rdf+xml", "xml"),
    (".ttl", HTML, "text/turtle; charset=utf-8", "turtle"),
    (".jsonld", None, "application/ld+json", "json-ld"),
    (".nt", None, "application/n-triples", "nt"),
    (".rdf", None, "application/rdf+xml", "xml"),
])
def test_resources_dereference_to_rdf(server: Server, suffix: str, accept: str | None, content_type: str,
                                      rdf_format: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = httpx.get(f"{server.base}/id/article/9{suffix}", headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)
    graph = Graph().parse(data=response.content, format=rdf_format)
    assert (URIRef(f"{ID}article/9"), URIRef("https://w3id.org/attgraph/ontology#heading"),
            Literal("过境或转运", lang="zh")) in graph
    assert (URIRef(f"{ID}concept/test-transit"), URIRef("https://w3id.org/attgraph/ontology#interprets"),
            URIRef(f"{ID}article/9")) in graph


def test_keys_with_dots_and_extensions(server: Server) -> None:
    response = httpx.get(f"{server.base}/id/provision/7.1.b.ii", headers={"accept": "application/n-triples"})
    assert '<https://w3id.org/attgraph/id/provision/7.1.b.ii> <https://w3id.org/attgraph/ontology#key> "7.1.b.ii" .' \
        in response.text
    assert httpx.get(f"{server.base}/id/provision/7.1.b.ii.nt").text == response.text
    assert response.headers["content-location"] == "/id/provision/7.1.b.ii.nt"


def test_unknown_resources_are_404(server: Server) -> None:
    for path in ("/id/article/29", "/id/article/9/extra", "/id/article/9.exe"):
        response = page(server, path)  # a browser: the page, with a search
        assert (response.status_code, response.headers["content-type"]) == (404, "text/html; charset=utf-8")
        assert '<h1>Not found <span lang="zh">未找到</span></h1>' in response.text
        answer = httpx.get(f"{server.base}{path}", headers={"accept": "application/json"})
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found")


def test_ontology_page_documents_every_term(server: Server) -> None:
    response = page(server, "/ontology")
    ontology = Graph().parse(server.root / "ontology" / "attgraph.ttl")
    ours = {str(s) for s in ontology.subjects() if str(s).startswith("https://w3id.org/attgraph/ontology#")}
    anchors = set(re.findall(r'<article class="term" id="(\w+)">', response.text))
    assert {f"https://w3id.org/attgraph/ontology#{a}" for a in anchors} == ours
    holder = re.search(r'<article class="term" id="holder">.*?</article>', response.text, re.S)
    assert holder is not None
    assert "<dt>Domain</dt><dd><a href=\"/ontology#Appointment\"" in holder.group()
    assert '<dt>Aligns to</dt><dd><a href="http://www.w3.org/ns/org#member"' in holder.group()
    turtle = httpx.get(f"{server.base}/ontology.ttl")
    assert len(Graph().parse(data=turtle.text, format="turtle")) == len(ontology)


def test_search_page_and_api(server: Server) -> None:
    api = httpx.get(f"{server.base}/api/search", params={"q": "过境申请"}).json()
    assert api["query"] == "过境申请"
    assert [(h["resource"], h["page"]) for h in api["hits"]][:1] == [
        (f"{ID}source/test-doc/p1", "/id/source/test-doc/p1")]
    text = page(server, "/search", q="test transit").text
    assert '<a href="/id/concept/test-transit" title="https://w3id.org/attgraph/id/concept/test-transit">' in text


def test_named_query_page_runs_with_defaults_and_a_form(server: Server) -> None:
    response = page(server, "/queries/article-headings")
    assert response.status_code == 200
    text = response.text
    assert '<input name="lang" value="zh" type="text">' in text
    assert '<td class="iri"><a href="/id/article/9">article:9</a></td><td class="literal">9</td>' \
           '<td class="literal">过境或转运 <span class="note">@zh</span></td>' in text
    assert '<a href="/queries/article-headings?lang=zh&amp;format=csv" download>csv</a>' not in text
    english = page(server, "/queries/article-headings", lang="en").text
    assert "Transit or trans-shipment" in english
    assert '<a href="/queries/article-headings?lang=en&amp;format=csv" download>csv</a>' in english


def test_named_query_listing_as_json(server: Server) -> None:
    listing = httpx.get(f"{server.base}/queries", headers={"accept": "application/json"}).json()
    assert [q["name"] for q in listing] == ["article-heading-graph", "article-headings", "articles-since",
                                           "provisions-of-article", "slow"]
    assert listing[2]["parameters"] == [
        {"name": "from", "type": "integer", "default": None, "required": True,
         "description": "the first article number"},
        {"name": "on", "type": "date", "default": "2014-12-24", "required": False, "description": "a date"}]


@pytest.mark.parametrize(("name", "params", "accept", "content_type"), [
    ("provisions-of-article", {"article": "article:2"}, "text/csv", "text/csv; charset=utf-8"),
    ("provisions-of-article", {"article": f"{ID}article/2", "format": "tsv"}, None,
     "text/tab-separated-values; charset=utf-8"),
    ("article-heading-graph", {"article": "article:2"}, "text/turtle", "text/turtle; charset=utf-8"),
    ("article-heading-graph", {"format": "jsonld"}, None, "application/ld+json"),
])
def test_named_queries_in_every_format(server: Server, name: str, params: dict[str, str], accept: str | None,
                                       content_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = httpx.get(f"{server.base}/queries/{name}", params=params, headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (200, content_type)


def test_query_page_runs_an_example_and_offers_downloads(server: Server) -> None:
    example = page(server, "/query", example="article-headings").text
    assert '<input type="hidden" name="example" value="article-headings">' in example
    assert "FILTER(lang(?heading) = ?lang)" in example
    ran = page(server, "/query", example="article-headings", lang="zh",
               query="SELECT ?article ?heading ?lang WHERE { ?article att:heading ?heading "
                     "FILTER(lang(?heading) = ?lang && ?article = article:9) }")
    assert '<td class="literal">过境或转运 <span class="note">@zh</span></td>' in ran.text
    links = [link for link in Page(ran.text).links if "format=" in link]
    assert [re.search(r"format=(\w+)", link).group(1) for link in links] == ["json", "xml", "csv", "tsv"]  # type: ignore[union-attr]
    download = httpx.get(f"{server.base}{links[2]}")
    assert download.text == ("article,heading,lang\r\nhttps://w3id.org/attgraph/id/article/9,过境或转运,zh\r\n")


def test_query_page_shows_errors_in_the_page(server: Server) -> None:
    response = page(server, "/query", query="SELECT <script>alert(1)</script>")
    assert response.status_code == 400
    assert ('<p class="error-message">the query does not parse at line 1, column 16: expected DISTINCT; found '
            '&#39;a&#39;</p>') in response.text
    assert ('<pre class="excerpt">SELECT &lt;script&gt;alert(1)&lt;/script&gt;\n               ^</pre>'
            in response.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in response.text
    assert "<script>alert(1)" not in response.text


def test_literals_are_escaped_everywhere(server: Server) -> None:
    response = page(server, "/id/concept/injection")
    text = response.text
    assert "<script>alert" not in text and "<img src=x" not in text and "<b>bold</b>" not in text
    assert '<span class="label" lang="en">&lt;script&gt;alert(&#39;en&#39;)&lt;/script&gt;</span>' in text
    assert "Tom &amp; &#34;Jerry&#34; &lt;b&gt;bold&lt;/b&gt; {{ 7*7 }}" in text
    parsed = Page(text)
    ld = [data for kind, data in parsed.scripts if kind == "application/ld+json"]
    assert len(ld) == 1 and "</script" not in ld[0] and "<" not in ld[0]
    embedded = Graph().parse(data=ld[0], format="json-ld")  # escaped for HTML, still the same JSON-LD
    assert Literal("</script><img src=x onerror=alert(1)>", lang="zh") in set(embedded.objects())
    assert "javascript:" not in " ".join(parsed.links)
    assert "https://example.org/safe" in parsed.links
    assert all(link.startswith(("/", "https://", "http://", "#")) for link in parsed.links)


def test_pages_use_only_local_assets(server: Server) -> None:
    for path in ("/", "/query", "/search", "/ontology", "/validate", "/id/article/9", "/queries"):
        parsed = Page(page(server, path).text)
        assert parsed.sources == ["/static/style.css", "data:,", "/static/app.js"], path
    css = httpx.get(f"{server.base}/static/style.css")
    assert (css.status_code, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    assert "http" not in css.text and "@import" not in css.text


def test_home_page_lists_articles_bodies_and_frameworks(server: Server) -> None:
    text = page(server, "/").text
    assert text.count('href="/id/article/') == 28
    assert '<a href="/id/body/TESTWG" title="https://w3id.org/attgraph/id/body/TESTWG">' \
           "Test working group · 测试工作组</a>" in text
    assert "Test flow · 测试流程" in text


def test_graph_pages(server: Server) -> None:
    text = page(server, "/graph/data/pages.ttl").text
    triples = len(Graph().parse(server.root / "data" / "pages.ttl"))
    assert f"<p>{triples} triples, from one file of the project.</p>" in text
    nt = httpx.get(f"{server.base}/graph/data/pages.ttl.nt")
    assert len(Graph().parse(data=nt.text, format="nt")) == triples


def test_head_is_answered_like_get(server: Server) -> None:
    response = httpx.head(f"{server.base}/id/article/9", headers={"accept": "text/turtle"})
    assert (response.status_code, response.headers["content-type"], response.content) == (
        200, "text/turtle; charset=utf-8", b"")
