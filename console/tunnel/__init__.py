"""Tunnel providers that make the local webhook receiver reachable: ngrok, manual URL, none."""

from typing import TYPE_CHECKING, Any

from console.tunnel.base import TunnelProvider, TunnelState, TunnelStatus
from console.tunnel.errors import (
    AgentBusyError,
    AgentNotFoundError,
    AgentStartError,
    TunnelConfigError,
    TunnelError,
)
from console.tunnel.factory import build_tunnel
from console.tunnel.manual import ManualTunnel, NoTunnel, validate_public_url
from console.tunnel.ngrok_agent_path import resolve_agent_path

if TYPE_CHECKING:
    from console.tunnel.ngrok_tunnel import NgrokTunnel


def __getattr__(name: str) -> Any:
    # pyngrok (and its yaml) loads only when an ngrok tunnel is made, not with the console.
    if name == "NgrokTunnel":
        from console.tunnel.ngrok_tunnel import NgrokTunnel

        return NgrokTunnel
    raise AttributeError(name)


__all__ = [
    "AgentBusyError",
    "AgentNotFoundError",
    "AgentStartError",
    "ManualTunnel",
    "NgrokTunnel",
    "NoTunnel",
    "TunnelConfigError",
    "TunnelError",
    "TunnelProvider",
    "TunnelState",
    "TunnelStatus",
    "build_tunnel",
    "resolve_agent_path",
    "validate_public_url",
]
