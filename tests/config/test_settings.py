"""Settings: validation messages, JSON round trip, and bad files kept aside and reported."""

from __future__ import annotations

import json

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from console import paths
from console.config import (
    ConfigError,
    Settings,
    load_settings,
    load_settings_or_defaults,
    save_settings,
    validate_settings,
)


def test_defaults():
    settings = Settings()
    assert settings.api_base_url == "https://api.telnyx.com/v2"
    assert settings.receiver_port == 8765 and settings.receiver_path == "/webhooks/telnyx"
    assert settings.tunnel_provider == "ngrok" and settings.verify_signatures
    assert settings.restore_webhook_url_on_exit and settings.ended_call_retention_secs == 60
    assert settings.event_silence_warning_secs == 120 and settings.theme == "system"
    assert settings.default_country == "US" and settings.from_numbers == []


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("api_base_url", "api.telnyx.com", "absolute http(s) URL"),
        ("connection_id", "abc def", "letters, digits"),
        ("from_numbers", ["3125550100"], "'3125550100' is not in E.164 form"),
        ("from_numbers", "+1312555010x", "E.164"),
        ("from_numbers", [42], "42 is not a phone number"),
        ("default_country", "USA", "two-letter"),
        ("operator_endpoint", "operator", "neither an E.164 number nor a SIP URI"),
        ("receiver_port", 70000, "0 to 65535"),
        ("receiver_port", "eighty", "0 to 65535"),
        ("receiver_path", "webhooks", "must start with '/'"),
        ("tunnel_provider", "carrier-pigeon", '"ngrok", "manual" or "none"'),
        ("tunnel_provider", "manual", "needs manual_public_url"),
        ("manual_public_url", "console.example.com", "absolute http(s) URL"),
        ("ngrok_region", "Europe!", "region code"),
        ("ngrok_domain", "not a host", "host name"),
        ("verify_signatures", "perhaps", "true or false"),
        ("ended_call_retention_secs", -1, "seconds from 0 to 86400"),
        ("event_silence_warning_secs", 10**9, "seconds from 0 (off) to 86400"),
        ("hold_audio_url", "music.mp3", "absolute http(s) URL"),
        ("theme", "blue", '"system", "light" or "dark"'),
    ],
)
def test_bad_values_get_a_message_naming_field_and_expectation(field, value, words):
    with pytest.raises(ConfigError) as caught:
        validate_settings({field: value})
    (problem,) = caught.value.problems
    assert problem.startswith(f"{field}: expected ")
    assert words in problem
    assert problem in caught.value.user_message


def test_several_problems_are_all_reported():
    with pytest.raises(ConfigError) as caught:
        validate_settings({"receiver_port": -5, "theme": "blue", "default_country": "1"})
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "default_country",
        "receiver_port",
        "theme",
    ]


def test_friendly_input_is_normalised():
    settings = validate_settings(
        {
            "api_base_url": "https://api.telnyx.com/v2/",
            "from_numbers": "+1 (312) 555-0100, +44 20 7123 4567, +13125550100",
            "default_country": "gb",
            "operator_endpoint": "+1 312 555 0199",
            "ngrok_domain": "https://My-Console.ngrok.app/",
            "ngrok_region": "EU",
            "manual_public_url": "",
            "hold_audio_url": "  ",
        }
    )
    assert settings.api_base_url == "https://api.telnyx.com/v2"
    assert settings.from_numbers == ["+13125550100", "+442071234567"]
    assert settings.default_country == "GB"
    assert settings.operator_endpoint == "+13125550199"
    assert settings.ngrok_domain == "my-console.ngrok.app" and settings.ngrok_region == "eu"
    assert settings.manual_public_url is None and settings.hold_audio_url is None


def test_sip_operator_and_manual_tunnel():
    settings = validate_settings(
        {
            "operator_endpoint": "sip:desk@example.sip.telnyx.com",
            "tunnel_provider": "manual",
            "manual_public_url": "https://console.example.com/",
        }
    )
    assert settings.operator_endpoint == "sip:desk@example.sip.telnyx.com"
    assert settings.webhook_url("https://console.example.com") == (
        "https://console.example.com/webhooks/telnyx"
    )


@pytest.mark.parametrize("key", ["api_key", "ngrok_authtoken", "TELNYX_API_KEY", "password"])
def test_secret_looking_keys_are_refused(key):
    with pytest.raises(ConfigError, match=f"{key}: secrets are never stored"):
        validate_settings({key: "KEY0123"})


