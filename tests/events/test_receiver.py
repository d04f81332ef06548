"""The webhook receiver over real loopback HTTP: acceptance, every rejection path, callbacks."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from console.events.journal import JournalError
from console.events.receiver import Reason, WebhookReceiver
from console.events.signature import KeyPair, SignatureError, sign

from .conftest import make_event

pytestmark = pytest.mark.anyio


async def _post(http, url, body, headers):
    async with http.post(url, data=body, headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def test_start_returns_local_url_and_binds_loopback(receiver):
    assert receiver.url.startswith("http://127.0.0.1:")
    assert receiver.url.endswith("/webhooks/telnyx")
    assert receiver.port == int(receiver.url.split(":")[2].split("/")[0])
    assert receiver.running and receiver.verification_enabled


async def test_valid_event_is_journalled_then_dispatched(receiver, journal, http, signer, recorder):
    body = make_event("call.initiated", event_id="ev-1", attempt=1)
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert (status, answer["status"]) == (200, "accepted")
    # The journal had it before the answer went out.
    assert journal.get_raw("ev-1") == body.decode()
    await recorder.settle()
    [(envelope, received)] = recorder.events
    assert envelope.event_id == "ev-1" and type(envelope.data).__name__ == "CallInitiatedEvent"
    assert received.raw == body.decode() and received.attempt == 1
    assert received.verified and received.signed_at is not None and not received.duplicate
    assert received.remote == "127.0.0.1"
    stats = receiver.stats
    assert stats.accepted == 1 and stats.rejected_total == 0
    assert stats.last_event_at == received.received_at
    assert stats.last_delivery_delay == pytest.approx(received.delivery_delay)


async def test_duplicate_answers_200_and_dispatches_once(receiver, journal, http, signer, recorder):
    body = make_event("call.answered", event_id="dup-1")
    retry = make_event("call.answered", event_id="dup-1", attempt=2)
    assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    status, answer = await _post(http, receiver.url, retry, signer(retry))
    assert (status, answer["status"]) == (200, "duplicate")
    # Concurrent deliveries of the same id (Telnyx may send them at once) dispatch once too.
    results = await asyncio.gather(
        *(_post(http, receiver.url, body, signer(body)) for _ in range(10))
    )
    assert {r[0] for r in results} == {200}
    await recorder.settle()
    assert len(recorder.events) == 1 and journal.count() == 1
    stats = receiver.stats
    assert stats.accepted == 1 and stats.duplicates == 11 and stats.retries_seen == 1


async def test_retry_counts_and_first_attempt_after_a_lost_one(receiver, http, signer, recorder):
    body = make_event(attempt=3)
    assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    await recorder.settle()
    assert recorder.events[0][1].attempt == 3 and receiver.stats.retries_seen == 1


@pytest.mark.parametrize(
    "mutate, status, reason",
    [
        (lambda b, h: (b + b" ", h), 401, Reason.BAD_SIGNATURE),
        (
            lambda b, h: (b, {k: v for k, v in h.items() if "signature" not in k}),
            401,
            Reason.MISSING_HEADER,
        ),
        (
            lambda b, h: (b, {k: v for k, v in h.items() if "timestamp" not in k}),
            401,
            Reason.MISSING_HEADER,
        ),
        (lambda b, h: (b, {**h, "telnyx-signature-ed25519": "@@@"}), 400, Reason.MALFORMED_HEADER),
        (lambda b, h: (b, {**h, "telnyx-timestamp": "yesterday"}), 400, Reason.MALFORMED_HEADER),
    ],
    ids=["tampered", "no-signature", "no-timestamp", "garbage-signature", "garbage-timestamp"],
)
async def test_signature_rejections(
    receiver, http, signer, recorder, journal, mutate, status, reason
):
    body = make_event()
    sent, headers = mutate(body, signer(body))
    got, answer = await _post(http, receiver.url, sent, headers)
    assert (got, answer["error"]) == (status, reason)
    await recorder.settle()
    assert not recorder.events and journal.count() == 0
    [rejection] = recorder.rejections
    assert (rejection.status, rejection.reason, rejection.remote) == (status, reason, "127.0.0.1")
    assert rejection.body_excerpt == sent.decode()[:2048]
    assert receiver.stats.rejected == {reason: 1}


@pytest.mark.parametrize("offset", [-301, 301])
async def test_stale_or_future_timestamp(start_receiver, http, keys, recorder, offset):
    now = 1_900_000_000.0
    receiver = await start_receiver(clock=lambda: now)
    body = make_event()
    headers = sign(body, keys, timestamp=int(now) + offset)
    status, answer = await _post(http, receiver.url, body, headers)
    assert (status, answer["error"]) == (401, Reason.STALE_TIMESTAMP)
    # The same delivery within the window (by the receiver's clock) is accepted.
    headers = sign(body, keys, timestamp=int(now) - 299)
    assert (await _post(http, receiver.url, body, headers))[0] == 200


async def test_wrong_key_then_key_changed_at_runtime(receiver, http, keys, recorder):
    other = KeyPair.generate()
    body = make_event()
    assert (await _post(http, receiver.url, body, sign(body, other)))[0] == 401
    receiver.set_public_key(other.public_key_b64)
    assert (await _post(http, receiver.url, body, sign(body, other)))[0] == 200
    # A malformed key is refused by the setter and the working key stays.
    with pytest.raises(SignatureError):
        receiver.set_public_key("not-a-key")
    body = make_event()
    assert (await _post(http, receiver.url, body, sign(body, other)))[0] == 200


@pytest.mark.parametrize(
    "key, reason", [(None, Reason.NO_PUBLIC_KEY), ("!!", Reason.MALFORMED_KEY)]
)
async def test_missing_or_malformed_key_answers_503_so_telnyx_retries(
    start_receiver, http, signer, key, reason, journal
):
    receiver = await start_receiver(public_key=key)
    assert receiver.key_problem.startswith(reason)
    body = make_event()
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert (status, answer["error"]) == (503, reason)
    assert journal.count() == 0


async def test_verification_can_be_switched_off_explicitly(start_receiver, http, recorder, caplog):
    with caplog.at_level(logging.WARNING, logger="console.events.receiver"):
        receiver = await start_receiver(public_key=None, verify_signatures=False)
    assert not receiver.verification_enabled and receiver.key_problem is None
    assert "verification is OFF" in caplog.text
    body = make_event()
    assert (await _post(http, receiver.url, body, {}))[0] == 200
    await recorder.settle()
    assert recorder.events[0][1].verified is False


async def test_body_over_limit_is_413(receiver, http, signer, journal):
    body = b'{"data": "' + b"x" * (1024 * 1024) + b'"}'
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert (status, answer["error"]) == (413, Reason.BODY_TOO_LARGE)


async def test_chunked_body_over_limit_is_413_without_content_length(start_receiver, http, signer):
    receiver = await start_receiver(max_body_bytes=10_000)

    async def chunks():
        for _ in range(100):
            yield b"y" * 1000

    async with http.post(receiver.url, data=chunks(), headers=signer(b"")) as response:
        assert response.status == 413
        assert response.headers.get("Transfer-Encoding") is None


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"\xff\xfe not utf-8", Reason.NOT_UTF8),
        (b"not json", Reason.NOT_JSON),
        (b'{"data": {"id": "1"', Reason.NOT_JSON),
        (b"[" * 50_000, Reason.NOT_JSON),
        (b"[1, 2]", Reason.NOT_AN_EVENT),
        (b'{"event_type": "call.answered"}', Reason.NOT_AN_EVENT),
        (b'{"data": {"event_type": "call.answered"}}', Reason.NOT_AN_EVENT),
        (b"", Reason.NOT_JSON),
    ],
)
async def test_not_json_or_not_an_event_is_400_with_reason(receiver, http, signer, body, reason):
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert (status, answer["error"]) == (400, reason)
    assert answer["detail"]


async def test_wrong_path_is_404_and_wrong_method_is_405(receiver, http, recorder):
    base = receiver.url.removesuffix("/webhooks/telnyx")
    async with http.post(base + "/webhooks/other", data=b"{}") as response:
        assert response.status == 404
    async with http.get(receiver.url) as response:
        assert response.status == 405 and "POST" in response.headers["Allow"]
    async with http.put(receiver.url, data=b"{}") as response:
        assert response.status == 405
    async with http.post(receiver.health_url) as response:
        assert response.status == 405
    await recorder.settle()
    assert [r.status for r in recorder.rejections] == [404, 405, 405, 405]
    assert receiver.stats.rejected == {Reason.NOT_FOUND: 1, Reason.METHOD_NOT_ALLOWED: 3}


async def test_health_reports_counts(receiver, http, signer):
    body = make_event()
    await _post(http, receiver.url, body, signer(body))
    await _post(http, receiver.url, body, {})
    async with http.get(receiver.health_url) as response:
        health = await response.json()
    assert response.status == 200
    assert health["status"] == "ok" and health["verification_enabled"] is True
    assert health["accepted"] == 1 and health["rejected_total"] == 1


class _FailingJournal:
    def __init__(self, exc: Exception):
        self.exc = exc
        self.calls = 0

    async def commit(self, envelope, raw, received_at):
        self.calls += 1
        raise self.exc


@pytest.mark.parametrize("exc", [JournalError("disk full"), OSError(28, "No space left")])
async def test_journal_failure_is_5xx_and_not_dispatched(
    start_receiver, http, signer, recorder, exc
):
    failing = _FailingJournal(exc)
    receiver = await start_receiver(journal=failing)
    body = make_event()
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert status >= 500 and answer["error"] == Reason.JOURNAL_FAILED
    await recorder.settle()
    assert failing.calls == 1 and not recorder.events
    assert recorder.rejections[0].status == status


async def test_a_failing_on_event_does_not_break_later_deliveries(start_receiver, http, signer):
    seen = []

    def explode(envelope, received):
        seen.append(envelope.event_id)
        raise RuntimeError("UI bug")

    receiver = await start_receiver(on_event=explode, on_rejected=lambda r: 1 / 0)
    for _ in range(2):
        body = make_event()
        assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    assert (await _post(http, receiver.url, b"x", {}))[0] == 401
    for _ in range(3):
        await asyncio.sleep(0)
    assert len(seen) == 2 and receiver.stats.dispatch_errors == 2


async def test_answer_is_not_delayed_by_on_event(start_receiver, http, signer):
    # on_event runs after the handler returned (call_soon): it sees the journal already
    # written and the stats already counted, and cannot hold the answer back.
    observed = []
    receiver = None

    def on_event(envelope, received):
        observed.append(receiver.stats.accepted)

    receiver = await start_receiver(on_event=on_event)
    body = make_event()
    assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    for _ in range(3):
        await asyncio.sleep(0)
    assert observed == [1]


async def test_parse_warning_event_is_accepted_as_generic(receiver, http, signer, recorder):
    body = json.dumps(
        {"data": {"event_type": "call.enqueued", "id": "w1", "payload": {"current_position": "?"}}}
    ).encode()
    assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    await recorder.settle()
    assert type(recorder.events[0][0].data).__name__ == "GenericEvent"
    assert receiver.stats.parse_warnings == 1


async def test_rejection_logs_say_why_without_body_or_key(receiver, http, signer, keys, caplog):
    body = make_event(payload={"from": "+1SECRETNUMBER"})
    with caplog.at_level(logging.INFO, logger="console.events.receiver"):
        await _post(http, receiver.url, body + b"x", signer(body))
    assert Reason.BAD_SIGNATURE in caplog.text
    assert "SECRETNUMBER" not in caplog.text and keys.public_key_b64 not in caplog.text


async def test_custom_path_and_stop_start(start_receiver, http, signer):
    receiver = await start_receiver(path="/hooks")
    assert receiver.url.endswith("/hooks")
    body = make_event()
    assert (await _post(http, receiver.url, body, signer(body)))[0] == 200
    await receiver.stop()
    assert receiver.url is None and not receiver.running
    await receiver.stop()  # idempotent


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
async def test_only_loopback_hosts_are_allowed(journal, host):
    with pytest.raises(ValueError, match="loopback"):
        WebhookReceiver(journal, on_event=lambda e, r: None, host=host)


async def test_stats_snapshot_is_a_copy(receiver, http):
    snapshot = receiver.stats
    await _post(http, receiver.url, b"x", {})
    assert snapshot.rejected == {} and receiver.stats.rejected_total == 1
    assert time.time() - receiver.stats.started_at < 3600


async def _raw_exchange(port: int, payload: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        await writer.drain()
        async with asyncio.timeout(15):
            return await reader.read()
    finally:
        writer.close()


async def test_stalled_body_gets_408_and_the_connection_closed(start_receiver, recorder, signer):
    receiver = await start_receiver(body_timeout=0.2, lingering_time=0.2)
    # Headers that pass (signed, fresh), then a body that stops: the body deadline answers.
    signed = "".join(f"{k}: {v}\r\n" for k, v in signer(b"x" * 100).items())
    head = (
        f"POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n{signed}\r\n"
    ).encode()
    answer = await _raw_exchange(receiver.port, head + b'{"data":')
    assert answer.startswith(b"HTTP/1.1 408")
    await recorder.settle()
    assert recorder.rejections[0].reason == Reason.BODY_TIMEOUT
    assert recorder.rejections[0].body_excerpt == '{"data":'


async def test_headers_are_judged_before_the_body_is_read(start_receiver, recorder):
    """A delivery without valid signature headers is answered at once, its body never awaited:
    a stalled (or huge) body behind forged headers costs nothing."""
    receiver = await start_receiver(body_timeout=30, lingering_time=0.2)
    head = b"POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"
    async with asyncio.timeout(5):  # far below the 30 s body deadline
        answer = await _raw_exchange(receiver.port, head + b'{"data":')
    assert answer.startswith(b"HTTP/1.1 401") and b"Connection: close" in answer
    await recorder.settle()
    assert recorder.rejections[0].reason == Reason.MISSING_HEADER
    assert recorder.rejections[0].body_excerpt == '{"data":'


async def test_an_integer_too_long_to_convert_is_a_400(start_receiver, http, signer, recorder):
    body = make_event().replace(b'"attempt":1', b'"attempt":' + b"9" * 5000)
    receiver = await start_receiver()
    status, answer = await _post(http, receiver.url, body, signer(body))
    assert (status, answer["error"]) == (400, Reason.NOT_JSON)
    assert "digits" in answer["detail"]


async def test_malformed_http_is_counted_without_quoting_it(start_receiver, recorder, caplog):
    receiver = await start_receiver()
    head = b"POST /webhooks/telnyx HTTP/1.1\r\nHost: x\r\nX-Big: SECRETHEADER" + b"z" * 9000
    with caplog.at_level(logging.DEBUG, logger="console.events.receiver"):
        answer = await _raw_exchange(receiver.port, head + b"\r\n\r\n")
        await recorder.settle()
    assert answer.split(b" ")[1] == b"400"
    assert receiver.stats.rejected == {Reason.MALFORMED_HTTP: 1}
    assert recorder.rejections[0].reason == Reason.MALFORMED_HTTP
    assert "SECRETHEADER" not in caplog.text and "Traceback" not in caplog.text
