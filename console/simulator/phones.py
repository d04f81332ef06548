"""The world of phones: what happens when the simulator dials a number or SIP URI.

A test chooses the outcome by the destination it dials. Numbers are in the fictional 555-01xx
range. Any other number or SIP URI answers after the ring delay and stays up until hung up.
"""

from __future__ import annotations

from dataclasses import dataclass

ANSWERS = "+13125550100"  # answers after RING_SECS, stays up
BUSY = "+13125550101"  # hangup_cause user_busy, sip 486, source callee
NO_ANSWER = "+13125550102"  # rings until timeout_secs: hangup_cause timeout
REJECTS = "+13125550103"  # hangup_cause call_rejected, sip 603, source callee
ANSWERS_THEN_HANGS_UP = "+13125550104"  # answers, hangs up after TALK_SECS (source callee)
NOT_FOUND = "+13125550105"  # unallocated number: hangup_cause not_found, sip 404
SLOW_ANSWER = "+13125550106"  # answers after SLOW_RING_SECS

SIP_DOMAIN = "sim.telnyx.invalid"
SIP_ANSWERS = f"sip:agent@{SIP_DOMAIN}"
SIP_BUSY = f"sip:busy@{SIP_DOMAIN}"
SIP_NO_ANSWER = f"sip:noanswer@{SIP_DOMAIN}"
SIP_REJECTS = f"sip:reject@{SIP_DOMAIN}"
SIP_ANSWERS_THEN_HANGS_UP = f"sip:hangsup@{SIP_DOMAIN}"

RING_SECS = 2.0  # simulated ring time before an answer or a busy/reject signal
SLOW_RING_SECS = 12.0
TALK_SECS = 8.0  # how long ANSWERS_THEN_HANGS_UP talks before hanging up
GATHER_DIGITS = "1"  # what a phone presses when the call gathers digits


@dataclass(frozen=True)
class Outcome:
    """What a dialled destination does."""

    kind: str  # answer | busy | no_answer | reject | not_found
    ring_secs: float = RING_SECS
    hangup_after: float | None = None  # after answering, the far end hangs up after this long
    sip_code: str = ""

    @property
    def answers(self) -> bool:
        return self.kind == "answer"


_BY_NUMBER: dict[str, Outcome] = {
    ANSWERS: Outcome("answer"),
    BUSY: Outcome("busy", sip_code="486"),
    NO_ANSWER: Outcome("no_answer", sip_code="408"),
    REJECTS: Outcome("reject", sip_code="603"),
    ANSWERS_THEN_HANGS_UP: Outcome("answer", hangup_after=TALK_SECS),
    NOT_FOUND: Outcome("not_found", ring_secs=0.5, sip_code="404"),
    SLOW_ANSWER: Outcome("answer", ring_secs=SLOW_RING_SECS),
}

_BY_SIP_USER: dict[str, Outcome] = {
    "busy": _BY_NUMBER[BUSY],
    "noanswer": _BY_NUMBER[NO_ANSWER],
    "reject": _BY_NUMBER[REJECTS],
    "hangsup": _BY_NUMBER[ANSWERS_THEN_HANGS_UP],
}

DEFAULT = Outcome("answer")

#: (hangup_cause, hangup_source) a failed outbound leg reports, by outcome kind.
FAILURE_CAUSES: dict[str, tuple[str, str]] = {
    "busy": ("user_busy", "callee"),
    "reject": ("call_rejected", "callee"),
    "not_found": ("not_found", "callee"),
    "no_answer": ("timeout", "caller"),
}


def resolve(destination: str) -> Outcome:
    """The outcome of dialling ``destination`` (an E.164 number or a SIP URI)."""
    dest = destination.split(",", 1)[0].strip()  # a ",digits" suffix sends DTMF after answer
    if dest in _BY_NUMBER:
        return _BY_NUMBER[dest]
    if dest.lower().startswith(("sip:", "sips:")):
        user = dest.split(":", 1)[1].split("@", 1)[0].lower()
        return _BY_SIP_USER.get(user, DEFAULT)
    return DEFAULT


def table() -> dict[str, Outcome]:
    """Every named destination and its outcome (for --help and the demo)."""
    named = dict(_BY_NUMBER)
    named.update({f"sip:{user}@{SIP_DOMAIN}": out for user, out in _BY_SIP_USER.items()})
    named[SIP_ANSWERS] = DEFAULT
    return named
