""" "Test the path": prove that a delivery to the public webhook URL reaches the receiver."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

import httpx

from console.errors import words_for

log = logging.getLogger(__name__)

PROBE_EVENT_TYPE = "console.path_test"
PROBE_TIMEOUT_SECS = 10.0


def _probe_body(probe_id: str) -> bytes:
    # A v2-shaped envelope of a type the store ignores; unsigned on purpose (only Telnyx holds
    # the signing key), so a verifying receiver must turn it away with 401.
    return json.dumps(
        {
            "data": {
                "record_type": "event",
                "event_type": PROBE_EVENT_TYPE,
                "id": probe_id,
                "payload": {},
            },
            "meta": {"attempt": 1},
        }
    ).encode()


async def _deliver(session: Any, url: str, signer: Any = None) -> tuple[bool, str]:
    """POST the probe to ``url``; (ok, what happened), confirmed by the receiver's own report.

    ``signer`` (a key pair) signs the probe as Telnyx would: only the simulator's is available.
    """
    probe_id = f"console-path-test-{uuid.uuid4().hex[:12]}"
    body = _probe_body(probe_id)
    headers = {"Content-Type": "application/json"}
    if signer is not None:
        from console.events.signature import sign

        headers.update(sign(body, signer))
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[str] = loop.create_future()

    def on_event(envelope: Any, _received: Any) -> None:
        if envelope.event_id == probe_id and not seen.done():
            seen.set_result("accepted")

    def on_rejected(rejection: Any) -> None:
        if probe_id in (rejection.body_excerpt or "") and not seen.done():
            seen.set_result(f"rejected: {rejection.reason}")

    remove_event = session.on_event(on_event)
    remove_rejected = session.on_rejected(on_rejected)
    try:
        async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECS) as http:
            try:
                response = await http.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                return False, f"nothing answered at {url} ({type(exc).__name__}: {exc})"
        try:
            async with asyncio.timeout(PROBE_TIMEOUT_SECS):
                outcome = await seen
        except TimeoutError:
            return False, (
                f"{url} answered HTTP {response.status_code}, but the console's receiver never "
                "saw the request: the URL leads somewhere else"
            )
    finally:
        remove_event()
        remove_rejected()
    if outcome == "accepted":
        if signer is not None:
            return True, f"a signed test delivery to {url} reached the receiver and was accepted"
        return True, f"a test delivery to {url} reached the receiver (signature check is OFF)"
    if signer is not None:
        return False, f"a signed test delivery to {url} was refused ({outcome})"
    return True, (
        f"a test delivery to {url} reached the receiver, which refused it because it was not "
        f"signed by Telnyx ({outcome.split(': ', 1)[-1]}), as it should"
    )


async def probe_webhook_path(session: Any) -> str:
    """Check each link and say, line by line, what works and what to fix."""
    lines: list[str] = []
    receiver = session.receiver
    if receiver is None or receiver.url is None:
        return "✘ The webhook receiver is not running."
    lines.append(f"✔ The receiver listens at {receiver.url}.")

    if session.demo:
        ok, text = await _simulated_delivery(session)
        lines.append(("✔ " if ok else "✘ ") + text)
        return "\n".join(lines)

    tunnel_url = session.tunnel.public_url if session.tunnel is not None else None
    if not tunnel_url:
        state = session.health.tunnel_state
        error = session.health.tunnel_error
        lines.append(
            f"✘ There is no public URL (tunnel {state}{': ' + error if error else ''}); Telnyx "
            "cannot reach the console. Check the tunnel settings."
        )
        return "\n".join(lines)
    public = session.settings.webhook_url(tunnel_url)
    ok, text = await _deliver(session, public)
    lines.append(("✔ " if ok else "✘ ") + text + ".")

    if session.client is None or not session.settings.connection_id:
        lines.append("✘ No Call Control application is chosen, so Telnyx sends nothing here.")
        return "\n".join(lines)
    try:
        app = await session.client.applications.retrieve(session.settings.connection_id)
    except Exception as exc:
        reason = words_for(exc)
        lines.append(f"✘ Could not read the Call Control application: {reason}")
        return "\n".join(lines)
    name = app.application_name or app.id
    if app.webhook_event_url != public:
        lines.append(
            f"✘ The application '{name}' sends its webhooks to {app.webhook_event_url or 'nowhere'}"
            f", not to {public}."
        )
    elif app.webhook_api_version != "2":
        lines.append(f"✘ The application '{name}' uses webhook API v1; set it to v2.")
    else:
        lines.append(f"✔ The application '{name}' sends its webhooks (API v2) to {public}.")
    return "\n".join(lines)


async def _simulated_delivery(session: Any) -> tuple[bool, str]:
    """Demo mode: a test event signed with the simulator's key, sent where it delivers."""
    simulator = session.simulator
    url = simulator.truth()["applications"].get(simulator.connection_id) or session.receiver.url
    return await _deliver(session, url, signer=simulator.keypair)
