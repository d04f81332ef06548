"""Render the application SVG to the PNG/ICO/ICNS files PyInstaller wants, with Qt offscreen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZE = 256
FORMATS = {"png": "PNG", "ico": "ICO", "icns": "ICNS"}


def render_icons(svg: Path, out_dir: Path, stem: str = "telnyx-console") -> dict[str, Path]:
    """Write ``stem.png/.ico/.icns`` into ``out_dir``; return the files that Qt could write."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for suffix, fmt in FORMATS.items():
        path = out_dir / f"{stem}.{suffix}"
        # ICNS needs the qicns image plugin, which not every Qt build ships: keep what works.
        if image.save(str(path), fmt):
            written[suffix] = path
    if "png" not in written:
        raise OSError(f"Qt could not write {out_dir / stem}.png")
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_icons.py ICON.svg OUT_DIR", file=sys.stderr)
        return 2
    try:
        written = render_icons(Path(argv[0]), Path(argv[1]))
    except (OSError, ValueError, ImportError) as exc:
        print(f"make_icons: {exc}", file=sys.stderr)
        return 1
    for path in written.values():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
