"""Logging to a rotating file in the log dir and to stderr, secrets redacted from every record."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from io import TextIOWrapper
from pathlib import Path

REDACTED = "[REDACTED]"

# Secrets shorter than this are not registered: redacting e.g. "abc" everywhere would mangle
# ordinary log text, and real API keys and authtokens are far longer.
MIN_SECRET_LENGTH = 6

# "Authorization: Bearer <token>" in any spelling; the token alphabet is RFC 6750's b64token.
# At least 8 characters: real tokens are long, and "bearer of bad news" is not a token.
_BEARER = re.compile(r"(?i)\b(bearer)(\s+|%20|\+)[A-Za-z0-9\-._~+/]{8,}=*")
# Telnyx v2 API keys ("KEY" + hex + "_" + base62), even when nobody registered them.
_TELNYX_KEY = re.compile(r"\bKEY[0-9A-Fa-f]{16,}_[0-9A-Za-z]{8,}\b")

_lock = threading.Lock()
_secrets: set[str] = set()
_secret_pattern: re.Pattern[str] | None = None

#: Libraries that log every HTTP request at INFO (httpx: "HTTP Request: POST …"). At the
#: default level the terminal shows what the console does, not each REST call; at DEBUG
#: httpx's request lines come back (httpcore's wire-level trace stays off: it is noise).
CHATTY_LIBRARIES = {"httpx": logging.DEBUG, "httpcore": logging.INFO}

# Marks the handlers setup_logging added, so a second call replaces rather than duplicates them.
_OWN_HANDLER_ATTR = "_telnyx_console_handler"


def register_secret(value: str | None) -> None:
    """Redact ``value`` from every log record handled by a :class:`RedactingFilter` from now on."""
    global _secret_pattern
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        # Longest first so a secret that contains another is replaced whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _secret_pattern = re.compile("|".join(re.escape(s) for s in ordered))


def unregister_all_secrets() -> None:
    """Forget every registered secret (for tests)."""
    global _secret_pattern
    with _lock:
        _secrets.clear()
        _secret_pattern = None


def redact(text: str) -> str:
    """``text`` with registered secrets, Bearer tokens and Telnyx API keys replaced."""
    pattern = _secret_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _TELNYX_KEY.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record so that no handler after it can print a secret.

    The message is formatted with its args first (a secret may sit in an arg), and the
    exception and stack text are pre-rendered and redacted: formatters reuse ``exc_text``.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken %-format must not lose the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file readable by the user alone (0600), also after each rollover.

    The log names numbers, callers and URLs: other accounts on the machine must not read it.
    """

    def _open(self) -> TextIOWrapper:
        from console.paths import private_file

        private_file(Path(self.baseFilename))
        return super()._open()


def setup_logging(
    level: int | str = logging.INFO,
    *,
    log_file: Path | None = None,
    to_stderr: bool = True,
    max_bytes: int = 2_000_000,
    backup_count: int = 5,
) -> RedactingFilter:
    """Log to ``log_file`` (default: ``paths.log_file()``), rotating, and to stderr.

    Calling it again replaces the handlers it added before. Returns the filter so other
    handlers (e.g. a log pane in the UI) can add it too: a handler without it sees raw records.
    """
    if log_file is None:
        from console import paths

        log_file = paths.log_file()
    from console.paths import private_dir

    private_dir(log_file.parent)

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OWN_HANDLER_ATTR, False):
            root.removeHandler(handler)
            handler.close()

    redactor = RedactingFilter()
    formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        PrivateRotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
        )
    ]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.addFilter(redactor)
        handler.setFormatter(formatter)
        setattr(handler, _OWN_HANDLER_ATTR, True)
        root.addHandler(handler)
    root.setLevel(level)
    debugging = root.getEffectiveLevel() <= logging.DEBUG
    for name, debug_level in CHATTY_LIBRARIES.items():
        logging.getLogger(name).setLevel(debug_level if debugging else logging.WARNING)
    return redactor
