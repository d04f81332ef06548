"""console/simulator/spec_rules.py is exactly what scripts/gen_spec_rules.py makes of the spec."""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.support.openapi import require_spec

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def test_regenerating_reproduces_the_committed_file_byte_for_byte(monkeypatch):
    spec = require_spec()  # skips, saying where it looked, when ../shared is absent
    monkeypatch.syspath_prepend(str(SCRIPTS))
    generator = importlib.import_module("gen_spec_rules")

    generated = generator.generate(spec)

    committed = generator.TARGET.read_text(encoding="utf-8")
    assert generated == committed, "spec_rules.py is stale: run scripts/gen_spec_rules.py"


def test_the_generator_covers_every_schema_the_simulator_validates(monkeypatch):
    from console.simulator import app, spec_rules

    monkeypatch.syspath_prepend(str(SCRIPTS))
    generator = importlib.import_module("gen_spec_rules")

    assert list(spec_rules.RULES) == generator.SCHEMAS
    used = {action.schema for action in app.CALL_ACTIONS.values()}
    assert used <= set(generator.SCHEMAS)
