"""Points the Call Control application's webhook URL at the console, and puts it back on exit.

The URL found before the console changed it is kept in a small JSON file in the data dir, with
the URL the console set. After a crash the application still holds the console's (now dead)
tunnel URL; on the next start that URL is recognised as ours, so the remembered original, not
the stale tunnel URL, is what a clean exit restores.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.errors import ConsoleError, words_for

log = logging.getLogger(__name__)


class WebhookPointError(ConsoleError):
    """The application could not be re-pointed; ``user_message`` says what to do by hand."""


@dataclass
class _Memory:
    application_id: str | None = None
    previous_url: str | None = None
    ours: str | None = None


class WebhookTarget:
    def __init__(self, state_file: Path | None):
        self._file = state_file
        self._memory = self._load()
        self.pointed_url: str | None = None  # what we set in this session
        self.application_id: str | None = None

    def _load(self) -> _Memory:
        if self._file is None or not self._file.is_file():
            return _Memory()
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
            return _Memory(**{k: data.get(k) for k in ("application_id", "previous_url", "ours")})
        except (OSError, ValueError, TypeError):
            log.warning("ignoring unreadable webhook memory %s", self._file)
            return _Memory()

    def _save(self) -> None:
        if self._file is None:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._memory.__dict__), encoding="utf-8")
            os.replace(tmp, self._file)
        except OSError:
            log.exception("could not save webhook memory to %s", self._file)

    async def point(self, client: Any, application_id: str, url: str) -> str | None:
        """Set the application's webhook URL (API v2); returns the URL it had before."""
        try:
            app = await client.applications.retrieve(application_id)
        except Exception as exc:
            raise WebhookPointError(_manual_steps(url, application_id, exc)) from exc
        current = app.webhook_event_url
        memory = self._memory
        if memory.application_id == application_id and current in (memory.ours, url):
            previous = memory.previous_url  # ours from an earlier run: keep the real original
        else:
            previous = current
        if current != url or app.webhook_api_version != "2":
            try:
                await client.applications.update(
                    application_id,
                    application_name=app.application_name or application_id,
                    webhook_event_url=url,
                    webhook_api_version="2",
                )
            except Exception as exc:
                raise WebhookPointError(_manual_steps(url, application_id, exc)) from exc
        self._memory = _Memory(application_id, previous, url)
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
        if app.webhook_event_url != memory.ours:
            log.info("webhook URL was changed by someone else; leaving it")
        elif memory.previous_url:
            await client.applications.update(
                memory.application_id,
                application_name=app.application_name or memory.application_id,
                webhook_event_url=memory.previous_url,
            )
            log.info("restored webhook URL of %s to %s", memory.application_id, memory.previous_url)
        self._memory = _Memory()
        self._save()
        self.pointed_url = None
        return memory.previous_url


def _manual_steps(url: str, application_id: str, exc: BaseException) -> str:
    reason = words_for(exc)
    return (
        f"Could not point the Call Control application {application_id} at the console "
        f"({reason}). In the Telnyx portal, open Voice → Programmable Voice → that application, "
        f"set its webhook URL to {url} and the webhook API version to v2, then save."
    )
