"""A deterministic generator of ATT-shaped data for the benchmarks, at scale ×1, ×10, ×100.

``python bench/generate.py --scale 10 --out /tmp/attbench`` writes a project folder (never into ``data/``)::

    OUT/ontology/attgraph.ttl     the project's ontology, copied
    OUT/data/treaty.ttl           the project's treaty, copied (generated units cite its provisions)
    OUT/data/bench/*.ttl          the generated resources, one file (one named graph) per kind
    OUT/attgraph.nq               all of it as N-Quads, with the named graphs attgraph would give each file
    OUT/bench.json                the scale, the seed and the statements written per file

The generated resources use the ontology's classes and properties and the IRI scheme's prefixes, with keys
that start with ``bench-`` so they can never be mistaken for the project's facts. Their text is made of a
fixed list of Chinese and English words put together at random: it means nothing. Same scale and seed, same
bytes. About 20 thousand statements per unit of scale (×1 ≈ 20k, ×10 ≈ 200k, ×100 ≈ 2M).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from attgraph.knowledge.namespaces import (
    ATT,
    DCTERMS,
    ORG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    graph_iri,
)
from attgraph.settings import PROJECT_ROOT

__all__ = ["Generated", "Term", "generate", "main"]

#: A term in N-Triples syntax: ``<iri>`` or a literal with its quotes, language or datatype.
Term = str

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_TURTLE_PREFIXES = ("att", "article", "provision", "body", "session", "cycle", "document", "source", "person",
                    "state", "post", "appointment", "meeting", "concept", "recommendation", "rdf", "rdfs", "xsd",
                    "skos", "dcterms", "prov", "org", "time", "schema")

# Word lists the text is drawn from (our own short terms, not sentences from any document).
_ZH_WORDS = ("缔约国", "出口评估", "转用风险", "最终用户", "国家管制制度", "进口", "过境", "转运", "中介活动",
             "许可证", "信息交流", "透明度", "年度报告", "国际合作", "国际援助", "培训", "法律框架", "风险缓解",
             "弹药", "零部件", "常规武器", "执法", "海关", "自愿指南", "工作组", "秘书处", "届会", "建议",
             "实践", "挑战", "能力建设", "记录保存", "性别暴力", "和平与安全", "人权法", "人道主义法")
_EN_WORDS = ("export", "assessment", "diversion", "risk", "end-user", "control", "system", "import", "transit",
             "brokering", "licence", "exchange", "transparency", "report", "cooperation", "assistance",
             "training", "framework", "mitigation", "ammunition", "parts", "customs", "guide", "practice")
_STATES = ("ARG", "AUS", "AUT", "BEL", "BRA", "CAN", "CHE", "CHL", "CIV", "CZE", "DEU", "DNK", "ESP", "FIN",
           "FRA", "GBR", "GHA", "GRC", "IRL", "ITA", "JAM", "JPN", "KEN", "KOR", "LVA", "MEX", "NGA", "NLD",
           "NOR", "NZL", "PER", "PHL", "POL", "PRT", "SEN", "SWE", "TGO", "URY", "ZAF", "ZMB")
_DOCUMENT_CLASSES = (ATT.Report, ATT.WorkingPaper, ATT.Letter, ATT.DraftDecision, ATT.GuidanceDocument)
_UNIT_CLASSES = (ATT.NumberedParagraph, ATT.NumberedParagraph, ATT.NumberedParagraph, ATT.Heading,
                 ATT.BulletPoint, ATT.SubItem, ATT.Footnote)
_BODY_CLASSES = (ATT.WorkingGroup, ATT.SubWorkingGroup, ATT.Forum, ATT.Committee)
_STATUSES = (ATT.draft, ATT.proposed, ATT.adopted, ATT.endorsed, ATT.noted, ATT.welcomed)
_FORMATS = (ATT.virtual, ATT.hybrid, ATT.inPerson)
_SESSIONS = 12
_UNITS_PER_SOURCE = 200
_FIRST_DAY = dt.date(2015, 1, 1)
_DAYS = 12 * 365


def iri(value: str) -> Term:
    """An IRI term."""
    return f"<{value}>"


def _id(prefix: str, local: str) -> Term:
    return iri(PREFIXES[prefix] + local)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(value: object, datatype: str | None = None, lang: str | None = None) -> Term:
    """A literal term: a plain string, a language-tagged string or a typed value."""
    text = _escape(str(value).lower() if isinstance(value, bool) else str(value))
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{datatype}>'
    if isinstance(value, bool):
        return f'"{text}"^^<{XSD.boolean}>'
    if isinstance(value, int):
        return f'"{text}"^^<{XSD.integer}>'
    if isinstance(value, dt.date):
        return f'"{text}"^^<{XSD.date}>'
    return f'"{text}"'


@dataclass
class Resource:
    """One subject and its statements."""

    subject: Term
    statements: list[tuple[Term, Term]] = field(default_factory=list)

    def add(self, predicate: str, obj: Term) -> Resource:
        self.statements.append((iri(predicate), obj))
        return self


@dataclass(frozen=True)
class Generated:
    """What :func:`generate` wrote."""

    root: Path
    nquads: Path
    files: dict[str, int]
    statements: int
    scale: int
    seed: int


class _World:
    """The random draws shared by every kind of resource (so the kinds link to each other)."""

    def __init__(self, scale: int, seed: int, provisions: list[str]) -> None:
        self.rng = random.Random(seed * 1_000_003 + scale)
        self.scale = scale
        self.provisions = provisions
        self.bodies = [f"bench-{i:04d}" for i in range(8 + 4 * scale)]
        self.persons = [f"bench-{i:05d}" for i in range(30 * scale)]
        self.documents = [f"bench-{i:06d}" for i in range(150 * scale)]
        self.concepts = [f"bench-{i:05d}" for i in range(40 * scale)]
        self.sources = [f"bench-{i:04d}" for i in range(4 * scale)]
        self.units: list[str] = []

    def date(self) -> dt.date:
        return _FIRST_DAY + dt.timedelta(days=self.rng.randrange(_DAYS))

    def session(self) -> Term:
        return _id("session", f"CSP{self.rng.randint(1, _SESSIONS)}")

    def zh_text(self, low: int, high: int) -> str:
        words = [self.rng.choice(_ZH_WORDS) for _ in range(self.rng.randint(low, high))]
        sentences = ["".join(words[i:i + 4]) for i in range(0, len(words), 4)]
        return "，".join(sentences) + "。"

    def en_text(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(_EN_WORDS) for _ in range(self.rng.randint(low, high)))


def _sessions(world: _World) -> Iterator[Resource]:
    for n in range(1, _SESSIONS + 1):
        yield (Resource(_id("session", f"CSP{n}")).add(RDF.type, iri(ATT.Session))
               .add(RDFS.label, lit(f"CSP{n}", lang="en")).add(RDFS.label, lit(f"第{n}次缔约国会议", lang="zh"))
               .add(ATT.number, lit(str(n)))
               .add(SDO.startDate, lit(_FIRST_DAY + dt.timedelta(days=365 * (n - 1) + 240))))
        yield (Resource(_id("cycle", f"CSP{n}")).add(RDF.type, iri(ATT.Cycle))
               .add(RDFS.label, lit(f"CSP{n} cycle", lang="en")).add(ATT.session, _id("session", f"CSP{n}")))


def _bodies(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for i, key in enumerate(world.bodies):
        body = Resource(_id("body", key)).add(RDF.type, iri(_BODY_CLASSES[i % len(_BODY_CLASSES)]))
        body.add(RDFS.label, lit(f"Bench body {i}", lang="en")).add(RDFS.label, lit(f"基准机构{i}", lang="zh"))
        body.add(ATT.key, lit(key))
        if i >= 4:
            body.add(ORG.subOrganizationOf, _id("body", world.bodies[rng.randrange(4)]))
        body.add(ATT.establishedBy, world.session())
        yield body
        for role, zh in (("chair", "主席"), ("vice-chair", "副主席")):
            yield (Resource(_id("post", f"{key}-{role}")).add(RDF.type, iri(ATT.Post))
                   .add(RDFS.label, lit(f"{role} of bench body {i}", lang="en"))
                   .add(RDFS.label, lit(f"基准机构{i}{zh}", lang="zh"))
                   .add(ORG.postIn, _id("body", key)).add(ATT.heldBy, _id("body", key)))


def _persons(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for code in _STATES:
        yield (Resource(_id("state", code)).add(RDF.type, iri(ATT.State)).add(ATT.isoCode, lit(code))
               .add(RDFS.label, lit(f"State {code}", lang="en")))
    for i, key in enumerate(world.persons):
        yield (Resource(_id("person", key)).add(RDF.type, iri(ATT.Person))
               .add(RDFS.label, lit(f"Person {i:05d}", lang="en"))
               .add(ATT.nationality, _id("state", rng.choice(_STATES))))
    for i in range(40 * world.scale):
        key = f"bench-{i:05d}"
        appointment = _id("appointment", key)
        start = world.date()
        end = start + dt.timedelta(days=rng.randrange(200, 800))
        body = rng.choice(world.bodies)
        yield (Resource(appointment).add(RDF.type, iri(ATT.Appointment))
               .add(ATT.post, _id("post", f"{body}-{rng.choice(('chair', 'vice-chair'))}"))
               .add(ATT.holder, _id("person", rng.choice(world.persons)))
               .add(ATT.appointedBy, world.session())
               .add(ATT.cycle, _id("cycle", f"CSP{rng.randint(1, _SESSIONS)}"))
               .add(ORG.memberDuring, _id("appointment", f"{key}-during")))
        yield (Resource(_id("appointment", f"{key}-during")).add(RDF.type, iri(TIME.Interval))
               .add(TIME.hasBeginning, _id("appointment", f"{key}-start"))
               .add(TIME.hasEnd, _id("appointment", f"{key}-end")))
        for name, day in (("start", start), ("end", end)):
            yield (Resource(_id("appointment", f"{key}-{name}")).add(RDF.type, iri(TIME.Instant))
                   .add(TIME.inXSDDate, lit(day)))


def _concepts(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for i, key in enumerate(world.concepts):
        concept = Resource(_id("concept", key)).add(RDF.type, iri(ATT.Concept))
        concept.add(SKOS.prefLabel, lit(f"concept {i} {world.en_text(1, 3)}", lang="en"))
        concept.add(SKOS.prefLabel, lit(world.zh_text(1, 2).rstrip("。"), lang="zh"))
        concept.add(SKOS.definition, lit(world.en_text(8, 16), lang="en"))
        if i >= 10:
            concept.add(SKOS.broader, _id("concept", world.concepts[rng.randrange(i)]))
        concept.add(ATT.interprets, iri(rng.choice(world.provisions)))
        yield concept


def _documents(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for i, key in enumerate(world.documents):
        session = rng.randint(1, _SESSIONS)
        doc = Resource(_id("document", key)).add(RDF.type, iri(_DOCUMENT_CLASSES[i % len(_DOCUMENT_CLASSES)]))
        doc.add(RDFS.label, lit(f"Bench document {i}: {world.en_text(2, 5)}", lang="en"))
        doc.add(RDFS.label, lit(world.zh_text(2, 5).rstrip("。"), lang="zh"))
        if rng.random() < 0.8:
            doc.add(ATT.symbol, lit(f"ATT/CSP{session}.BENCH/{2014 + session}/{i:05d}"))
        doc.add(DCTERMS.date, lit(world.date()))
        doc.add(ATT.issuer, _id("body", rng.choice(world.bodies)))
        doc.add(ATT.session, _id("session", f"CSP{session}"))
        doc.add(ATT.status, iri(rng.choice(_STATUSES)))
        for _ in range(rng.randint(0, 3)):
            if i:
                doc.add(ATT.cites, _id("document", world.documents[rng.randrange(i)]))
        for _ in range(rng.randint(1, 3)):
            doc.add(ATT.citesProvision, iri(rng.choice(world.provisions)))
        for _ in range(rng.randint(0, 2)):
            doc.add(ATT.aboutConcept, _id("concept", rng.choice(world.concepts)))
        yield doc


def _sources(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for i, key in enumerate(world.sources):
        source = _id("source", key)
        yield (Resource(source).add(RDF.type, iri(ATT.SourceDocument)).add(RDF.type, iri(ATT.Report))
               .add(ATT.key, lit(key)).add(RDFS.label, lit(f"Bench source {i}", lang="en"))
               .add(RDFS.label, lit(f"基准来源文件{i}", lang="zh"))
               .add(ATT.issuer, _id("body", rng.choice(world.bodies))).add(DCTERMS.date, lit(world.date()))
               .add(ATT.session, world.session()))
        parent: str | None = None
        for n in range(1, _UNITS_PER_SOURCE + 1):
            path = f"p{n}"
            unit_iri = PREFIXES["source"] + f"{key}/{path}"
            world.units.append(unit_iri)
            cls = rng.choice(_UNIT_CLASSES)
            text = world.zh_text(6, 18)
            unit = Resource(iri(unit_iri)).add(RDF.type, iri(cls))
            unit.add(RDFS.label, lit(f"{key} ¶{n}", lang="en")).add(RDFS.label, lit(f"第{n}段", lang="zh"))
            unit.add(ATT.text, lit(text, lang="zh")).add(ATT.inSource, source)
            unit.add(ATT.number, lit(str(n))).add(ATT.position, lit(n))
            if cls == ATT.Heading:
                parent = unit_iri
            elif parent is not None:
                unit.add(ATT.parentUnit, iri(parent))
            references: list[tuple[str, Term]] = []
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                kind = rng.random()
                if kind < 0.6:
                    references.append((ATT.citesProvision, iri(rng.choice(world.provisions))))
                elif kind < 0.8:
                    references.append((ATT.mentionsSession, world.session()))
                elif kind < 0.9:
                    references.append((ATT.mentionsBody, _id("body", rng.choice(world.bodies))))
                else:
                    references.append((ATT.mentionsDocument, _id("document", rng.choice(world.documents))))
            occurrences: list[Resource] = []
            for predicate, target in references:
                unit.add(predicate, target)
                start = rng.randrange(max(1, len(text) - 4))
                occurrence = Resource(iri(f"{unit_iri}#ref-{start}")).add(RDF.type, iri(ATT.ReferenceOccurrence))
                occurrence.add(ATT.occurrenceIn, iri(unit_iri)).add(ATT.occurrenceTarget, target)
                occurrence.add(ATT.matchedText, lit(text[start:start + 4])).add(ATT.startOffset, lit(start))
                occurrence.add(ATT.endOffset, lit(start + 4)).add(ATT.extractedBy, iri(ATT.referenceExtractor))
                occurrences.append(occurrence)
            yield unit
            yield from occurrences


def _recommendations(world: _World) -> Iterator[Resource]:
    rng = world.rng
    for i in range(80 * world.scale):
        key = f"bench-{i:05d}"
        yield (Resource(_id("recommendation", key)).add(RDF.type, iri(ATT.Recommendation))
               .add(RDFS.label, lit(f"Bench recommendation {i}", lang="en"))
               .add(RDFS.label, lit(f"基准建议{i}", lang="zh"))
               .add(ATT.summary, lit(world.en_text(6, 14), lang="en"))
               .add(ATT.aboutProvision, iri(rng.choice(world.provisions)))
               .add(ATT.aboutConcept, _id("concept", rng.choice(world.concepts)))
               .add(ATT.addressedTo, world.session()).add(ATT.status, iri(rng.choice(_STATUSES)))
               .add(PROV.wasDerivedFrom, iri(rng.choice(world.units))))
    for i in range(40 * world.scale):
        start = world.date()
        yield (Resource(_id("meeting", f"bench-{i:05d}")).add(RDF.type, iri(ATT.Meeting))
               .add(RDFS.label, lit(f"Bench meeting {i}", lang="en"))
               .add(SDO.startDate, lit(start)).add(SDO.endDate, lit(start + dt.timedelta(days=rng.randint(0, 4))))
               .add(ATT.body, _id("body", rng.choice(world.bodies))).add(ATT.session, world.session())
               .add(ATT["format"], iri(rng.choice(_FORMATS))))


#: The generated files, in order (later kinds link to resources drawn by earlier ones).
_KINDS = (
    ("sessions", _sessions),
    ("bodies", _bodies),
    ("persons", _persons),
    ("concepts", _concepts),
    ("documents", _documents),
    ("sources", _sources),
    ("recommendations", _recommendations),
)


def _turtle_term(term: Term, namespaces: list[tuple[str, str]]) -> str:
    if term.startswith("<"):
        value = term[1:-1]
        for prefix, namespace in namespaces:
            if value.startswith(namespace) and _SAFE_LOCAL.match(value[len(namespace):]):
                return f"{prefix}:{value[len(namespace):]}"
    return term


def _write_turtle(resources: Iterator[Resource], path: Path, nquads: list[str], graph: str) -> int:
    namespaces = sorted(((p, PREFIXES[p]) for p in _TURTLE_PREFIXES), key=lambda item: -len(item[1]))
    lines = [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _TURTLE_PREFIXES]
    lines.append("")
    count = 0
    for resource in resources:
        subject = _turtle_term(resource.subject, namespaces)
        parts = [f"{_turtle_term(p, namespaces)} {_turtle_term(o, namespaces)}" for p, o in resource.statements]
        lines.append(f"{subject} " + " ;\n    ".join(parts) + " .")
        nquads.extend(f"{resource.subject} {p} {o} <{graph}> .\n" for p, o in resource.statements)
        count += len(resource.statements)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def _treaty_provisions(treaty: Path) -> list[str]:
    provisions = set()
    for triple in ox.parse(path=treaty, format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == str(RDF.type) and triple.object.value in (
                str(ATT.Article), str(ATT.Paragraph), str(ATT.Subparagraph), str(ATT.Item)):
            provisions.add(triple.subject.value)
    return sorted(provisions)


def _stable_quads(path: Path, relative: str) -> list[ox.Quad]:
    """The file's triples in its named graph, blank nodes labelled by order of appearance (stable bytes)."""
    graph = ox.NamedNode(str(graph_iri(relative)))
    labels: dict[str, ox.BlankNode] = {}

    def stable(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        assert not isinstance(term, ox.Triple)
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term.value, ox.BlankNode(f"{path.stem}{len(labels)}"))
        return term

    quads = []
    for triple in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
        subject = stable(triple.subject)
        assert not isinstance(subject, ox.Literal)
        quads.append(ox.Quad(subject, triple.predicate, stable(triple.object), graph))
    return quads


