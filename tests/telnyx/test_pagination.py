"""List methods walk every page and never loop forever."""

from __future__ import annotations

import httpx
import pytest

from console.telnyx import pagination
from tests.telnyx.operation_cases import CALL, CONN, QUEUE

pytestmark = pytest.mark.anyio


def numbered_page(request: httpx.Request, total_pages: int, per_page: int = 2) -> httpx.Response:
    number = int(request.url.params["page[number]"])
    items = [{**QUEUE, "name": f"q{number}-{i}"} for i in range(per_page)]
    meta = {"page_number": number, "page_size": per_page, "total_pages": total_pages}
    return httpx.Response(200, json={"data": items, "meta": meta})


async def test_numbered_walks_every_page(client, recorder):
    recorder.reply(lambda request: numbered_page(request, total_pages=3))
    queues = await client.queues.list_all(page_size=2)
    assert [q.name for q in queues] == ["q1-0", "q1-1", "q2-0", "q2-1", "q3-0", "q3-1"]
    assert [r.url.params["page[number]"] for r in recorder.requests] == ["1", "2", "3"]
    assert all(r.url.params["page[size]"] == "2" for r in recorder.requests)


async def test_numbered_iterator_is_lazy(client, recorder):
    recorder.reply(lambda request: numbered_page(request, total_pages=50))
    seen = []
    async for queue in client.queues.iter(page_size=2):
        seen.append(queue.name)
        if len(seen) == 3:
            break
    assert len(recorder.requests) == 2


async def test_numbered_stops_on_empty_page_and_max_pages(client, recorder):
    recorder.reply(lambda request: numbered_page(request, total_pages=10**6))
    queues = await client.queues.list_all(page_size=2, max_pages=4)
    assert len(queues) == 8
    assert len(recorder.requests) == 4

    recorder.requests.clear()
    recorder.reply(httpx.Response(200, json={"data": [], "meta": {"total_pages": 99}}))
    assert await client.queues.list_all() == []
    assert len(recorder.requests) == 1


async def test_numbered_without_meta_stops_on_short_page(client, recorder):
    recorder.reply(httpx.Response(200, json={"data": [QUEUE]}))
    assert len(await client.queues.list_all(page_size=5)) == 1
    assert len(recorder.requests) == 1


def cursor_pages(pages: dict[str | None, tuple[list[str], str | None]]):
    def respond(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("page[after]")
        ids, next_cursor = pages[after]
        data = [{**CALL, "call_control_id": i, "call_duration": 1, "client_state": ""} for i in ids]
        meta = {"cursors": {"after": next_cursor, "before": None}, "total_items": 99}
        return httpx.Response(200, json={"data": data, "meta": meta})

    return respond


async def test_cursor_walks_every_page(client, recorder):
    recorder.reply(
        cursor_pages({None: (["a", "b"], "c1"), "c1": (["c", "d"], "c2"), "c2": (["e"], None)})
    )
    calls = await client.connections.list_active_calls(CONN, limit=2)
    assert [c.call_control_id for c in calls] == ["a", "b", "c", "d", "e"]
    assert [r.url.params.get("page[after]") for r in recorder.requests] == [None, "c1", "c2"]
    assert all(r.url.params["page[limit]"] == "2" for r in recorder.requests)


async def test_cursor_stops_on_repeated_cursor(client, recorder):
    recorder.reply(cursor_pages({None: (["a"], "same"), "same": (["b"], "same")}))
    calls = await client.connections.list_active_calls(CONN)
    assert [c.call_control_id for c in calls] == ["a", "b"]
    assert len(recorder.requests) == 2


async def test_cursor_string_null_means_end(client, recorder):
    recorder.reply(cursor_pages({None: (["a"], "null")}))
    calls = [c async for c in client.connections.iter_active_calls(CONN)]
    assert len(calls) == 1
    assert len(recorder.requests) == 1


async def test_cursor_bounded_by_max_pages():
    counter = iter(range(10**6))

    async def fetch(query):
        n = next(counter)
        return {"data": [{"n": n}], "meta": {"cursors": {"after": f"c{n}"}}}

    items = await pagination.collect(pagination.iter_cursor(fetch, max_pages=5))
    assert [i["n"] for i in items] == [0, 1, 2, 3, 4]


async def test_active_call_client_state_text(client, recorder):
    recorder.reply(
        httpx.Response(
            200,
            json={
                "data": [{**CALL, "call_duration": 3, "client_state": "YWdlbnQ9NDI="}],
                "meta": {"cursors": {}},
            },
        )
    )
    (call,) = await client.connections.list_active_calls(CONN)
    assert call.client_state_text == "agent=42"