def test_assignment_is_validated_too():
    settings = Settings()
    with pytest.raises(ValueError):
        settings.receiver_port = 123456


def test_round_trip(tmp_path):
    path = tmp_path / "settings.json"
    settings = validate_settings(
        {
            "connection_id": "1494404757140276705",
            "from_numbers": ["+13125550100"],
            "tunnel_provider": "none",
            "receiver_port": 0,
            "theme": "dark",
        }
    )
    assert save_settings(settings, path) == path
    assert load_settings(path) == settings
    assert json.loads(path.read_text())["connection_id"] == "1494404757140276705"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left


def test_default_location_is_the_config_dir():
    save_settings(Settings(theme="light"))
    assert paths.settings_file().exists()
    assert load_settings().theme == "light"


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "absent.json") == Settings()


def test_saved_file_never_holds_secrets(tmp_path):
    path = save_settings(Settings(), tmp_path / "settings.json")
    keys = json.loads(path.read_text())
    assert not [k for k in keys if any(w in k for w in ("key", "token", "secret", "password"))]


def test_corrupt_file_is_renamed_aside_and_reported(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark", ')

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    error = caught.value
    assert not path.exists()
    assert error.backup_path is not None and error.backup_path.name.startswith("settings.json.bad-")
    assert error.backup_path.read_text() == '{"theme": "dark", '
    assert "not valid JSON" in error.user_message and error.backup_path.name in error.user_message
    assert error.fallback == Settings()


def test_invalid_values_keep_the_valid_ones(tmp_path):
    path = tmp_path / "settings.json"
    original = json.dumps(
        {"theme": "dark", "receiver_port": "eighty", "colour": "red", "api_key": "KEY123"}
    )
    path.write_text(original)

    with pytest.raises(ConfigError) as caught:
        load_settings(path)

    error = caught.value
    assert error.fallback.theme == "dark" and error.fallback.receiver_port == 8765
    assert any(p.startswith("receiver_port: expected") for p in error.problems)
    assert "colour: unknown setting" in error.problems
    assert any(p.startswith("api_key: secrets are never stored") for p in error.problems)
    assert error.backup_path.read_text() == original


def test_manual_provider_without_url_falls_back_to_default_provider(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"tunnel_provider": "manual", "manual_public_url": "nope"}))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.fallback.tunnel_provider == "ngrok"
    assert {p.split(":")[0] for p in caught.value.problems} == {
        "manual_public_url",
        "tunnel_provider",
    }


def test_non_object_json_is_reported(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]")
    with pytest.raises(ConfigError, match="JSON object"):
        load_settings(path)


def test_load_or_defaults_never_raises_and_repairs_the_file(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark", "receiver_port": -1}))

    settings, warnings = load_settings_or_defaults(path)

    assert settings.theme == "dark" and settings.receiver_port == 8765
    (warning,) = warnings
    assert "receiver_port" in warning and ".bad-" in warning
    assert load_settings(path) == settings  # the kept settings were saved cleanly
    assert len(list(tmp_path.glob("settings.json.bad-*"))) == 1
    assert load_settings_or_defaults(path) == (settings, [])


def test_two_bad_files_in_the_same_second_both_survive(tmp_path):
    path = tmp_path / "settings.json"
    for text in ("{", "[]"):
        path.write_text(text)
        with pytest.raises(ConfigError):
            load_settings(path)
    assert sorted(p.read_text() for p in tmp_path.glob("settings.json.bad-*")) == ["[]", "{"]


e164 = st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True)


# Each example writes and fsyncs a file: on a loaded machine one can take longer than
# Hypothesis' 200 ms deadline, which would fail the test for the machine, not the code.
@hypothesis.settings(deadline=None)
@given(
    numbers=st.lists(e164, max_size=4, unique=True),
    port=st.integers(0, 65535),
    retention=st.integers(0, 86400),
    theme=st.sampled_from(["system", "light", "dark"]),
)
def test_any_valid_settings_round_trip(tmp_path_factory, numbers, port, retention, theme):
    path = tmp_path_factory.mktemp("rt") / "settings.json"
    settings = Settings(
        from_numbers=numbers, receiver_port=port, ended_call_retention_secs=retention, theme=theme
    )
    save_settings(settings, path)
    assert load_settings(path) == settings
