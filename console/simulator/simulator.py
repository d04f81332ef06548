"""TelnyxSimulator: the in-process stand-in for Telnyx cloud (REST + call world + webhooks)."""

from __future__ import annotations

import random
import secrets
from typing import Any

from aiohttp import web

from console.events.signature import KeyPair

from . import errors
from .app import build_app
from .call_routes import call_command
from .clock import SimClock
from .delivery import Deliverer, DeliveryPolicy, DeliveryRecord
from .demo import FIRST_CALL_AFTER, DemoTraffic
from .faults import Faults
from .recording_routes import HOLD_MUSIC_PATH, MEDIA_PREFIX
from .tasks import Tracker
from .world import INBOUND_RING_SECS, World

DEFAULT_FROM_NUMBERS = ("+13125550199", "+13125550198", "+442079460958")


class TelnyxSimulator:
    """Start with ``await sim.start()``; point a REST client at ``sim.base_url``.

    ``webhook_url`` becomes the default Call Control application's webhook_event_url
    (``sim.connection_id``, webhook_api_version "2"). All simulated delays are divided by
    ``speed``. ``faults`` switches on delivery and REST faults; ``seed`` makes them repeatable.
    """

    def __init__(
        self,
        webhook_url: str | None = None,
        speed: float = 1.0,
        faults: Faults | None = None,
        seed: int | None = None,
        *,
        webhook_failover_url: str | None = None,
        api_key: str | None = None,
        keypair: KeyPair | None = None,
        delivery_policy: DeliveryPolicy | None = None,
        from_numbers: tuple[str, ...] = DEFAULT_FROM_NUMBERS,
    ):
        self.faults = faults or Faults()
        self.seed = seed
        self.clock = SimClock(speed)
        self.keypair = keypair or KeyPair.generate()
        self.api_key = api_key or "KEYSIM" + secrets.token_hex(16)
        self.from_numbers = list(from_numbers)
        self.tracker = Tracker()
        # Separate RNG streams so REST traffic cannot shift which webhooks get faults.
        base = seed if seed is not None else secrets.randbits(32)
        self._delivery_rng = random.Random(base)
        self._world_rng = random.Random(base + 1)
        self._api_rng = random.Random(base + 2)
        self._demo_rng = random.Random(base + 3)
        self.deliverer = Deliverer(
            clock=self.clock,
            keypair=self.keypair,
            faults=self.faults,
            rng=self._delivery_rng,
            tracker=self.tracker,
            policy=delivery_policy,
        )
        self.world: World = World(
            clock=self.clock, deliverer=self.deliverer, tracker=self.tracker, rng=self._world_rng
        )
        default = self.world.applications.create_app(
            {
                "application_name": "Telnyx simulator",
                "webhook_event_url": webhook_url or "",
                "webhook_event_failover_url": webhook_failover_url or "",
                "webhook_api_version": "2",
            }
        )
        self.connection_id = default.id
        self._runner: web.AppRunner | None = None
        self._demo: DemoTraffic | None = None
        self._rate_window = (0, 0)  # (second, requests counted in it)
        self.root_url = ""

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._runner = web.AppRunner(build_app(self), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        self.root_url = f"http://{bound_host}:{bound_port}"
        self.world.media_base = self.media_base

    async def stop(self) -> None:
        self.stop_demo_traffic()
        await self.tracker.cancel_all()
        await self.deliverer.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelnyxSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return self.root_url + "/v2"

    @property
    def media_base(self) -> str:
        return self.root_url + MEDIA_PREFIX

    @property
    def hold_music_url(self) -> str:
        """A real WAV the console can name as hold music in demo mode."""
        return self.root_url + HOLD_MUSIC_PATH

    @property
    def public_key_b64(self) -> str:
        return self.keypair.public_key_b64

    @property
    def speed(self) -> float:
        return self.clock.speed

    # --- driving the world ---------------------------------------------------------------------

    async def place_inbound_call(
        self,
        from_: str,
        to: str | None = None,
        caller_name: str = "",
        *,
        hangup_after: float | None = None,
        ring_secs: float = INBOUND_RING_SECS,
        connection_id: str | None = None,
        gather_digits: str = "1",
        tracked: bool = True,
    ) -> str:
        """A call arrives from ``from_``; returns its call_control_id.

        ``hangup_after``: the caller hangs up this long after being answered.
        ``ring_secs``: an unanswered call rings out (caller gives up) after this long.
        """
        call = self.world.legs.place_inbound(
            from_=from_,
            to=to or self.from_numbers[0],
            connection_id=connection_id or self.connection_id,
            caller_name=caller_name,
            hangup_after=hangup_after,
            ring_secs=ring_secs,
            tracked=tracked,
            gather_digits=gather_digits,
        )
        return call.call_control_id

    def remote_hangup(self, call_control_id: str) -> None:
        """The far end of a leg hangs up."""
        call = self.world.calls.get(call_control_id)
        if call is None:
            raise errors.invalid_call_control_id()
        self.world.legs.remote_hangup(call)

    def call_command(self, call_control_id: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """Run a Call Control command as the application would (validated like the REST API).

        For scenario drivers that stand for the customer's own application, e.g. the demo's
        auto-attendant; raises :class:`~console.simulator.errors.TelnyxError` as the API answers.
        """
        return call_command(self, call_control_id, name, body)

    def start_demo_traffic(
        self, rate: float = 2.0, *, first_call_after: float | None = FIRST_CALL_AFTER
    ) -> None:
        """Inbound calls at about ``rate`` per simulated minute (demo mode).

        The first caller rings ``first_call_after`` simulated seconds from now (None: at
        random like the rest); about a third dial the support line and wait in its queue.
        """
        self.stop_demo_traffic()
        self._demo = DemoTraffic(self, rate, self._demo_rng, first_call_after=first_call_after)
        self._demo.start()

    def stop_demo_traffic(self) -> None:
        if self._demo is not None:
            self._demo.stop()
            self._demo = None

    def start_outage(self, duration: float) -> None:
        """The webhook receiver is unreachable for ``duration`` simulated seconds from now."""
        self.deliverer.start_outage(duration)

    # --- REST faults ----------------------------------------------------------------------------

    def rest_faults(self, request: web.Request) -> None:
        faults = self.faults
        if faults.rate_limit_per_second:
            second = int(self.clock.seconds() / self.clock.speed)  # real seconds
            window, count = self._rate_window
            count = count + 1 if window == second else 1
            self._rate_window = (second, count)
            if count > faults.rate_limit_per_second:
                raise errors.too_many_requests(retry_after=1)
        if faults.api_429_rate and self._api_rng.random() < faults.api_429_rate:
            raise errors.too_many_requests(retry_after=1)
        if faults.api_5xx_rate and self._api_rng.random() < faults.api_5xx_rate:
            if self._api_rng.random() < 0.5:
                raise errors.internal_error()
            raise errors.service_unavailable()

    # --- truth for tests --------------------------------------------------------------------------

    def truth(self) -> dict[str, Any]:
        """The simulator's true state: live calls, conferences, queues, recordings, apps."""
        return self.world.truth()

    @property
    def deliveries(self) -> list[DeliveryRecord]:
        return self.deliverer.records

    async def wait_idle(self, max_wait: float | None = 10.0) -> None:
        """Return when no webhook delivery or short world timer (ringing, playback...) is pending.

        Long background timers (time limits, demo traffic, callers' talk time in demo mode)
        do not count.
        """
        await self.tracker.wait_idle(max_wait)
