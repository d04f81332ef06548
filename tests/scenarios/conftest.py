"""Scenario tests share the operation tests' fixtures (a demo-mode ConsoleSession)."""

from tests.operations.conftest import anyio_backend, console, home, session_factory  # noqa: F401
