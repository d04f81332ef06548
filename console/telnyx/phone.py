"""Turns what an operator types into the E.164 numbers and SIP URIs Telnyx accepts.

The dialer reuses these functions for live validation: each returns the normalised string or
raises :class:`InvalidPhoneNumber` whose message can be shown as-is next to the input field.
"""

from __future__ import annotations

import re
from functools import cache

from .errors import TelnyxInputError

__all__ = [
    "InvalidPhoneNumber",
    "is_sip_uri",
    "normalize_destination",
    "normalize_dial_string",
    "normalize_e164",
    "normalize_sip_uri",
]

# user@host with optional ;params / ?headers; the host part may carry a port.
_SIP_RE = re.compile(r"^(?P<scheme>sips?):(?P<user>[^@\s]+)@(?P<host>[^\s@;?]+)(?P<rest>[;?]\S*)?$")
_SIP_PREFIX_RE = re.compile(r"^sips?:", re.IGNORECASE)
# DTMF Telnyx can send after answer: digits, A-D, * and #, plus w/W pauses.
_DTMF_RE = re.compile(r"^[0-9A-Da-d*#wW]+$")


@cache
def _parse_errors() -> dict[int, str]:
    from phonenumbers import NumberParseException

    return {
        NumberParseException.INVALID_COUNTRY_CODE: "has an unknown country code",
        NumberParseException.NOT_A_NUMBER: "is not a phone number",
        NumberParseException.TOO_SHORT_AFTER_IDD: "is too short after the international prefix",
        NumberParseException.TOO_SHORT_NSN: "is too short to be a phone number",
        NumberParseException.TOO_LONG: "is too long to be a phone number",
    }


@cache
def _possible_errors() -> dict[int, str]:
    from phonenumbers import ValidationResult

    return {
        ValidationResult.INVALID_COUNTRY_CODE: "has an unknown country code",
        ValidationResult.TOO_SHORT: "is too short to be a phone number",
        ValidationResult.TOO_LONG: "is too long to be a phone number",
        ValidationResult.INVALID_LENGTH: "has the wrong number of digits",
    }


class InvalidPhoneNumber(TelnyxInputError):
    """A phone number or SIP URI that cannot be sent to Telnyx (also a ``ValueError``)."""

    def __init__(self, message: str, *, text: str = "", field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.text = text


def is_sip_uri(text: str) -> bool:
    """True if ``text`` looks like ``sip:user@host`` or ``sips:user@host`` (with params)."""
    try:
        normalize_sip_uri(text)
    except InvalidPhoneNumber:
        return False
    return True


def normalize_sip_uri(text: str) -> str:
    """Validate a SIP URI; returns it stripped, with the scheme lower-cased."""
    stripped = text.strip()
    if not _SIP_PREFIX_RE.match(stripped):
        raise InvalidPhoneNumber(
            f"'{stripped}' is not a SIP address (expected sip:user@host)", text=text
        )
    scheme, _, remainder = stripped.partition(":")
    candidate = f"{scheme.lower()}:{remainder}"
    if not _SIP_RE.match(candidate):
        raise InvalidPhoneNumber(
            f"'{stripped}' is not a valid SIP address (expected sip:user@host)", text=text
        )
    return candidate


def normalize_e164(text: str, default_country: str | None = "US") -> str:
    """Parse a phone number as an operator types it and return it in E.164 (``+13125550001``).

    Spaces, dots, dashes and brackets are ignored. A number without a leading ``+`` (or an
    international prefix such as ``00``/``011``) is read as a national number of
    ``default_country`` (ISO 3166 alpha-2, e.g. ``"US"``, ``"GB"``); with no default country such
    numbers are rejected. Extensions are rejected because E.164 cannot carry them.
    """
    # Imported at the first number read: phonenumbers (~60 modules) is not needed to start.
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

    stripped = (text or "").strip()
    if not stripped:
        raise InvalidPhoneNumber("Enter a phone number", text=text)
    region = default_country.upper() if default_country else None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidPhoneNumber(f"Unknown default country '{default_country}'", text=text)
    if region is None and not stripped.startswith("+"):
        raise InvalidPhoneNumber(
            f"'{stripped}' needs a country code: start it with + (no default country is set)",
            text=text,
        )
    try:
        number = phonenumbers.parse(stripped, region)
    except NumberParseException as exc:
        reason = _parse_errors().get(exc.error_type, "is not a phone number")
        raise InvalidPhoneNumber(f"'{stripped}' {reason}", text=text) from None
    if number.extension:
        raise InvalidPhoneNumber(
            f"'{stripped}' has an extension; dial the number and send the extension as DTMF",
            text=text,
        )
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible not in (ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        reason = _possible_errors().get(possible, "is not a phone number")
        raise InvalidPhoneNumber(f"'{stripped}' {reason}", text=text)
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number) or f"+{number.country_code}"
        raise InvalidPhoneNumber(f"'{stripped}' is not a valid number in {where}", text=text)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalize_destination(
    text: str, default_country: str | None = "US", *, allow_sip: bool = True
) -> str:
    """A dialable destination: a SIP URI (kept as typed) or a phone number (made E.164)."""
    stripped = (text or "").strip()
    if _SIP_PREFIX_RE.match(stripped):
        if not allow_sip:
            raise InvalidPhoneNumber(
                f"'{stripped}': a SIP address is not allowed here, enter a phone number",
                text=text,
            )
        return normalize_sip_uri(stripped)
    if "@" in stripped and allow_sip:
        raise InvalidPhoneNumber(
            f"'{stripped}' looks like a SIP address; write it as sip:{stripped}", text=text
        )
    return normalize_e164(stripped, default_country)


def normalize_dial_string(text: str, default_country: str | None = "US") -> str:
    """Like :func:`normalize_destination`, keeping Telnyx's ``number,DTMF`` suffix.

    ``"312-555-0001,200#"`` becomes ``"+13125550001,200#"``: Telnyx sends ``200#`` as DTMF once
    the callee answers (dial and transfer ``to`` only).
    """
    stripped = (text or "").strip()
    if _SIP_PREFIX_RE.match(stripped) or "," not in stripped:
        return normalize_destination(stripped, default_country)
    number, _, digits = stripped.partition(",")
    digits = digits.strip()
    if not _DTMF_RE.match(digits):
        raise InvalidPhoneNumber(
            f"'{digits}' after the comma are not DTMF digits (0-9, A-D, *, #, w, W)", text=text
        )
    return f"{normalize_e164(number, default_country)},{digits}"
