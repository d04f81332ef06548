"""Team settings that apply on the next start, and the words that say so (no broker imports:
the session loads this in solo mode too, where nats-py is never imported)."""

from __future__ import annotations

from console.config import Settings

#: Settings read only when the session starts: changing them needs a restart.
RESTART_FIELDS = ("mode", "broker_url", "broker_user", "operator_name", "operator_id",
                  "supervisor", "team_stream")  # fmt: skip


def team_restart_notes(
    old: Settings, new: Settings, demo: bool, password_changed: bool
) -> list[str]:
    """What the operator must know after saving team settings (they apply on the next start)."""
    if demo:
        return []
    changed = password_changed or any(getattr(old, f) != getattr(new, f) for f in RESTART_FIELDS)
    if not changed or (old.mode == "solo" and new.mode == "solo"):
        return []
    if old.mode != new.mode:
        where = "a team, through the relay" if new.mode == "team" else "solo mode"
        return [f"Restart the console to switch to {where}."]
    return ["Restart the console to use the new team settings."]
