"""The operator's desk, Qt-free: status, wrap-ups and dispositions, contacts and caller
context, the transfer directory and speed dials, and one search across all of it.

Stored in the console database (``console/db``) under the ``desk`` component's own
migrations; wrap-ups join the history table (``console/history``) by ``call_key``. The UI
(``console/ui/workflow_*.py``) holds one :class:`Desk`.
"""

from console.desk.contact_card import Contact, Saved, make_contact
from console.desk.contact_csv import export_csv
from console.desk.contact_files import import_file
from console.desk.contact_report import ImportReport, Problem
from console.desk.contacts import ContactBook
from console.desk.context import CallerContext, PastCall, other_party
from console.desk.desk import Desk, database_path
from console.desk.directory import Directory, Entry, Kind, SpeedDial
from console.desk.dispositions import Dispositions
from console.desk.errors import DeskError
from console.desk.numbers import PhoneNumber, phone, to_e164
from console.desk.search import CallHit, SearchResults, match_live
from console.desk.status import AWAY_REASONS, Presence, Status, StatusModel, format_time_in
from console.desk.wrapups import WrapUp, WrapUps, parse_tags

__all__ = [
    "AWAY_REASONS",
    "CallHit",
    "CallerContext",
    "Contact",
    "ContactBook",
    "Desk",
    "DeskError",
    "Directory",
    "Dispositions",
    "Entry",
    "ImportReport",
    "Kind",
    "PastCall",
    "PhoneNumber",
    "Presence",
    "Problem",
    "Saved",
    "SearchResults",
    "SpeedDial",
    "Status",
    "StatusModel",
    "WrapUp",
    "WrapUps",
    "database_path",
    "export_csv",
    "format_time_in",
    "import_file",
    "make_contact",
    "match_live",
    "other_party",
    "parse_tags",
    "phone",
    "to_e164",
]
