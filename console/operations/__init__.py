"""Operator actions on calls (Qt-free): hold/mute via conferences, transfers, audit log."""

from console.operations.audit import AuditEntry, AuditLog
from console.operations.errors import (
    ConfirmationTimeout,
    OperationError,
    TransferCancelled,
    TransferFailed,
)
from console.operations.facade import Operations
from console.operations.transfer import AttendedTransfer, TransferState
from console.operations.waiting import wait_for

__all__ = [
    "AttendedTransfer",
    "AuditEntry",
    "AuditLog",
    "ConfirmationTimeout",
    "OperationError",
    "Operations",
    "TransferCancelled",
    "TransferFailed",
    "TransferState",
    "wait_for",
]
