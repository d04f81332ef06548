"""How the ngrok agent is configured: the authtoken read from its source, the ``PyngrokConfig``
the agent is started with, and the private config file that carries the token.

Apart from :mod:`console.tunnel.ngrok_tunnel` because this is where the token's path to the
agent is decided, and it deserves to be read on its own: the token never goes on the agent's
command line (every local user can read that), only into a 0600 file that the tunnel empties
again once the agent is up.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path

from pyngrok import conf as pyngrok_conf
from pyngrok.log import NgrokLog

from console.errors import words_for
from console.tunnel.errors import TunnelConfigError
from console.tunnel.ngrok_errors import AUTHTOKEN_URL


def read_authtoken(source: str | Callable[[], str | None] | None) -> str:
    """The authtoken from its source (a callable is called here, in the worker thread, since a
    keyring lookup can block); raises :class:`TunnelConfigError` in words when there is none."""
    token = source
    if callable(token):
        try:
            token = token()
        except Exception as exc:  # e.g. a locked keyring (SecretStoreError)
            reason = words_for(exc)
            raise TunnelConfigError(f"The ngrok authtoken could not be read: {reason}") from exc
    if not token:
        raise TunnelConfigError(
            "No ngrok authtoken is set. Get one at " + AUTHTOKEN_URL + " and save it in "
            "Settings (kept in the system keyring) or set the NGROK_AUTHTOKEN variable."
        )
    return token


def pyngrok_config(
    *,
    ngrok_path: str,
    config_path: Path,
    region: str | None,
    on_log: Callable[[NgrokLog], None],
    startup_timeout: float,
    request_timeout: float,
) -> pyngrok_conf.PyngrokConfig:
    """pyngrok's settings for our agent, with no token or API key for its command line."""
    config = pyngrok_conf.PyngrokConfig(
        ngrok_path=ngrok_path,
        config_path=str(config_path),
        region=region,
        monitor_thread=True,  # keeps reading the agent's stdout so its pipe never fills
        log_event_callback=on_log,
        startup_timeout=max(1, math.ceil(startup_timeout)),
        request_timeout=request_timeout,
        start_new_session=False,  # see agent_process: terminal signals reach the agent too
    )
    # PyngrokConfig reads NGROK_AUTHTOKEN / NGROK_API_KEY from the environment and would put
    # the token on the agent's command line: the config file carries it instead.
    config.auth_token = None
    config.api_key = None
    return config


def write_agent_config(config_path: Path, token: str | None) -> None:
    """Write the agent's config file (0600, replaced atomically); ``token=None`` empties it."""
    # JSON is valid YAML, which is what the agent and pyngrok parse.
    agent: dict[str, str] = {"authtoken": token} if token is not None else {}
    text = json.dumps({"version": "3", "agent": agent})
    config_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = config_path.with_name(config_path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, config_path)
