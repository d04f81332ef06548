"""Call Control Applications (``/call_control_applications``) and recordings (``/recordings``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Literal, Unpack

from . import endpoints as ep
from . import pagination
from ._resource import Resource, filters
from .responses import CallControlApplication, Recording

if TYPE_CHECKING:
    from . import requests as rq  # the request models load at the first request

ApplicationSort = Literal["created_at", "connection_name", "active"]


class Applications(Resource):
    """``client.applications``.

    ``create`` sends ``webhook_api_version="2"`` unless told otherwise: the spec's default is
    ``"1"``, whose webhooks have another shape and signature the console does not read.
    ``create`` is not retried after an ambiguous failure (it could create a duplicate).
    """

    def iter(
        self,
        *,
        filter_application_name_contains: str | None = None,
        filter_outbound_voice_profile_id: str | None = None,
        sort: ApplicationSort | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[CallControlApplication]:
        query = filters(
            **{
                "filter[application_name][contains]": filter_application_name_contains,
                "filter[outbound.outbound_voice_profile_id]": filter_outbound_voice_profile_id,
                "sort": sort,
            }
        )
        return self._iter_numbered(
            ep.LIST_APPLICATIONS, {}, CallControlApplication, query, page_size, max_pages
        )

    async def list(
        self,
        *,
        filter_application_name_contains: str | None = None,
        filter_outbound_voice_profile_id: str | None = None,
        sort: ApplicationSort | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[CallControlApplication]:
        """Every Call Control Application (all pages)."""
        return await pagination.collect(
            self.iter(
                filter_application_name_contains=filter_application_name_contains,
                filter_outbound_voice_profile_id=filter_outbound_voice_profile_id,
                sort=sort,
                page_size=page_size,
                max_pages=max_pages,
            )
        )

    async def create(
        self, **params: Unpack[rq.CreateCallControlApplicationRequestParams]
    ) -> CallControlApplication:
        """Create an application; ``application_name`` and ``webhook_event_url`` are required."""
        values = dict(params)
        if values.get("webhook_api_version") is None:
            values["webhook_api_version"] = "2"
        return await self._command(ep.CREATE_APPLICATION, {}, values, CallControlApplication)

    async def retrieve(self, application_id: str, /) -> CallControlApplication:
        return await self._get(
            ep.RETRIEVE_APPLICATION, {"id": application_id}, CallControlApplication
        )

    async def update(
        self,
        application_id: str,
        /,
        **params: Unpack[rq.UpdateCallControlApplicationRequestParams],
    ) -> CallControlApplication:
        """PATCH an application; the spec requires ``application_name`` and
        ``webhook_event_url`` even here."""
        path = {"id": application_id}
        return await self._command(ep.UPDATE_APPLICATION, path, params, CallControlApplication)

    async def delete(self, application_id: str, /) -> CallControlApplication | None:
        """Delete an application; returns it as Telnyx last saw it (if the answer has it)."""
        data = await self._client.call(ep.DELETE_APPLICATION, {"id": application_id})
        if isinstance(data, dict) and isinstance(data.get("data"), dict):
            return CallControlApplication.model_validate(data["data"])
        return None


class Recordings(Resource):
    """``client.recordings`` (read-only: the console lists and downloads, it never deletes)."""

    def iter(
        self,
        *,
        filter_call_control_id: str | None = None,
        filter_call_leg_id: str | None = None,
        filter_call_session_id: str | None = None,
        filter_conference_id: str | None = None,
        filter_connection_id: str | None = None,
        filter_from: str | None = None,
        filter_to: str | None = None,
        filter_created_at_gte: str | None = None,
        filter_created_at_lte: str | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[Recording]:
        """Recordings matching every given filter (ISO 8601 strings for the dates)."""
        query = filters(
            **{
                "filter[call_control_id]": filter_call_control_id,
                "filter[call_leg_id]": filter_call_leg_id,
                "filter[call_session_id]": filter_call_session_id,
                "filter[conference_id]": filter_conference_id,
                "filter[connection_id]": filter_connection_id,
                "filter[from]": filter_from,
                "filter[to]": filter_to,
                "filter[created_at][gte]": filter_created_at_gte,
                "filter[created_at][lte]": filter_created_at_lte,
            }
        )
        return self._iter_numbered(ep.LIST_RECORDINGS, {}, Recording, query, page_size, max_pages)

    async def list(
        self,
        *,
        filter_call_control_id: str | None = None,
        filter_call_leg_id: str | None = None,
        filter_call_session_id: str | None = None,
        filter_conference_id: str | None = None,
        filter_connection_id: str | None = None,
        filter_from: str | None = None,
        filter_to: str | None = None,
        filter_created_at_gte: str | None = None,
        filter_created_at_lte: str | None = None,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[Recording]:
        """Every recording matching the filters (all pages)."""
        return await pagination.collect(
            self.iter(
                filter_call_control_id=filter_call_control_id,
                filter_call_leg_id=filter_call_leg_id,
                filter_call_session_id=filter_call_session_id,
                filter_conference_id=filter_conference_id,
                filter_connection_id=filter_connection_id,
                filter_from=filter_from,
                filter_to=filter_to,
                filter_created_at_gte=filter_created_at_gte,
                filter_created_at_lte=filter_created_at_lte,
                page_size=page_size,
                max_pages=max_pages,
            )
        )

    async def retrieve(self, recording_id: str, /) -> Recording:
        """One recording, with its ``download_urls``."""
        return await self._get(ep.RETRIEVE_RECORDING, {"recording_id": recording_id}, Recording)
