"""The relay: ``telnyx-console relay --config FILE`` (headless, Qt-free, run by systemd).

It is the console's ingest component run stand-alone plus a publisher:

1. the same receiver and group-committed journal as the console (``IngestService``): every
   webhook is verified and fsync'd before Telnyx gets its 2xx - with the broker down too;
2. a :class:`~console.relay.publisher.JournalPublisher` puts each committed event into the
   JetStream stream, resuming exactly where the stream ends;
3. with a ``[telnyx]`` section, it owns the application's webhook URL and failover URL
   (set at start, retried until Telnyx accepts; never restored on exit - consoles in team mode
   depend on it, and while a relay is down Telnyx retries and then uses the failover URL).
   Only the *leader* sets them: a lock per application in the ``telnyx_relays`` KV bucket
   (a claim, renewed; it expires if its relay dies), so two relays started by mistake with
   different URLs do not take the application from each other in turn. The other relay goes
   on receiving and publishing whatever reaches it: the event ids make doubles harmless.

Journal compaction follows the publisher: only what is in the stream may be compacted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nats.js.errors import BucketNotFoundError, NotFoundError
from nats.js.kv import KeyValue

from console.events.journal import Journal
from console.ingest.config import IngestConfig, IngestReady
from console.ingest.service import IngestService
from console.logging_setup import register_secret, setup_logging
from console.operations.webhook_target import WebhookPointError, WebhookTarget
from console.paths import private_dir
from console.relay.claims import ClaimBook, ClaimTaken
from console.relay.config import RelayConfig, RelaySecrets, load_config
from console.relay.connection import BrokerConnection
from console.relay.errors import RelayConfigError
from console.relay.keys import encode_key
from console.relay.publisher import JournalPublisher
from console.relay.tasks import raise_if_cancelled, stop_task

log = logging.getLogger("console.relay")

POINT_FIRST_RETRY_SECS = 2.0
POINT_MAX_RETRY_SECS = 300.0
LEADER_BUCKET = "telnyx_relays"
LEADER_TTL_SECS = 30.0
URLS_BUCKET = "telnyx_relay_urls"


@dataclass(frozen=True)
class RelayReady:
    url: str  # the local URL of the receiver
    metrics_url: str | None
    journal_seq: int


class Relay:
    """Start, run and stop one relay; ``client_factory(api_key, base_url)`` makes the Telnyx
    client (tests pass one for the simulator)."""

    def __init__(
        self,
        config: RelayConfig,
        secrets: RelaySecrets,
        *,
        client_factory: Callable[[str, str], Any] | None = None,
        leader_ttl_secs: float = LEADER_TTL_SECS,
    ):
        self.config = config
        self._secrets = secrets
        self._client_factory = client_factory or _telnyx_client
        self.ingest: IngestService | None = None
        self.broker = BrokerConnection(config.broker_options(secrets))
        self.publisher: JournalPublisher | None = None
        self.webhook = WebhookTarget(config.webhook_memory_path)
        self.webhook_problem: str | None = None
        self._reader: Journal | None = None
        self._point_task: asyncio.Task[None] | None = None
        self._client: Any = None
        # The relay's name is its identity in the lock: a restarted relay is still the leader.
        self.leadership = ClaimBook(
            self.broker,
            config.relay.name,
            console_id=config.relay.name,
            bucket=LEADER_BUCKET,
            ttl_secs=leader_ttl_secs,
        )
        self.leader: str | None = None  # the relay that owns the application's URLs

    async def start(self) -> RelayReady:
        relay = self.config.relay
        private_dir(relay.data_dir)
        if relay.verify_signatures and not relay.public_key:
            raise RelayConfigError(
                "The relay verifies Telnyx signatures but has no public key: set relay.public_key "
                "(Telnyx portal → Keys & Credentials → Public Key), or verify_signatures = false "
                "only behind something else that verifies them."
            )
        self.ingest = IngestService(
            IngestConfig(
                journal_path=str(self.config.journal_path),
                port=relay.listen_port,
                path=relay.path,
                host=relay.listen_host,
                public_key=relay.public_key,
                verify_signatures=relay.verify_signatures,
                metrics_port=relay.metrics_port,
                retention_days=relay.retention_days,
            ),
            on_committed=self._committed,
        )
        ready: IngestReady = await self.ingest.start()
        try:
            self._reader = Journal(self.config.journal_path, readonly=True)
            self.publisher = JournalPublisher(
                self.broker,
                self._reader,
                self.config.stream,
                relay.name,
                on_published=self.ingest.compact_below,
            )
            self.broker.start()  # keeps trying: the relay journals and answers meanwhile
            self.publisher.start()
            if self.config.telnyx is not None:
                self._point_task = asyncio.create_task(self._lead_and_point(), name="relay-lead")
        except BaseException:
            await self.stop()
            raise
        log.info("relay %s receiving on %s", relay.name, ready.url)
        return RelayReady(ready.url, ready.metrics_url, ready.last_seq)

    async def stop(self) -> None:
        await stop_task(self._point_task)
        self._point_task = None
        with contextlib.suppress(Exception):
            await self.leadership.close(release=True)  # another relay may lead at once
        if self.ingest is not None:
            await self.ingest.stop()  # answer no more, write what is queued
        if self.publisher is not None:
            with contextlib.suppress(TimeoutError):
                if self.broker.connected:
                    await self.publisher.caught_up(within=5.0)
            await self.publisher.stop()
        await self.broker.close()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()
            self._client = None

    def _committed(self, seq: int) -> None:
        if self.publisher is not None:
            self.publisher.wake(seq)

    @property
    def _lock_name(self) -> str:
        assert self.config.telnyx is not None
        return f"application:{self.config.telnyx.application_id}"

    async def _lead_and_point(self) -> None:
        """Become the application's leader (waiting while another relay is), then point."""
        opened = False
        while True:
            await self.broker.wait_connected()
            try:
                if not opened:
                    await self.leadership.open()
                    opened = True
                await self.leadership.claim(self._lock_name, "owning the webhook URL")
            except ClaimTaken as taken:
                if self.leader != taken.holder.operator:
                    log.warning(
                        "relay %s owns the webhook URL of application %s: this relay does not "
                        "change it, and takes over only if that relay stops",
                        taken.holder.operator, self.config.telnyx.application_id,  # type: ignore[union-attr]
                    )  # fmt: skip
                self.leader = taken.holder.operator
                raise_if_cancelled()
                await asyncio.sleep(self.leadership.ttl_secs / 3)
                continue
            except Exception as exc:
                log.info("leadership not decided yet: %s", getattr(exc, "user_message", exc))
                raise_if_cancelled()
                await asyncio.sleep(1.0)
                continue
            self.leader = self.config.relay.name
            await self._keep_pointing()
            raise_if_cancelled()
            while True:  # the claim book renews the lock; a lost renewal drops it from held
                await asyncio.sleep(self.leadership.ttl_secs / 3)
                if self._lock_name not in self.leadership.held:
                    break
            log.warning("this relay lost the lead for application %s", self._lock_name)
            self.leader = None

    async def _keep_pointing(self) -> None:
        telnyx = self.config.telnyx
        assert telnyx is not None
        if not self._secrets.api_key:
            self.webhook_problem = (
                "No Telnyx API key (TELNYX_API_KEY or the telnyx-api-key credential): set the "
                f"application's webhook URL to {telnyx.webhook_url} by hand."
            )
            log.error("%s", self.webhook_problem)
            return
        if self._client is None:
            self._client = self._client_factory(self._secrets.api_key, telnyx.api_base_url)
        delay = POINT_FIRST_RETRY_SECS
        while True:
            shared = await self._shared_urls()
            shared_url = shared.get("url")
            try:
                previous = await self.webhook.point(
                    self._client,
                    telnyx.application_id,
                    telnyx.webhook_url,
                    failover_url=telnyx.failover_url,
                    take_over=True,  # the relay owns the URL; a console there is told by log
                    not_original=[shared_url] if shared_url else [],
                    original=shared.get("original"),
                )
            except WebhookPointError as exc:
                self.webhook_problem = exc.user_message
                log.error("%s (retrying in %.0f s)", exc.user_message, delay)
                raise_if_cancelled()
                await asyncio.sleep(delay)
                delay = min(delay * 2, POINT_MAX_RETRY_SECS)
                continue
            self.webhook_problem = None
            raise_if_cancelled()
            await self._share_urls(telnyx.webhook_url, previous or shared.get("original"))
            return

    # The URL the leading relay set and the application's own URL from before any relay, kept
    # in the broker (a bucket without TTL): a relay that takes the lead over from a dead one
    # must not take the dead relay's URL for the application's own.

    def _urls_key(self) -> str:
        return encode_key(self._lock_name)

    async def _urls_bucket(self) -> KeyValue:
        js = self.broker.js
        try:
            return await js.key_value(URLS_BUCKET)
        except (BucketNotFoundError, NotFoundError):
            return await js.create_key_value(bucket=URLS_BUCKET, history=1)

    async def _shared_urls(self) -> dict[str, str | None]:
        try:
            entry = await (await self._urls_bucket()).get(self._urls_key())
            data = json.loads(entry.value or b"{}")
        except Exception:  # none yet, or the broker is away: the local memory decides
            return {}
        return {k: data.get(k) for k in ("url", "original", "relay")}

    async def _share_urls(self, url: str, original: str | None) -> None:
        body = {"url": url, "original": original, "relay": self.config.relay.name}
        try:
            await (await self._urls_bucket()).put(self._urls_key(), json.dumps(body).encode())
        except Exception as exc:
            log.warning("could not share the webhook URLs through the broker: %s", exc)


def _telnyx_client(api_key: str, base_url: str) -> Any:
    from console.telnyx.client import TelnyxClient

    return TelnyxClient(api_key, base_url=base_url)


async def run_relay(config: RelayConfig, secrets: RelaySecrets) -> int:
    relay = Relay(config, secrets)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await relay.start()
    try:
        await stop.wait()
    finally:
        log.info("relay stopping")
        await relay.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telnyx-console relay",
        description="Receive a Call Control application's webhooks, journal them and publish "
        "them to NATS JetStream for the consoles of a team.",
    )
    parser.add_argument("--config", required=True, metavar="FILE", help="the relay's TOML file")
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except RelayConfigError as exc:
        print(f"telnyx-console relay: {exc.user_message}", flush=True)
        return 2
    secrets = RelaySecrets.load()
    for value in (secrets.api_key, secrets.nats_password, secrets.nats_token):
        register_secret(value)
    private_dir(config.relay.data_dir)
    setup_logging(args.log_level.upper(), log_file=config.relay.data_dir / "relay.log")
    try:
        return asyncio.run(run_relay(config, secrets))
    except RelayConfigError as exc:
        log.error("%s", exc.user_message)
        return 2
    except OSError as exc:
        log.error("the relay could not start: %s", exc)
        return 1
