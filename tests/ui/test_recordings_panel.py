"""The recordings panel over a real Store, downloading from a local aiohttp server."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiohttp import web
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication

from console.simulator.media import wav_bytes
from console.ui.recording_download import EXPIRED_MESSAGE
from console.ui.recordings_model import COL_FORMAT, COL_OWNER
from console.ui.recordings_panel import EXPIRY_NOTE, RecordingsPanel
from tests.support.qt import run_task
from tests.ui.fakes import iso

WAV = wav_bytes(1.0)


class MediaServer:
    """Serves recordings like Telnyx's storage: a WAV for known names, 404 otherwise."""

    def __init__(self):
        self.runner: web.AppRunner | None = None
        self.base = ""
        self.requests: list[str] = []

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/rec/{name}", self.serve)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.base = f"http://{host}:{port}/rec"

    async def serve(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.requests.append(name)
        if name.startswith("expired"):
            return web.Response(status=404, text="Not Found")
        if name.startswith("broken"):
            return web.Response(status=500, text="oops")
        return web.Response(body=WAV, content_type="audio/wav")


@pytest.fixture
def server(qtbot):
    s = MediaServer()
    run_task(qtbot, s.start())
    yield s
    run_task(qtbot, s.runner.cleanup())


@pytest.fixture
def panel(qtbot, session):
    p = RecordingsPanel(session)
    qtbot.addWidget(p)
    p.show()
    return p


def recorded_call(session, events, ccid, wav_url, mp3_url=None, *, minutes_ago=1):
    session.store.apply(events.initiated(ccid))
    session.store.apply(events.answered(ccid))
    start = events.t0 - timedelta(minutes=minutes_ago)
    urls = {"wav": wav_url, **({"mp3": mp3_url} if mp3_url else {})}
    session.store.apply(
        events.call(
            "call.recording.saved",
            ccid,
            channels="single",
            recording_started_at=iso(start),
            recording_ended_at=iso(start + timedelta(seconds=42)),
            recording_urls=urls,
        )
    )


def labels(panel):
    return [panel.model.index(r, COL_OWNER).data() for r in range(panel.model.rowCount())]


def test_lists_call_and_conference_recordings_incrementally(qtbot, panel, session, events):
    assert panel.model.rowCount() == 0
    assert panel.note.text() == EXPIRY_NOTE
    assert not panel.download_button.isEnabled()
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav", "https://s3.test/a.mp3")
    assert labels(panel) == ["Ada Lovelace <+13125550100> → +13125550199"]
    assert panel.model.index(0, COL_FORMAT).data() == "WAV + MP3"
    assert panel.model.index(0, 2).data() == "0:42"

    session.store.apply(events.initiated("v3:b"))
    session.store.apply(events.conference_created("conf-1", "v3:b"))
    session.store.note_conference_name("conf-1", "Standup")
    session.store.apply(
        events.envelope(
            "conference.recording.saved",
            {
                **events.ids("v3:b"),
                "conference_id": "conf-1",
                "format": "wav",
                "recording_id": "rec-conf-1",
                "recording_started_at": iso(events.t0),
                "recording_ended_at": iso(events.t0 + timedelta(seconds=5)),
                "recording_urls": {"wav": "https://s3.test/conf.wav"},
            },
            in_payload=True,
        )
    )
    # Newest first: the conference recording started after the call's.
    assert labels(panel) == [
        "Conference Standup",
        "Ada Lovelace <+13125550100> → +13125550199",
    ]
    # More events about the same call do not duplicate its recording.
    session.store.apply(events.hangup("v3:a"))
    assert panel.model.rowCount() == 2


def test_existing_recordings_are_listed_at_creation(qtbot, session, events):
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav")
    p = RecordingsPanel(session)
    qtbot.addWidget(p)
    assert p.model.rowCount() == 1


def test_recordings_stay_listed_after_the_store_forgets_the_call(qtbot, panel, session, events):
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav")
    session.store.apply(events.hangup("v3:a"))
    session.store.prune_ended(timedelta(seconds=-3600))
    assert "v3:a" not in session.store.calls
    assert panel.model.rowCount() == 1


def test_download_saves_the_wav(qtbot, panel, session, events, server, tmp_path):
    recorded_call(session, events, "v3:a", f"{server.base}/a.wav")
    target = tmp_path / "a.wav"
    result = run_task(qtbot, panel.download_to(0, target))
    assert result.ok, result.message
    assert target.read_bytes() == WAV
    assert target.read_bytes()[:4] == b"RIFF"
    assert panel.status.text() == result.message
    assert str(target) in result.message
    assert not panel.progress.isVisible()
    assert not list(tmp_path.glob("*.part"))


def test_download_picks_the_format_of_the_file_name(
    qtbot, panel, session, events, server, tmp_path
):
    recorded_call(session, events, "v3:a", f"{server.base}/a.wav", f"{server.base}/a.mp3")
    run_task(qtbot, panel.download_to(0, tmp_path / "x.mp3"))
    run_task(qtbot, panel.download_to(0, tmp_path / "x.wav"))
    assert server.requests == ["a.mp3", "a.wav"]


def test_expired_link_says_so(qtbot, panel, session, events, server, tmp_path):
    recorded_call(session, events, "v3:a", f"{server.base}/expired.wav")
    target = tmp_path / "a.wav"
    result = run_task(qtbot, panel.download_to(0, target))
    assert not result.ok and result.expired
    assert panel.status.text() == EXPIRED_MESSAGE
    assert "Recordings API" in panel.status.text()
    assert not target.exists()


def test_server_error_and_unreachable_host_are_sentences(
    qtbot, panel, session, events, server, tmp_path
):
    recorded_call(session, events, "v3:a", f"{server.base}/broken.wav")
    result = run_task(qtbot, panel.download_to(0, tmp_path / "a.wav"))
    assert result.message.startswith("Download failed: the recording server answered HTTP 500")

    recorded_call(session, events, "v3:b", "http://127.0.0.1:1/nowhere.wav", minutes_ago=0)
    row = next(r for r in range(panel.model.rowCount()) if panel.model.row(r).owner_id == "v3:b")
    result = run_task(qtbot, panel.download_to(row, tmp_path / "b.wav"))
    assert result.message.startswith("Download failed: could not reach 127.0.0.1")
    assert "Traceback" not in panel.status.text()


def test_unwritable_target_is_a_sentence(qtbot, panel, session, events, server, tmp_path):
    recorded_call(session, events, "v3:a", f"{server.base}/a.wav")
    result = run_task(qtbot, panel.download_to(0, tmp_path / "no-such-dir" / "a.wav"))
    assert not result.ok
    assert result.message.startswith("Download failed: could not write")


class UrlCatcher(QObject):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_open_hands_the_link_to_the_desktop(qtbot, panel, session, events):
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav")
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "handle")
    try:
        panel.table.selectRow(0)
        assert panel.open_button.isEnabled()
        panel.open_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert catcher.urls == ["https://s3.test/a.wav"]