def generate(scale: int, out: Path, seed: int = 7) -> Generated:
    """Write the project folder for ``scale`` into ``out`` (emptied first). The same input, the same bytes."""
    target, project = out.resolve(), PROJECT_ROOT.resolve()
    if target == project or target.is_relative_to(project / "data") or target.is_relative_to(project / "ontology"):
        raise ValueError(f"refusing to write benchmark data into the project: {out}")
    if out.exists():
        shutil.rmtree(out)
    (out / "ontology").mkdir(parents=True)
    (out / "data" / "bench").mkdir(parents=True)
    copied = {"ontology/attgraph.ttl": PROJECT_ROOT / "ontology" / "attgraph.ttl",
              "data/treaty.ttl": PROJECT_ROOT / "data" / "treaty.ttl"}
    nquads: list[str] = []
    files: dict[str, int] = {}
    for relative, original in copied.items():
        shutil.copyfile(original, out / relative)
        quads = _stable_quads(original, relative)
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        assert data is not None
        nquads.append(bytes(data).decode("utf-8"))
        files[relative] = len(quads)
    world = _World(scale, seed, _treaty_provisions(PROJECT_ROOT / "data" / "treaty.ttl"))
    for name, kind in _KINDS:
        relative = f"data/bench/{name}.ttl"
        files[relative] = _write_turtle(kind(world), out / relative, nquads, str(graph_iri(relative)))
    nq = out / "attgraph.nq"
    nq.write_text("".join(nquads), encoding="utf-8")
    (out / "bench.json").write_text(json.dumps({"scale": scale, "seed": seed, "files": files}, indent=2) + "\n",
                                    encoding="utf-8")
    return Generated(out, nq, files, sum(files.values()), scale, seed)


def main(argv: list[str] | None = None) -> int:
    """``python bench/generate.py --scale N --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=int, default=1, help="1, 10 or 100 (≈ 20k, 200k, 2M statements)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    made = generate(args.scale, args.out, args.seed)
    print(f"wrote {made.statements} statements in {len(made.files)} files to {made.root}")
    for name, count in made.files.items():
        print(f"  {name}  {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
