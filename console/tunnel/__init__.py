"""Tunnel providers that make the local webhook receiver reachable: ngrok, manual URL, none."""

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
from console.tunnel.ngrok_tunnel import NgrokTunnel

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
