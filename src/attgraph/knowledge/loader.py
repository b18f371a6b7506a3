"""Reading Turtle files into one rdflib Dataset, one named graph per file, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from attgraph.errors import LoadError

from .namespaces import PREFIXES, graph_iri

__all__ = ["LoadedFile", "bind_prefixes", "discover", "load_files", "parse_file"]


@dataclass(frozen=True)
class LoadedFile:
    """One parsed file: where it came from, its named graph and its triples."""

    path: Path
    relative: str
    graph_name: URIRef
    graph: Graph


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes (and only those) on a graph or dataset for serialization."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def discover(root: Path, folders: Sequence[str]) -> list[Path]:
    """The Turtle files under the given folders of ``root``, sorted, skipping ``data/sources``."""
    found: list[Path] = []
    for folder in folders:
        base = root / folder
        if base.is_file():
            found.append(base)
            continue
        found.extend(p for p in base.rglob("*.ttl") if "sources" not in p.relative_to(root).parts[:2])
    return sorted(set(found))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _syntax_error(path: Path, error: BadSyntax) -> LoadError:
    line = int(getattr(error, "lines", 0)) + 1
    why = str(getattr(error, "_why", error))
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    snippet = text[line - 1].strip() if 0 < line <= len(text) else ""
    return LoadError(
        f"{path}:{line}: Turtle syntax error: {why}" + (f" (in: {snippet[:120]})" if snippet else ""),
        {"file": str(path), "line": line, "reason": why, "text": snippet[:200]},
    )


def parse_file(path: Path, root: Path, rdf_format: str = "turtle") -> LoadedFile:
    """Parse one file into a fresh graph. Raises :class:`LoadError` naming file and line."""
    relative = _relative(path, root)
    graph = Graph()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror}", {"file": str(path)}) from error
    try:
        graph.parse(data=data, format=rdf_format, publicID=str(graph_iri(relative)))
    except BadSyntax as error:
        raise _syntax_error(path, error) from error
    except (SyntaxError, ValueError, UnicodeDecodeError) as error:
        raise LoadError(f"{path}: cannot parse as {rdf_format}: {error}", {"file": str(path)}) from error
    return LoadedFile(path=path, relative=relative, graph_name=graph_iri(relative), graph=graph)


def load_files(paths: Iterable[Path], root: Path) -> tuple[Dataset, list[LoadedFile]]:
    """Parse every file, then (only if all parsed) put each into its own named graph of a new Dataset.

    Nothing is half-loaded: the first file that fails raises :class:`LoadError` and no Dataset is returned.
    """
    loaded = [parse_file(path, root) for path in paths]
    dataset = Dataset()
    bind_prefixes(dataset)
    for item in loaded:
        named = dataset.graph(item.graph_name)
        for triple in item.graph:
            named.add(triple)
    return dataset, loaded
