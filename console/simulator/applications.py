"""Call Control applications: creation with the spec's defaults, and partial updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .entities import Application, new_numeric_id

if TYPE_CHECKING:
    from .world import World


class ApplicationCommands:
    """/call_control_applications handlers: the World's ``applications`` part."""

    def __init__(self, world: World) -> None:
        self.world = world

    def create_app(self, fields: dict[str, Any]) -> Application:
        now = self.world.now()
        defaults: dict[str, Any] = {
            "active": True,
            "anchorsite_override": "Latency",
            "call_cost_in_webhooks": False,
            "dtmf_type": "RFC 2833",
            "first_command_timeout": False,
            "first_command_timeout_secs": 30,
            "inbound": {
                "channel_limit": None,
                "shaken_stir_enabled": False,
                "sip_subdomain": None,
                "sip_subdomain_receive_settings": "from_anyone",
            },
            "outbound": {"channel_limit": None, "outbound_voice_profile_id": None},
            "redact_dtmf_debug_logging": False,
            "tags": [],
            "webhook_api_version": "1",  # the spec's default; the console must ask for "2"
            "webhook_event_failover_url": "",
            "webhook_timeout_secs": None,
        }
        defaults.update(fields)
        # inbound/outbound objects in the spec have non-nullable types; drop None members
        for key in ("inbound", "outbound"):
            defaults[key] = {k: v for k, v in defaults[key].items() if v is not None}
        app = Application(new_numeric_id(), defaults, now, now)
        self.world.apps[app.id] = app
        return app

    def update_app(self, app: Application, fields: dict[str, Any]) -> Application:
        for key in ("inbound", "outbound"):
            if isinstance(fields.get(key), dict):
                merged = {**app.fields.get(key, {}), **fields.pop(key)}
                app.fields[key] = {k: v for k, v in merged.items() if v is not None}
        app.fields.update(fields)
        app.updated_at = self.world.now()
        return app
