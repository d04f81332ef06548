"""The README's keyboard tables name keys the real window binds (the workflow's included)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from console.ui.main_window import MainWindow
from tests.ui.fakes import FakeSession

README = Path(__file__).resolve().parents[2] / "README.md"
PORTABLE = QKeySequence.SequenceFormat.PortableText


def readme_keys() -> dict[str, str]:
    """{key: action} from every table row of the README's Keyboard section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Keyboard", 1)[1].split("\n## ", 1)[0]
    keys: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[1] in ("key", "---"):
            continue
        for action, key in ((cells[0], cells[1]), (cells[2], cells[3])):
            for one in re.split(r" / | … ", key):
                keys[QKeySequence(one).toString(PORTABLE)] = action
    return keys


def test_every_key_in_the_readme_is_bound_in_the_window(qtbot, qsettings):
    window = MainWindow(FakeSession(), qsettings=qsettings)
    qtbot.addWidget(window)
    assert window.workflow is not None
    bound: set[str] = set()
    for action in window.findChildren(QAction):
        bound |= {s.toString(PORTABLE) for s in action.shortcuts()}
    for shortcut in window.findChildren(QShortcut):
        bound.add(shortcut.key().toString(PORTABLE))
    listed = readme_keys()
    assert len(listed) >= 40  # calls, workflow and window tables all read
    missing = {key: action for key, action in listed.items() if key not in bound}
    assert missing == {}
    window.close()
