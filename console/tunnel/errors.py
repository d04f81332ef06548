"""Typed tunnel failures; each carries ``user_message``, a sentence the UI can show as it is.

A branch of the tree drawn in :mod:`console.errors`::

TunnelError
 ├── TunnelConfigError   bad manual URL, no authtoken, unknown provider
 ├── AgentNotFoundError  no ngrok agent at the configured path or on PATH
 ├── AgentBusyError      another console is running an agent from the same data dir
 └── AgentStartError     the agent started but reported an error, or never came up
"""

from __future__ import annotations

from console.errors import ConsoleError


class TunnelError(ConsoleError):
    """Base of the tunnel's failures."""


class TunnelConfigError(TunnelError):
    pass


class AgentNotFoundError(TunnelError):
    pass


class AgentBusyError(TunnelError):
    pass


class AgentStartError(TunnelError):
    def __init__(
        self, user_message: str, reason: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(user_message)
        #: The agent's own words (its ``err=`` field), secrets removed.
        self.reason = reason
        #: ngrok's error code (``ERR_NGROK_105``...), when it gave one.
        self.code = code
