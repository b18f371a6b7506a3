"""A resource as JSON-LD over real HTTP: ``article:7`` is one object with a ``@context``, for ``application/ld+json``
and for plain ``application/json`` alike, and it says exactly what its Turtle says."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from .conftest import Server

ARTICLE = "https://w3id.org/attgraph/id/article/7"


@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
def test_article_7_is_one_object_with_a_context(project_server: Server, accept: str) -> None:
    answer = httpx.get(f"{project_server.base}/id/article/7", headers={"accept": accept}, timeout=60)
    assert (answer.status_code, answer.headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    document = answer.json()
    assert isinstance(document, dict)
    assert ("@context" in document, document["@id"], "@graph" in document) == (True, "article:7", False)
    assert document["rdfs:label"] == {"en": "Article 7: Export and Export Assessment", "zh": "第7条：出口和出口评估"}
    turtle = httpx.get(f"{project_server.base}/id/article/7", headers={"accept": "text/turtle"}, timeout=60).text
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld"),
                      Graph().parse(data=turtle, format="turtle"))
