"""NgrokTunnel against the fake agent (pyngrok's real code path, offline): starts that fail.

An agent error, an invalid, missing or unreadable authtoken, a missing agent (and never a
download), a configured path that does not exist and a silent agent that times out: each a
tunnel error in words, with no agent left running.
"""

from __future__ import annotations

import pytest

from console.secrets import SecretStoreError
from console.tunnel import AgentNotFoundError, AgentStartError, TunnelConfigError, TunnelState
from tests.tunnel.helpers import make_tunnel, pid_gone, read_starts, wait_until


@pytest.mark.anyio
async def test_agent_error_at_start_is_a_clear_tunnel_error(
    fake_agent, state_dir, fake_state, monkeypatch
):
    monkeypatch.setenv("FAKE_NGROK_FAIL", "failed to bind the moon: ERR_NGROK_999")
    tunnel = make_tunnel(fake_agent, state_dir)

    with pytest.raises(AgentStartError) as caught:
        await tunnel.start(8765)

    message = caught.value.user_message
    assert message.startswith("The ngrok agent could not start:")
    assert "failed to bind the moon" in message
    assert tunnel.state is TunnelState.FAILED and tunnel.last_error == message
    (start,) = read_starts(fake_state)
    assert pid_gone(start["pid"])
    assert not tunnel.pidfile.exists()


@pytest.mark.anyio
async def test_invalid_authtoken_is_explained_and_redacted(fake_agent, state_dir, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_VALID_TOKEN", "the-right-token-000")
    bad = "the-wrong-token-111"
    tunnel = make_tunnel(fake_agent, state_dir, authtoken=bad)

    with pytest.raises(AgentStartError) as caught:
        await tunnel.start(8765)

    assert "authtoken is not valid" in caught.value.user_message  # the ERR_NGROK_105 hint
    assert bad not in caught.value.user_message
    assert bad not in str(caught.value.reason)


@pytest.mark.anyio
@pytest.mark.parametrize("token", [None, "", lambda: None])
async def test_missing_authtoken_fails_before_running_anything(
    fake_agent, state_dir, fake_state, token
):
    tunnel = make_tunnel(fake_agent, state_dir, authtoken=token)
    with pytest.raises(TunnelConfigError, match="NGROK_AUTHTOKEN"):
        await tunnel.start(8765)
    assert read_starts(fake_state) == []
    assert tunnel.state is TunnelState.FAILED


@pytest.mark.anyio
async def test_unreadable_authtoken_is_a_tunnel_error(fake_agent, state_dir):
    def token():
        raise SecretStoreError("the keyring is locked")

    tunnel = make_tunnel(fake_agent, state_dir, authtoken=token)
    with pytest.raises(TunnelConfigError, match="could not be read: the keyring is locked"):
        await tunnel.start(8765)
    assert tunnel.state is TunnelState.FAILED


@pytest.mark.anyio
async def test_missing_agent_is_a_clear_error_and_no_download(
    state_dir, tmp_path, monkeypatch, clean_pyngrok
):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    tunnel = make_tunnel("", state_dir)

    with pytest.raises(AgentNotFoundError) as caught:
        await tunnel.start(8765)

    message = caught.value.user_message
    assert "https://ngrok.com/download" in message and "ngrok_path" in message
    assert clean_pyngrok == []  # pyngrok's installer was never reached


@pytest.mark.anyio
async def test_configured_agent_path_that_does_not_exist(state_dir, tmp_path, clean_pyngrok):
    missing = tmp_path / "nowhere" / "ngrok"
    tunnel = make_tunnel(str(missing), state_dir)
    with pytest.raises(AgentNotFoundError, match="not found at"):
        await tunnel.start(8765)
    assert clean_pyngrok == []


@pytest.mark.anyio
async def test_silent_agent_times_out(fake_agent, state_dir, fake_state, monkeypatch):
    monkeypatch.setenv("FAKE_NGROK_HANG", "1")
    tunnel = make_tunnel(fake_agent, state_dir, startup_timeout=0.5)

    with pytest.raises(AgentStartError, match="did not start within"):
        await tunnel.start(8765)

    (start,) = read_starts(fake_state)
    await wait_until(lambda: pid_gone(start["pid"]), "the silent agent to be killed")
