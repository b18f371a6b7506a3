"""The tool builder's example (``examples/link_guidance.py``) run as a user would, against the real service:
it resolves a concept by name, validates its own guidance file through the API with our graph, and queries
the file together with our resources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import Server

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "link_guidance.py"


def test_the_builders_round_trip_prints_what_it_found(project_server: Server) -> None:
    ran = subprocess.run([sys.executable, str(EXAMPLE), "--endpoint", project_server.base], capture_output=True,
                         text=True, timeout=300, check=False)
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout.splitlines() == [
        "concept: https://w3id.org/attgraph/id/concept/overriding-risk",
        "validation: conforms: 0 violations, 0 warnings, 0 infos (checked against: graph)",
        "my note https://example.org/export-desk/assessment-note addresses provision/7.3: "
        "Article 7: Export and Export Assessment / 第7条：出口和出口评估; concept: overriding risk",
        "guidance we already hold for provision 7.3: 2 document(s)",
        "  https://w3id.org/attgraph/id/document/control-arms-guidance-article-7-4",
        "  https://w3id.org/attgraph/id/document/voluntary-guide-art-6-7",
    ]
