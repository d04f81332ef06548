"""Fixtures of the store tests: a store on a hand-driven clock."""

from __future__ import annotations

import pytest

from console.state.store import Store
from tests.state.factories import at
from tests.state.fake_clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(at(0))


@pytest.fixture
def store(clock: FakeClock) -> Store:
    return Store(clock=clock)
