"""Precision and recall of :func:`extract_references` against the hand-labelled gold set.

The gold set (``tests/gold/references.tsv``) lists every reference on a set of covered lines
(``tests/gold/covered_lines.tsv``) of the five sources, labelled by reading the text. The extractor
runs over each covered line on its own; a hit is an extracted reference on the same line with the
same kind and the same targets (matched one to one). Hits whose surface text also agrees are counted
separately, so a span that drifts shows up without counting as a miss.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .references import KINDS, extract_references

__all__ = [
    "COVERED_LINES_FILE",
    "GOLD_FILE",
    "SOURCES_DIR",
    "SOURCE_KEYS",
    "KindScore",
    "LabelledReference",
    "QualityReport",
    "evaluate",
    "extract_lines",
    "format_table",
    "load_covered_lines",
    "load_gold",
    "score",
]

_ROOT = Path(__file__).resolve().parents[3]
SOURCES_DIR = _ROOT / "data" / "sources"
GOLD_FILE = _ROOT / "tests" / "gold" / "references.tsv"
COVERED_LINES_FILE = _ROOT / "tests" / "gold" / "covered_lines.tsv"

#: Source file name → source key (docs/iri-scheme.md).
SOURCE_KEYS: dict[str, str] = {
    "000_cb910783b04b7152.txt": "wgeti-2021-letter",
    "001_02c6cbda1c509620.txt": "wgeti-csp12-draft-report",
    "002_de699dabf7b3adc3.txt": "dief-csp7-report",
    "003_d3c04fe9a7ddcce6.txt": "wgeti-csp11-report",
    "004_f701b5864a2a5eff.txt": "csp10-interagency-wp",
}


@dataclass(frozen=True)
class LabelledReference:
    """One reference on one line of a source: from the gold file or from the extractor."""

    source_key: str
    line: int
    kind: str
    text: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class KindScore:
    """Counts for one kind (or ``"total"``) and the precision and recall they give."""

    kind: str
    gold: int
    extracted: int
    hits: int
    text_agrees: int

    @property
    def precision(self) -> float:
        """Hits over extracted references (1.0 when nothing was extracted)."""
        return self.hits / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        """Hits over gold references (1.0 when the gold set has none)."""
        return self.hits / self.gold if self.gold else 1.0


@dataclass(frozen=True)
class QualityReport:
    """Scores per kind and in total, with the references that missed on either side."""

    kinds: tuple[KindScore, ...]
    total: KindScore
    missed: tuple[LabelledReference, ...]
    spurious: tuple[LabelledReference, ...]
    text_differs: tuple[tuple[LabelledReference, LabelledReference], ...]

    def by_kind(self) -> dict[str, KindScore]:
        """The per-kind scores keyed by kind."""
        return {s.kind: s for s in self.kinds}

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form: scores per kind, the total and the differing references."""

        def row(s: KindScore) -> dict[str, object]:
            return {
                "gold": s.gold,
                "extracted": s.extracted,
                "hits": s.hits,
                "text_agrees": s.text_agrees,
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
            }

        def ref(r: LabelledReference) -> dict[str, object]:
            return {
                "source_key": r.source_key,
                "line": r.line,
                "kind": r.kind,
                "text": r.text,
                "targets": list(r.targets),
            }

        return {
            "kinds": {s.kind: row(s) for s in self.kinds},
            "total": row(self.total),
            "missed": [ref(r) for r in self.missed],
            "spurious": [ref(r) for r in self.spurious],
            "text_differs": [{"gold": ref(g), "extracted": ref(e)} for g, e in self.text_differs],
        }


def load_gold(path: Path = GOLD_FILE) -> list[LabelledReference]:
    """The gold references: a TSV with ``source_key, line, kind, text, targets`` (space-separated)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            LabelledReference(
                row["source_key"], int(row["line"]), row["kind"], row["text"], tuple(row["targets"].split())
            )
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]


def load_covered_lines(path: Path = COVERED_LINES_FILE) -> list[tuple[str, int]]:
    """The ``(source_key, line)`` pairs the gold set covers completely."""
    with path.open(encoding="utf-8", newline="") as f:
        return [(row["source_key"], int(row["line"])) for row in csv.DictReader(f, delimiter="\t")]


def extract_lines(covered: list[tuple[str, int]], sources_dir: Path = SOURCES_DIR) -> list[LabelledReference]:
    """Run the extractor over each covered line on its own (lines are 1-based)."""
    keys_to_files = {key: name for name, key in SOURCE_KEYS.items()}
    texts: dict[str, list[str]] = {}
    found: list[LabelledReference] = []
    for key, number in covered:
        if key not in texts:
            texts[key] = (sources_dir / keys_to_files[key]).read_text(encoding="utf-8").split("\n")
        for ref in extract_references(texts[key][number - 1]):
            found.append(LabelledReference(key, number, ref.kind, ref.text, ref.targets))
    return found


def _match(
    gold: list[LabelledReference], found: list[LabelledReference]
) -> tuple[list[tuple[LabelledReference, LabelledReference]], list[LabelledReference], list[LabelledReference]]:
    """Pair gold and extracted references one to one, preferring pairs whose text agrees too."""
    pairs: list[tuple[LabelledReference, LabelledReference]] = []
    left = list(found)
    unmatched: list[LabelledReference] = []
    for strict in (True, False):
        still: list[LabelledReference] = []
        for g in gold if strict else unmatched:
            same = next(
                (
                    f
                    for f in left
                    if (f.source_key, f.line, f.kind, f.targets) == (g.source_key, g.line, g.kind, g.targets)
                    and (f.text == g.text or not strict)
                ),
                None,
            )
            if same is None:
                still.append(g)
            else:
                left.remove(same)
                pairs.append((g, same))
        unmatched = still
    return pairs, unmatched, left


def score(gold: list[LabelledReference], found: list[LabelledReference]) -> QualityReport:
    """Precision and recall per kind and in total."""
    pairs, missed, spurious = _match(gold, found)
    gold_n = Counter(g.kind for g in gold)
    found_n = Counter(f.kind for f in found)
    hits = Counter(g.kind for g, _ in pairs)
    agrees = Counter(g.kind for g, f in pairs if g.text == f.text)
    kinds = tuple(KindScore(k, gold_n[k], found_n[k], hits[k], agrees[k]) for k in KINDS)
    total = KindScore("total", len(gold), len(found), len(pairs), sum(agrees.values()))
    differs = tuple((g, f) for g, f in pairs if g.text != f.text)
    return QualityReport(kinds, total, tuple(missed), tuple(spurious), differs)


def evaluate(
    gold_file: Path = GOLD_FILE, covered_file: Path = COVERED_LINES_FILE, sources_dir: Path = SOURCES_DIR
) -> QualityReport:
    """Score the extractor on the covered lines of the sources against the gold set."""
    return score(load_gold(gold_file), extract_lines(load_covered_lines(covered_file), sources_dir))


def format_table(report: QualityReport) -> str:
    """The scores as an aligned text table."""
    from attgraph.textio import table

    rows = [
        [
            s.kind,
            str(s.gold),
            str(s.extracted),
            str(s.hits),
            str(s.text_agrees),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
        ]
        for s in (*report.kinds, report.total)
    ]
    return table(["kind", "gold", "extracted", "hits", "same text", "precision", "recall"], rows)
