"""The settings table: which change restarts which subsystem of a running session."""

from __future__ import annotations

import pytest

from console.config import Settings
from console.secrets import Secret
from console.session_settings import RESTARTS, Subsystem, plan, split_for_demo

R, C, T, W = Subsystem.RECEIVER, Subsystem.CLIENT, Subsystem.TUNNEL, Subsystem.WEBHOOK
OLD = Settings(connection_id="111", from_numbers=["+13125550100"])


def _plan(secrets=None, fixed_port=False, demo=False, **changes):
    return plan(
        OLD, OLD.model_copy(update=changes), secrets or {}, fixed_port=fixed_port, demo=demo
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"theme": "dark"}, set()),  # applies live
        ({"verify_signatures": False}, {R}),
        ({"receiver_path": "/hooks"}, {R, T}),
        ({"receiver_port": 9000}, {R, T}),
        ({"api_base_url": "http://127.0.0.1:1/v2"}, {C}),
        ({"default_country": "GB"}, {C}),
        ({"tunnel_provider": "manual"}, {T}),
        ({"ngrok_domain": "me.ngrok.app"}, {T}),
        ({"connection_id": "222"}, {W}),
        ({"connection_id": "222", "ngrok_region": "eu"}, {T, W}),
    ],
)
def test_each_setting_restarts_what_the_table_says(changes, expected):
    assert _plan(**changes) == expected


def test_secrets_given_restart_their_subsystem_and_none_means_unchanged():
    assert _plan({Secret.API_KEY: "KEY"}) == {C}
    assert _plan({Secret.API_KEY: ""}) == {C}  # removed is changed too
    assert _plan({Secret.NGROK_AUTHTOKEN: "tok"}) == {T}
    assert _plan({Secret.PUBLIC_KEY: "pk"}) == set()  # handed to the running receiver
    assert _plan({Secret.API_KEY: None, Secret.NGROK_AUTHTOKEN: None}) == set()


def test_a_fixed_port_or_a_demo_keeps_the_receiver_on_a_port_change():
    assert _plan(fixed_port=True, receiver_port=9000) == {T}
    assert _plan(demo=True, receiver_port=9000) == set()


def test_a_demo_restarts_only_its_receiver():
    assert _plan({Secret.API_KEY: "K"}, demo=True, receiver_path="/x", connection_id="9") == {R}


def test_every_entry_names_a_setting_or_a_secret():
    fields = set(Settings.model_fields)
    assert all(isinstance(name, Secret) or name in fields for name in RESTARTS)


def test_a_demo_saves_the_users_account_and_runs_on_the_simulators():
    user = OLD
    running = OLD.model_copy(update={"api_base_url": "http://sim/v2", "connection_id": "sim"})
    new = running.model_copy(update={"theme": "dark"})
    applied = split_for_demo(new, running, user, demo=True)
    assert (applied.live.connection_id, applied.saved.connection_id) == ("sim", "111")
    assert applied.live.theme == applied.saved.theme == "dark"
    assert split_for_demo(new, running, user, demo=False).saved is new
