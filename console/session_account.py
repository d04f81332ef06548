"""What the session asks of the Telnyx account, and how the answers read in health.

The Call Control applications Settings offers, the end-to-end check of the webhook path
(Telnyx → tunnel → receiver, or in team mode the broker), taking the application's webhook URL
over from another console, and ``note_api_result``: whether the API answered, recorded in
``session.health`` after each call that goes to Telnyx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.errors import words_for
from console.operations.errors import OperationError

if TYPE_CHECKING:
    from console.session import ConsoleSession


def note_api_result(session: ConsoleSession, exc: BaseException | None) -> None:
    if exc is None:
        session._set_health(api_reachable=True, api_last_error=None)
        return
    status = getattr(exc, "status_code", None)
    # Telnyx answered (4xx) = reachable; no answer or a server fault = not reachable.
    reachable = status is not None and status < 500
    session._set_health(api_reachable=reachable, api_last_error=words_for(exc))


async def list_applications(session: ConsoleSession) -> list[tuple[str, str]]:
    """(id, application_name) of every Call Control application of the account."""
    if session.client is None:
        raise OperationError("Add the Telnyx API key in Settings first.")
    try:
        apps = await session.client.applications.list()
    except Exception as exc:
        note_api_result(session, exc)
        raise
    note_api_result(session, None)
    return [(a.id, a.application_name or a.id) for a in apps]


async def take_over_webhook(session: ConsoleSession) -> None:
    """Point the application at this console although another console holds it; then
    resync (what arrived meanwhile went to the other console)."""
    if session.team is not None or session.demo or session.client is None:
        raise OperationError("Only a console in solo mode receives the webhooks itself.")
    await session._point_webhook(take_over=True)
    if session.health.webhook_url is not None:
        session.request_resync("took the webhook URL over")


async def check_webhook_path(session: ConsoleSession) -> str:
    """Prove the path Telnyx → (tunnel) → receiver works; returns a readable result."""
    from console.operations.path_test import probe_webhook_path

    if session.team is not None:
        problem = session.team.broker_problem
        return "Team mode: the relay receives the webhooks and this console reads them " + (
            f"from the broker. ✘ {problem}" if problem else "from the broker. ✔ connected"
        )
    return await probe_webhook_path(session)
