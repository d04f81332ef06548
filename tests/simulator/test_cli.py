"""``python -m console.simulator`` as a process: the API key from the environment."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

KEY = "KEY0123456789ABCDEF0123_fromTheEnvironment"


def _start(env_key: str | None, *args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    environ = dict(os.environ)
    environ.pop("TELNYX_API_KEY", None)
    if env_key is not None:
        environ["TELNYX_API_KEY"] = env_key
    process = subprocess.Popen(
        [sys.executable, "-m", "console.simulator", "--port", "0", *args],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    printed = dict(process.stdout.readline().strip().split("=", 1) for _ in range(4))
    return process, printed


def _status(base_url: str, key: str) -> int:
    response = httpx.get(f"{base_url}/queues", headers={"Authorization": f"Bearer {key}"})
    return response.status_code


def test_the_api_key_comes_from_the_environment_and_is_not_echoed():
    process, printed = _start(KEY)
    try:
        assert _status(printed["base_url"], KEY) == 200
        assert _status(printed["base_url"], "KEYsomethingElse_entirely") == 401
        assert KEY not in printed["api_key"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_argument_wins_over_the_environment_and_without_either_one_is_made():
    process, printed = _start(KEY, "--api-key", "KEYfromTheArgument_0123456789")
    try:
        assert _status(printed["base_url"], "KEYfromTheArgument_0123456789") == 200
        assert _status(printed["base_url"], KEY) == 401
    finally:
        process.terminate()
        process.wait(timeout=10)
    process, printed = _start(None)
    try:
        assert _status(printed["base_url"], printed["api_key"]) == 200  # generated and shown
    finally:
        process.terminate()
        process.wait(timeout=10)
