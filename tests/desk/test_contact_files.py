"""CSV and vCard import (bad rows reported by line, the rest imported) and CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from console.desk import DeskError, export_csv, import_file, make_contact
from console.desk.contact_csv import import_csv
from console.desk.contact_vcard import import_vcard

CSV_TEXT = (
    "Name,Company,Phone,Mobile,E-mail,Notes,Tags\r\n"
    "Pat Lee,Acme,(312) 555-0142,,pat@example.com,prefers mornings,vip\r\n"
    ',,,,,"no name, no number",\r\n'  # line 3: nothing to call or name
    "Sam Roe,Globex,+44 20 7946 0958;+13125550155,,,,\r\n"
    'Quinn "Q" Day,,"ext. 12",,,"two\nlines",\r\n'  # a number kept as typed; notes span lines
    "Bad Mail,,+13125550160,,not-an-email,,\r\n"  # line 7
    "Too,Many,+13125550161,,,,,extra\r\n"  # line 8
    "pat lee,,+1 312 555 0142,+13125550170,,,billing\r\n"  # the same person again: merged
)


def test_csv_import_reports_bad_rows_by_line_and_imports_the_rest(desk):
    report = import_csv(desk.contacts, CSV_TEXT, default_country="US")
    assert [(p.line, p.message) for p in report.problems] == [
        (3, "A contact needs a name, an organisation or a number."),
        (7, "“not-an-email” is not an e-mail address."),
        (8, "8 cells where the header has 7"),
    ]
    assert (report.added, report.merged, report.unnormalised) == (3, 1, 1)
    assert "3 contacts added" in report.summary() and "3 row(s) skipped" in report.summary()
    pat = desk.contacts.find_by_number("+13125550170")
    assert pat.name == "Pat Lee" and pat.tags == ("vip", "billing")
    sam = desk.contacts.find_by_number("+442079460958")
    assert sam.organisation == "Globex" and len(sam.numbers) == 2
    quinn = desk.contacts.search("Quinn")[0]
    assert quinn.numbers[0].raw == "ext. 12" and not quinn.numbers[0].normalised
    assert quinn.notes == "two\nlines"


def test_first_and_last_name_columns_and_an_unknown_header(desk):
    report = import_csv(
        desk.contacts, "First Name,Last Name,Phone 1 - Value\nAda,Byron,3125550180\n"
    )
    assert report.added == 1
    # A national number takes the book's default country (US here).
    assert desk.contacts.find_by_number("+13125550180").name == "Ada Byron"
    with pytest.raises(DeskError, match="name the columns"):
        import_csv(desk.contacts, "a,b\n1,2\n")
    with pytest.raises(DeskError, match="empty"):
        import_csv(desk.contacts, "")


VCARD = """BEGIN:VCARD
VERSION:3.0
FN:Pat Lee
N:Lee;Pat;;;
ORG:Acme;Sales
TEL;TYPE=WORK,VOICE:+1 312 555 0142
TEL;TYPE=CELL:tel:+13125550143
EMAIL:pat@example.com
NOTE:met at the fair\\, liked
  the demo
CATEGORIES:vip,billing
END:VCARD
BEGIN:VCARD
VERSION:3.0
EMAIL:nobody@example.com
END:VCARD
BEGIN:VCARD
N:Roe;Sam;;;
TEL:+13125550155
END:VCARD
stray line
BEGIN:VCARD
FN:Unfinished
"""


def test_vcard_import(desk):
    report = import_vcard(desk.contacts, VCARD)
    assert report.added == 2
    lines = [(p.line, p.message.split(";")[0]) for p in report.problems]
    assert lines == [
        (13, "A contact needs a name, an organisation or a number."),
        (21, "not a vCard line: “stray line”"),
        (22, "card has no END:VCARD"),
    ]
    pat = desk.contacts.find_by_number("+13125550143")
    assert pat.organisation == "Acme Sales" and pat.tags == ("vip", "billing")
    assert pat.notes == "met at the fair, liked the demo"
    assert [n.label for n in pat.numbers] == ["work,voice", "cell"]
    assert desk.contacts.find_by_number("+13125550155").name == "Sam Roe"


def test_export_then_import_round_trips_and_defuses_formulas(desk, tmp_path):
    desk.contacts.add(make_contact("=HYPERLINK(1)", ["+13125550142"], notes="-5 owed", tags="a b"))
    desk.contacts.add(make_contact("Sam", ["+13125550155", "ext 9"], favourite=True))
    path = tmp_path / "contacts.csv"
    assert export_csv(desk.contacts.all(), path) == 2
    assert path.stat().st_mode & 0o077 == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["name", "organisation", "numbers", "email", "notes", "tags", "favourite"]
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][4] == "'-5 owed"
    from console.desk import Desk

    other = Desk.open(tmp_path / "other.sqlite3")
    report = import_file(other.contacts, path)
    assert report.added == 2 and not report.problems
    assert [(c.name, c.notes, c.tags, c.favourite) for c in other.contacts.all()] == [
        (c.name, c.notes, c.tags, c.favourite) for c in desk.contacts.all()
    ]
    assert [n.raw for n in other.contacts.search("Sam")[0].numbers] == ["+13125550155", "ext 9"]
    other.close()


def test_import_file_picks_vcard_and_reports_unreadable_files(desk, tmp_path):
    vcf = tmp_path / "x.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    assert import_file(desk.contacts, vcf).added == 2
    with pytest.raises(DeskError, match="Cannot read"):
        import_file(desk.contacts, tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name,Phone\nJos\xe9,+13125550190\n".encode("latin-1"))
    assert import_file(desk.contacts, latin).added == 1
    assert desk.contacts.find_by_number("+13125550190").name == "José"
