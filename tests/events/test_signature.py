"""Ed25519 webhook signatures: our verifier, and interoperability with the official Telnyx SDK."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.events.signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    KeyPair,
    SignatureError,
    load_verify_key,
    sign,
    verify,
)

from .conftest import make_event

NOW = 1_800_000_000


@pytest.fixture
def body() -> bytes:
    return make_event("call.answered")


def test_valid_signature_returns_timestamp(keys, body):
    headers = sign(body, keys, timestamp=NOW)
    assert verify(body, headers, keys.public_key_b64, now=NOW) == NOW
    # The VerifyKey form works too (the receiver caches it).
    assert verify(body, headers, load_verify_key(keys.public_key_b64), now=NOW + 10) == NOW


def test_tampered_body_is_rejected(keys, body):
    headers = sign(body, keys, timestamp=NOW)
    tampered = body.replace(b"+18005550100", b"+18005550101")
    with pytest.raises(SignatureError) as err:
        verify(tampered, headers, keys.public_key_b64, now=NOW)
    assert err.value.reason == SignatureError.BAD_SIGNATURE


def test_tampered_timestamp_is_rejected(keys, body):
    headers = sign(body, keys, timestamp=NOW)
    headers[TIMESTAMP_HEADER] = str(NOW + 1)
    with pytest.raises(SignatureError) as err:
        verify(body, headers, keys.public_key_b64, now=NOW)
    assert err.value.reason == SignatureError.BAD_SIGNATURE


@pytest.mark.parametrize("offset", [-301, 301, -86_400, 10**6])
def test_stale_and_future_timestamps_are_rejected(keys, body, offset):
    headers = sign(body, keys, timestamp=NOW + offset)
    with pytest.raises(SignatureError) as err:
        verify(body, headers, keys.public_key_b64, now=NOW)
    assert err.value.reason == SignatureError.STALE_TIMESTAMP


@pytest.mark.parametrize("offset", [-300, 300, 0])
def test_timestamps_at_the_window_edge_are_accepted(keys, body, offset):
    headers = sign(body, keys, timestamp=NOW + offset)
    assert verify(body, headers, keys.public_key_b64, now=NOW) == NOW + offset


def test_wrong_key_is_rejected(keys, body):
    other = KeyPair.generate()
    headers = sign(body, keys, timestamp=NOW)
    with pytest.raises(SignatureError) as err:
        verify(body, headers, other.public_key_b64, now=NOW)
    assert err.value.reason == SignatureError.BAD_SIGNATURE


@pytest.mark.parametrize(
    "signature",
    ["not base64 !!!", "", "AAAA", base64.b64encode(b"x" * 63).decode(), "é" * 88],
)
def test_garbage_signature_header(keys, body, signature):
    headers = {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: signature}
    with pytest.raises(SignatureError) as err:
        verify(body, headers, keys.public_key_b64, now=NOW)
    expected = SignatureError.MISSING_HEADER if not signature else SignatureError.MALFORMED_HEADER
    assert err.value.reason == expected


@pytest.mark.parametrize("timestamp", ["soon", "-5", "1.5e9", "１２３", "9" * 40, " "])
def test_garbage_timestamp_header(keys, body, timestamp):
    headers = sign(body, keys, timestamp=NOW)
    headers[TIMESTAMP_HEADER] = timestamp
    with pytest.raises(SignatureError) as err:
        verify(body, headers, keys.public_key_b64, now=NOW)
    assert err.value.reason in (SignatureError.MALFORMED_HEADER, SignatureError.MISSING_HEADER)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "not base64 !!!",
        base64.b64encode(b"k" * 31).decode(),
        base64.b64encode(b"k" * 64).decode(),
    ],
)
def test_garbage_public_key(body, keys, key):
    headers = sign(body, keys, timestamp=NOW)
    with pytest.raises(SignatureError) as err:
        verify(body, headers, key, now=NOW)
    assert err.value.reason == SignatureError.MALFORMED_KEY


@pytest.mark.parametrize("missing", [SIGNATURE_HEADER, TIMESTAMP_HEADER])
def test_missing_headers(keys, body, missing):
    headers = sign(body, keys, timestamp=NOW)
    del headers[missing]
    with pytest.raises(SignatureError) as err:
        verify(body, headers, keys.public_key_b64, now=NOW)
    assert err.value.reason == SignatureError.MISSING_HEADER
    assert missing in err.value.detail


@pytest.mark.parametrize("case", [str.upper, str.title, str.lower, lambda s: s.swapcase()])
def test_header_names_in_any_case(keys, body, case):
    headers = {case(k): v for k, v in sign(body, keys, timestamp=NOW).items()}
    assert verify(body, headers, keys.public_key_b64, now=NOW) == NOW


def test_error_details_never_contain_the_key(keys, body):
    headers = sign(body, keys, timestamp=NOW)
    for key in (keys.public_key_b64, keys.private_key_b64[:10] + "!"):
        try:
            verify(body + b" ", headers, key, now=NOW)
        except SignatureError as exc:
            assert keys.public_key_b64 not in str(exc)
            assert keys.private_key_b64 not in str(exc)


@settings(max_examples=300, deadline=None)
@given(
    body=st.binary(max_size=512),
    headers=st.dictionaries(
        st.sampled_from([SIGNATURE_HEADER, TIMESTAMP_HEADER, "Telnyx-Timestamp", "x-other"]),
        st.text(max_size=120),
        max_size=4,
    ),
)
def test_arbitrary_input_only_ever_raises_signature_error(body, headers):
    key = KeyPair.generate().public_key_b64
    try:
        verify(body, headers, key, now=NOW)
    except SignatureError as exc:
        assert exc.reason
    else:  # pragma: no cover - a random signature cannot verify
        raise AssertionError("random headers verified")


# --- interoperability with the official SDK (PyPI telnyx[webhooks]) ------------------------


@pytest.fixture
def sdk_client(keys):
    telnyx = pytest.importorskip("telnyx", reason="telnyx[webhooks] SDK not installed")
    pytest.importorskip("nacl", reason="PyNaCl (telnyx[webhooks] extra) not installed")
    # The SDK takes the account public key on the client (or per call as ``key=``).
    return telnyx.Telnyx(api_key="KEY_TEST_NOT_USED", public_key=keys.public_key_b64)


def test_our_signature_verifies_with_the_sdk_and_with_ours(sdk_client, keys, body):
    headers = sign(body, keys)  # the SDK checks against the real clock
    # The SDK needs the body as str (bytes would be embedded as "b'...'").
    event = sdk_client.webhooks.unwrap(body.decode("utf-8"), headers=headers)
    assert event.data.event_type == "call.answered"
    # Header names in Telnyx's capitalisation work for both.
    titled = {k.title(): v for k, v in headers.items()}
    sdk_client.webhooks.unwrap(body.decode("utf-8"), headers=titled, key=keys.public_key_b64)
    assert verify(body, titled, keys.public_key_b64) == int(headers[TIMESTAMP_HEADER])


@pytest.mark.parametrize("tamper", ["body", "timestamp", "stale", "wrong_key"])
def test_sdk_and_ours_both_reject(sdk_client, keys, body, tamper):
    now = int(time.time())
    headers = sign(body, keys, timestamp=now - 400 if tamper == "stale" else now)
    sent = body
    key = keys.public_key_b64
    if tamper == "body":
        sent = body.replace(b"answered", b"hangup")
    elif tamper == "timestamp":
        headers[TIMESTAMP_HEADER] = str(now - 1)
    elif tamper == "wrong_key":
        key = KeyPair.generate().public_key_b64
    with pytest.raises(ValueError):
        sdk_client.webhooks.unwrap(sent.decode("utf-8"), headers=headers, key=key)
    with pytest.raises(SignatureError):
        verify(sent, headers, key)


def test_non_ascii_body_signature_agrees_with_the_sdk(sdk_client, keys):
    # UTF-8 text in a payload: the SDK signs str.encode("utf-8"), we sign the raw bytes.
    body = make_event("call.answered").replace(b"+18005550199", "Zoë ☎".encode())
    headers = sign(body, keys)
    sdk_client.webhooks.unwrap(body.decode("utf-8"), headers=headers)
    assert verify(body, headers, keys.public_key_b64)
