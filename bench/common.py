"""What the benchmark scripts share: where the queries are, which resources to look up, memory readings."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

from attgraph.knowledge.namespaces import PREFIXES

__all__ = ["QUERIES", "Memory", "lookup_resources", "percentile", "process_tree", "rss_mb", "tree_memory"]

#: The query mix: one named query per ``.rq`` file.
QUERIES = Path(__file__).resolve().parent / "queries"


def lookup_resources(data: Path, count: int, seed: int = 11) -> list[str]:
    """``count`` document IRIs of the generated data at ``data``, drawn at random (the same every run)."""
    scale = int(json.loads((data / "bench.json").read_text(encoding="utf-8"))["scale"])
    rng = random.Random(seed)
    return [f"{PREFIXES['document']}bench-{rng.randrange(150 * scale):06d}" for _ in range(count)]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def rss_mb() -> float:
    """This process's resident memory, in MiB."""
    return _status_kb(os.getpid(), "VmRSS") / 1024


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found = [pid]
    index = 0
    while index < len(found):
        found.extend(children.get(found[index], []))
        index += 1
    return found


@dataclass(frozen=True)
class Memory:
    """Memory of a process tree: resident (shared pages counted in every process) and proportional (shared
    pages divided among the processes sharing them: what the tree really costs)."""

    processes: int
    rss_mb: float
    pss_mb: float


def tree_memory(pid: int) -> Memory:
    """The memory of ``pid`` and its descendants."""
    pids = process_tree(pid)
    rss = pss = 0
    for each in pids:
        rss += _status_kb(each, "VmRSS")
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return Memory(len(pids), rss / 1024, pss / 1024)
