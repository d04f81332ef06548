"""Conferences (``/conferences``): create, list, commands and participants.

Command methods take the conference id positionally and the spec's body fields as keywords
(see :mod:`console.telnyx.calls` for the shared conventions). ``mute``, ``unmute``, ``hold``,
``play`` and ``stop`` have no ``command_id`` in the spec, so none is sent; note that ``mute``,
``unmute`` and ``hold`` without ``call_control_ids`` act on **every** participant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Literal, Unpack

from . import endpoints as ep
from . import pagination
from ._resource import Resource, filters
from .responses import CommandResult, Conference, Participant

if TYPE_CHECKING:
    from . import requests as rq  # the request models load at the first request

Region = Literal["Australia", "Europe", "Middle East", "US"]


class Conferences(Resource):
    """``client.conferences``."""

    def iter(
        self,
        *,
        filter_name: str | None = None,
        filter_status: Literal["init", "in_progress", "completed"] | None = None,
        region: Region | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[Conference]:
        query = filters(
            **{"filter[name]": filter_name, "filter[status]": filter_status, "region": region}
        )
        return self._iter_numbered(ep.LIST_CONFERENCES, {}, Conference, query, page_size, max_pages)

    async def list_all(
        self,
        *,
        filter_name: str | None = None,
        filter_status: Literal["init", "in_progress", "completed"] | None = None,
        region: Region | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[Conference]:
        """Every conference matching the filters (all pages)."""
        return await pagination.collect(
            self.iter(
                filter_name=filter_name,
                filter_status=filter_status,
                region=region,
                page_size=page_size,
                max_pages=max_pages,
            )
        )

    async def create(self, **params: Unpack[rq.CreateConferenceRequestParams]) -> Conference:
        """Create a conference around the call ``call_control_id``, named ``name``."""
        return await self._command(ep.CREATE_CONFERENCE, {}, params, Conference)

    async def retrieve(self, conference_id: str, /, *, region: Region | None = None) -> Conference:
        return await self._get(
            ep.RETRIEVE_CONFERENCE, {"id": conference_id}, Conference, filters(region=region)
        )

    async def end(
        self, conference_id: str, /, **params: Unpack[rq.EndConferenceRequestParams]
    ) -> CommandResult:
        """End the conference and hang up every participant."""
        return await self._action(ep.END_CONFERENCE, conference_id, params)

    async def join(
        self, conference_id: str, /, **params: Unpack[rq.JoinConferenceRequestParams]
    ) -> CommandResult:
        """Add the call ``call_control_id`` (keyword) to the conference."""
        return await self._action(ep.JOIN_CONFERENCE, conference_id, params)

    async def leave(
        self, conference_id: str, /, **params: Unpack[rq.LeaveConferenceRequestParams]
    ) -> CommandResult:
        return await self._action(ep.LEAVE_CONFERENCE, conference_id, params)

    async def mute(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceMuteRequestParams]
    ) -> CommandResult:
        """Mute ``call_control_ids`` (all participants when omitted)."""
        return await self._action(ep.MUTE_CONFERENCE, conference_id, params)

    async def unmute(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceUnmuteRequestParams]
    ) -> CommandResult:
        return await self._action(ep.UNMUTE_CONFERENCE, conference_id, params)

    async def hold(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceHoldRequestParams]
    ) -> CommandResult:
        """Hold ``call_control_ids`` (all when omitted), playing ``audio_url``/``media_name``."""
        return await self._action(ep.HOLD_CONFERENCE, conference_id, params)

    async def unhold(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceUnholdRequestParams]
    ) -> CommandResult:
        """Take ``call_control_ids`` (required) off hold."""
        return await self._action(ep.UNHOLD_CONFERENCE, conference_id, params)

    async def record_start(
        self, conference_id: str, /, **params: Unpack[rq.StartConferenceRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.CONF_RECORD_START, conference_id, params)

    async def record_stop(
        self, conference_id: str, /, **params: Unpack[rq.StopRecordingConferenceRequestParams]
    ) -> CommandResult:
        return await self._action(ep.CONF_RECORD_STOP, conference_id, params)

    async def record_pause(
        self, conference_id: str, /, **params: Unpack[rq.PauseConferenceRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.CONF_RECORD_PAUSE, conference_id, params)

    async def record_resume(
        self, conference_id: str, /, **params: Unpack[rq.ResumeConferenceRecordingRequestParams]
    ) -> CommandResult:
        return await self._action(ep.CONF_RECORD_RESUME, conference_id, params)

    async def speak(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceSpeakRequestParams]
    ) -> CommandResult:
        return await self._action(ep.SPEAK_CONFERENCE, conference_id, params)

    async def play(
        self, conference_id: str, /, **params: Unpack[rq.ConferencePlayRequestParams]
    ) -> CommandResult:
        """Play audio into the conference; not retried after an ambiguous failure."""
        return await self._action(ep.PLAY_CONFERENCE, conference_id, params)

    async def stop(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceStopRequestParams]
    ) -> CommandResult:
        """Stop audio being played into the conference."""
        return await self._action(ep.STOP_CONFERENCE, conference_id, params)

    async def send_dtmf(
        self, conference_id: str, /, **params: Unpack[rq.ConferenceSendDTMFRequestParams]
    ) -> CommandResult:
        return await self._action(ep.CONF_SEND_DTMF, conference_id, params)

    async def update(
        self, conference_id: str, /, **params: Unpack[rq.UpdateConferenceRequestParams]
    ) -> CommandResult:
        """Change participant ``call_control_id``'s ``supervisor_role``."""
        return await self._action(ep.UPDATE_CONFERENCE, conference_id, params)

    # -- participants ------------------------------------------------------------------------

    def iter_participants(
        self,
        conference_id: str,
        *,
        filter_muted: bool | None = None,
        filter_on_hold: bool | None = None,
        filter_whispering: bool | None = None,
        region: Region | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[Participant]:
        query = filters(
            **{
                "filter[muted]": filter_muted,
                "filter[on_hold]": filter_on_hold,
                "filter[whispering]": filter_whispering,
                "region": region,
            }
        )
        return self._iter_numbered(
            ep.LIST_PARTICIPANTS,
            {"conference_id": conference_id},
            Participant,
            query,
            page_size,
            max_pages,
        )

    async def list_participants(
        self,
        conference_id: str,
        *,
        filter_muted: bool | None = None,
        filter_on_hold: bool | None = None,
        filter_whispering: bool | None = None,
        region: Region | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[Participant]:
        """Every participant of the conference (all pages)."""
        return await pagination.collect(
            self.iter_participants(
                conference_id,
                filter_muted=filter_muted,
                filter_on_hold=filter_on_hold,
                filter_whispering=filter_whispering,
                region=region,
                page_size=page_size,
                max_pages=max_pages,
            )
        )

    async def retrieve_participant(self, conference_id: str, participant_id: str, /) -> Participant:
        """``participant_id`` is the participant's id or its label."""
        path = {"id": conference_id, "participant_id": participant_id}
        return await self._get(ep.RETRIEVE_PARTICIPANT, path, Participant)

    async def update_participant(
        self,
        conference_id: str,
        participant_id: str,
        /,
        **params: Unpack[rq.UpdateConferenceParticipantRequestParams],
    ) -> Participant:
        path = {"id": conference_id, "participant_id": participant_id}
        return await self._command(ep.UPDATE_PARTICIPANT, path, params, Participant)

    async def _action(
        self, endpoint: ep.Endpoint, conference_id: str, params: Any
    ) -> CommandResult:
        return await self._command(endpoint, {"id": conference_id}, params)
