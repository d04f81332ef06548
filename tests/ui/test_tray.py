"""The tray icon's record of notifications stays bounded over a long day."""

from console.ui.tray import KEPT_NOTIFICATIONS, Tray


def test_only_the_latest_notifications_are_kept(qapp):
    tray = Tray()
    for n in range(KEPT_NOTIFICATIONS + 5):
        tray.notify("Incoming call", f"call {n}")
    assert len(tray.notifications) == KEPT_NOTIFICATIONS
    assert tray.notifications[0] == ("Incoming call", "call 5")
    assert tray.notifications[-1] == ("Incoming call", f"call {KEPT_NOTIFICATIONS + 4}")
