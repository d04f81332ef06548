"""Command ids of an operator's own steps include the operator: two consoles, one ringing call."""

from __future__ import annotations

import asyncio

import pytest

from console.operations.facade import Operations
from console.operations.ids import operator_step_id, step_command_id
from console.state.entities import CallState
from tests.operations.helpers import call_in_state, ringing_inbound

pytestmark = pytest.mark.anyio


def test_operator_step_ids_differ_by_operator_and_are_stable():
    ccid = "v3:abc"
    alex = operator_step_id("alex", ccid, "answer")
    assert alex == operator_step_id("alex", ccid, "answer")  # a retry reuses it
    assert alex != operator_step_id("sam", ccid, "answer")
    assert alex != step_command_id(ccid, "answer")


async def test_of_two_operators_answering_at_once_one_learns_they_lost(console):
    """With ids from the call alone, Telnyx drops the second answer as a repeat of the first
    and answers 200: both consoles believe they answered. With the operator in the id, the
    second answer reaches Telnyx as a command of its own and is refused."""
    console.ops.operator_id = "alex"
    sam = Operations(console.client, console.store, console.settings, operator_id="sam")
    ccid = await ringing_inbound(console)

    outcomes = await asyncio.gather(
        console.ops.answer(ccid), sam.answer(ccid), return_exceptions=True
    )

    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 1, outcomes
    assert getattr(failures[0], "user_message", None)  # said in words, not a traceback
    await call_in_state(console, ccid, CallState.ANSWERED, CallState.IN_CONFERENCE)
