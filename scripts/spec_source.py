"""What the generators in scripts/ share: where the Telnyx spec is, reading it, formatting output.

The spec is read from ``../shared/telnyx-openapi/spec3.yml`` beside the project (or the folder
in ``TELNYX_OPENAPI_DIR``), never copied into it. Generated files are formatted by ruff with the
project's settings, so a generator's output is the committed file byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = Path(os.environ.get("TELNYX_OPENAPI_DIR", ROOT.parent / "shared" / "telnyx-openapi"))
SPEC_FILE = SPEC_DIR / "spec3.yml"


def load_spec(path: Path = SPEC_FILE) -> dict[str, Any]:
    """The parsed spec; SystemExit with the path when it is not there."""
    if not path.is_file():
        raise SystemExit(f"Telnyx OpenAPI spec not found at {path}")
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as fh:
        spec: dict[str, Any] = yaml.load(fh, Loader=loader)
    return spec


def resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    """The node a local ``#/components/...`` reference points at."""
    node: Any = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def ruff_format(source: str, target: Path) -> str:
    """``source`` as ``ruff format`` writes ``target`` (the project's line length and style)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"ruff could not format {target}: {done.stderr.strip()}")
    return done.stdout


def write_or_check(target: Path, text: str, argv: list[str]) -> int:
    """Write ``text`` to ``target``; with ``--check``, only say whether it is up to date."""
    relative = target.relative_to(ROOT)
    if "--check" in argv:
        if target.read_text(encoding="utf-8") == text:
            print(f"{relative} is up to date")
            return 0
        print(f"{relative} differs from what the spec generates; run {Path(argv[0]).name}")
        return 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {relative}")
    return 0
