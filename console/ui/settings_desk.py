"""The Settings dialog's Desk page: this desk's own preferences, the ringtone's volume and
device and the call timer's amber and red ages.

They are kept in the desk's QSettings beside the window layout, not in the console's settings
file (another desk sharing the settings keeps its own), and saved only once the dialog's
settings were applied. Split out of console/ui/settings_dialog.py (issue 11).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QSlider, QWidget

from console.ui.ringer import AudioUnavailable, SoundDeviceOutput


def _number(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default


class DeskSettingsPage(QWidget):
    """Ringtone volume and device, the call timer's colour thresholds."""

    def __init__(self, desk: QSettings):
        super().__init__()
        self.desk = desk
        form = QFormLayout(self)
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(int(_number(desk.value("ringing/volume"), 80)))
        self.volume_slider.setAccessibleName("Ringtone volume")
        self.volume_slider.setToolTip("0 rings silently (the popup still shows)")
        form.addRow("Ringtone &volume", self.volume_slider)
        self.device_combo = QComboBox(self)
        self.device_combo.setAccessibleName("Ringtone device")
        self.device_combo.addItem("System default", "")
        try:
            devices = SoundDeviceOutput().output_devices()
        except AudioUnavailable as exc:
            devices = []
            self.device_combo.setToolTip(f"No audio output found: {exc}")
        for name in devices:
            self.device_combo.addItem(name, name)
        saved = str(desk.value("ringing/device") or "")
        if saved and self.device_combo.findData(saved) < 0:
            self.device_combo.addItem(f"{saved} (not connected)", saved)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(saved)))
        form.addRow("Ringtone &device", self.device_combo)
        self.warn_spin = QDoubleSpinBox(self)
        self.alert_spin = QDoubleSpinBox(self)
        for spin, key, default, name in (
            (self.warn_spin, "calls/warn_after_minutes", 5.0, "Call timer turns amber after"),
            (self.alert_spin, "calls/alert_after_minutes", 15.0, "Call timer turns red after"),
        ):
            spin.setRange(0.5, 600)
            spin.setDecimals(1)
            spin.setSuffix(" min")
            spin.setValue(_number(desk.value(key), default))
            spin.setAccessibleName(name)
        form.addRow("Timer &amber after", self.warn_spin)
        form.addRow("Timer &red after", self.alert_spin)

    def save(self) -> None:
        desk = self.desk
        desk.setValue("ringing/volume", self.volume_slider.value())
        desk.setValue("ringing/device", self.device_combo.currentData() or "")
        warn = self.warn_spin.value()
        desk.setValue("calls/warn_after_minutes", warn)
        desk.setValue("calls/alert_after_minutes", max(warn, self.alert_spin.value()))
