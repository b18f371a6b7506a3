"""docs/service.md keeps up with the code: every setting and every error code the service can answer with."""

from __future__ import annotations

import re

from attgraph.settings import PROJECT_ROOT

SERVICE_DOC = (PROJECT_ROOT / "docs" / "service.md").read_text(encoding="utf-8")
SOURCES = [PROJECT_ROOT / "src" / "attgraph" / "errors.py", *sorted(
    path for layer in ("engine", "web") for path in (PROJECT_ROOT / "src" / "attgraph" / layer).glob("*.py"))]
#: Codes of base classes and of errors never answered over HTTP (the build and the CLI use them).
NOT_HTTP = {"load_error", "validation_failed", "query_error", "query_refused", "listen_failed", "memory_budget"}
SERVICE_SETTINGS = ("ATTGRAPH_QUERY_TIMEOUT", "ATTGRAPH_MAX_QUERY_BYTES", "ATTGRAPH_MAX_NESTING",
                    "ATTGRAPH_MAX_ROWS", "ATTGRAPH_MAX_BODY_BYTES", "ATTGRAPH_MAX_UPLOAD_TRIPLES",
                    "ATTGRAPH_WORKERS", "ATTGRAPH_MAX_PENDING", "ATTGRAPH_WORKER_MEMORY_MB",
                    "ATTGRAPH_VALIDATION_TIMEOUT", "ATTGRAPH_PUBLIC_URL", "ATTGRAPH_ROOT")


def codes_in_source() -> set[str]:
    found: set[str] = set()
    pattern = re.compile(r'code(?:=| = )"([a-z_]+)"|_refuse\("([a-z_]+)"')
    for path in SOURCES:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found - NOT_HTTP


def test_every_error_code_is_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z_]+)` \| ", SERVICE_DOC, re.M))
    assert codes_in_source() - documented == set()
    assert len(codes_in_source()) >= 25


def test_every_service_setting_is_documented_and_read() -> None:
    settings_source = (PROJECT_ROOT / "src" / "attgraph" / "settings.py").read_text(encoding="utf-8")
    for variable in SERVICE_SETTINGS:
        assert f"`{variable}`" in SERVICE_DOC, variable
        assert f'"{variable}"' in settings_source, variable
