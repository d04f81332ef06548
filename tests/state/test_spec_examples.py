"""Every call.* and conference.* example body of the official spec applies without error."""

from __future__ import annotations

import pytest

from console.events.models import parse_envelope
from console.state.store import Store
from tests.state.factories import at
from tests.state.fake_clock import FakeClock
from tests.support.openapi import webhook_examples


def test_every_spec_example_applies():
    examples = webhook_examples()  # skips, with the reason, when the spec is absent
    assert examples, "the spec has no call.*/conference.* examples"
    for event_type, example in sorted(examples.items()):
        # Examples share their ids; give each a store of its own so none is a "duplicate".
        store = Store(clock=FakeClock(at(0)))
        store.apply(parse_envelope(example))
        assert store.calls is not None, event_type


def test_all_spec_examples_in_one_store():
    examples = webhook_examples()
    store = Store(clock=FakeClock(at(0)))
    for i, (_, example) in enumerate(sorted(examples.items())):
        body = {**example, "data": {**example["data"], "id": f"example-{i}"}}
        store.apply(parse_envelope(body))
    # The examples all name the same leg: a call row exists for it, whatever its state.
    assert store.calls


@pytest.mark.parametrize("event_type", ["call.initiated", "call.hangup", "conference.created"])
def test_key_examples_are_present(event_type):
    assert event_type in webhook_examples()
