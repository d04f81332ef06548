"""Issue #5, error paths and feedback: Telnyx's 422/404/429/5xx answers become a readable
message in the window and change nothing; an invalid number never leaves the dialer; every
action shows it is pending until it is confirmed."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from console.events.models import parse_envelope
from console.state.entities import CallState
from console.telnyx.retry import RetryPolicy
from console.ui.calls_model import COL_STATE
from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def snapshot(session):
    store = session.store
    return copy.deepcopy((dict(store.calls), dict(store.conferences), dict(store.queues)))


def assert_readable(op: Operator, label: str, *words: str) -> str:
    """The failure is in the notification strip and the status bar, in words."""
    assert op.errors, "no message was shown"
    text = op.errors[-1]
    assert text == op.window.notifications.last_message
    assert op.window.notifications.isVisible()
    assert op.window.status.currentMessage() == text
    assert text.startswith(f"{label} failed: "), text
    for bad in ("Traceback", "Unexpected error", "Exception", "{", "None"):
        assert bad not in text, text
    assert len(text) < 300, text
    for word in words:
        assert word.lower() in text.lower(), text
    return text


def without_duration(call: dict) -> dict:
    return {k: v for k, v in call.items() if k != "duration_secs"}


def fail(op: Operator, name: str, *ccids: str) -> None:
    task = op.press(name, *ccids)
    op.finish(task, ok=False)


# --- 422 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "label"), [("hold", "Hold"), ("hangup", "Hang up")])
def test_422_call_already_ended(op, session, action, label):
    """The caller hung up but the webhook has not arrived: Telnyx refuses with 90018."""
    ccid = op.answered_inbound()
    session.simulator.start_outage(100_000)  # the hangup webhook cannot reach the console
    session.simulator.remote_hangup(ccid)
    assert ccid in op.truth()["ended_calls"]
    row, before, conferences = op.row(ccid), snapshot(session), op.truth()["conferences"]

    fail(op, action, ccid)

    assert_readable(op, label, "already ended", "90018")
    assert op.row(ccid) == row == {**row, "state": "Answered"}
    assert snapshot(session) == before
    assert op.truth()["conferences"] == conferences  # nothing was created either


# --- 404 -----------------------------------------------------------------------------------


def test_404_for_a_conference_telnyx_does_not_know(op, window, session):
    """The console learnt of a conference that Telnyx no longer knows: End answers 404."""
    envelope = parse_envelope(
        {
            "data": {
                "record_type": "event",
                "event_type": "conference.created",
                "id": "5f7c1c2e-0000-4000-8000-000000000404",
                "occurred_at": datetime.now(UTC).isoformat(),
                "payload": {"conference_id": "no-such-conference", "call_control_id": "v3:gone"},
            }
        }
    )
    session.store.apply(envelope)
    op.wait(lambda: "no-such-conference" in op.conference_rows())
    before = snapshot(session)
    window.select_conference("no-such-conference")

    task = op.press("end_conference")
    op.finish(task, ok=False)

    assert_readable(op, "End conference", "conference")
    assert "no-such-conference" in op.conference_rows()  # still shown: nothing changed
    assert snapshot(session) == before
    (request,) = op.transport.posts("/conferences/no-such-conference/actions/end")
    assert request.body["command_id"]


# --- 429 and 5xx ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "action", "label", "words"),
    [
        ("api_429_rate", "hold", "Hold", ("too many requests",)),
        ("api_5xx_rate", "record", "Record", ()),
    ],
)
def test_rate_limit_and_server_errors_persist_past_the_retries(
    op, session, fault, action, label, words
):
    ccid = op.answered_inbound()
    # The client retries 429/5xx; keep its policy short so a persistent fault fails quickly.
    session.client.retry = RetryPolicy(
        max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=0.05
    )
    row, before, truth = op.row(ccid), snapshot(session), op.truth()
    sent = len(op.transport.sent)
    setattr(session.simulator.faults, fault, 1.0)
    try:
        fail(op, action, ccid)
    finally:
        setattr(session.simulator.faults, fault, 0.0)

    text = assert_readable(op, label, *words)
    if fault == "api_5xx_rate":
        assert any(w in text.lower() for w in ("internal", "unavailable")), text
    assert len(op.transport.sent) - sent == 2  # the first try and one retry, same request
    first, retry = op.transport.sent[sent:]
    assert (first.path, first.body) == (retry.path, retry.body)
    assert op.row(ccid) == row
    assert snapshot(session) == before
    assert without_duration(op.truth()["calls"][ccid]) == without_duration(truth["calls"][ccid])
    assert op.truth()["conferences"] == truth["conferences"]

    # The fault gone, the same button works.
    op.act(action, ccid)
    op.wait(lambda: op.flags(ccid))


# --- the dialer ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12ab", "+1 312 555", "sip:"])
def test_invalid_number_shows_an_inline_error_and_sends_nothing(op, qtbot, window, typed):
    dialer = window.dialer
    assert dialer.from_combo.count() > 0  # Dial is off because of the number alone
    qtbot.keyClicks(dialer.destination_edit, typed)

    assert dialer.error_label.text() and not dialer.error_label.text().startswith("→")
    assert not dialer.dial_button.isEnabled()
    qtbot.keyClick(dialer.destination_edit, Qt.Key.Key_Return)
    qtbot.mouseClick(dialer.dial_button, Qt.MouseButton.LeftButton)
    dialer.dial()

    assert window.actions.idle() and window.actions.last_task is None
    assert op.transport.posts("/v2/calls") == []
    truth = op.truth()
    assert truth["calls"] == {} and truth["ended_calls"] == {}
    assert window.calls_model.ccids() == []
    assert op.errors == []


# --- pending -------------------------------------------------------------------------------


def test_a_command_is_pending_until_its_webhook_confirms_it(op, window, session):
    ccid = op.inbound()
    seen: list[str] = []

    def note(*_args):
        if window.calls_model.row_of(ccid) is not None:
            text = op.state(ccid)
            if not seen or seen[-1] != text:
                seen.append(text)

    note()
    window.calls_model.dataChanged.connect(note)
    # Webhooks are held back for a while, so Telnyx has answered before the console hears it.
    session.simulator.start_outage(150.0)  # simulated seconds: 3 s at the test's speed
    task = op.press("answer", ccid)

    assert op.state(ccid) == "answering…"
    font = window.calls_model.index(window.calls_model.row_of(ccid), COL_STATE).data(
        Qt.ItemDataRole.FontRole
    )
    assert font is not None and font.italic()
    enabled = {n for n, a in window.actions.all.items() if a.isEnabled()}
    assert not enabled & {"answer", "reject", "hangup"}  # no second click meanwhile
    op.wait(lambda: op.truth()["calls"][ccid]["answered"])
    assert session.store.call(ccid).state is CallState.RINGING  # not confirmed yet...
    assert op.state(ccid) == "answering…"  # ...so still pending
    op.finish(task)

    op.wait_state(ccid, "Answered")
    assert seen == ["Ringing", "answering…", "Answered"]
    assert {"hangup", "hold", "mute", "transfer"} <= {
        n for n, a in window.actions.all.items() if a.isEnabled()
    }
