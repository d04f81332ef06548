"""What the call actions are: their texts, icons, shortcuts and tips, and what they need.

``SPECS`` names every operator action once (the menus, toolbar, tray and tests find them by
these names); ``TOGGLE_TEXTS`` the two labels of each toggling one; ``ActionContext`` is what
``CallActions`` (console/ui/actions.py) needs from the window, kept small so it can be faked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class ActionContext(Protocol):
    """What the actions need from the window (kept small so it can be faked)."""

    def selected_ccids(self) -> list[str]: ...
    def selected_conference(self) -> str | None: ...
    def selected_participant(self) -> tuple[str, str] | None: ...
    def selected_waiter(self) -> str | None: ...
    def default_country(self) -> str | None: ...
    def open_prompt(
        self, title: str, label: str, validate: Callable[[str], str], on_value, placeholder: str
    ) -> Any: ...
    def confirm(self, title: str, text: str, yes_text: str, on_yes: Callable[[], None]) -> Any: ...
    def notify_error(self, text: str) -> None: ...
    def show_status(self, text: str) -> None: ...
    def notify_info(self, text: str) -> None: ...
    def focus_dialer(self) -> None: ...
    def open_settings(self) -> None: ...


# name: (text, icon, shortcut, what it does)
SPECS: dict[str, tuple[str, str | None, str, str]] = {
    "dial": ("&Dial…", "dial", "Ctrl+D", "Go to the dialer"),
    "answer": ("&Answer", "answer", "F5", "Answer the selected ringing call"),
    "reject": ("&Reject", "reject", "F6", "Reject the selected ringing call"),
    "hangup": ("&Hang up", "hangup", "F8", "Hang up the selected calls"),
    "hold": ("H&old", "hold", "F7", "Put the selected calls on hold (or take them off)"),
    "mute": ("&Mute", "mute", "F9", "Mute the selected calls (or unmute)"),
    "record": ("Re&cord", "record", "Ctrl+R", "Start or stop recording the selected call"),
    "record_pause": ("&Pause recording", "pause", "Ctrl+Shift+R", "Pause or resume recording"),
    "transfer": ("&Transfer…", "transfer", "Ctrl+T", "Blind transfer to a number or SIP URI"),
    "attended_transfer": (
        "Attended tra&nsfer…",
        "attended",
        "Ctrl+Shift+T",
        "Consult the target while the caller waits on hold",
    ),
    "complete_transfer": (
        "Co&mplete transfer",
        "complete",
        "Ctrl+Shift+Y",
        "Connect the caller to the consulted party",
    ),
    "cancel_transfer": (
        "Cance&l transfer",
        "cancel",
        "Ctrl+Shift+X",
        "Hang up the consultation and return to the caller",
    ),
    "bridge": ("&Bridge", "bridge", "Ctrl+B", "Connect the two selected calls"),
    "merge": ("Merge into &conference", "merge", "Ctrl+Shift+M", "Merge selected calls"),
    "add_participant": (
        "&Add participant…",
        "add_participant",
        "Ctrl+Shift+A",
        "Dial a number into the selected conference",
    ),
    "kick": ("&Kick participant", "kick", "Ctrl+K", "Remove the participant from its conference"),
    "end_conference": ("&End conference", "end_conference", "Ctrl+Shift+E", "End the conference"),
    "send_dtmf": ("Send DT&MF…", "dtmf", "Ctrl+Shift+D", "Send touch tones to the selected call"),
    "pick": ("&Pick from queue", "pick", "Ctrl+P", "Answer the selected waiting call"),
    "settings": ("&Settings…", "settings", "Ctrl+,", "Account, numbers, tunnel and security"),
}


# The two labels of each toggling action (off, on); the toolbar reserves room for the longer.
TOGGLE_TEXTS: dict[str, tuple[str, str]] = {
    "hold": ("H&old", "Unh&old"),
    "mute": ("&Mute", "Un&mute"),
    "record": ("Re&cord", "Stop re&cording"),
    "record_pause": ("&Pause recording", "Res&ume recording"),
}
