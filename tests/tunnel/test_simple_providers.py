"""ManualTunnel, NoTunnel, the provider protocol and build_tunnel."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from console.tunnel import (
    ManualTunnel,
    NgrokTunnel,
    NoTunnel,
    TunnelConfigError,
    TunnelProvider,
    TunnelState,
    build_tunnel,
)
from tests.tunnel.helpers import StatusLog


@pytest.mark.anyio
async def test_manual_tunnel_reports_its_url():
    tunnel = ManualTunnel("https://console.example.com/telnyx/")
    statuses = StatusLog()
    tunnel.on_state(statuses)
    assert await tunnel.start(8765) == "https://console.example.com/telnyx"
    assert (
        tunnel.state is TunnelState.UP and tunnel.public_url == "https://console.example.com/telnyx"
    )
    await tunnel.stop()
    assert statuses.states == [TunnelState.UP, TunnelState.DOWN]
    assert tunnel.public_url is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "console.example.com",
        "ftp://x.example.com",
        "https://",
        "/relative",
        "https://a b.com",
        "https://x.example.com/?q=1",
        "https://x.example.com/#top",
        None,
    ],
)
def test_manual_tunnel_rejects_unusable_urls(url):
    with pytest.raises(TunnelConfigError, match="http"):
        ManualTunnel(url)


def test_manual_tunnel_accepts_plain_http():
    assert ManualTunnel("http://10.0.0.5:8080").public_url is None  # not up before start


@pytest.mark.anyio
async def test_no_tunnel_has_no_public_url():
    tunnel = NoTunnel()
    assert await tunnel.start(8765) is None
    assert tunnel.state is TunnelState.UP and tunnel.public_url is None
    await tunnel.stop()
    assert tunnel.state is TunnelState.DOWN


@pytest.mark.parametrize(
    "provider", [NoTunnel(), ManualTunnel("https://x.example.com"), NgrokTunnel("t", state_dir=".")]
)
def test_providers_follow_the_protocol(provider):
    assert isinstance(provider, TunnelProvider)


class FakeSecrets:
    def __init__(self):
        self.calls = 0

    def get_ngrok_authtoken(self):
        self.calls += 1
        return "token-from-store"


def settings(**values):
    base = dict(
        tunnel_provider="ngrok",
        manual_public_url=None,
        ngrok_path="/opt/ngrok",
        ngrok_region="eu",
        ngrok_domain=None,
    )
    base.update(values)
    return SimpleNamespace(**base)


def test_build_tunnel_picks_the_provider(tmp_path):
    assert isinstance(build_tunnel(settings(tunnel_provider="none"), None), NoTunnel)
    manual = build_tunnel(
        settings(tunnel_provider="manual", manual_public_url="https://x.example.com"), None
    )
    assert isinstance(manual, ManualTunnel)
    secrets = FakeSecrets()
    ngrok = build_tunnel(settings(), secrets, state_dir=tmp_path, watchdog_interval=1.5)
    assert isinstance(ngrok, NgrokTunnel) and ngrok.watchdog_interval == 1.5
    assert secrets.calls == 0  # the keyring is read at start, in a worker thread


def test_build_tunnel_uses_the_data_dir_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path))
    tunnel = build_tunnel(settings(), FakeSecrets())
    assert tunnel.pidfile.parent == tmp_path / "data"


def test_build_tunnel_rejects_bad_choices():
    with pytest.raises(TunnelConfigError, match="manual_public_url"):
        build_tunnel(settings(tunnel_provider="manual"), None)
    with pytest.raises(TunnelConfigError, match="Unknown tunnel provider"):
        build_tunnel(settings(tunnel_provider="carrier-pigeon"), None)


@pytest.mark.anyio
async def test_build_tunnel_ngrok_reads_token_from_secrets(fake_agent, tmp_path):
    secrets = FakeSecrets()
    tunnel = build_tunnel(
        settings(ngrok_path=fake_agent, ngrok_region=None), secrets, state_dir=tmp_path / "data"
    )
    try:
        await tunnel.start(8765)
        assert secrets.calls == 1
    finally:
        await tunnel.stop()
