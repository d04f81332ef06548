"""Checks on what the operator types: phone numbers (to E.164), SIP URIs, URLs, keys."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from console.events.signature import SignatureError, load_verify_key
from console.telnyx.phone import normalize_destination
from console.tunnel import TunnelConfigError
from console.tunnel.manual import validate_public_url


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


def check_public_key(text: str) -> str:
    """A Telnyx webhook public key: base64 of 32 bytes (Ed25519), as the receiver decodes it."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Paste the public key from the portal.")
    try:
        load_verify_key(text)
    except SignatureError as exc:
        if "base64" in exc.detail:
            raise InvalidInput(
                "The public key must be base64 text, as shown in the portal."
            ) from None
        raise InvalidInput("The public key must decode to 32 bytes (an Ed25519 key).") from None
    return text


def check_country(text: str) -> str:
    """An ISO 3166 alpha-2 country code that phone numbers can be read against."""
    # Imported here: phonenumbers (~60 modules) is not needed to show the window.
    import phonenumbers

    code = (text or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code) or code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput("Enter a two-letter country code such as US, GB or DE.")
    return code


def check_https_url(text: str) -> str:
    """An absolute https URL (what Telnyx will call); without a trailing slash."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Enter the public https address, e.g. https://console.example.com.")
    try:
        url = validate_public_url(text)
    except TunnelConfigError as exc:
        raise InvalidInput(str(exc)) from None
    if urlsplit(url).scheme.lower() != "https":
        raise InvalidInput(
            "Telnyx webhooks need an https:// address (a TLS certificate on your proxy)."
        )
    return url
