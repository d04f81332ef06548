"""Tree model of live conferences (top level) and their present participants (children)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt

from console.state.changes import Changes
from console.state.entities import Conference, Participant, RecordingState
from console.ui import formatting as fmt
from console.ui.grouped_model import GroupedModel

CONFERENCE_ROLE = Qt.ItemDataRole.UserRole + 10  # conference_id on every row
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole + 11  # ccid on participant rows, None on conferences

COL_NAME, COL_STATUS, COL_SINCE, COL_RECORDING = range(4)


class ConferencesModel(GroupedModel):
    """Conference rows hold participant rows. A participant's change touches its row only."""

    HEADERS = ("Conference / participant", "Status", "Since", "Recording")

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        # The window sets this to the session's check for the operator's own phone leg.
        self.is_operator_leg: fmt.IsOperatorLeg | None = None
        self._child_row: dict[tuple[str, str], int] = {}  # members are ccids in join order
        self._load()

    # --- bookkeeping ----------------------------------------------------------------------

    def conference_ids(self) -> list[str]:
        return list(self._groups)

    def participant_ids(self, conference_id: str) -> list[str]:
        return list(self._members.get(conference_id, []))

    def _present(self, conference: Conference) -> list[str]:
        members = [p for p in conference.participants.values() if p.present]
        members.sort(key=lambda p: (fmt.as_aware(p.joined_at) or fmt.now(), p.call_control_id))
        return [p.call_control_id for p in members]

    def _load(self) -> None:
        self._groups = [c.conference_id for c in self.store.conferences.values() if c.is_live]
        self._group_row = {cid: row for row, cid in enumerate(self._groups)}
        self._members = {}
        self._child_row = {}
        for cid in self._groups:
            self._set_children(cid, self._present(self.store.conferences[cid]))

    def _set_children(self, cid: str, ccids: list[str]) -> None:
        self._members[cid] = ccids
        for row, ccid in enumerate(ccids):
            self._child_row[(cid, ccid)] = row

    def index_of_conference(self, conference_id: str, column: int = 0) -> QModelIndex:
        row = self._group_row.get(conference_id)
        return QModelIndex() if row is None else self.createIndex(row, column, 0)

    def index_of_participant(self, conference_id: str, ccid: str, column: int = 0) -> QModelIndex:
        row = self._child_row.get((conference_id, ccid))
        if row is None:
            return QModelIndex()
        return self.createIndex(row, column, self._key(conference_id))

    # --- applying store changes -----------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.beginResetModel()
            self._load()
            self.endResetModel()
            return
        confs = changes.conferences
        for cid in confs.removed:
            self._remove_conference(cid)
        for cid in sorted(confs.added | confs.changed):
            conference = self.store.conferences.get(cid)
            if conference is None or not conference.is_live:
                self._remove_conference(cid)
            elif cid not in self._group_row:
                self._insert_conference(cid)
            else:
                self._emit_conference(cid)
        touched: set[str] = set()
        parts = changes.participants
        for key in sorted(parts.removed | parts.added | parts.changed):
            cid, ccid = key
            if cid in self._group_row:
                self._sync_participant(cid, ccid)
                touched.add(cid)
        # A call's number or name shows on its participant row.
        for ccid in changes.calls.changed:
            call = self.store.call(ccid)
            if call is not None and call.conference_id in self._group_row:
                idx = self.index_of_participant(call.conference_id, ccid)
                if idx.isValid():
                    self._emit_row(idx)
        for cid in touched:
            self._emit_conference(cid)

    def _insert_conference(self, cid: str) -> None:
        row = len(self._groups)
        self.beginInsertRows(QModelIndex(), row, row)
        self._groups.append(cid)
        self._group_row[cid] = row
        self._set_children(cid, self._present(self.store.conferences[cid]))
        self.endInsertRows()

    def _remove_conference(self, cid: str) -> None:
        row = self._group_row.get(cid)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._groups[row]
        del self._group_row[cid]
        for ccid in self._members.pop(cid, []):
            self._child_row.pop((cid, ccid), None)
        for r in range(row, len(self._groups)):
            self._group_row[self._groups[r]] = r
        self.endRemoveRows()

    def _sync_participant(self, cid: str, ccid: str) -> None:
        conference = self.store.conferences.get(cid)
        participant = conference.participants.get(ccid) if conference else None
        present = participant is not None and participant.present
        row = self._child_row.get((cid, ccid))
        parent = self.index_of_conference(cid)
        children = self._members[cid]
        if present and row is None:
            new_row = len(children)
            self.beginInsertRows(parent, new_row, new_row)
            children.append(ccid)
            self._child_row[(cid, ccid)] = new_row
            self.endInsertRows()
        elif not present and row is not None:
            self.beginRemoveRows(parent, row, row)
            del children[row]
            del self._child_row[(cid, ccid)]
            for r in range(row, len(children)):
                self._child_row[(cid, children[r])] = r
            self.endRemoveRows()
        elif present:
            self._emit_row(self.index_of_participant(cid, ccid))

    def _emit_row(self, idx: QModelIndex) -> None:
        self.dataChanged.emit(idx.siblingAtColumn(0), idx.siblingAtColumn(len(self.HEADERS) - 1))

    def _emit_conference(self, cid: str) -> None:
        idx = self.index_of_conference(cid)
        if idx.isValid():
            self._emit_row(idx)

    # --- Qt model interface ---------------------------------------------------------------

    def _locate(self, index: QModelIndex) -> tuple[str, str | None] | None:
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            return self._groups[index.row()], None
        cid = self._group_of_key.get(index.internalId())
        children = self._members.get(cid or "", [])
        if cid is None or index.row() >= len(children):
            return None
        return cid, children[index.row()]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        where = self._locate(index)
        if where is None:
            return None
        cid, ccid = where
        if role == CONFERENCE_ROLE:
            return cid
        if role == PARTICIPANT_ROLE:
            return ccid
        conference = self.store.conferences.get(cid)
        if conference is None:
            return None
        if ccid is None:
            return self._conference_data(conference, index.column(), role)
        participant = conference.participants.get(ccid)
        if participant is None:
            return None
        return self._participant_data(participant, index.column(), role)

    def _conference_data(self, conference: Conference, col: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return fmt.conference_title(conference, self.store.calls, self.is_operator_leg)
            if col == COL_STATUS:
                n = len(self._members.get(conference.conference_id, []))
                return f"{n} participant" + ("" if n == 1 else "s")
            if col == COL_SINCE:
                return fmt.format_time(conference.created_at)
            if col == COL_RECORDING:
                return _recording_text(conference.recording)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            tip = f"Conference {conference.name or ''} ({conference.conference_id})"
            return tip + ("\nRepaired by a resync" if conference.repaired else "")
        return None

    def _participant_data(self, participant: Participant, col: int, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                call = self.store.call(participant.call_control_id)
                if call is None:
                    return f"Call {fmt.short_id(participant.call_control_id)}"
                number = call.from_number if call.direction == "incoming" else call.to_number
                name = call.caller_name if call.direction == "incoming" else None
                if self.is_operator_leg is not None and self.is_operator_leg(call.call_control_id):
                    name = "You"  # the console's line to the operator's own phone
                return fmt.party(number, name)
            if col == COL_STATUS:
                flags = []
                if participant.on_hold:
                    flags.append("On hold")
                if participant.muted:
                    flags.append("Muted")
                return " · ".join(flags) or "Talking"
            if col == COL_SINCE:
                return fmt.format_time(participant.joined_at)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            return f"Call {participant.call_control_id}"
        return None


def _recording_text(state: RecordingState) -> str:
    return {RecordingState.RECORDING: "● Recording", RecordingState.PAUSED: "Paused"}.get(state, "")
