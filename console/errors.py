"""The console's one error base, and the one path from any exception to words for the operator.

Every failure a lower layer expects raises a subclass of :class:`ConsoleError`, whose
``user_message`` is a sentence that can be shown as it is. The families, where they live::

    ConsoleError                            user_message: a sentence for the operator
    ├── TelnyxError                         console.telnyx.errors: the REST client
    │   ├── TelnyxInputError (ValueError)   bad input caught before any request is sent
    │   │   └── InvalidPhoneNumber          console.telnyx.phone
    │   ├── APIError                        Telnyx answered with an error status
    │   │   ├── BadRequestError             400
    │   │   ├── AuthenticationError         401
    │   │   ├── PermissionDeniedError       403
    │   │   ├── NotFoundError               404
    │   │   ├── ConflictError               409
    │   │   ├── UnprocessableEntityError    422
    │   │   ├── RateLimitError              429
    │   │   └── ServerError                 5xx
    │   ├── NetworkError                    no usable answer (DNS, refused, reset, TLS...)
    │   │   └── RequestTimeoutError
    │   └── OperationError                  console.operations.errors: a multi-step action
    │       ├── ConfirmationTimeout         accepted, but the confirming webhook never came
    │       ├── TransferFailed              an attended transfer was rolled back
    │       └── TransferCancelled
    ├── WebhookPointError                   console.operations.webhook_target
    ├── TunnelError                         console.tunnel.errors
    │   ├── TunnelConfigError               bad manual URL, no authtoken, unknown provider
    │   ├── AgentNotFoundError              no ngrok agent
    │   ├── AgentBusyError                  another console runs an agent from the same dir
    │   └── AgentStartError                 the agent failed or never came up
    ├── ConfigError                         console.config: settings that cannot be used
    ├── SecretStoreError                    console.secrets: a keyring operation failed
    │   └── KeyringUnavailableError
    ├── SignatureError                      console.events.signature: a webhook failed verification
    ├── DatabaseError                       console.db.database: open, read or migrate
    └── IngestError                         console.ingest.host: the receiver did not start/stopped

:func:`words_for` turns any exception (one of these or not) into a sentence; the UI, the
session, the audit log and the tunnel all use it, so an operator never sees a traceback and an
unexpected failure is logged with its traceback once.

Qt-free: nothing here imports PySide6.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)

#: Set on an exception once its traceback has been logged, so a failure worded twice (the
#: audit, then the window) is logged once.
_LOGGED = "_console_traceback_logged"


class ConsoleError(Exception):
    """Base of every error the console expects; ``user_message`` is shown to the operator."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


def words_for(exc: BaseException) -> str:
    """A sentence for the operator about ``exc``; an unexpected one is logged with its traceback.

    A :class:`ConsoleError` says it in its ``user_message``; a ``ValueError`` with a message is
    taken as worded (bad input); a timeout and a cancellation get fixed sentences. Anything else
    is a bug or an unforeseen failure: it reads "Unexpected error: …" and points at the log.
    """
    if isinstance(exc, ConsoleError):
        text = exc.user_message or str(exc)
        if text:
            return text
    if isinstance(exc, ValueError) and str(exc):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "The request timed out. Check the network connection and try again."
    if isinstance(exc, asyncio.CancelledError):
        return "It was cancelled before it finished."
    log_once(exc)
    text = str(exc) or "no details"
    return f"Unexpected error: {type(exc).__name__}: {text} (details in the log)"


def log_once(exc: BaseException, what: str = "Unexpected error") -> None:
    """Log ``exc`` with its traceback unless that was done already (by words_for or here)."""
    if getattr(exc, _LOGGED, False):
        return
    log.error("%s", what, exc_info=(type(exc), exc, exc.__traceback__))
    # A frozen exception type refuses the mark; it may then be logged again, nothing worse.
    with contextlib.suppress(AttributeError):
        setattr(exc, _LOGGED, True)
