"""Read by mypy only (it is in ``[tool.mypy] files``): the fakes satisfy the real seams.

If ``FakeSession`` or ``FakeOps`` drifts from ``console.session_api`` (a name the window reads
is missing, a parameter renamed, a method no longer async, a wrong return type), mypy fails
here; tests/ui/test_fake_session.py runs the same check inside the test suite.
"""

from __future__ import annotations

from console.session_api import CallOps, ConsoleApi, JournalView, SecretsApi
from console.state.store import Store
from tests.support.fake_session import FakeJournal, FakeOps, FakeSecrets, FakeSession


def the_fakes_satisfy_the_protocols() -> None:
    session: ConsoleApi = FakeSession()
    ops: CallOps = FakeOps(Store())
    journal: JournalView = FakeJournal()
    secrets: SecretsApi = FakeSecrets()
    del session, ops, journal, secrets
