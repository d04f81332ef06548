"""Points the Call Control application's webhook URL at the console, and puts it back on exit.

The URL found before the console changed it is kept in a small JSON file in the data dir, with
the URL the console set. After a crash the application still holds the console's (now dead)
tunnel URL; on the next start that URL is recognised as ours, so the remembered original, not
the stale tunnel URL, is what a clean exit restores.

An application has one webhook URL, so a second console must not take it from a first one
silently (the first would go deaf: its commands work, its confirmations go elsewhere). Before
changing a URL that is not ours, :meth:`WebhookTarget.point` asks whether a live telnyx-console
receiver answers behind it (``GET /healthz`` on that origin, which every console and relay
serves). If one does, it raises :class:`WebhookHeldError` naming the holder, and changes
nothing unless called again with ``take_over=True``; the UI offers that, or joining a team.
The memory never records another console's URL (live, or a dead ngrok tunnel) as the
"original": restoring it later would point Telnyx at a dead tunnel and lose the operator's own
URL for good. When the console is displaced, the original it knew stays in the memory.

The relay uses the same class with ``failover_url`` and ``take_over=True``: it owns the URL.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from console.errors import ConsoleError, words_for
from console.paths import private_file

log = logging.getLogger(__name__)

#: The path every telnyx-console receiver (console or relay) answers with its health.
HEALTH_PATH = "/healthz"
PROBE_TIMEOUT_SECS = 3.0
#: Hosts of ngrok tunnels: a URL there that no longer answers was some console's tunnel.
TUNNEL_HOST_SUFFIXES = (".ngrok.io", ".ngrok.app", ".ngrok.dev", ".ngrok-free.app",
                        ".ngrok-free.dev")  # fmt: skip

#: ``await probe(url)`` → True when a live telnyx-console receiver serves ``url``.
ReceiverProbe = Callable[[str], Awaitable[bool]]


class WebhookPointError(ConsoleError):
    """The application could not be re-pointed; ``user_message`` says what to do by hand."""


@dataclass(frozen=True)
class WebhookHolder:
    """Who receives the application's webhooks now, when it is not this console."""

    application_id: str
    url: str

    @property
    def where(self) -> str:
        return urlsplit(self.url).netloc or self.url


class WebhookHeldError(WebhookPointError):
    """Another live console (or a team relay) holds the application's webhook URL.

    Nothing was changed. ``holder`` says where; call :meth:`WebhookTarget.point` again with
    ``take_over=True`` to take it anyway (that console stops receiving), or join its team.
    """

    def __init__(self, holder: WebhookHolder):
        super().__init__(
            f"Another console (or a team relay) is receiving this application's webhooks at "
            f"{holder.where}. Taking them over would leave it deaf to its calls: take over only "
            f"if it is no longer used, or join a team so that you share the calls."
        )
        self.holder = holder


@dataclass
class _Memory:
    application_id: str | None = None
    previous_url: str | None = None
    ours: str | None = None
    previous_failover_url: str | None = None
    ours_failover: str | None = None


def is_tunnel_url(url: str | None) -> bool:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return any(host.endswith(suffix) for suffix in TUNNEL_HOST_SUFFIXES)


