"""console/telnyx/requests.py is exactly what scripts/gen_request_models.py makes of the spec."""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.support.openapi import require_spec

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_regenerating_reproduces_the_committed_file_byte_for_byte(monkeypatch):
    spec = require_spec()  # skips, saying where it looked, when ../shared is absent
    monkeypatch.syspath_prepend(str(SCRIPTS))
    generator = importlib.import_module("gen_request_models")

    generated = generator.generate(spec)

    committed = generator.TARGET.read_text(encoding="utf-8")
    assert generated == committed, "requests.py is stale: run scripts/gen_request_models.py"
