"""The dumps over real HTTP, as the dataset description announces them: every ``dcat:downloadURL`` answers the
bytes whose size and SHA-256 the description gives, with that SHA-256 as its ``ETag``, and ``304`` when asked
again with it."""

from __future__ import annotations

import hashlib

import httpx
from rdflib import Graph, Namespace, URIRef

from .conftest import PUBLIC_URL, Server

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


def test_every_announced_dump_downloads_with_its_size_checksum_and_etag(server: Server) -> None:
    void = Graph().parse(data=httpx.get(f"{server.base}/.well-known/void",
                                        headers={"accept": "text/turtle"}).text, format="turtle")
    distributions = sorted(set(void.subjects(DCAT.downloadURL, None)))
    assert len(distributions) == 5
    for distribution in distributions:
        url = str(void.value(distribution, DCAT.downloadURL))
        assert url.startswith(f"{PUBLIC_URL}/dumps/")
        size = int(void.value(distribution, DCAT.byteSize))  # type: ignore[arg-type]
        checksum = str(void.value(void.value(distribution, SPDX.checksum), SPDX.checksumValue))
        assert void.value(distribution, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
        local = server.base + url.removeprefix(PUBLIC_URL)
        answer = httpx.get(local)
        assert (answer.status_code, answer.headers["etag"], int(answer.headers["content-length"])) == (
            200, f'"{checksum}"', size)
        assert hashlib.sha256(answer.content).hexdigest() == checksum
        media = str(void.value(distribution, DCAT.mediaType))  # an IANA media-type IRI
        assert media.endswith("/media-types/" + answer.headers["content-type"].split(";")[0])
        again = httpx.get(local, headers={"if-none-match": f'"{checksum}"'})
        assert (again.status_code, again.content) == (304, b"")


def test_an_unknown_dump_is_a_404_in_the_one_error_shape(server: Server) -> None:
    answer = httpx.get(f"{server.base}/dumps/secrets.txt")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
