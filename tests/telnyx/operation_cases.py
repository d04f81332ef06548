"""One realistic call per client operation, shared by the wire tests and the contract test.

The cases live by resource in ``operation_cases_calls.py``, ``operation_cases_conferences.py``
and ``operation_cases_other.py``; the ids and object shapes they share in
``operation_shapes.py``. The tests import all of them from here.
"""

from __future__ import annotations

from typing import Any

from tests.telnyx.operation_cases_calls import CALL_CASES
from tests.telnyx.operation_cases_conferences import CONFERENCE_CASES
from tests.telnyx.operation_cases_other import OTHER_CASES
from tests.telnyx.operation_shapes import (
    APP,
    APPLICATION,
    CALL,
    CCID,
    CONF,
    CONFERENCE,
    CONN,
    LISTED_PARTICIPANT,
    OK,
    OTHER,
    PARTICIPANT,
    QUEUE,
    QUEUE_CALL,
    REC,
    RECORDING,
    Case,
    b64,
)

CASES: list[Case] = [*CALL_CASES, *CONFERENCE_CASES, *OTHER_CASES]

__all__ = [
    "APP",
    "APPLICATION",
    "CALL",
    "CASES",
    "CCID",
    "CONF",
    "CONFERENCE",
    "CONN",
    "LISTED_PARTICIPANT",
    "OK",
    "OTHER",
    "PARTICIPANT",
    "QUEUE",
    "QUEUE_CALL",
    "REC",
    "RECORDING",
    "Case",
    "b64",
    "reply_for",
]


def reply_for(case: Case):
    """A MockTransport reply for the case: its data (paged lists get a one-page meta)."""
    import httpx

    if case.status == 204:
        return httpx.Response(204)
    body: dict[str, Any] = {"data": case.response}
    if isinstance(case.response, list):
        if "page[limit]" in case.query:
            body["meta"] = {"cursors": {}, "total_items": 1}
        else:
            body["meta"] = {
                "page_number": 1,
                "page_size": 250,
                "total_pages": 1,
                "total_results": 1,
            }
    return httpx.Response(case.status, json=body)
