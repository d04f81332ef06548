"""The status bar as an instrument of the webhook path: receiver, tunnel, API, signatures, age."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from console.ui import formatting as fmt

log = logging.getLogger(__name__)


def _set_severity(label: QLabel, severity: str) -> None:
    # The stylesheet colours labels by this property; re-polish so a change shows at once.
    if label.property("severity") != severity:
        label.setProperty("severity", severity)
        label.style().unpolish(label)
        label.style().polish(label)


#: Events received but not yet shown from which the status bar says it is catching up.
CATCHING_UP_AT = 50


class StatusBar(QStatusBar):
    """Reads ``session.health`` on every health change and once a second (ages tick)."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.receiver_label = self._label("receiverLabel", "Where webhooks are received")
        self.tunnel_label = self._label("tunnelLabel", "Public tunnel to the receiver")
        self.api_label = self._label("apiLabel", "Telnyx REST API")
        self.verification_label = self._label("verificationLabel", "Webhook signature check")
        self.last_event_label = self._label("lastEventLabel", "Age of the last webhook")
        self.silence_label = self._label("silenceLabel", "")
        self.silence_label.setVisible(False)
        self.demo_label = self._label("demoLabel", "Running on the built-in simulator")
        self.demo_label.setText("DEMO")
        self.demo_label.setVisible(bool(getattr(session, "demo", False)))
        _set_severity(self.demo_label, "warning")
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

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
        receiver = getattr(health, "receiver_url", None)
        problem = getattr(health, "receiver_problem", None)
        if problem:
            self.receiver_label.setText("⚠ Receiver restarting")
            self.receiver_label.setToolTip(problem)
            _set_severity(self.receiver_label, "error")
        else:
            self.receiver_label.setText(
                f"Receiver: {receiver}" if receiver else "Receiver: stopped"
            )
            self.receiver_label.setToolTip("Where webhooks are received")
            _set_severity(self.receiver_label, "" if receiver else "warning")

        state = getattr(health, "tunnel_state", None) or "none"
        url = getattr(health, "tunnel_url", None)
        self.tunnel_label.setText(f"Tunnel: {state}" + (f" — {url}" if url else ""))
        tip = [f"Public tunnel: {state}", url or "no public URL"]
        for name, words in (
            ("tunnel_error", "Tunnel error"),
            ("webhook_url", "Webhook URL set to"),
            ("webhook_problem", "Webhook URL problem"),
        ):
            value = getattr(health, name, None)
            if value:
                tip.append(f"{words}: {value}")
        self.tunnel_label.setToolTip("\n".join(tip))
        bad_tunnel = state.lower() in ("error", "failed", "disconnected")
        warn_tunnel = state.lower() in ("down", "reconnecting", "stopped") or bool(
            getattr(health, "webhook_problem", None)
        )
        if getattr(health, "webhook_problem", None):
            self.tunnel_label.setText(self.tunnel_label.text() + " ⚠ webhook URL not set")
        _set_severity(
            self.tunnel_label, "error" if bad_tunnel else "warning" if warn_tunnel else ""
        )

        reachable = getattr(health, "api_reachable", None)
        error = getattr(health, "api_last_error", None)
        if reachable is None:
            self.api_label.setText("API: not checked")
            _set_severity(self.api_label, "")
        elif reachable:
            self.api_label.setText("API: reachable")
            _set_severity(self.api_label, "ok")
        else:
            self.api_label.setText("API: unreachable" + (f" — {error}" if error else ""))
            _set_severity(self.api_label, "error")
        self.api_label.setToolTip(f"Telnyx REST API\nLast error: {error or 'none'}")

        key_problem = getattr(health, "key_problem", None)
        if key_problem:
            self.verification_label.setText("⚠ Signature key problem")
            self.verification_label.setToolTip(key_problem)
            _set_severity(self.verification_label, "error")
        elif getattr(health, "verification_enabled", True):
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

        last = getattr(health, "last_event_at", None)
        age = fmt.seconds_between(last, fmt.now()) if last else None
        text = f"Last event: {fmt.format_age(age)}"
        delay = getattr(health, "last_delivery_delay", None)
        if delay is not None:
            text += f" (delay {delay:.1f} s)"
        retries = getattr(health, "retries_seen", 0) or 0
        rejected = getattr(health, "rejected_count", 0) or 0
        if retries:
            text += f" · retries {retries}"
        if rejected:
            text += f" · rejected {rejected}"
        pending = getattr(health, "events_pending", 0) or 0
        if pending >= CATCHING_UP_AT:
            # Everything was received and answered; the window is still folding it in.
            text += f" · catching up: {pending:,} events"
        self.last_event_label.setText(text)
        resync = getattr(health, "last_resync_at", None)
        tip = ["Age of the last webhook, its delivery delay, retries and rejections"]
        if resync is not None:
            reason = getattr(health, "last_resync_reason", None) or ""
            tip.append(f"Last resync {fmt.format_time(resync)} {reason}".rstrip())
        if getattr(health, "last_resync_error", None):
            tip.append(f"Resync failed: {health.last_resync_error}")
        self.last_event_label.setToolTip("\n".join(tip))

        silent = bool(getattr(health, "silence_warning", False))
        self.silence_label.setVisible(silent)
        if silent:
            self.silence_label.setText("⚠ NO EVENTS — calls are live but webhooks have stopped")
            self.silence_label.setToolTip(
                "Calls are live but no webhook has arrived for a while. Check the tunnel and "
                "the network; the console will resync from the API."
            )
            _set_severity(self.silence_label, "error")
