"""Fixtures for the team-mode tests: a real nats-server (JetStream) per test module.

Without the binary the tests are skipped with the reason in the summary, except under
``scripts/bootstrap test`` (which CI runs, and which installs it) or with ``CI`` set: there a
missing server is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.relay.nats_server import NatsServer, require_nats_server


def _binary() -> str:
    return require_nats_server()


@pytest.fixture(scope="module")
def nats_server(tmp_path_factory) -> Iterator[NatsServer]:
    """One server shared by a module's tests (each test uses its own stream and buckets)."""
    server = NatsServer(_binary(), tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_nats_server(tmp_path) -> Iterator[NatsServer]:
    """A server for one test alone: for tests that kill and restart the broker."""
    server = NatsServer(_binary(), tmp_path / "nats")
    server.start()
    yield server
    server.stop()
