"""Building the configured tunnel provider from the settings and the secret store."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from console.tunnel.base import TunnelProvider
from console.tunnel.errors import TunnelConfigError
from console.tunnel.manual import ManualTunnel, NoTunnel


class AuthtokenSource(Protocol):
    """What the factory needs of ``console.secrets.SecretStore`` (duck-typed: no import)."""

    def get_ngrok_authtoken(self) -> str | None: ...


def build_tunnel(
    settings: Any,
    secrets: AuthtokenSource | None,
    *,
    state_dir: Path | None = None,
    **ngrok_options: Any,
) -> TunnelProvider:
    """The provider ``settings.tunnel_provider`` names ("ngrok", "manual" or "none").

    ``settings`` is a ``console.config.Settings`` (read by attribute). The authtoken is read
    from ``secrets`` when the tunnel starts, in a worker thread. ``state_dir`` (default: the
    data dir) holds the agent's pidfile, lock and config; ``ngrok_options`` go to
    :class:`NgrokTunnel` (watchdog interval, back-off...).
    """
    provider = getattr(settings, "tunnel_provider", "none")
    if provider == "none":
        return NoTunnel()
    if provider == "manual":
        return ManualTunnel(getattr(settings, "manual_public_url", None) or "")
    if provider == "ngrok":
        if state_dir is None:
            from console import paths

            state_dir = paths.data_dir()
        # Imported here: pyngrok (and its yaml) loads only when an ngrok tunnel is made.
        from console.tunnel.ngrok_tunnel import NgrokTunnel

        return NgrokTunnel(
            secrets.get_ngrok_authtoken if secrets is not None else None,
            state_dir=state_dir,
            ngrok_path=getattr(settings, "ngrok_path", "") or "",
            region=getattr(settings, "ngrok_region", None),
            domain=getattr(settings, "ngrok_domain", None),
            **ngrok_options,
        )
    raise TunnelConfigError(
        f"Unknown tunnel provider {provider!r}: choose 'ngrok', 'manual' or 'none' in Settings."
    )
