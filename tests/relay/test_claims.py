"""Claims against a real nats-server: one winner per call, renewed, released, expired, seen live."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from console.relay.claims import ClaimAction, ClaimBook, ClaimTaken
from console.relay.connection import BrokerConnection, BrokerOptions
from console.relay.keys import decode_key, encode_key, is_valid_key
from tests.relay.helpers import wait_until

pytestmark = pytest.mark.anyio

_buckets = itertools.count(1)
CCID = "v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO"


@pytest.fixture
def bucket() -> str:
    return f"claims_test_{next(_buckets)}"


async def book(url: str, operator: str, bucket: str, **kw) -> ClaimBook:
    broker = BrokerConnection(BrokerOptions(servers=(url,), reconnect_wait=0.1))
    await broker.connect()
    claims = ClaimBook(broker, operator, bucket=bucket, **kw)
    await claims.open()
    return claims


async def close(*books: ClaimBook) -> None:
    for claims in books:
        await claims.close()
        await claims._broker.close()


def test_keys_are_valid_and_reversible_for_call_control_ids():
    key = encode_key(CCID)
    assert ":" not in key and is_valid_key(key)
    assert decode_key(key) == CCID
    assert decode_key(encode_key("Zoë O'Neill")) == "Zoë O'Neill"
    with pytest.raises(ValueError):
        decode_key("not:a:key")


async def test_a_claim_race_on_one_ringing_call_has_exactly_one_winner(nats_server, bucket):
    books = [await book(nats_server.url, name, bucket) for name in ("Alex", "Sam", "Kim", "Lee")]
    outcomes = await asyncio.gather(
        *(b.claim(CCID, ClaimAction.ANSWERING) for b in books), return_exceptions=True
    )
    winners = [o for o in outcomes if not isinstance(o, BaseException)]
    losers = [o for o in outcomes if isinstance(o, ClaimTaken)]
    assert len(winners) == 1 and len(losers) == 3
    winner = winners[0]
    assert {loser.user_message for loser in losers} == {f"Taken by {winner.operator}"}
    # Every console sees the claim live, in words.
    for b in books:
        await wait_until(lambda b=b: b.holder(CCID) is not None, what="the claim to show")
        assert b.holder(CCID).words == f"{winner.operator} is answering"
    await close(*books)


async def test_claiming_again_is_harmless_and_release_lets_another_take_it(nats_server, bucket):
    alex = await book(nats_server.url, "Alex", bucket)
    sam = await book(nats_server.url, "Sam", bucket)
    first = await alex.claim(CCID)
    again = await alex.claim(CCID)  # a double click: still Alex's
    assert again.revision > first.revision
    with pytest.raises(ClaimTaken, match="Taken by Alex"):
        await sam.claim(CCID)

    await alex.release(CCID)  # the call hung up
    await wait_until(lambda: sam.holder(CCID) is None, what="the release to show")
    assert (await sam.claim(CCID, ClaimAction.PICKING_UP)).operator == "Sam"
    await close(alex, sam)


async def test_a_failed_pick_up_releases_its_claim(nats_server, bucket):
    alex = await book(nats_server.url, "Alex", bucket)
    sam = await book(nats_server.url, "Sam", bucket)
    with pytest.raises(RuntimeError):
        async with alex.holding(CCID, ClaimAction.PICKING_UP):
            raise RuntimeError("the caller hung up")
    assert (await sam.claim(CCID)).operator == "Sam"
    await close(alex, sam)


async def test_claims_are_renewed_while_held_and_expire_when_the_holder_crashes(
    nats_server, bucket
):
    ttl = 1.0
    seen_by_sam = []
    alex = await book(nats_server.url, "Alex", bucket, ttl_secs=ttl)
    sam = await book(
        nats_server.url,
        "Sam",
        bucket,
        ttl_secs=ttl,
        on_change=lambda _c, claim: seen_by_sam.append(claim),
    )
    await alex.claim(CCID)
    # The claim and four renewals, a third of the TTL apart: it outlived its TTL by renewal.
    await wait_until(lambda: len(seen_by_sam) >= 5, what="renewals")
    with pytest.raises(ClaimTaken):
        await sam.claim(CCID)

    # Alex's console crashes: no renewals, no release.
    alex._renewer.cancel()
    await alex._broker.nc.close()
    await wait_until(lambda: sam.holder(CCID) is None, within=10, what="the claim to expire")
    assert (await sam.claim(CCID)).operator == "Sam"
    await close(sam)
