"""What the operation cases share: ids, the API's object shapes, and the ``Case`` record."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from console.telnyx import TelnyxClient

CCID = "v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO"
OTHER = "v3:Bq9tb2Bi0pB8YlYlq1Yx9VdDtRfBXhwH"
CONF = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
REC = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"
APP = "1293384261075731499"
CONN = "1293384261075731461"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CALL = {
    "call_control_id": CCID,
    "call_leg_id": "2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
    "call_session_id": "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
    "is_alive": False,
    "record_type": "call",
}
CONFERENCE = {
    "id": CONF,
    "name": "support-room",
    "record_type": "conference",
    "created_at": "2019-01-23T18:10:02.574Z",
    "expires_at": "2019-01-23T20:10:02.574Z",
    "status": "in_progress",
}
PARTICIPANT = {
    "id": "dfadada7-af74-47bc-83a4-554275f55f5c",
    "call_control_id": CCID,
    "conference_id": CONF,
    "muted": False,
    "on_hold": True,
    "status": "joined",
}
LISTED_PARTICIPANT = {  # the list endpoint's shape (Participant), unlike retrieve's
    "id": "dfadada7-af74-47bc-83a4-554275f55f5c",
    "call_control_id": CCID,
    "call_leg_id": "3a15df2d-c801-4729-adf5-b56dd42e2abb",
    "conference": {"id": CONF, "name": "support-room"},
    "created_at": "2019-01-23T18:10:02.574Z",
    "updated_at": "2019-01-23T18:10:02.574Z",
    "end_conference_on_exit": True,
    "soft_end_conference_on_exit": False,
    "muted": False,
    "on_hold": True,
    "status": "joined",
    "whisper_call_control_ids": [],
    "record_type": "participant",
}
QUEUE = {
    "id": "972f2ed7-a0a4-4d8f-b2b7-0b2c8b0f3b1e",
    "name": "support",
    "record_type": "queue",
    "current_size": 2,
    "max_size": 50,
    "average_wait_time_secs": 30,
    "created_at": "2019-01-23T18:10:02.574Z",
    "updated_at": "2019-01-23T18:10:02.574Z",
}
QUEUE_CALL = {
    "call_control_id": CCID,
    "call_leg_id": "2dc6fc34-f9e0-11ea-b68e-02420a0f7768",
    "call_session_id": "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768",
    "connection_id": CONN,
    "from": "+18005550101",
    "to": "+18005550102",
    "queue_id": "support",
    "queue_position": 1,
    "wait_time_secs": 12,
    "enqueued_at": "2019-01-23T18:10:02.574Z",
    "is_alive": True,
    "record_type": "queue_call",
}
APPLICATION = {
    "id": APP,
    "application_name": "operator-console",
    "webhook_event_url": "https://example.com/webhooks",
    "webhook_api_version": "2",
    "active": True,
    "record_type": "call_control_application",
}
RECORDING = {
    "id": REC,
    "call_control_id": CCID,
    "channels": "single",
    "download_urls": {"mp3": "https://example.com/r.mp3", "wav": "https://example.com/r.wav"},
    "duration_millis": 60000,
    "record_type": "recording",
    "source": "call",
    "status": "completed",
}
OK = {"result": "ok"}


@dataclass(frozen=True)
class Case:
    id: str
    run: Callable[[TelnyxClient], Awaitable[Any]]
    method: str
    path: str  # under /v2, percent-encoded as sent
    template: str  # the spec's path template
    body: dict[str, Any] | None = None  # expected JSON body, without command_id
    command_id: bool = False  # whether a command_id must be in the body
    query: dict[str, str] = field(default_factory=dict)
    response: Any = None  # "data" of the reply
    status: int = 200


A = f"/calls/{CCID}/actions"
C = f"/conferences/{CONF}/actions"
