"""The status bar as an instrument of the webhook path: receiver, tunnel, API, signatures, age."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from console.ui import formatting as fmt
from console.ui.steady_width import SteadyWidth

if TYPE_CHECKING:
    from console.operations.health import Health
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)


def _set_severity(label: QWidget, severity: str) -> None:
    # The stylesheet colours labels by this property; re-polish so a change shows at once.
    if label.property("severity") != severity:
        label.setProperty("severity", severity)
        label.style().unpolish(label)
        label.style().polish(label)


#: Events received but not yet shown from which the status bar says it is catching up.
CATCHING_UP_AT = 50


class StatusBar(QStatusBar):
    """Reads ``session.health`` on every health change and once a second (ages tick)."""

    missed_cleared = Signal()

    def __init__(self, session: ConsoleApi, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        # Missed calls first: what an operator looks for; the webhook instruments follow.
        self.missed_button = QToolButton(self)
        self.missed_button.setObjectName("missedCalls")
        self.missed_button.setAutoRaise(True)
        self.missed_button.setAccessibleName("Missed calls")
        self.missed_button.clicked.connect(self._clear_missed)
        self.missed_button.setVisible(False)
        self.addPermanentWidget(self.missed_button)
        self.missed: list[str] = []
        self.sound_label = self._label("soundLabel", "")
        self.sound_label.setVisible(False)
        self.receiver_label = self._label("receiverLabel", "Where webhooks are received")
        self.tunnel_label = self._label("tunnelLabel", "Public tunnel to the receiver")
        self.api_label = self._label("apiLabel", "Telnyx REST API")
        self.verification_label = self._label("verificationLabel", "Webhook signature check")
        self.last_event_label = self._label("lastEventLabel", "Age of the last webhook")
        self._last_event_width = SteadyWidth(self.last_event_label)
        self.silence_label = self._label("silenceLabel", "")
        self.silence_label.setVisible(False)
        self.demo_label = self._label("demoLabel", "Running on the built-in simulator")
        self.demo_label.setText("DEMO")
        self.demo_label.setVisible(session.demo)
        _set_severity(self.demo_label, "warning")
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def add_missed(self, words: str) -> None:
        """One more call rang out unanswered: count it until the operator has looked."""
        self.missed.append(words)
        count = len(self.missed)
        self.missed_button.setText(f"Missed calls: {count}")
        recent = "\n".join(self.missed[-10:])
        self.missed_button.setToolTip(f"{recent}\n\nClick to mark them seen.")
        _set_severity(self.missed_button, "warning")
        self.missed_button.setVisible(True)

    def set_sound_problem(self, text: str) -> None:
        """The ringtone cannot play: say so where it stays in view, in full in the tooltip."""
        self.sound_label.setText("Ringtone: no sound")
        self.sound_label.setToolTip(text)
        self.sound_label.setAccessibleDescription(text)
        _set_severity(self.sound_label, "warning")
        self.sound_label.setVisible(True)

    def _clear_missed(self) -> None:
        self.missed.clear()
        self.missed_button.setVisible(False)
        self.missed_cleared.emit()

    def _label(self, name: str, tip: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setToolTip(tip)
        label.setAccessibleName(tip or name)
        self.addPermanentWidget(label)
        return label

    def refresh(self) -> None:
        try:
            health = self.session.health
        except Exception:
            log.exception("Could not read the session's health")
            return
        if health is None:
            return
        team = health.mode == "team"
        self.tunnel_label.setVisible(not team)  # a team console has no tunnel
        if team:
            self._refresh_team(health)
        else:
            self._refresh_receiver_and_tunnel(health)
        self._refresh_api_and_events(health, team)

    def _refresh_team(self, health: Health) -> None:
        """Team mode: events come from the relay through the broker, not a receiver here."""
        problem = health.broker_problem
        if problem and health.broker_state == "connecting":
            self.receiver_label.setText("Team: connecting…")
            self.receiver_label.setToolTip(problem)
            _set_severity(self.receiver_label, "warning")
        elif problem:
            self.receiver_label.setText("⚠ Broker disconnected")
            self.receiver_label.setToolTip(problem)
            _set_severity(self.receiver_label, "error")
        else:
            self.receiver_label.setText("Team: connected")
            self.receiver_label.setToolTip(
                "Events come from the team's relay through the broker (no tunnel here)"
            )
            _set_severity(self.receiver_label, "ok")

    def _refresh_receiver_and_tunnel(self, health: Health) -> None:
        # Short words on the bar (it must fit a small or scaled screen); addresses in tooltips.
        receiver = health.receiver_url
        problem = health.receiver_problem
        if problem:
            self.receiver_label.setText("⚠ Receiver restarting")
            self.receiver_label.setToolTip(problem)
            _set_severity(self.receiver_label, "error")
        else:
            self.receiver_label.setText("Receiver: on" if receiver else "Receiver: stopped")
            self.receiver_label.setToolTip(
                f"Webhooks are received at {receiver}"
                if receiver
                else "The receiver is not running"
            )
            _set_severity(self.receiver_label, "" if receiver else "warning")

        state = health.tunnel_state or "none"
        url = health.tunnel_url
        self.tunnel_label.setText(f"Tunnel: {state}")
        tip = [f"Public tunnel: {state}", url or "no public URL"]
        for value, words in (
            (health.tunnel_error, "Tunnel error"),
            (health.webhook_url, "Webhook URL set to"),
            (health.webhook_problem, "Webhook URL problem"),
        ):
            if value:
                tip.append(f"{words}: {value}")
        self.tunnel_label.setToolTip("\n".join(tip))
        bad_tunnel = state.lower() in ("error", "failed", "disconnected")
        warn_tunnel = state.lower() in ("down", "reconnecting", "stopped") or bool(
            health.webhook_problem
        )
        if health.webhook_problem:
            self.tunnel_label.setText(self.tunnel_label.text() + " (webhook URL not set)")
        _set_severity(
            self.tunnel_label, "error" if bad_tunnel else "warning" if warn_tunnel else ""
        )

    def _refresh_api_and_events(self, health: Health, team: bool) -> None:
        reachable = health.api_reachable
        error = health.api_last_error
        # A console not set up yet (no API key) has nothing to be red about: the setup wizard
        # is open and the operator has typed nothing yet.
        unconfigured = not self.session.demo and self.session.client is None
        if unconfigured:
            self.api_label.setText("API: not set up")
            _set_severity(self.api_label, "")
        elif reachable is None:
            self.api_label.setText("API: not checked")
            _set_severity(self.api_label, "")
        elif reachable:
            self.api_label.setText("API: reachable")
            _set_severity(self.api_label, "ok")
        else:
            self.api_label.setText("API: unreachable")
            _set_severity(self.api_label, "error")
        self.api_label.setToolTip(f"Telnyx REST API\nLast error: {error or 'none'}")

        key_problem = health.key_problem
        if team:
            self.verification_label.setText("Signatures: at the relay")
            self.verification_label.setToolTip(
                "The team's relay checks every webhook's signature before publishing it"
            )
            _set_severity(self.verification_label, "")
        elif unconfigured and key_problem:
            self.verification_label.setText("Signatures: not set up")
            self.verification_label.setToolTip(key_problem)
            _set_severity(self.verification_label, "")
        elif key_problem:
            self.verification_label.setText("⚠ Signature key problem")
            self.verification_label.setToolTip(key_problem)
            _set_severity(self.verification_label, "error")
        elif health.verification_enabled:
            self.verification_label.setText("Signatures: verified")
            self.verification_label.setToolTip("Webhook signatures are checked (Ed25519)")
            _set_severity(self.verification_label, "ok")
        else:
            self.verification_label.setText("⚠ Signatures NOT verified")
            self.verification_label.setToolTip(
                "Webhook signature verification is off: anyone who finds the URL can post fake "
                "events. Turn it on in Settings."
            )
            _set_severity(self.verification_label, "warning")

        last = health.last_event_at
        age = fmt.seconds_between(last, fmt.now()) if last else None
        text = f"Last event: {fmt.format_age(age)}"
        delay = health.last_delivery_delay
        if delay is not None:
            text += f" (delay {delay:.1f} s)"
        retries = health.retries_seen
        rejected = health.rejected_count
        if retries:
            text += f" · retries {retries}"
        if rejected:
            text += f" · rejected {rejected}"
        pending = health.events_pending
        if pending >= CATCHING_UP_AT:
            # Everything was received and answered; the window is still folding it in.
            text += f" · catching up: {pending:,} events"
        self.last_event_label.setText(text)
        self._last_event_width.update()
        resync = health.last_resync_at
        tip = ["Age of the last webhook, its delivery delay, retries and rejections"]
        if resync is not None:
            reason = health.last_resync_reason or ""
            tip.append(f"Last resync {fmt.format_time(resync)} {reason}".rstrip())
        if health.last_resync_error:
            tip.append(f"Resync failed: {health.last_resync_error}")
        self.last_event_label.setToolTip("\n".join(tip))

        silent = bool(health.silence_warning)
        self.silence_label.setVisible(silent)
        if silent:
            self.silence_label.setText("⚠ NO EVENTS — calls are live but webhooks have stopped")
            self.silence_label.setToolTip(
                "Calls are live but no webhook has arrived for a while. Check the tunnel and "
                "the network; the console will resync from the API."
            )
            _set_severity(self.silence_label, "error")
