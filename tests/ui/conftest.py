"""Fixtures for the window's tests: the shared qasync loop, an isolated QSettings, fakes.

``session``, ``events`` and ``window`` are the main window on the boundary-faked session that
most modules here share (test_desk_*.py, test_window_*.py, test_polish.py...); a module defines
its own only where it differs.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from console.ui.main_window import MainWindow
from tests.support.qt import event_loop_tasks, qasync_loop  # noqa: F401  (fixtures)
from tests.ui.fakes import Events, FakeSession


@pytest.fixture(autouse=True)
def _loop(event_loop_tasks):  # noqa: F811
    """Every UI test runs with the qasync loop installed and leftover tasks cancelled."""
    yield event_loop_tasks


@pytest.fixture
def qsettings(tmp_path):
    """A QSettings in the test's folder, so layouts never touch the user's real config."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def session():
    return FakeSession()


@pytest.fixture
def events():
    return Events()


@pytest.fixture
def window(qtbot, session, qsettings):
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w
