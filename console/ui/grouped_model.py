"""Two-level models: group rows (conferences, queues) each holding member rows (calls).

Each group gets a stable small integer, used as the internal id of its members' indexes, so
an index survives rows moving above it (no pointers into Python objects). Subclasses keep
``_groups`` (group ids in row order), ``_group_row`` and ``_members`` (group id → member ids
in row order) up to date and answer ``data()``.
"""

from __future__ import annotations

from itertools import count

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt


class GroupedModel(QAbstractItemModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._groups: list[str] = []
        self._group_row: dict[str, int] = {}
        self._members: dict[str, list[str]] = {}
        self._keys = count(1)
        self._key_of: dict[str, int] = {}
        self._group_of_key: dict[int, str] = {}

    def _key(self, group: str) -> int:
        key = self._key_of.get(group)
        if key is None:
            key = next(self._keys)
            self._key_of[group] = key
            self._group_of_key[key] = group
        return key

    def index(self, row, column, parent=QModelIndex()):
        if row < 0 or column < 0 or column >= len(self.HEADERS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()  # members have no children
        group = self._groups[parent.row()]
        if row >= len(self._members.get(group, [])):
            return QModelIndex()
        return self.createIndex(row, column, self._key(group))

    def parent(self, child=QModelIndex()):
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        group = self._group_of_key.get(child.internalId())
        row = self._group_row.get(group) if group else None
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._members.get(self._groups[parent.row()], []))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None
