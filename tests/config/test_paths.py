"""Where files go: one folder under TELNYX_CONSOLE_HOME, or the platform's folders."""

from __future__ import annotations

import platformdirs

from console import paths


def test_home_override_puts_everything_in_one_folder(tmp_path, monkeypatch):
    home = tmp_path / "console-home"
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    assert paths.settings_file() == home / "config" / "settings.json"
    assert paths.journal_file() == home / "data" / "events.sqlite3"
    assert paths.agent_pidfile() == home / "data" / "ngrok-agent.pid"
    assert paths.recordings_dir() == home / "data" / "recordings"
    assert paths.log_file() == home / "logs" / "console.log"
    # Folders are created on demand, files are not.
    for folder in ("config", "data", "data/recordings", "logs"):
        assert (home / folder).is_dir()
    assert not paths.settings_file().exists()


def test_platform_folders_without_override(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    # platformdirs follows the XDG variables on Linux: keep the real home untouched.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    assert paths.config_dir() == platformdirs.user_config_path("telnyx-console", appauthor=False)
    assert paths.data_dir() == platformdirs.user_data_path("telnyx-console", appauthor=False)
    assert paths.log_dir() == platformdirs.user_log_path("telnyx-console", appauthor=False)
    assert paths.config_dir().is_dir()


def test_empty_override_means_platform_folders(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, "  ")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    assert paths.config_dir() == tmp_path / "xdg-config" / "telnyx-console"
