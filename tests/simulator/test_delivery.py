"""Webhook delivery: retries, failover, application PATCH, faults, and command_id dedupe."""

from __future__ import annotations

import pytest

from console.simulator import Faults, TelnyxSimulator, phones

from .conftest import SPEED, assert_webhooks_match_spec, start_receiver

pytestmark = pytest.mark.anyio


async def test_retry_after_500_sends_attempt_2(sim, receiver, api):
    receiver.statuses = [500]
    ccid = await sim.place_inbound_call(from_="+13125550160", ring_secs=600)
    second = await receiver.wait_for(
        lambda: [r for r in receiver.events("call.initiated", ccid) if r.attempt == 2]
    )
    first = receiver.events("call.initiated", ccid)[0]
    assert first.attempt == 1 and first.data["id"] == second[0].data["id"]
    await sim.wait_idle()
    record = next(r for r in sim.deliveries if r.event_id == first.data["id"])
    assert [a.status for a in record.attempts] == [500, 200] and record.delivered


async def test_failover_url_after_retries_are_exhausted(receiver):
    failover, runner = await start_receiver("/failover")
    receiver.statuses = [503] * 10
    sim = TelnyxSimulator(
        webhook_url=receiver.url, webhook_failover_url=failover.url, speed=SPEED, seed=1
    )
    receiver.public_key = failover.public_key = sim.public_key_b64
    await sim.start()
    try:
        ccid = await sim.place_inbound_call(from_="+13125550161", ring_secs=600)
        got = await failover.wait_event("call.initiated", ccid)
        assert got.attempt == 4  # three tries at the primary URL, then the failover
        assert got.body["meta"]["delivered_to"] == failover.url
        assert [r.attempt for r in receiver.events("call.initiated", ccid)] == [1, 2, 3]
    finally:
        await sim.stop()
        await runner.cleanup()
    assert_webhooks_match_spec(failover)


async def test_application_patch_moves_future_deliveries(sim, receiver, api):
    other, runner = await start_receiver("/moved")
    other.public_key = sim.public_key_b64
    try:
        app = (await api.get(f"/call_control_applications/{sim.connection_id}")).json()["data"]
        assert app["webhook_api_version"] == "2" and app["webhook_event_url"] == receiver.url
        response = await api.patch(
            f"/call_control_applications/{sim.connection_id}",
            {"application_name": app["application_name"], "webhook_event_url": other.url},
        )
        assert response.status_code == 200
        ccid = await sim.place_inbound_call(from_="+13125550162", ring_secs=600)
        await other.wait_event("call.initiated", ccid)
        assert not receiver.events(ccid=ccid)
    finally:
        await runner.cleanup()
    assert_webhooks_match_spec(other)


async def test_application_crud(api):
    body = {"application_name": "ops", "webhook_event_url": "https://example.com/hooks"}
    created = await api.post("/call_control_applications", body)
    assert created.status_code == 201
    app = created.json()["data"]
    assert app["webhook_api_version"] == "1"  # the spec's default: the console must set "2"
    listed = await api.get("/call_control_applications", params={"page[size]": 1})
    assert listed.json()["meta"]["total_results"] == 2
    bad = await api.post("/call_control_applications", {**body, "webhook_api_version": "3"})
    assert bad.json()["errors"][0]["code"] == "10032"
    deleted = await api.delete(f"/call_control_applications/{app['id']}")
    assert deleted.status_code == 200
    gone = await api.get(f"/call_control_applications/{app['id']}")
    assert gone.status_code == 404


async def test_command_id_is_executed_once(sim, receiver, api):
    ccid = await sim.place_inbound_call(from_="+13125550163", ring_secs=600)
    for _ in range(2):
        response = await api.post(f"/calls/{ccid}/actions/answer", {"command_id": "a-1"})
        assert response.status_code == 200
    for _ in range(2):
        response = await api.post(f"/calls/{ccid}/actions/hangup", {"command_id": "h-1"})
        assert response.status_code == 200  # the repeat is accepted, not run on the ended call
    await sim.wait_idle()
    assert receiver.types_for(ccid) == ["call.initiated", "call.answered", "call.hangup"]
    other = await api.post(f"/calls/{ccid}/actions/hangup", {"command_id": "h-2"})
    assert other.json()["errors"][0]["code"] == "90018"


async def test_dial_command_id_returns_the_same_call(sim, receiver, api):
    body = {
        "connection_id": sim.connection_id,
        "to": phones.ANSWERS,
        "from": sim.from_numbers[0],
        "command_id": "dial-1",
    }
    first = (await api.post("/calls", body)).json()["data"]
    second = (await api.post("/calls", body)).json()["data"]
    assert first["call_control_id"] == second["call_control_id"]
    await sim.wait_idle()
    assert len(receiver.events("call.initiated")) == 1


@pytest.mark.parametrize("faults", [Faults(duplicate_rate=1.0)])
async def test_duplicate_deliveries_share_the_event_id(sim, receiver):
    ccid = await sim.place_inbound_call(from_="+13125550164", ring_secs=600)
    copies = await receiver.wait_for(lambda: len(receiver.events("call.initiated", ccid)) == 2)
    assert copies
    first, second = receiver.events("call.initiated", ccid)
    assert first.data == second.data


@pytest.mark.parametrize("faults", [Faults(drop_first_attempt_rate=1.0)])
async def test_lost_first_answer_is_retried(sim, receiver):
    ccid = await sim.place_inbound_call(from_="+13125550165", ring_secs=600)
    await receiver.wait_for(lambda: len(receiver.events("call.initiated", ccid)) == 2)
    assert [r.attempt for r in receiver.events("call.initiated", ccid)] == [1, 2]


# 100 simulated seconds are 1 s of real time at the tests' speed: long enough that a busy CI
# machine still places the call inside the outage (5 s, i.e. 50 ms, was not).
@pytest.mark.parametrize("faults", [Faults(outage_after=0.0, outage_duration=100.0)])
async def test_outage_holds_deliveries_then_retries(sim, receiver):
    ccid = await sim.place_inbound_call(from_="+13125550166", ring_secs=600)
    got = await receiver.wait_event("call.initiated", ccid)
    assert got.attempt == 2  # the first attempt fell in the outage
    await sim.wait_idle()
    record = next(r for r in sim.deliveries if r.event_id == got.data["id"])
    assert record.attempts[0].error == "receiver outage"


@pytest.mark.parametrize("faults", [Faults(reorder_rate=0.5, delay=0.1, jitter=0.5)])
async def test_reordering_and_jitter_still_deliver_everything(sim, receiver, api):
    body = {
        "connection_id": sim.connection_id,
        "to": phones.ANSWERS_THEN_HANGS_UP,
        "from": "+13125550199",
    }
    ccid = (await api.post("/calls", body)).json()["data"]["call_control_id"]
    await sim.wait_idle()
    assert sorted(receiver.types_for(ccid)) == ["call.answered", "call.hangup", "call.initiated"]


async def test_signatures_verify_with_the_simulators_public_key(sim, receiver):
    from console.events.signature import verify

    ccid = await sim.place_inbound_call(from_="+13125550167", ring_secs=600)
    got = await receiver.wait_event("call.initiated", ccid)
    assert got.headers["User-Agent"] == "telnyx-webhooks"
    assert "telnyx-signature-ed25519" in {k.lower() for k in got.headers}
    assert verify  # the receiver fixture verified every delivery with console.events.signature