async def probe_receiver(url: str, *, within: float = PROBE_TIMEOUT_SECS) -> bool:
    """True when a telnyx-console receiver answers its health check on ``url``'s origin."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    health = f"{parts.scheme}://{parts.netloc}{HEALTH_PATH}"
    try:
        async with httpx.AsyncClient(timeout=within, follow_redirects=False) as http:
            response = await http.get(health)
        body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return False
    # The receiver's own health body: a status and whether it verifies signatures.
    return isinstance(body, dict) and body.get("status") == "ok" and "verification_enabled" in body


class WebhookTarget:
    def __init__(self, state_file: Path | None, *, probe: ReceiverProbe = probe_receiver):
        self._file = state_file
        self._probe = probe
        self._memory = self._load()
        self.pointed_url: str | None = None  # what we set in this session
        self.application_id: str | None = None

    def _load(self) -> _Memory:
        if self._file is None or not self._file.is_file():
            return _Memory()
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
            return _Memory(**{k: data.get(k) for k in _Memory.__dataclass_fields__})
        except (OSError, ValueError, TypeError, AttributeError):
            log.warning("ignoring unreadable webhook memory %s", self._file)
            return _Memory()

    def _save(self) -> None:
        if self._file is None:
            return
        try:
            tmp = private_file(self._file.with_suffix(".tmp"))
            tmp.write_text(json.dumps(self._memory.__dict__), encoding="utf-8")
            os.replace(tmp, self._file)
        except OSError:
            log.exception("could not save webhook memory to %s", self._file)

    @property
    def remembered_original(self) -> str | None:
        """The application's own URL from before any console, if known."""
        return self._memory.previous_url

    async def point(
        self,
        client: Any,
        application_id: str,
        url: str,
        *,
        failover_url: str | None = None,
        take_over: bool = False,
        not_original: Collection[str] = (),
        original: str | None = None,
    ) -> str | None:
        """Set the application's webhook URL (API v2); returns the original URL it had.

        Raises :class:`WebhookHeldError` (nothing changed) if another live console or relay
        holds the URL and ``take_over`` is false; :class:`WebhookPointError` if the API
        refused. ``failover_url`` (the relay's second relay) is set too when given.
        ``not_original`` are URLs known to be other consoles' or relays' (a relay learns them
        from the broker), and ``original`` the application's own URL if the caller knows it
        better than this memory does.
        """
        try:
            app = await client.applications.retrieve(application_id)
        except Exception as exc:
            raise WebhookPointError(_manual_steps(url, application_id, exc)) from exc
        current = app.webhook_event_url
        memory = self._memory
        known_app = memory.application_id == application_id
        if known_app and current in (memory.ours, url):
            previous = memory.previous_url  # ours from an earlier run: keep the real original
        elif current and await self._probe(current):
            holder = WebhookHolder(application_id, current)
            if not take_over:
                raise WebhookHeldError(holder)
            log.warning("taking application %s's webhook URL over from %s", application_id, current)
            previous = memory.previous_url if known_app else original
        elif (
            current in not_original or is_tunnel_url(current) or (known_app and memory.ours is None)
        ):
            # Another console's or relay's URL (a dead tunnel; or, since we were displaced,
            # most likely the one that took over): not the operator's URL, never "the original".
            previous = memory.previous_url if known_app else original
            log.info("not remembering %s as the application's own URL", current)
        else:
            previous = current
        current_failover = app.webhook_event_failover_url or None
        if known_app and current_failover == memory.ours_failover:
            previous_failover = memory.previous_failover_url
        else:
            previous_failover = current_failover
        changes: dict[str, Any] = {}
        if current != url or app.webhook_api_version != "2":
            changes.update(webhook_event_url=url, webhook_api_version="2")
        if failover_url is not None and current_failover != failover_url:
            changes["webhook_event_failover_url"] = failover_url
        if changes:
            try:
                await client.applications.update(
                    application_id,
                    application_name=app.application_name or application_id,
                    **{"webhook_event_url": url, **changes},
                )
            except Exception as exc:
                raise WebhookPointError(_manual_steps(url, application_id, exc)) from exc
        self._memory = _Memory(
            application_id,
            previous,
            url,
            previous_failover if failover_url is not None else None,
            failover_url,
        )
        self._save()
        self.pointed_url = url
        self.application_id = application_id
        log.info("application %s webhook URL -> %s (was %s)", application_id, url, previous)
        return previous

    async def restore(self, client: Any) -> str | None:
        """Put the remembered URL back if the application still points at ours."""
        memory = self._memory
        if not memory.application_id or self.pointed_url is None:
            return None
        app = await client.applications.retrieve(memory.application_id)
        self.pointed_url = None
        if app.webhook_event_url != memory.ours:
            # Taken over: the new holder does not know the original; keep it for next time.
            log.info(
                "webhook URL was changed by someone else; leaving it (the application's own URL "
                "was %s)",
                memory.previous_url or "not known",
            )
            self._memory = _Memory(memory.application_id, memory.previous_url, None)
            self._save()
            return None
        if memory.previous_url:
            changes: dict[str, Any] = {"webhook_event_url": memory.previous_url}
            if memory.ours_failover and app.webhook_event_failover_url == memory.ours_failover:
                changes["webhook_event_failover_url"] = memory.previous_failover_url or ""
            await client.applications.update(
                memory.application_id,
                application_name=app.application_name or memory.application_id,
                **changes,
            )
            log.info("restored webhook URL of %s to %s", memory.application_id, memory.previous_url)
        self._memory = _Memory()
        self._save()
        return memory.previous_url


def _manual_steps(url: str, application_id: str, exc: BaseException) -> str:
    reason = words_for(exc)
    return (
        f"Could not point the Call Control application {application_id} at the console "
        f"({reason}). In the Telnyx portal, open Voice → Programmable Voice → that application, "
        f"set its webhook URL to {url} and the webhook API version to v2, then save."
    )
