"""docs/integration.md's wiring example runs as written, through the public `integration` API."""

from __future__ import annotations

import re
from pathlib import Path

import integration

DOC = Path(__file__).resolve().parents[3] / "docs" / "integration.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_integration_docs_wiring_example_runs_as_written() -> None:
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert blocks, f"no python block in {DOC}"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    core = namespace["core"]
    assert isinstance(core, integration.IntegrationCore), f"core is {type(core).__name__}"
