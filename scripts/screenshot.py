"""Render the demo-mode console window to a PNG (offscreen), for the README screenshot.

    .venv/bin/python scripts/screenshot.py [--output resources/screenshot.png] [--theme light]

It starts a real demo session (in-process simulator, receiver, journal, store, client), stages
a busy moment through the same operations the buttons use — calls ringing, answered, on hold,
muted, recording, a conference and a queue — waits until every webhook has been applied, and
grabs the window. Everything lives in a throwaway home folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CALLERS = [
    ("+13125550142", "Pat Caller"),
    ("+14155550187", "Dana Whitfield"),
    ("+16465550123", "Ravi Menon"),
    ("+17735550168", "Lucia Ortega"),
    ("+12065550111", "Sam Okafor"),
    ("+13055550199", "Ingrid Holm"),
]


async def stage(session, window) -> None:
    """Put the console in a realistic, busy state using the operator's own operations."""
    from console.operations.waiting import wait_for
    from console.simulator import phones
    from console.state.entities import CallState

    ops, store, sim = session.ops, session.store, session.simulator

    async def until(condition, what):
        return await wait_for(store, condition, within=20.0, what=what)

    ccids = []
    for number, name in CALLERS:
        ccid = await sim.place_inbound_call(from_=number, caller_name=name, ring_secs=3600)
        await until(lambda c=ccid: store.call(c), f"{name} ringing")
        ccids.append(ccid)
    answered = ccids[:4]
    for ccid in answered:
        await ops.answer(ccid)
        await until(
            lambda c=ccid: store.call(c).state in (CallState.ANSWERED, CallState.IN_CONFERENCE),
            "answered",
        )
    await ops.hold(answered[0])
    await ops.mute(answered[1])
    await ops.record_start(answered[2])
    await ops.merge([answered[2], answered[3]])
    # A caller waiting in a queue, as an IVR would leave them.
    await session.client.calls.answer(ccids[4])
    await until(lambda: store.call(ccids[4]).state is CallState.ANSWERED, "answered")
    await session.client.calls.enqueue(ccids[4], queue_name="support")
    await ops.dial(phones.ANSWERS, sim.from_numbers[0])
    await sim.wait_idle(20.0)
    window.select_calls([answered[0]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "resources" / "screenshot.png"))
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.TemporaryDirectory(prefix="telnyx-console-shot-")
    os.environ["TELNYX_CONSOLE_HOME"] = home.name

    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from console.config import Settings
    from console.secrets import SecretStore, use_in_memory_keyring
    from console.session import ConsoleSession
    from console.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)  # the session must stop after the window closes
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    shot = []

    async def shoot() -> None:
        settings = Settings(tunnel_provider="none", theme=args.theme)
        session = ConsoleSession(
            settings,
            SecretStore(environ={}),
            demo=True,
            receiver_port=0,
            demo_traffic=False,
            simulator_options={"speed": 1.0, "seed": 3},
        )
        await session.start()
        qsettings = QSettings(str(Path(home.name) / "layout.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, qsettings=qsettings)
        try:
            window.resize(width, height)
            window.show()
            window.load_event_history()
            await stage(session, window)
            window.store_bridge.flush()
            await asyncio.sleep(1.2)  # let the once-a-second duration tick repaint the rows
            app.processEvents()
            shot.append(window.grab())
        finally:
            window.close()
            await session.stop()

    with use_in_memory_keyring(), loop:
        loop.run_until_complete(shoot())
    home.cleanup()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if not shot[0].save(str(output)):
        print(f"could not write {output}", file=sys.stderr)
        return 1
    print(f"wrote {output} ({output.stat().st_size // 1024} KiB, {width}x{height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
