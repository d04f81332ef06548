"""The webhook receiver's signature checks and the key they use.

:class:`SignatureGate` holds the account's public key (or why there is no usable one) and does
the two halves of verification: :meth:`SignatureGate.check_headers`, everything that needs no
body, runs before the body is read, so a forged delivery costs no body read;
:meth:`SignatureGate.check_body` verifies the Ed25519 signature over the bytes once they are in.
Both raise :class:`console.events.rejections.DeliveryRejected` with the status to answer.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from nacl.signing import VerifyKey

from .deliveries import Reason
from .rejections import DeliveryRejected
from .signature import (
    TOLERANCE_SECONDS,
    SignatureError,
    SignedHeaders,
    check_headers,
    load_verify_key,
    verify_body,
)

# The receiver's log lines keep the receiver's logger, so log settings made for it still apply.
log = logging.getLogger("console.events.receiver")

# Signature failures: 401, except a header we cannot even decode (400). A key problem is ours,
# not the sender's: 503 makes Telnyx retry, so events arrive once the key is fixed.
SIGNATURE_STATUS = {
    Reason.MISSING_HEADER: 401,
    Reason.BAD_SIGNATURE: 401,
    Reason.STALE_TIMESTAMP: 401,
    Reason.MALFORMED_HEADER: 400,
    Reason.MALFORMED_KEY: 503,
}


class SignatureGate:
    """Verifies deliveries with the account's public key, unless verification is off."""

    def __init__(
        self, public_key: str | None, *, enabled: bool = True, tolerance: int = TOLERANCE_SECONDS
    ):
        self.enabled = bool(enabled)
        self._tolerance = int(tolerance)
        self._verify_key: VerifyKey | None = None
        #: (reason, detail) of why no delivery can verify, or None when there is a usable key.
        self.problem: tuple[str, str] | None = None
        # A bad saved key must not stop the app from starting: deliveries get 503 until the
        # key is fixed (Telnyx retries). set_public_key() raises instead, for the dialog.
        try:
            self._install_key(public_key)
        except SignatureError as exc:
            self._verify_key = None
            self.problem = (exc.reason, exc.detail)
            log.error("webhook public key is unusable: %s", exc.detail)

    def _install_key(self, public_key: str | None) -> None:
        if public_key is None or not public_key.strip():
            self._verify_key = None
            self.problem = (Reason.NO_PUBLIC_KEY, "set the account's public key")
            return
        self._verify_key = load_verify_key(public_key)
        self.problem = None

    def set_public_key(self, public_key: str | None) -> None:
        """Change the verification key at run time. Raises SignatureError (the old key stays)."""
        if public_key is not None and public_key.strip():
            load_verify_key(public_key)  # validate before replacing anything
        self._install_key(public_key)
        log.info("webhook public key %s", "updated" if self._verify_key else "cleared")

    @property
    def key_problem(self) -> str | None:
        """Why verification cannot succeed (no key / malformed key), or None."""
        if not self.enabled or self.problem is None:
            return None
        return f"{self.problem[0]}: {self.problem[1]}"

    def check_headers(self, headers: Mapping[str, str], now: float) -> SignedHeaders | None:
        """Everything about the signature that needs no body: before the body is read."""
        if not self.enabled:
            return None
        if self._verify_key is None:
            reason, detail = self.problem or (Reason.NO_PUBLIC_KEY, "")
            raise DeliveryRejected(503, reason, detail)
        try:
            return check_headers(headers, now=now, tolerance=self._tolerance)
        except SignatureError as exc:
            status = SIGNATURE_STATUS.get(exc.reason, 401)
            raise DeliveryRejected(status, exc.reason, exc.detail) from None

    def check_body(self, body: bytes, signed: SignedHeaders | None) -> int | None:
        """The signed timestamp once ``body`` verifies against ``signed`` (None: not verified)."""
        key = self._verify_key
        if signed is None:
            return None
        if key is None:  # the key was cleared while the body was being read
            reason, detail = self.problem or (Reason.NO_PUBLIC_KEY, "")
            raise DeliveryRejected(503, reason, detail)
        try:
            return verify_body(body, signed, key)
        except SignatureError as exc:
            status = SIGNATURE_STATUS.get(exc.reason, 401)
            raise DeliveryRejected(status, exc.reason, exc.detail) from None
