"""Contacts in and out of files: CSV and vCard import, CSV export.

A file is read whole (up to ``MAX_IMPORT_BYTES``), in UTF-8 or the Latin-1 spreadsheets fall
back to, and handed to the importer its name or first line asks for: ``contact_vcard`` or
``contact_csv`` (which also writes the export). An import never stops at a bad row: each row
(or card) that cannot become a contact is reported with its line number and the reason in an
:class:`~console.desk.contact_report.ImportReport`, and every other one is imported. Numbers
that cannot be normalised are kept as typed and counted, so the operator can fix them.
"""

from __future__ import annotations

import os
from pathlib import Path

from console.desk.contact_csv import import_csv
from console.desk.contact_report import ImportReport
from console.desk.contact_vcard import import_vcard
from console.desk.contacts import ContactBook
from console.desk.errors import DeskError

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8, with or without BOM; Latin-1 as the fallback spreadsheets use)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise DeskError(f"{path.name} is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise DeskError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def import_file(
    book: ContactBook, path: str | os.PathLike[str], *, default_country: str | None = None
) -> ImportReport:
    """Import a ``.vcf``/``.vcard`` or CSV file into ``book``."""
    text = read_text(path)
    country = default_country or book.default_country
    if Path(path).suffix.lower() in (".vcf", ".vcard") or text.lstrip().upper().startswith(
        "BEGIN:VCARD"
    ):
        return import_vcard(book, text, default_country=country)
    return import_csv(book, text, default_country=country)
