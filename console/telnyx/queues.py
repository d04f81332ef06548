"""Call queues (``/queues``) and the calls waiting in them. Queues are addressed by name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Unpack

from . import endpoints as ep
from . import pagination
from ._resource import Resource
from .responses import Queue, QueueCall

if TYPE_CHECKING:
    from . import requests as rq  # the request models load at the first request


class Queues(Resource):
    """``client.queues``.

    ``create`` is not retried after an ambiguous failure (a timeout after sending, a 500): it
    has no ``command_id`` and a replay could fail or duplicate; ``update`` only sets
    ``max_size`` and is retried.
    """

    def iter(
        self,
        *,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[Queue]:
        return self._iter_numbered(ep.LIST_QUEUES, {}, Queue, {}, page_size, max_pages)

    async def list_all(
        self,
        *,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[Queue]:
        """Every queue (all pages)."""
        return await pagination.collect(self.iter(page_size=page_size, max_pages=max_pages))

    async def create(self, **params: Unpack[rq.CreateQueueRequestParams]) -> Queue:
        return await self._command(ep.CREATE_QUEUE, {}, params, Queue)

    async def retrieve(self, queue_name: str, /) -> Queue:
        return await self._get(ep.RETRIEVE_QUEUE, {"queue_name": queue_name}, Queue)

    async def update(
        self, queue_name: str, /, **params: Unpack[rq.UpdateQueueRequestParams]
    ) -> Queue:
        return await self._command(ep.UPDATE_QUEUE, {"queue_name": queue_name}, params, Queue)

    async def delete(self, queue_name: str, /) -> None:
        await self._client.call(ep.DELETE_QUEUE, {"queue_name": queue_name})

    def iter_calls(
        self,
        queue_name: str,
        *,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> AsyncIterator[QueueCall]:
        return self._iter_numbered(
            ep.LIST_QUEUE_CALLS, {"queue_name": queue_name}, QueueCall, {}, page_size, max_pages
        )

    async def list_calls(
        self,
        queue_name: str,
        *,
        page_size: int = pagination.DEFAULT_PAGE_SIZE,
        max_pages: int = pagination.DEFAULT_MAX_PAGES,
    ) -> list[QueueCall]:
        """Every call waiting in the queue (all pages), in the order Telnyx returns them."""
        return await pagination.collect(
            self.iter_calls(queue_name, page_size=page_size, max_pages=max_pages)
        )

    async def retrieve_call(self, queue_name: str, call_control_id: str, /) -> QueueCall:
        path = {"queue_name": queue_name, "call_control_id": call_control_id}
        return await self._get(ep.RETRIEVE_QUEUE_CALL, path, QueueCall)

    async def update_call(
        self,
        queue_name: str,
        call_control_id: str,
        /,
        **params: Unpack[rq.UpdateQueuedCallRequestParams],
    ) -> None:
        """Change a queued call (``keep_after_hangup``); Telnyx answers 204 No Content."""
        body, _ = self._client.build_body(ep.UPDATE_QUEUE_CALL, params)
        path = {"queue_name": queue_name, "call_control_id": call_control_id}
        await self._client.call(ep.UPDATE_QUEUE_CALL, path, json=body)

    async def remove_call(self, queue_name: str, call_control_id: str, /) -> None:
        """Force-remove an inactive call from the queue."""
        path = {"queue_name": queue_name, "call_control_id": call_control_id}
        await self._client.call(ep.REMOVE_QUEUE_CALL, path)
