"""Is there a display to open a window on? Asked before Qt is, so the answer is one clear line.

Without a usable X display Qt's xcb plugin aborts the process (exit 134) after a misleading
hint about ``libxcb-cursor0``. On Linux, when Qt would use xcb, the console connects to the
display itself first (through libxcb, as Qt does, so authorisation counts too) and, if that
fails, says which display it tried and what to do. Qt-free: no Qt is imported here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Mapping

#: Platforms whose windows are not X11 ones (Qt's names for its platform plugins).
_NOT_XCB = ("offscreen", "minimal", "vnc", "wayland", "eglfs", "linuxfb", "vkkhrdisplay")


def qt_uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt would open its windows through X11 (the xcb plugin) in this environment."""
    if not platform.startswith("linux"):
        return False
    # QT_QPA_PLATFORM may list fallbacks ("wayland;xcb"): the first one is tried first.
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].strip().lower()
    if wanted:
        return wanted.startswith("xcb") or not wanted.startswith(_NOT_XCB)
    # Unset: Qt 6 prefers Wayland in a Wayland session, X11 otherwise.
    return not environ.get("WAYLAND_DISPLAY")


def display_problem(
    environ: Mapping[str, str] | None = None, platform: str = sys.platform
) -> str | None:
    """One line saying why no window can open, or None when the display answers (or is not X)."""
    env = os.environ if environ is None else environ
    if not qt_uses_xcb(env, platform):
        return None
    display = env.get("DISPLAY", "").strip()
    if not display:
        return (
            "No display: DISPLAY is not set. Start the console from a desktop session, "
            "set DISPLAY (e.g. DISPLAY=:0), or try it headless with --self-test."
        )
    opened = _xcb_connects(display)
    if opened is False:
        return (
            f"Cannot open the display DISPLAY={display}: no X server accepted the connection "
            "there. Check DISPLAY (and XAUTHORITY), or start the console from a desktop session."
        )
    return None


def _xcb_connects(display: str) -> bool | None:
    """True/False: libxcb could/could not connect to ``display``; None: libxcb is missing.

    Without libxcb Qt's xcb plugin cannot load either, and its own message about missing
    libraries is then the right one, so the check steps aside.
    """
    name = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # xcb_connect never returns NULL: a failed connection is an object in an error state,
    # and it must be freed with xcb_disconnect all the same.
    connection = xcb.xcb_connect(display.encode(), None)
    if not connection:
        return False
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)
