"""ngrok's failures in the operator's words: pyngrok exceptions to :class:`AgentStartError`,
hints for the error codes met most, the codes no retry can fix, and the token redaction.

Apart from :mod:`console.tunnel.ngrok_tunnel` because it is a pure translation table that does
not need the agent: the tunnel passes in what it knows (its token, the agent's last error line).
"""

from __future__ import annotations

import contextlib
import json

from pyngrok.exception import PyngrokError, PyngrokNgrokError, PyngrokNgrokHTTPError

from console.tunnel.errors import AgentStartError

AUTHTOKEN_URL = "https://dashboard.ngrok.com/get-started/your-authtoken"
REDACTED = "[REDACTED]"

# Hints for the ngrok error codes an operator meets most (https://ngrok.com/docs/errors/).
ERROR_HINTS = {
    "ERR_NGROK_105": "the ngrok authtoken is not valid: copy it again from " + AUTHTOKEN_URL,
    "ERR_NGROK_107": "the ngrok authtoken is not valid: copy it again from " + AUTHTOKEN_URL,
    "ERR_NGROK_108": "another ngrok agent is already online with this account; stop it first",
    "ERR_NGROK_4018": "ngrok needs an authtoken: get one at " + AUTHTOKEN_URL,
    "ERR_NGROK_313": "this reserved domain needs a paid plan or is not yours (ngrok_domain)",
    "ERR_NGROK_320": "the reserved domain is not in your ngrok account (ngrok_domain)",
}

# Errors that retrying cannot fix (bad token, domain not ours): reconnecting stops at once.
PERMANENT_ERROR_CODES = frozenset(
    {"ERR_NGROK_105", "ERR_NGROK_107", "ERR_NGROK_4018", "ERR_NGROK_313", "ERR_NGROK_320"}
)


def redact(text: str, token: str | None) -> str:
    """``text`` with the authtoken replaced, so agent output can be shown and logged."""
    return text.replace(token, REDACTED) if token else text


def translate(
    exc: PyngrokError, token: str | None, last_agent_error: str | None
) -> AgentStartError:
    """The :class:`AgentStartError` for a pyngrok failure, its words free of the token."""
    if isinstance(exc, PyngrokNgrokHTTPError):
        detail = exc.body or str(exc)
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            body = json.loads(exc.body)
            detail = body.get("details", {}).get("err") or body.get("msg") or detail
        detail = redact(str(detail).strip(), token)
        return AgentStartError(f"ngrok refused to open the tunnel: {detail}", detail)
    if isinstance(exc, PyngrokNgrokError) and exc.ngrok_error:
        reason = redact(exc.ngrok_error.strip(), token)
        hint = ERROR_HINTS.get(exc.ngrok_error_code or "")
        message = f"The ngrok agent could not start: {reason}"
        code = exc.ngrok_error_code
        return AgentStartError(message + (f" ({hint})" if hint else ""), reason, code)
    reason = redact(str(exc), token)
    last = f" Last agent error: {last_agent_error}" if last_agent_error else ""
    return AgentStartError(f"The ngrok agent could not start: {reason}{last}", reason)
