"""Phone number and SIP URI normalisation (shared with the dialer's live validation)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.telnyx.phone import (
    InvalidPhoneNumber,
    is_sip_uri,
    normalize_destination,
    normalize_dial_string,
    normalize_e164,
    normalize_sip_uri,
)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("+1 (312) 555-0001", "US", "+13125550001"),
        ("312-555-0001", "US", "+13125550001"),
        ("312.555.0001", "us", "+13125550001"),
        ("1 312 555 0001", "US", "+13125550001"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+442079460958", None, "+442079460958"),
        ("  +13125550001  ", "US", "+13125550001"),
    ],
)
def test_normalize_e164(text, country, expected):
    assert normalize_e164(text, country) == expected


@pytest.mark.parametrize(
    ("text", "country", "message"),
    [
        ("", "US", "Enter a phone number"),
        ("12", "US", "'12' is too short to be a phone number"),
        ("hello", "US", "'hello' is not a phone number"),
        ("+99 1234", "US", "'+99 1234' has an unknown country code"),
        ("3125550001", None, "'3125550001' needs a country code: start it with +"),
        ("312 555 0001 ext 12", "US", "has an extension"),
        ("312-555-0001", "ZZ", "Unknown default country 'ZZ'"),
        ("+1 555 555 5555", "US", "is not a valid number"),
    ],
)
def test_normalize_e164_errors(text, country, message):
    with pytest.raises(InvalidPhoneNumber) as info:
        normalize_e164(text, country)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sip:alice@example.com", "sip:alice@example.com"),
        ("SIPS:alice@example.com:5061", "sips:alice@example.com:5061"),
        ("sip:username@sip.telnyx.com;secure=srtp", "sip:username@sip.telnyx.com;secure=srtp"),
        ("312-555-0001", "+13125550001"),
    ],
)
def test_normalize_destination(text, expected):
    assert normalize_destination(text, "US") == expected


def test_destination_rejects_sip_when_not_allowed():
    with pytest.raises(InvalidPhoneNumber, match="SIP address is not allowed"):
        normalize_destination("sip:a@b.com", allow_sip=False)


def test_bare_user_at_host_hints_at_sip_prefix():
    with pytest.raises(InvalidPhoneNumber, match=r"write it as sip:alice@example\.com"):
        normalize_destination("alice@example.com")


@pytest.mark.parametrize("bad", ["sip:", "sip:@host", "sip:alice", "sip:a b@c", "http://x"])
def test_bad_sip_uris(bad):
    assert not is_sip_uri(bad)
    with pytest.raises(InvalidPhoneNumber):
        normalize_sip_uri(bad)


def test_dial_string_dtmf_suffix():
    assert normalize_dial_string("312-555-0001,123w#") == "+13125550001,123w#"
    assert normalize_dial_string("sip:a@b.com") == "sip:a@b.com"
    with pytest.raises(InvalidPhoneNumber, match="not DTMF digits"):
        normalize_dial_string("312-555-0001,x!")


@given(st.text(max_size=30))
def test_never_raises_anything_but_invalid_phone_number(text):
    try:
        result = normalize_destination(text, "US")
    except InvalidPhoneNumber as exc:
        assert str(exc)
    else:
        assert result.startswith(("+", "sip:", "sips:"))


@given(st.integers(min_value=2012000000, max_value=9899999999))
def test_e164_is_idempotent(n):
    try:
        first = normalize_e164(str(n), "US")
    except InvalidPhoneNumber:
        return
    assert normalize_e164(first, "US") == first
    assert first == f"+1{n}"
