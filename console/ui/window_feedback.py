"""What the main window tells the operator, and where it says it.

A passing word goes to the status bar for 5 s; an error stays there 15 s and is kept in the
notification area until dismissed; the webhook path test's and the resync's results, the
start-up notices (once each) and the missed calls are turned into those words here.

Split out of console/ui/main_window.py (issue 11): the window composes widgets, this module
decides how a result reads and in which place; it holds no widget of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable

from console.state.entities import Call
from console.ui import formatting as fmt
from console.ui.notifications import NotificationArea
from console.ui.status_bar import StatusBar


class WindowFeedback:
    """The status bar and notification area of one window, spoken to in the window's words."""

    def __init__(self, status: StatusBar, notifications: NotificationArea):
        self.status = status
        self.notifications = notifications
        self._notices_shown: set[str] = set()
        self._missed_seen: set[str] = set()

    def notify_error(self, text: str) -> None:
        self.status.showMessage(text, 15000)
        self.notifications.show_message(text)

    def show_status(self, text: str) -> None:
        self.status.showMessage(text, 5000)

    def notify_info(self, text: str) -> None:
        self.notifications.show_message(text, "info")

    def path_test_finished(self, ok: bool, text: str) -> None:
        """The health panel's webhook path test ended: one line in the status bar, every
        line of a failure in the notifications."""
        lines = [unstamp(line) for line in text.splitlines() if line.strip()]
        if ok:
            self.show_status("Webhook path test passed: every link works (see Webhook health).")
            return
        failed = [line for line in lines if "✘" in line] or lines or ["no details"]
        summary = failed[0].removeprefix("✘").strip()
        self.status.showMessage(f"Webhook path test failed: {summary}", 15000)
        self.notifications.show_message("Webhook path test failed:\n" + "\n".join(lines))

    def resync_finished(self, ok: bool, text: str) -> None:
        if ok:
            self.show_status(unstamp(text))
        else:
            self.notify_error(unstamp(text))

    def show_notices(self, notices: Iterable[str]) -> None:
        """Start-up notes (a bad settings file, a missing key...) are shown once each."""
        for notice in notices:
            if notice not in self._notices_shown:
                self._notices_shown.add(notice)
                self.notifications.show_message(notice, "info")

    def count_missed(
        self,
        ccids: Iterable[str],
        call_of: Callable[[str], Call | None],
        rejected_here: Container[str],
    ) -> None:
        """An incoming call that ended while still ringing, not rejected from here: missed."""
        for ccid in ccids:
            call = call_of(ccid)
            if (
                call is None
                or call.is_live
                or call.direction != "incoming"
                or call.answered_at is not None
                or ccid in rejected_here
                or ccid in self._missed_seen
            ):
                continue
            self._missed_seen.add(ccid)
            when = fmt.format_time(call.ended_at)
            self.status.add_missed(f"{when}  {fmt.party(call.from_number, call.caller_name)}")


def unstamp(line: str) -> str:
    """The health panel stamps results "12:00:05  text"; the status bar has its own context."""
    head, sep, rest = line.partition("  ")
    return rest if sep and head and head[0].isdigit() and ":" in head else line
