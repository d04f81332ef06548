"""Call commands (``/calls``) and active calls of a connection.

Conventions shared by every command method:

* the call is the first, positional-only argument (``call_control_id``); everything else is a
  keyword named exactly as the spec's body field (``from_`` for ``from``), checked against the
  request model before anything is sent: an unknown keyword, a missing required field or a bad
  value raises :class:`~console.telnyx.errors.TelnyxInputError`;
* ``client_state`` (and transfer's ``target_leg_client_state``) is **plain text**: the client
  base64-encodes it, as Telnyx requires, and webhooks echo the encoded form back (decode it with
  :func:`console.telnyx.responses.decode_client_state`);
* ``command_id`` may be given; otherwise a UUID4 is made, sent on every retry, and returned in
  :class:`CommandResult.command_id`, so Telnyx never runs a retried command twice;
* phone numbers may be typed as an operator writes them and are sent as E.164.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Unpack

from . import endpoints as ep
from . import pagination
from ._resource import Resource
from .responses import ActiveCall, Call, CommandResult, DialResult

if TYPE_CHECKING:
    from . import requests as rq  # the request models load at the first request


class Calls(Resource):
    """``client.calls``."""

    async def dial(self, **params: Unpack[rq.CallRequestParams]) -> DialResult:
        """Place an outbound call (``POST /calls``).

        ``to`` is a phone number, a SIP URI (``sip:``/``sips:``), a number with a ``,DTMF``
        suffix, or a list of numbers/URIs to ring; ``from_`` is a phone number (caller id).
        """
        values = dict(params)
        self._phone(values, "to", "dial")
        self._phone(values, "from_", "e164")
        return await self._command(ep.DIAL, {}, values, DialResult)

    async def retrieve(self, call_control_id: str, /) -> Call:
        """Status of a call (``is_alive``); Telnyx keeps it 10 minutes after the call ends."""
        return await self._get(ep.RETRIEVE_CALL, {"call_control_id": call_control_id}, Call)

    async def answer(
        self, call_control_id: str, /, **params: Unpack[rq.AnswerRequestParams]
    ) -> CommandResult:
        """Answer an inbound call; ``recording_id`` is set when ``record`` was requested."""
        return await self._action(ep.ANSWER, call_control_id, params)

    async def reject(
        self, call_control_id: str, /, **params: Unpack[rq.RejectRequestParams]
    ) -> CommandResult:
        """Reject an unanswered inbound call; ``cause`` is ``CALL_REJECTED`` or ``USER_BUSY``."""
        return await self._action(ep.REJECT, call_control_id, params)

    async def hangup(
        self, call_control_id: str, /, **params: Unpack[rq.HangupRequestParams]
    ) -> CommandResult:
        return await self._action(ep.HANGUP, call_control_id, params)

    async def transfer(
        self, call_control_id: str, /, **params: Unpack[rq.TransferCallRequestParams]
    ) -> CommandResult:
        """Transfer to ``to`` (number, ``number,DTMF`` or SIP URI); ``from_`` is a number."""
        values = dict(params)
        self._phone(values, "to", "dial")
        self._phone(values, "from_", "e164")
        return await self._action(ep.TRANSFER, call_control_id, values)

    async def bridge(
        self, call_control_id: str, /, **params: Unpack[rq.BridgeRequestParams]
    ) -> CommandResult:
        """Bridge this call (positional) with the call given as keyword ``call_control_id``."""
        return await self._action(ep.BRIDGE, call_control_id, params)

    async def refer(
        self, call_control_id: str, /, **params: Unpack[rq.ReferRequestParams]
    ) -> CommandResult:
        """SIP REFER the call to ``sip_address`` (a SIP URI only)."""
        values = dict(params)
        self._phone(values, "sip_address", "sip")
        return await self._action(ep.REFER, call_control_id, values)

    async def send_sip_info(
        self, call_control_id: str, /, **params: Unpack[rq.SendSIPInfoRequestParams]
    ) -> CommandResult:
        return await self._action(ep.SEND_SIP_INFO, call_control_id, params)

    async def record_start(
        self, call_control_id: str, /, **params: Unpack[rq.StartRecordingRequestParams]
    ) -> CommandResult:
        """Start recording; ``format`` (wav/mp3) and ``channels`` (single/dual) are required."""
        return await self._action(ep.RECORD_START, call_control_id, params)

    async def record_stop(
        self, call_control_id: str, /, **params: Unpack[rq.StopRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.RECORD_STOP, call_control_id, params)

    async def record_pause(
        self, call_control_id: str, /, **params: Unpack[rq.PauseRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.RECORD_PAUSE, call_control_id, params)

    async def record_resume(
        self, call_control_id: str, /, **params: Unpack[rq.ResumeRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.RECORD_RESUME, call_control_id, params)

    async def playback_start(
        self, call_control_id: str, /, **params: Unpack[rq.PlayAudioUrlRequestParams]
    ) -> CommandResult:
        """Play ``audio_url`` or ``media_name``; ``loop`` is 1-100 or ``"infinity"``."""
        return await self._action(ep.PLAYBACK_START, call_control_id, params)

    async def playback_stop(
        self, call_control_id: str, /, **params: Unpack[rq.PlaybackStopRequestParams]
    ) -> CommandResult:
        return await self._action(ep.PLAYBACK_STOP, call_control_id, params)

    async def speak(
        self, call_control_id: str, /, **params: Unpack[rq.SpeakRequestParams]
    ) -> CommandResult:
        """Text to speech; ``payload`` and ``voice`` are required."""
        return await self._action(ep.SPEAK, call_control_id, params)

    async def send_dtmf(
        self, call_control_id: str, /, **params: Unpack[rq.SendDTMFRequestParams]
    ) -> CommandResult:
        return await self._action(ep.SEND_DTMF, call_control_id, params)

    async def gather_using_audio(
        self, call_control_id: str, /, **params: Unpack[rq.GatherUsingAudioRequestParams]
    ) -> CommandResult:
        return await self._action(ep.GATHER_USING_AUDIO, call_control_id, params)

    async def enqueue(
        self, call_control_id: str, /, **params: Unpack[rq.EnqueueRequestParams]
    ) -> CommandResult:
        """Put the call in queue ``queue_name`` (created on first use)."""
        return await self._action(ep.ENQUEUE, call_control_id, params)

    async def leave_queue(
        self, call_control_id: str, /, **params: Unpack[rq.LeaveQueueRequestParams]
    ) -> CommandResult:
        return await self._action(ep.LEAVE_QUEUE, call_control_id, params)

    async def streaming_start(
        self, call_control_id: str, /, **params: Unpack[rq.StartStreamingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.STREAMING_START, call_control_id, params)

    async def streaming_stop(
        self, call_control_id: str, /, **params: Unpack[rq.StopStreamingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.STREAMING_STOP, call_control_id, params)

    async def client_state_update(
        self, call_control_id: str, /, **params: Unpack[rq.ClientStateUpdateRequestParams]
    ) -> CommandResult:
        """Replace the call's ``client_state`` (plain text, sent base64-encoded)."""
        return await self._action(ep.CLIENT_STATE_UPDATE, call_control_id, params)

    async def switch_supervisor_role(
        self, call_control_id: str, /, **params: Unpack[rq.SwitchSupervisorRoleRequestParams]
    ) -> CommandResult:
        """Change a supervisor leg's ``role`` (barge/whisper/monitor); the spec has no
        ``command_id`` for it, so none is sent."""
        return await self._action(ep.SWITCH_SUPERVISOR_ROLE, call_control_id, params)

    async def _action(
        self, endpoint: ep.Endpoint, call_control_id: str, params: Any
    ) -> CommandResult:
        return await self._command(endpoint, {"call_control_id": call_control_id}, params)


class Connections(Resource):
    """``client.connections``: the calls currently up on a connection (Call Control App)."""

    def iter_active_calls(
        self,
        connection_id: str,
        *,
        limit: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[ActiveCall]:
        """Every active call, page by page (cursor pagination, ``limit`` per page)."""
        return self._iter_cursor(
            ep.LIST_ACTIVE_CALLS, {"connection_id": connection_id}, ActiveCall, limit, max_pages
        )

    async def list_active_calls(
        self,
        connection_id: str,
        *,
        limit: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[ActiveCall]:
        """All active calls of the connection (every page)."""
        return await pagination.collect(
            self.iter_active_calls(connection_id, limit=limit, max_pages=max_pages)
        )
