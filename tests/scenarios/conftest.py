"""Scenario tests share the operation tests' fixtures (a demo-mode ConsoleSession); the
error-code modules' ``env`` (the real client against the simulator) is in client_errors.py."""

from tests.operations.conftest import anyio_backend, console, home, session_factory  # noqa: F401
from tests.scenarios.client_errors import env  # noqa: F401  (fixture)
