"""Themes: switching schemes re-styles only what changed (a repeated setStyle crashed Qt)."""

from __future__ import annotations

from unittest import mock

from PySide6.QtWidgets import QApplication

from console.ui import theme


def test_switching_schemes_sets_the_style_once_and_the_palette_per_change(qapp):
    app = QApplication.instance()
    app.setProperty("telnyx_console_styled", None)
    app.setProperty("telnyx_console_scheme", None)
    with (
        mock.patch.object(app, "setStyle", wraps=app.setStyle) as set_style,
        mock.patch.object(app, "setStyleSheet", wraps=app.setStyleSheet) as set_sheet,
    ):
        assert theme.apply_theme("light") == "light"
        assert theme.apply_theme("light") == "light"
        assert theme.apply_theme("dark") == "dark"
        assert theme.apply_theme("dark") == "dark"
    assert set_style.call_count == 1
    assert set_sheet.call_count == 2  # light, then dark: never for an unchanged scheme
    assert theme.current() == "dark"
    theme.apply_theme("light")
