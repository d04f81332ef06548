"""The check lines a healthy ``--self-test`` prints, shared by the source and frozen tests."""

from __future__ import annotations

# What an operator must see for a healthy installation (see console/selftest.py).
EXPECTED_OK = [
    "[ ok ] Qt: ",
    "[ ok ] console modules import: ",
    "[ ok ] keyring: ",
    "[ ok ] console session: demo mode",
    "[ ok ] simulator: listening on http://127.0.0.1:",
    "[ ok ] receiver: listening on http://127.0.0.1:",
    "[ ok ] inbound call: ",
    "[ ok ] answer: store shows answered",
    "[ ok ] recording: saved at ",
    "[ ok ] recording download: WAV, ",
    "[ ok ] hangup: store shows ended, cause ",
    "[ ok ] journal: ",
    "[ ok ] tampered webhook: refused",
    "[ ok ] main window: followed the call; rendered offscreen at 1280x800",
]


def assert_lines(stdout: str, expected: list[str]) -> None:
    lines = stdout.splitlines()
    missing = [want for want in expected if not any(line.startswith(want) for line in lines)]
    assert not missing, f"missing {missing} in:\n{stdout}"
