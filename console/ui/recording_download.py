"""Downloading one recording over HTTP to a file, with progress, and what went wrong in words.

Qt-free and apart from the panel (``recordings_panel.py``), which starts the download, shows
its progress and its result: the transfer itself is plain httpx and files, so it needs no
widget, and a failure of any kind becomes one sentence for the operator.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from console.ui.messages import describe_error

EXPIRED_STATUSES = frozenset({403, 404, 410})
EXPIRED_MESSAGE = (
    "The recording link has expired (Telnyx links last 10 minutes). Get a fresh link from the "
    "Recordings API (GET /v2/recordings) or the Telnyx portal, then download it from there."
)
DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class DownloadResult:
    ok: bool
    message: str
    path: Path
    size: int = 0
    expired: bool = False


def default_client() -> httpx.AsyncClient:
    """A plain client: recording links are pre-signed, so no API key is sent with them."""
    return httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True)


async def fetch(
    client_factory: Callable[[], httpx.AsyncClient],
    url: str,
    path: Path,
    partial: Path,
    progress: Callable[[int, int | None], None],
) -> DownloadResult:
    """GET ``url`` into ``partial``, then move it to ``path``; ``progress(done, total)`` after
    each chunk. An HTTP error status is a result; a network or disk failure raises."""
    async with client_factory() as client, client.stream("GET", url) as response:
        if response.status_code in EXPIRED_STATUSES:
            return DownloadResult(False, EXPIRED_MESSAGE, path, expired=True)
        if response.status_code >= 400:
            message = (
                f"Download failed: the recording server answered HTTP "
                f"{response.status_code} {response.reason_phrase}".rstrip()
                + "."
            )
            return DownloadResult(False, message, path)
        total = _content_length(response)
        size = 0
        with partial.open("wb") as handle:
            async for chunk in response.aiter_bytes(CHUNK_SIZE):
                handle.write(chunk)
                size += len(chunk)
                progress(size, total)
        os.replace(partial, path)
    return DownloadResult(True, f"Saved {size_text(size)} to {path}", path, size=size)


def _content_length(response: httpx.Response) -> int | None:
    try:
        value = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    # A compressed body's length is not what we write; do not show a wrong percentage.
    return value if value > 0 and not response.headers.get("content-encoding") else None


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def failure(exc: BaseException, url: str, path: Path) -> str:
    host = urlsplit(url).hostname or url
    if isinstance(exc, httpx.TimeoutException):
        return f"Download failed: {host} did not answer in time. Try again."
    if isinstance(exc, httpx.HTTPError):
        detail = str(exc) or type(exc).__name__
        return f"Download failed: could not reach {host} ({detail})."
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return f"Download failed: could not write {path}: {reason}."
    return f"Download failed: {describe_error(exc)}"
