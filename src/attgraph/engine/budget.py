"""The memory budget of the whole process tree: what its query workers and validations may claim, in all.

Every query worker and every validation runs in a process of its own under an address-space limit
(``RLIMIT_AS``): what it held when it was ready (for a worker, mostly the store it shares with the others), plus
an *allowance*. The allowances of everything that may run at once — every worker of every service process, and
every validation each may run — add up to no more than the budget, so whatever the queries do, the tree
cannot claim more than its budget beyond what it shares. A query that needs more than its allowance is
stopped (``query_aborted``), and work beyond the slots waits in a bounded queue or is refused (``service_busy``):
nothing is ever admitted that the budget does not cover.

* ``ATTGRAPH_MEMORY_BUDGET_MB`` (default: half the machine's memory) is the budget;
* ``ATTGRAPH_WORKER_MEMORY_MB`` (default: the budget shared out over the slots, at most 2048) the allowance;
  set explicitly, it must fit the budget, or the service does not start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from attgraph.errors import AttgraphError
from attgraph.settings import Settings

__all__ = ["MAX_ALLOWANCE_MB", "MemoryPlan", "machine_mb", "memory_plan", "validations_per_process"]

#: The largest allowance given by default (MiB).
MAX_ALLOWANCE_MB = 2048
#: The smallest allowance that leaves a query worker room to answer anything (MiB).
MIN_ALLOWANCE_MB = 64


def machine_mb(meminfo: Path = Path("/proc/meminfo")) -> int:
    """The machine's memory (MemTotal), in MiB."""
    for line in meminfo.read_text(encoding="ascii").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    raise AttgraphError(f"{meminfo} does not say how much memory the machine has", code="memory_budget")


def validations_per_process(workers: int) -> int:
    """How many validations one service process runs at once (a third of its query workers, at least one)."""
    return max(1, workers // 3)


@dataclass(frozen=True)
class MemoryPlan:
    """The budget (MiB), the slots it covers (workers and validations that may run at once, in all) and the
    allowance of each slot (MiB)."""

    budget_mb: int
    slots: int
    allowance_mb: int

    def describe(self) -> dict[str, int]:
        """The plan for ``/health``."""
        return {"budget_mb": self.budget_mb, "slots": self.slots, "allowance_mb": self.allowance_mb,
                "committed_mb": self.slots * self.allowance_mb}


def memory_plan(settings: Settings, processes: int | None = None, *, machine: int | None = None) -> MemoryPlan:
    """The plan for a tree of ``processes`` service processes (the settings' by default); raises
    :class:`~attgraph.errors.AttgraphError` (``memory_budget``) when an explicit allowance does not fit."""
    count = max(1, processes if processes is not None else settings.processes)
    slots = count * (max(1, settings.workers) + validations_per_process(settings.workers))
    budget = settings.memory_budget_mb or (machine if machine is not None else machine_mb()) // 2
    if settings.worker_memory_mb:
        allowance = settings.worker_memory_mb
        if allowance * slots > budget:
            raise AttgraphError(
                f"ATTGRAPH_WORKER_MEMORY_MB={allowance} for each of {slots} slots ({count} service process(es) × "
                f"({settings.workers} query workers + {validations_per_process(settings.workers)} validations)) "
                f"is {allowance * slots} MiB, over the memory budget of {budget} MiB (ATTGRAPH_MEMORY_BUDGET_MB); "
                "lower the allowance or the workers, or raise the budget",
                {"allowance_mb": allowance, "slots": slots, "budget_mb": budget}, code="memory_budget")
    else:
        allowance = min(MAX_ALLOWANCE_MB, budget // slots)
    if allowance < MIN_ALLOWANCE_MB:
        raise AttgraphError(f"the memory budget of {budget} MiB leaves {allowance} MiB to each of {slots} slots, "
                            f"under the {MIN_ALLOWANCE_MB} MiB a query needs; raise ATTGRAPH_MEMORY_BUDGET_MB or "
                            "lower ATTGRAPH_WORKERS or ATTGRAPH_PROCESSES",
                            {"allowance_mb": allowance, "slots": slots, "budget_mb": budget}, code="memory_budget")
    return MemoryPlan(budget, slots, allowance)
