"""Providers without an agent process: the operator's own reverse proxy, or no tunnel at all."""

from __future__ import annotations

from urllib.parse import urlsplit

from console.tunnel.base import StatusReporter, TunnelState
from console.tunnel.errors import TunnelConfigError


def validate_public_url(url: str | None) -> str:
    """``url`` without a trailing slash; :class:`TunnelConfigError` unless absolute http(s)."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise TunnelConfigError(
            f"The public URL {text!r} is not usable: enter the absolute http(s) address of your "
            "reverse proxy, such as https://console.example.com (setting 'manual_public_url')."
        )
    if parts.query or parts.fragment or any(c.isspace() for c in text):
        raise TunnelConfigError(
            f"The public URL {text!r} must not contain spaces, a query (?) or a fragment (#)."
        )
    return text.rstrip("/")


class ManualTunnel(StatusReporter):
    """A public URL the operator forwards to the receiver themselves; nothing to run."""

    kind = "manual"

    def __init__(self, public_url: str) -> None:
        super().__init__()
        self._configured_url = validate_public_url(public_url)

    async def start(self, local_port: int) -> str:
        self._set_status(TunnelState.UP, public_url=self._configured_url)
        return self._configured_url

    async def stop(self) -> None:
        self._set_status(TunnelState.DOWN)


class NoTunnel(StatusReporter):
    """Demo and local use: the receiver is only reachable on this machine (public_url is None)."""

    kind = "none"

    async def start(self, local_port: int) -> None:
        self._set_status(TunnelState.UP)
        return None

    async def stop(self) -> None:
        self._set_status(TunnelState.DOWN)
