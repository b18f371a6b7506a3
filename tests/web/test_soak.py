"""The short soak: every attack of ``bench/soak.py`` at once for 20 s against a real service, beside a
well-behaved client. It fails when an invariant breaks: a well-behaved request that is not answered 200, a pool
not back to strength afterwards (or ``ASK {}`` not answered), the tree's memory past its budget."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from attgraph.settings import PROJECT_ROOT


def _soak_module() -> ModuleType:
    path = PROJECT_ROOT / "bench" / "soak.py"
    spec = importlib.util.spec_from_file_location("attgraph_bench_soak", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_every_attack_at_once_breaks_no_invariant() -> None:
    soak = _soak_module()
    report = soak.soak(20.0, {"ATTGRAPH_QUERY_TIMEOUT": "3", "ATTGRAPH_HEADER_TIMEOUT": "3",
                              "ATTGRAPH_MEMORY_BUDGET_MB": "4096"})
    print(report.text)
    assert report.good_failures == 0, report.text
    assert (report.recovered, report.ask_status) == (True, "200"), report.text
    assert report.memory_growth_mb <= report.budget_mb, report.text
    attacked = report.text
    for attack in ("crash", "deadline", "guard", "held", "memory", "odd", "slow body", "slow headers", "uploads"):
        assert f"| {attack} |" in attacked  # every attack ran
