"""Phone numbers as the desk keeps them: E.164 when they can be, as typed when they cannot.

A contact's number is matched to calls by its E.164 form, so "(312) 555-0100" typed in an
address book finds the call from "+13125550100". A number ``phonenumbers`` cannot make sense
of is never dropped: it is kept as typed, marked, and still found by its digits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneNumber:
    """One number: ``raw`` as written, ``e164`` when it could be normalised, and a label."""

    raw: str
    e164: str | None = None
    label: str = ""

    @property
    def normalised(self) -> bool:
        return self.e164 is not None

    @property
    def dial_string(self) -> str:
        """What to dial: the E.164 form, else the text as written."""
        return self.e164 or self.raw.strip()


def to_e164(text: str | None, default_country: str | None = None) -> str | None:
    """The E.164 form of ``text`` (spaces, dashes, brackets allowed), or None if it is none."""
    text = (text or "").strip()
    if not text or sum(c.isdigit() for c in text) < 3:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    # Imported at the first number read: phonenumbers (~60 modules) is not needed to start.
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat

    try:
        parsed = phonenumbers.parse(text, (default_country or None) if text[0] != "+" else None)
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def phone(text: str, label: str = "", default_country: str | None = None) -> PhoneNumber:
    """A :class:`PhoneNumber` for what was typed (normalised when it can be)."""
    raw = " ".join((text or "").split())
    return PhoneNumber(raw=raw, e164=to_e164(raw, default_country), label=label.strip())


def digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def lookup_key(text: str | None, default_country: str | None = None) -> str | None:
    """The key a number is matched by: E.164, else its bare digits (None if it has none)."""
    e164 = to_e164(text, default_country)
    if e164:
        return e164
    bare = digits(text)
    return bare or None
