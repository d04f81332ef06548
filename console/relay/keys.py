"""KV keys for call control ids and operator names.

JetStream KV keys must match ``^[-/_=.a-zA-Z0-9]+$``; Telnyx call control ids look like
``v3:...`` and operator names are free text, so both are stored base64url-encoded without
padding (an alphabet inside the allowed one, and reversible for display).
"""

from __future__ import annotations

import base64
import re

_VALID_KEY = re.compile(r"^[-/_=.a-zA-Z0-9]+$")


def encode_key(text: str) -> str:
    """The KV key for ``text`` (any non-empty string)."""
    if not text:
        raise ValueError("a KV key needs a non-empty name")
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_key(key: str) -> str:
    """The name a key from :func:`encode_key` stands for; ValueError for any other key."""
    if not _VALID_KEY.match(key):
        raise ValueError(f"not a KV key: {key!r}")
    padded = key + "=" * (-len(key) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"not an encoded key: {key!r}") from exc


def is_valid_key(key: str) -> bool:
    return bool(_VALID_KEY.match(key))