def test_copy_url(qtbot, panel, session, events):
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav")
    panel.table.selectRow(0)
    panel.copy_button.click()
    assert QGuiApplication.clipboard().text() == "https://s3.test/a.wav"
    assert "10 minutes" in panel.status.text()


def test_download_button_asks_for_a_file_then_downloads(
    qtbot, panel, session, events, server, tmp_path
):
    recorded_call(session, events, "v3:a", f"{server.base}/a.wav")
    panel.table.selectRow(0)
    panel.download_button.click()
    dialog = panel.download_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    target = tmp_path / "chosen.wav"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    qtbot.waitUntil(lambda: panel.last_result is not None)
    assert panel.last_result.ok
    assert target.read_bytes() == WAV


def test_close_panel_cancels_downloads_and_stops_listening(qtbot, panel, session, events):
    recorded_call(session, events, "v3:a", "https://s3.test/a.wav")
    gate = asyncio.Event()

    class Stalled:
        async def __aenter__(self):
            await gate.wait()

        async def __aexit__(self, *exc):
            return False

    panel._client_factory = Stalled
    task = panel.download_to(0, "/nonexistent/never.wav")
    panel.close_panel()
    qtbot.waitUntil(task.done)
    assert task.cancelled()
    recorded_call(session, events, "v3:b", "https://s3.test/b.wav")
    assert panel.model.rowCount() == 1


def test_against_the_simulator_end_to_end(qtbot, tmp_path):
    """A demo session: record a call, see it in both panels, download the simulator's WAV."""
    from console.ui.history_panel import HistoryPanel
    from tests.operations.helpers import answered_inbound, make_session, settle, until

    context = make_session(tmp_path)
    demo = run_task(qtbot, context.__aenter__(), timeout=20000)
    try:
        recordings = RecordingsPanel(demo)
        history = HistoryPanel(demo, refresh_delay_ms=10)
        qtbot.addWidget(recordings)
        qtbot.addWidget(history)

        async def record_a_call() -> str:
            ccid = await answered_inbound(demo)
            await demo.ops.record_start(ccid)
            await demo.ops.record_stop(ccid)
            await until(demo, lambda: demo.store.call(ccid).recordings, "recording saved")
            await demo.ops.hangup(ccid)
            await settle(demo)
            return ccid

        ccid = run_task(qtbot, record_a_call(), timeout=20000)
        assert recordings.model.rowCount() == 1
        assert recordings.model.row(0).owner_id == ccid
        target = tmp_path / "sim.wav"
        result = run_task(qtbot, recordings.download_to(0, target), timeout=20000)
        assert result.ok, result.message
        assert target.read_bytes()[:4] == b"RIFF"

        qtbot.waitUntil(lambda: [e.call_control_id for e in history.entries] == [ccid])
        [entry] = history.entries
        assert entry.ended and entry.recording_count == 1
        assert entry.caller_name == "Pat Caller"
    finally:
        run_task(qtbot, context.__aexit__(None, None, None), timeout=20000)
