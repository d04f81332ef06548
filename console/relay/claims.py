"""Claims: which operator acts on a call, decided by a compare-and-set in a JetStream KV bucket.

Before answering, picking a call from a queue or taking a transfer, a console claims the call:
``kv.create(key)`` succeeds for exactly one console; every other one gets
:class:`ClaimTaken` ("Taken by Alex") and does nothing to the call. Keys are the call control
ids base64url-encoded (they contain ``:``). The bucket has a TTL: a console renews the claims
it holds (all of them, every third of the TTL) until it releases them on hangup; if it crashes,
its claims expire and the call can be taken by someone else.

Every console follows the bucket (:attr:`ClaimBook.claims`, ``on_change``), so the UI can say
"Alex is answering" on the call's row as it happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from nats.js.errors import KeyWrongLastSequenceError, NotFoundError
from nats.js.kv import KeyValue

from console.relay.connection import BrokerConnection
from console.relay.errors import BrokerUnavailable, TeamError
from console.relay.keys import encode_key
from console.relay.kvwatch import KvEntry, WatchedBucket
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger(__name__)

CLAIMS_BUCKET = "telnyx_claims"
DEFAULT_TTL_SECS = 15.0


class ClaimAction:
    """What the holder is doing, in words that follow "Alex is …"."""

    ANSWERING = "answering"
    PICKING_UP = "picking up"
    TAKING_TRANSFER = "taking the transfer"


@dataclass(frozen=True)
class Claim:
    call_control_id: str
    operator: str
    console_id: str
    action: str
    at: float  # Unix time of the claim or its last renewal (the holder's clock)
    revision: int = 0

    @property
    def words(self) -> str:
        return f"{self.operator} is {self.action}"

    def to_bytes(self) -> bytes:
        body = {"operator": self.operator, "console": self.console_id, "action": self.action,
                "at": self.at}  # fmt: skip
        return json.dumps(body, separators=(",", ":")).encode()

    @classmethod
    def from_entry(cls, call_control_id: str, value: bytes, revision: int) -> Claim:
        data = json.loads(value)
        return cls(
            call_control_id,
            str(data["operator"]),
            str(data["console"]),
            str(data.get("action", ClaimAction.ANSWERING)),
            float(data.get("at", 0.0)),
            revision,
        )


class ClaimTaken(TeamError):
    """Another operator holds the call: ``holder`` says who, and doing what."""

    def __init__(self, holder: Claim):
        super().__init__(f"Taken by {holder.operator}")
        self.holder = holder


#: ``listener(call_control_id, claim or None)`` - a claim appeared, changed or went.
ClaimListener = Callable[[str, Claim | None], None]


class ClaimBook:
    """This console's claims, and everyone's as seen live."""

    def __init__(
        self,
        broker: BrokerConnection,
        operator: str,
        *,
        console_id: str | None = None,
        bucket: str = CLAIMS_BUCKET,
        ttl_secs: float = DEFAULT_TTL_SECS,
        on_change: ClaimListener = lambda _ccid, _claim: None,
        clock: Callable[[], float] = time.time,
    ):
        if not operator.strip():
            raise ValueError("an operator name is needed to claim calls")
        self._broker = broker
        self.operator = operator.strip()
        self.console_id = console_id or uuid.uuid4().hex
        self.ttl_secs = ttl_secs
        self._on_change = on_change
        self._clock = clock
        self._bucket = WatchedBucket(broker, bucket, ttl_secs=ttl_secs, on_change=self._changed)
        self.claims: dict[str, Claim] = {}  # everyone's, live
        self.held: dict[str, Claim] = {}  # ours, renewed until released
        self._renewer: asyncio.Task[None] | None = None

    async def open(self) -> None:
        await self._bucket.open()
        await self._bucket.ready()
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._renew_forever(), name="claims-renew")

    async def close(self, *, release: bool = True) -> None:
        """Stop renewing; with ``release`` give back what this console holds (clean exit)."""
        await stop_task(self._renewer)
        self._renewer = None
        if release:
            for ccid in list(self.held):
                with contextlib.suppress(TeamError):
                    await self.release(ccid)
        await self._bucket.close()

    # --- claiming -------------------------------------------------------------------------

    async def claim(self, call_control_id: str, action: str = ClaimAction.ANSWERING) -> Claim:
        """Claim the call for this console; :class:`ClaimTaken` if another console has it."""
        kv = self._kv()
        key = encode_key(call_control_id)
        mine = Claim(call_control_id, self.operator, self.console_id, action, self._clock())
        for _attempt in range(3):
            try:
                revision = await self._create_or_renew(kv, key, mine)
            except NotFoundError:
                continue  # released or expired between our two looks: try again
            except TeamError:
                raise
            except Exception as exc:
                raise _unavailable(exc) from exc
            claim = Claim(**{**mine.__dict__, "revision": revision})
            self.held[call_control_id] = claim
            return claim
        raise ClaimTaken(self.claims.get(call_control_id) or mine)

    async def _create_or_renew(self, kv: KeyValue, key: str, mine: Claim) -> int:
        try:
            return await kv.create(key, mine.to_bytes())
        except KeyWrongLastSequenceError:
            entry = await kv.get(key)  # NotFoundError if it went meanwhile
        holder = Claim.from_entry(mine.call_control_id, entry.value or b"{}", entry.revision or 0)
        if holder.console_id != self.console_id:
            raise ClaimTaken(holder)
        return await kv.update(key, mine.to_bytes(), last=holder.revision)  # ours already

    @contextlib.asynccontextmanager
    async def holding(
        self, call_control_id: str, action: str = ClaimAction.ANSWERING
    ) -> AsyncIterator[Claim]:
        """Claim for the length of a pick-up: released if the block fails, kept (and renewed
        until :meth:`release`) if it succeeds."""
        claim = await self.claim(call_control_id, action)
        try:
            yield claim
        except BaseException:
            with contextlib.suppress(TeamError):
                await self.release(call_control_id)
            raise

    async def release(self, call_control_id: str) -> None:
        """Give the call back (hangup, or the pick-up failed). Only our own claim is removed."""
        claim = self.held.pop(call_control_id, None)
        if claim is None:
            return
        try:
            await self._kv().delete(encode_key(call_control_id), last=claim.revision)
        except KeyWrongLastSequenceError:
            pass  # it expired and someone else has it now: theirs to keep
        except Exception as exc:
            raise _unavailable(exc) from exc

    def holder(self, call_control_id: str) -> Claim | None:
        return self.claims.get(call_control_id)

    # --- keeping claims alive ---------------------------------------------------------------

    async def renew(self, call_control_id: str) -> Claim:
        claim = self.held[call_control_id]
        renewed = Claim(**{**claim.__dict__, "at": self._clock()})
        try:
            revision = await self._kv().update(
                encode_key(call_control_id), renewed.to_bytes(), last=claim.revision
            )
        except KeyWrongLastSequenceError:
            # Expired while we could not renew it (broker down), and someone else took it.
            self.held.pop(call_control_id, None)
            holder = self.claims.get(call_control_id)
            raise ClaimTaken(holder or claim) from None
        except Exception as exc:
            raise _unavailable(exc) from exc
        claim = Claim(**{**renewed.__dict__, "revision": revision})
        self.held[call_control_id] = claim
        return claim

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.ttl_secs / 3)
            for ccid in list(self.held):
                try:
                    await self.renew(ccid)
                except ClaimTaken as exc:
                    log.warning("claim on %s lost: %s", ccid, exc.user_message)
                except TeamError as exc:
                    log.info("claim on %s not renewed now: %s", ccid, exc.user_message)
                raise_if_cancelled()
            self._bucket.sweep()

    # --- following everyone's claims --------------------------------------------------------

    def _changed(self, call_control_id: str, entry: KvEntry | None) -> None:
        if entry is None:
            self.claims.pop(call_control_id, None)
            self._on_change(call_control_id, None)
            return
        try:
            claim = Claim.from_entry(call_control_id, entry.value, entry.revision)
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable claim for %s ignored", call_control_id)
            return
        self.claims[call_control_id] = claim
        self._on_change(call_control_id, claim)

    def _kv(self) -> KeyValue:
        if self._bucket.kv is None or not self._broker.connected:
            raise BrokerUnavailable(
                "The team broker is not connected, so the call cannot be claimed: try again "
                "when it is back."
            )
        return self._bucket.kv


def _unavailable(exc: BaseException) -> TeamError:
    if isinstance(exc, TeamError):
        return exc
    return BrokerUnavailable(
        f"The team broker did not answer the claim ({exc or type(exc).__name__}): try again."
    )
