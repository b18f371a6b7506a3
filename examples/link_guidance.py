"""A tool builder's round trip with attgraph's HTTP API: link your own guidance to our articles and concepts,
check it against our shapes, and query your file and our graph together.

    python examples/link_guidance.py                       # against http://127.0.0.1:8000 (make serve)
    python examples/link_guidance.py --endpoint https://…  # against another attgraph service

It needs Python 3.11 and rdflib (``pip install rdflib``), nothing else.

1. Find the IRIs to link to: ``/api/complete`` turns a name into our IRI (here the concept "overriding risk");
   articles and provisions have IRIs you can write by hand (``…/id/article/7``, ``…/id/provision/7.3``).
2. Write your guidance in Turtle, in your own namespace, linking to them (``att:addresses``,
   ``att:interprets``, ``att:appliesConcept``) and saying where each thing comes from (``prov:wasDerivedFrom``).
3. ``POST /api/validate`` checks it against our SHACL shapes with our whole graph beside it, so your links to our
   resources are checked too; every finding comes with its line in your file.
4. Fetch the Turtle of the resources you link to (``/id/…`` with ``Accept: text/turtle``), put it beside your
   file in one rdflib graph, and ask SPARQL about both: your notes with our articles' headings in English and
   Chinese, and the guidance we already hold for the same provision (the named query
   ``guidance-for-provision``, from ``/queries/…``).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request

from rdflib import Graph

ID = "https://w3id.org/attgraph/id/"

MY_GUIDANCE = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix att:  <https://w3id.org/attgraph/ontology#> .
@prefix my:   <https://example.org/export-desk/> .

my:assessment-note a att:GuidanceDocument ;
    rdfs:label "Export desk note on the overriding-risk test"@en , "出口审查处关于压倒性风险标准的说明"@zh ;
    att:addresses <{id}provision/7.3> ;
    att:interprets <{id}provision/7.3> ;
    att:appliesConcept <{concept}> ;
    prov:wasDerivedFrom <{id}article/7> .
"""

TOGETHER = """\
PREFIX att: <https://w3id.org/attgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?note ?provision ?heading ?headingZh ?concept WHERE {
  ?note a att:GuidanceDocument ; att:addresses ?provision ; att:appliesConcept ?c .
  ?provision att:article ?article .
  ?article rdfs:label ?heading , ?headingZh .
  FILTER(lang(?heading) = "en" && lang(?headingZh) = "zh")
  ?c rdfs:label ?concept . FILTER(lang(?concept) = "en")
}
"""


def get(endpoint: str, path: str, accept: str, **params: str) -> bytes:
    url = endpoint + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=60) as answer:
        body: bytes = answer.read()
        return body


def post(endpoint: str, path: str, body: bytes, content_type: str) -> dict[str, object]:
    request = urllib.request.Request(endpoint + path, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        found: dict[str, object] = json.loads(answer.read())
        return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:8000", help="the attgraph service")
    endpoint = parser.parse_args(argv).endpoint.rstrip("/")

    # 1. A name to an IRI.
    picked = json.loads(get(endpoint, "/api/complete", "application/json", q="overriding risk",
                            **{"class": "skos:Concept"}))
    concept = picked["items"][0]["iri"]
    print(f"concept: {concept}")

    # 2. Our file, linking to our provision and concept.
    mine = MY_GUIDANCE.format(id=ID, concept=concept)

    # 3. Checked against the shapes, with the graph.
    report = post(endpoint, "/api/validate", mine.encode("utf-8"), "text/turtle")
    print(f"validation: {report['summary']} (checked against: {report['against']})")
    for result in report["results"]:  # type: ignore[attr-defined]
        where = result["location"]
        print(f"  line {where['line'] if where else '?'}: {result['message']}")

    # 4. Our file and the resources it links to, in one graph.
    together = Graph().parse(data=mine, format="turtle")
    for iri in (f"{ID}provision/7.3", f"{ID}article/7", concept):
        together.parse(data=get(endpoint, "/id/" + iri.removeprefix(ID), "text/turtle"), format="turtle")
    for row in together.query(TOGETHER):
        print(f"my note {row.note} addresses {row.provision.removeprefix(ID)}: {row.heading} / {row.headingZh}; "
              f"concept: {row.concept}")

    known = json.loads(get(endpoint, "/queries/guidance-for-provision", "application/sparql-results+json",
                           provision="provision:7.3"))
    documents = sorted({b["document"]["value"] for b in known["results"]["bindings"] if "document" in b})
    print(f"guidance we already hold for provision 7.3: {len(documents)} document(s)")
    for document in documents:
        print(f"  {document}")
    return 0 if report["conforms"] else 1


if __name__ == "__main__":
    sys.exit(main())
