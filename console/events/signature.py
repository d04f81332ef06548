"""Telnyx webhook signatures: Ed25519 over ``"{telnyx-timestamp}|{raw body}"``.

A pure module (no I/O): :func:`verify` checks a delivery and raises :class:`SignatureError`
whose ``reason`` names what was wrong; :func:`sign` produces the headers Telnyx would send, for
the simulator and the tests. Keys travel as base64 of the raw 32-byte Ed25519 keys, the form
Telnyx's portal shows.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from console.errors import ConsoleError

SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"
TOLERANCE_SECONDS = 300


class SignatureError(ConsoleError):
    """A webhook failed verification. ``reason`` is one of the class constants below.

    Its ``user_message`` is "<reason>: <detail>", as ``str()`` has always been."""

    MISSING_HEADER = "missing header"
    MALFORMED_HEADER = "malformed header"
    MALFORMED_KEY = "malformed public key"
    STALE_TIMESTAMP = "timestamp outside the allowed window"
    BAD_SIGNATURE = "signature does not match"

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def load_verify_key(public_key_b64: str) -> VerifyKey:
    """Decode the account's base64 public key; raise SignatureError if it is not 32 bytes."""
    try:
        raw = base64.b64decode(public_key_b64.strip(), validate=True)
    except (binascii.Error, ValueError, AttributeError):
        raise SignatureError(SignatureError.MALFORMED_KEY, "public key is not base64") from None
    if len(raw) != 32:
        raise SignatureError(
            SignatureError.MALFORMED_KEY, f"public key is {len(raw)} bytes, expected 32"
        )
    return VerifyKey(raw)


@dataclass(frozen=True)
class SignedHeaders:
    """The two signature headers of a delivery, decoded and checked for freshness."""

    timestamp: int
    timestamp_text: str  # exactly as sent: it is what was signed
    signature: bytes


def check_headers(
    headers: Mapping[str, str], *, now: float | None = None, tolerance: int = TOLERANCE_SECONDS
) -> SignedHeaders:
    """Check what can be checked before the body is read: both headers present, well formed,
    and the timestamp inside the window. Header names are matched case-insensitively."""
    signature_b64 = _header(headers, SIGNATURE_HEADER)
    timestamp_text = _header(headers, TIMESTAMP_HEADER)
    if not signature_b64:
        raise SignatureError(SignatureError.MISSING_HEADER, f"no {SIGNATURE_HEADER} header")
    if not timestamp_text:
        raise SignatureError(SignatureError.MISSING_HEADER, f"no {TIMESTAMP_HEADER} header")
    timestamp_text = timestamp_text.strip()
    if not timestamp_text.isascii() or not timestamp_text.isdigit() or len(timestamp_text) > 12:
        raise SignatureError(
            SignatureError.MALFORMED_HEADER, f"{TIMESTAMP_HEADER} is not a Unix time in seconds"
        )
    timestamp = int(timestamp_text)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError(
            SignatureError.STALE_TIMESTAMP,
            f"{TIMESTAMP_HEADER} is {int(current - timestamp)} s from local time "
            f"(allowed ±{tolerance} s)",
        )
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(
            SignatureError.MALFORMED_HEADER, f"{SIGNATURE_HEADER} is not base64"
        ) from None
    if len(signature) != 64:
        raise SignatureError(
            SignatureError.MALFORMED_HEADER,
            f"{SIGNATURE_HEADER} is {len(signature)} bytes, expected 64",
        )
    return SignedHeaders(timestamp, timestamp_text, signature)


def verify_body(body: bytes, signed: SignedHeaders, key: VerifyKey) -> int:
    """Check the signature of ``body`` against headers already checked; return the timestamp."""
    try:
        key.verify(signed.timestamp_text.encode("ascii") + b"|" + body, signed.signature)
    except BadSignatureError:
        raise SignatureError(
            SignatureError.BAD_SIGNATURE, "body or timestamp was altered, or the key is wrong"
        ) from None
    return signed.timestamp


def verify(
    body: bytes,
    headers: Mapping[str, str],
    key: VerifyKey | str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """Verify one delivery; return its timestamp. Header names are matched case-insensitively."""
    verify_key = key if isinstance(key, VerifyKey) else load_verify_key(key)
    return verify_body(body, check_headers(headers, now=now, tolerance=tolerance), verify_key)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)  # aiohttp's headers are case-insensitive already
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    return value


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 key pair in Telnyx's base64 form (the simulator's webhook signing key)."""

    private_key_b64: str
    public_key_b64: str

    @classmethod
    def generate(cls) -> KeyPair:
        signing = SigningKey.generate()
        return cls(
            base64.b64encode(bytes(signing)).decode("ascii"),
            base64.b64encode(bytes(signing.verify_key)).decode("ascii"),
        )

    def signing_key(self) -> SigningKey:
        return SigningKey(base64.b64decode(self.private_key_b64))


def sign(body: bytes, key: SigningKey | KeyPair, *, timestamp: int | None = None) -> dict[str, str]:
    """The two Telnyx signature headers for ``body``, as Telnyx would send them."""
    signing_key = key.signing_key() if isinstance(key, KeyPair) else key
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = signing_key.sign(ts.encode("ascii") + b"|" + body).signature
    return {
        TIMESTAMP_HEADER: ts,
        SIGNATURE_HEADER: base64.b64encode(signature).decode("ascii"),
    }
