"""The redaction filter and the log handlers."""

from __future__ import annotations

import logging
import os
import sys

import httpx
import pytest

from console import paths
from console.logging_setup import (
    REDACTED,
    RedactingFilter,
    redact,
    register_secret,
    setup_logging,
)

SECRET = "sk-very-secret-value-42"


def make_record(msg, args=(), exc_info=None, stack_info=None):
    return logging.LogRecord(
        "console.test", logging.ERROR, __file__, 10, msg, args, exc_info, sinfo=stack_info
    )


def formatted(record):
    RedactingFilter().filter(record)
    return logging.Formatter("%(message)s").format(record)


@pytest.fixture
def root_logger():
    """Give setup_logging a root logger to change, and put the test runner's back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_registered_secret_is_removed_from_message_and_args():
    register_secret(SECRET)
    assert formatted(make_record(f"using {SECRET}")) == f"using {REDACTED}"
    assert formatted(make_record("using %s and %r", (SECRET, {"k": SECRET}))) == (
        f"using {REDACTED} and {{'k': '{REDACTED}'}}"
    )


def test_exception_text_is_redacted():
    register_secret(SECRET)
    try:
        raise RuntimeError(f"request with {SECRET} failed")
    except RuntimeError:
        record = make_record("boom", exc_info=sys.exc_info())
    text = formatted(record)
    assert "RuntimeError: request with [REDACTED] failed" in text
    assert SECRET not in text


def test_stack_info_is_redacted():
    register_secret(SECRET)
    text = formatted(make_record("here", stack_info=f'Stack:\n  token = "{SECRET}"'))
    assert SECRET not in text and REDACTED in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.DEF-123_~+/=", f"Authorization: Bearer {REDACTED}"),
        (
            "headers={'authorization': 'bearer xyz12345678'}",
            f"headers={{'authorization': 'bearer {REDACTED}'}}",
        ),
        (
            "key KEY0123456789ABCDEF0123456789ABCDEF_abcdefghijklmnopqrstuv here",
            f"key {REDACTED} here",
        ),
        ("nothing to hide", "nothing to hide"),
        ("the bearer of bad news", "the bearer of bad news"),
    ],
)
def test_tokens_are_redacted_without_registration(text, expected):
    assert redact(text) == expected


def test_short_values_are_not_registered():
    register_secret("abc")
    register_secret("")
    register_secret(None)
    assert redact("abc abc") == "abc abc"


def test_a_secret_containing_another_is_replaced_whole():
    register_secret("secret-one")
    register_secret("secret-one-and-more")
    assert redact("x secret-one-and-more y") == f"x {REDACTED} y"


def test_a_broken_format_does_not_lose_the_record():
    register_secret(SECRET)
    text = formatted(make_record("%d items", (SECRET,)))
    assert SECRET not in text and REDACTED in text


def test_setup_logging_writes_redacted_lines_to_the_log_file(root_logger, capsys):
    setup_logging(logging.DEBUG)
    setup_logging(logging.DEBUG)  # twice: handlers are replaced, not doubled
    register_secret(SECRET)
    logging.getLogger("console.test").warning("token is %s", SECRET)
    for handler in root_logger.handlers:
        handler.flush()

    text = paths.log_file().read_text()
    assert text.count("token is [REDACTED]") == 1
    assert SECRET not in text
    err = capsys.readouterr().err
    assert "token is [REDACTED]" in err and SECRET not in err


def test_setup_logging_without_stderr(root_logger, tmp_path):
    log_file = tmp_path / "own.log"
    redactor = setup_logging(log_file=log_file, to_stderr=False)
    ours = [h for h in root_logger.handlers if redactor in h.filters]
    assert len(ours) == 1 and ours[0].baseFilename == str(log_file)


def _one_request() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"data": []}))
    with httpx.Client(transport=transport, base_url="https://api.telnyx.com/v2") as client:
        client.get("/calls")
    logging.getLogger("console.test").info("the console's own line")


def _logged(root_logger) -> str:
    for handler in root_logger.handlers:
        handler.flush()
    return paths.log_file().read_text()


def test_rest_requests_are_not_logged_at_the_default_level(root_logger, capsys):
    setup_logging()
    _one_request()
    text = _logged(root_logger)
    assert "the console's own line" in text
    assert "HTTP Request" not in text
    assert "HTTP Request" not in capsys.readouterr().err


def test_rest_requests_are_logged_when_debugging(root_logger, capsys):
    setup_logging(logging.DEBUG)
    _one_request()
    assert "HTTP Request: GET https://api.telnyx.com/v2/calls" in _logged(root_logger)
    assert "HTTP Request" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_log_file_and_its_rotations_are_private(root_logger, tmp_path):
    log_file = tmp_path / "logs" / "console.log"
    setup_logging(log_file=log_file, to_stderr=False, max_bytes=200, backup_count=2)
    for i in range(20):
        logging.getLogger("console.test").warning("line %d of a shift's log", i)
    rotated = log_file.with_name("console.log.1")
    assert rotated.exists()
    for path in (log_file, rotated):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert log_file.parent.stat().st_mode & 0o777 == 0o700


def test_the_command_line_sets_the_log_level():
    from console.__main__ import build_parser

    assert build_parser().parse_args([]).log_level == "INFO"
    assert build_parser().parse_args(["--log-level", "debug"]).log_level == "DEBUG"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--log-level", "loud"])
