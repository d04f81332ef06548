"""Drivers shared by the main-window test modules (test_desk_*.py, test_window_*.py): webhooks
delivered to the faked session and a conference of live calls. Fixtures are in conftest.py."""

from __future__ import annotations

from tests.ui.fakes import live_call


def conference_of(session, events, conf, *ccids):
    for ccid in ccids:
        live_call(session.store, events, ccid, caller_id_name=f"Caller {ccid[-1].upper()}")
    session.deliver(events.conference_created(conf, ccids[0]))
    for ccid in ccids:
        session.deliver(events.joined(ccid, conf))


def deliver(qtbot, window, session, *envelopes):
    """Webhooks in, then wait for the coalesced model update."""
    for envelope in envelopes:
        session.deliver(envelope)
    window.store_bridge.flush()
