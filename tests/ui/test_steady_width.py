"""Labels that keep still: a status bar label widens at once and narrows only after its text
has stayed shorter for a while, so the labels beside it do not jiggle under traffic."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from console.ui.steady_width import SteadyWidth


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_label_widens_at_once_and_narrows_only_after_the_hold(qtbot):
    label, clock = QLabel("Last event: now"), Clock()
    qtbot.addWidget(label)
    steady = SteadyWidth(label, hold_secs=10.0, clock=clock)
    steady.update()
    short = label.minimumWidth()
    label.setText("Last event: now (delay 1.2 s) · catching up: 4,200 events")
    steady.update()
    wide = label.minimumWidth()
    assert wide > short

    label.setText("Last event: now")
    clock.now += 9
    steady.update()
    assert label.minimumWidth() == wide  # shorter for a moment: nothing moves
    clock.now += 2
    steady.update()
    assert label.minimumWidth() == short  # shorter for the whole hold: it gives the room back


def test_the_status_bar_labels_stay_put_when_catching_up_clears(qtbot, window, session):
    status = window.status
    session.health_changed(events_pending=4_200)
    QApplication.processEvents()
    assert "catching up" in status.last_event_label.text()
    where = status.verification_label.geometry()
    session.health_changed(events_pending=0)
    QApplication.processEvents()
    assert "catching up" not in status.last_event_label.text()
    assert status.verification_label.geometry() == where
