"""The OpenAPI document over real HTTP: valid OpenAPI 3.1, every route with what it answers and what it takes,
each named query with its parameters and result variables, and ``servers`` the URL the client reached: the
configured public URL, the one ``serve`` derived from its port, or (only from a trusted proxy) what the proxy's
``X-Forwarded-*`` headers say."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate as validate_openapi

from attgraph.checks.report import report_schema

from .conftest import LIMITS, PUBLIC_URL, Server, make_fixture_project, serving

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "att.example.net", "X-Forwarded-Prefix": "/kg"}


def document(server: Server, headers: dict[str, str] | None = None) -> dict[str, object]:
    response = httpx.get(f"{server.base}/openapi.json", headers=headers or {}, timeout=30)
    assert response.status_code == 200
    found: dict[str, object] = response.json()
    return found


def test_the_document_is_valid_openapi_3_1_and_names_the_public_url(server: Server) -> None:
    found = document(server)
    validate_openapi(found)
    assert (found["openapi"], found["servers"]) == ("3.1.0", [{"url": PUBLIC_URL, "description": "this service"}])


def test_every_route_says_what_it_answers_and_what_it_takes(server: Server) -> None:
    paths = document(server)["paths"]
    assert isinstance(paths, dict)
    untyped = [(method, path) for path, item in paths.items() for method, operation in item.items()
               if not operation["responses"].get("200", {}).get("content")]
    assert untyped == []
    bodies = sorted(path for path, item in paths.items() for method, operation in item.items()
                    if method == "post" and "requestBody" in operation)
    assert bodies == ["/api/validate", "/sparql", "/validate"]
    validate_body = paths["/api/validate"]["post"]["requestBody"]["content"]
    assert sorted(validate_body) == sorted(["multipart/form-data", "application/x-www-form-urlencoded", "text/turtle",
                                            "application/n-triples", "application/ld+json", "application/rdf+xml",
                                            "application/n-quads", "application/trig"])
    report = paths["/api/validate"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert report == {"$ref": "#/components/schemas/ValidationReport"}
    sparql = paths["/sparql"]["get"]["responses"]["200"]["content"]["application/sparql-results+json"]["schema"]
    assert sparql == {"$ref": "#/components/schemas/SparqlResults"}


def test_the_validation_report_schema_is_the_one_of_the_docs(server: Server) -> None:
    schemas = document(server)["components"]["schemas"]  # type: ignore[index]
    docs = httpx.get(f"{server.base}/schemas/validation-report.json").json()
    assert docs == report_schema()
    assert sorted(schemas["ValidationReport"]["required"]) == sorted(docs["required"])
    assert sorted(k for k in schemas if k.startswith("ValidationReport.")) == sorted(
        f"ValidationReport.{k}" for k in docs["$defs"])


def test_a_named_query_has_its_result_variables(server: Server) -> None:
    operation = document(server)["paths"]["/queries/article-headings"]["get"]  # type: ignore[index]
    ran = httpx.get(f"{server.base}/queries/article-headings", headers={"accept": "application/sparql-results+json"})
    variables = ran.json()["head"]["vars"]
    assert operation["x-result-variables"] == variables == ["article", "number", "heading", "lang"]
    schema = operation["responses"]["200"]["content"]["application/sparql-results+json"]["schema"]
    assert schema["properties"]["head"]["properties"]["vars"]["items"] == {"enum": variables}


def test_the_api_page_is_served_from_here(server: Server) -> None:
    page = httpx.get(f"{server.base}/api")
    assert page.status_code == 200
    assert '<div id="swagger-ui" data-spec="/openapi.json"></div>' in page.text
    assert '<script src="/static/swagger-ui-bundle.js"></script>' in page.text
    script = httpx.get(f"{server.base}/static/api-docs.js")
    assert (script.status_code, "validatorUrl: null" in script.text) == (200, True)


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with no configured public URL that trusts loopback as its proxy."""
    root: Path = make_fixture_project(tmp_path_factory.mktemp("proxied"))
    env = {k: v for k, v in LIMITS.items() if k != "ATTGRAPH_PUBLIC_URL"}
    with serving(root, {**env, "ATTGRAPH_TRUSTED_PROXIES": "127.0.0.1/32"}) as running:
        yield running


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with no configured public URL and no trusted proxy."""
    root: Path = make_fixture_project(tmp_path_factory.mktemp("direct"))
    env = {k: v for k, v in LIMITS.items() if k != "ATTGRAPH_PUBLIC_URL"}
    with serving(root, env) as running:
        yield running


def test_without_a_public_url_the_service_names_its_own_port(direct: Server) -> None:
    assert document(direct)["servers"] == [{"url": direct.base, "description": "this service"}]
    described = httpx.get(f"{direct.base}/sparql", headers={"accept": "application/n-triples"}).text
    assert f"<http://www.w3.org/ns/sparql-service-description#endpoint> <{direct.base}/sparql>" in described


def test_forwarded_headers_from_an_untrusted_client_are_ignored(direct: Server) -> None:
    assert document(direct, FORWARDED)["servers"] == [{"url": direct.base, "description": "this service"}]
    described = httpx.get(f"{direct.base}/sparql", headers={"accept": "application/n-triples", **FORWARDED}).text
    assert "att.example.net" not in described


def test_forwarded_headers_from_a_trusted_proxy_are_believed(behind_a_proxy: Server) -> None:
    response = httpx.get(f"{behind_a_proxy.base}/openapi.json", headers=FORWARDED)
    assert response.json()["servers"] == [{"url": "https://att.example.net/kg", "description": "this service"}]
    assert response.headers["vary"] == "Accept, X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Prefix"
    described = httpx.get(f"{behind_a_proxy.base}/sparql",
                          headers={"accept": "application/n-triples", **FORWARDED}).text
    assert ("<http://www.w3.org/ns/sparql-service-description#endpoint> <https://att.example.net/kg/sparql>"
            in described)
    plain = document(behind_a_proxy)
    assert plain["servers"] == [{"url": behind_a_proxy.base, "description": "this service"}]


@pytest.mark.parametrize("header, value", [("X-Forwarded-Host", "evil.example/<script>"),
                                           ("X-Forwarded-Proto", "javascript"),
                                           ("X-Forwarded-Prefix", "/a b\"c")])
def test_malformed_forwarded_headers_are_not_believed(behind_a_proxy: Server, header: str, value: str) -> None:
    servers = document(behind_a_proxy, {header: value})["servers"]
    assert servers == [{"url": behind_a_proxy.base, "description": "this service"}]
