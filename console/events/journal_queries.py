"""The WHERE clauses of the journal's searches: the event log's newest records (by type or
leg) and call history's (by number, call id and time).

Each returns the clause (empty when nothing is filtered) and its parameters, for
``Journal._records``; values always travel as parameters, never in the SQL text.
"""

from __future__ import annotations

#: A WHERE clause (or "") and the values of its placeholders.
Filter = tuple[str, tuple[object, ...]]


def recent_filter(event_type: str | None, call_control_id: str | None) -> Filter:
    """Records of one event type and/or one call leg (``None`` matches any)."""
    clauses: list[str] = []
    params: list[object] = []
    if event_type is not None:
        clauses.append("event_type = ?")
        params.append(event_type)
    if call_control_id is not None:
        clauses.append("call_control_id = ?")
        params.append(call_control_id)
    return _where(clauses), tuple(params)


def history_filter(
    number: str | None, call_id: str | None, since: float | None, until: float | None
) -> Filter:
    """Records for call history: see :meth:`console.events.journal.Journal.history`."""
    clauses: list[str] = []
    params: list[object] = []
    if number:
        # LIKE's wildcards in the number are matched literally.
        pattern = "%" + number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        clauses.append("(from_number LIKE ? ESCAPE '\\' OR to_number LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    if call_id:
        clauses.append(
            "(call_control_id = ? OR call_leg_id = ? OR call_session_id = ? OR conference_id = ?)"
        )
        params += [call_id] * 4
    if since is not None:
        clauses.append("received_at >= ?")
        params.append(since)
    if until is not None:
        clauses.append("received_at <= ?")
        params.append(until)
    return _where(clauses), tuple(params)


def _where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""
