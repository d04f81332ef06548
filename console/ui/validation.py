"""Checks on what the operator types: phone numbers (to E.164), SIP URIs, URLs, keys."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import urlparse

from console.telnyx.phone import normalize_destination


class InvalidInput(ValueError):
    """A value the operator typed is not acceptable; the text says why."""


def normalize_number(text: str, default_country: str | None = None) -> str:
    """Return the E.164 form of a phone number typed with spaces, dashes or brackets."""
    if not (text or "").strip():
        raise InvalidInput("Enter a phone number.")
    try:
        return normalize_destination(text, default_country or None, allow_sip=False)
    except ValueError as exc:
        raise InvalidInput(str(exc) or "Not a valid phone number.") from None


def normalize_target(text: str, default_country: str | None = None) -> str:
    """A phone number (returned as E.164) or a SIP URI (sip:user@host)."""
    if not (text or "").strip():
        raise InvalidInput("Enter a phone number or a SIP address (sip:user@host).")
    try:
        return normalize_destination(text, default_country or None, allow_sip=True)
    except ValueError as exc:
        raise InvalidInput(str(exc) or "Not a valid destination.") from None


def check_dtmf(text: str) -> str:
    digits = (text or "").replace(" ", "")
    if not digits:
        raise InvalidInput("Enter the digits to send.")
    if not re.fullmatch(r"[0-9*#A-Da-dwW]+", digits):
        raise InvalidInput("Digits may be 0–9, *, #, A–D, and w/W for a pause.")
    return digits


def check_public_url(text: str) -> str:
    text = (text or "").strip()
    url = urlparse(text)
    if url.scheme not in ("https", "http") or not url.netloc:
        raise InvalidInput("Enter the public URL, e.g. https://console.example.com.")
    return text


def check_public_key(text: str) -> str:
    """A Telnyx webhook public key: base64 of 32 bytes (Ed25519)."""
    text = (text or "").strip()
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("The public key must be base64 text, as shown in the portal.") from None
    if len(raw) != 32:
        raise InvalidInput("The public key must decode to 32 bytes (an Ed25519 key).")
    return text
